namespace Shopcast.Reporting;

/// <summary>The classification report's pictures: a reliability diagram (calibration) and a feature-importance chart.</summary>
public static class ClassificationPlots
{
    /// <summary>Mean predicted probability against the observed positive rate per bin, one line per model, with the diagonal.</summary>
    public static bool Reliability(string path, IReadOnlyList<(string Model, double[] Predicted, double[] Observed)> curves)
    {
        return PlotFile.Save(path, plt =>
        {
            var diagonal = plt.Add.Line(0, 0, 1, 1);
            diagonal.LinePattern = ScottPlot.LinePattern.Dashed;
            diagonal.LegendText = "perfectly calibrated";
            foreach (var (model, predicted, observed) in curves)
            {
                var s = plt.Add.Scatter(predicted, observed);
                s.LegendText = model;
            }
            plt.Title("Reliability (held-out predictions, 10 bins)");
            plt.Axes.Bottom.Label.Text = "mean predicted probability";
            plt.Axes.Left.Label.Text = "observed positive rate";
            plt.Axes.SetLimits(0, 1, 0, 1);
            plt.ShowLegend(ScottPlot.Alignment.UpperLeft);
        }, 600, 600);
    }

    /// <summary>Test AUC against the length of the session prefix seen so far, one line per model.</summary>
    public static bool AucByPrefix(string path, IReadOnlyList<(string Model, IReadOnlyList<(string Bucket, double Auc)> Points)> curves)
    {
        return PlotFile.Save(path, plt =>
        {
            var buckets = curves[0].Points.Select(p => p.Bucket).ToArray();
            foreach (var (model, points) in curves)
            {
                var s = plt.Add.Scatter(Enumerable.Range(0, points.Count).Select(i => (double)i).ToArray(), points.Select(p => p.Auc).ToArray());
                s.LegendText = model;
            }
            plt.Axes.Bottom.SetTicks(Enumerable.Range(0, buckets.Length).Select(i => (double)i).ToArray(), buckets);
            plt.Title("Purchase intent: test AUC by events seen so far in the session");
            plt.Axes.Bottom.Label.Text = "events in the session prefix";
            plt.Axes.Left.Label.Text = "AUC";
            plt.ShowLegend(ScottPlot.Alignment.LowerRight);
        }, 800, 450);
    }

    /// <summary>Horizontal bars of the top features by importance (largest at the top).</summary>
    public static bool Importance(string path, string title, IReadOnlyList<(string Feature, double Weight)> top)
    {
        return PlotFile.Save(path, plt =>
        {
            var rows = top.Reverse().ToArray();
            var bars = rows.Select((r, i) => new ScottPlot.Bar { Position = i, Value = r.Weight }).ToArray();
            var plot = plt.Add.Bars(bars);
            plot.Horizontal = true;
            plt.Axes.Left.SetTicks(Enumerable.Range(0, rows.Length).Select(i => (double)i).ToArray(), rows.Select(r => r.Feature).ToArray());
            plt.Axes.Margins(left: 0);
            plt.Title(title);
            plt.Axes.Bottom.Label.Text = "importance";
        }, 800, 60 + 28 * Math.Max(1, top.Count));
    }

}
