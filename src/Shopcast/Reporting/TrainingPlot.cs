using Shopcast.Training;

namespace Shopcast.Reporting;

/// <summary>The report's training curve: loss per epoch (left axis) and the validation metric (right axis), as a PNG.</summary>
public static class TrainingPlot
{
    /// <summary>Writes the plot; returns false (and writes nothing) when plotting is unavailable on this machine, e.g. no fonts.</summary>
    public static bool Write(string path, string model, IReadOnlyList<EpochRecord> history, string validMetric, int bestEpoch)
    {
        if (history.Count == 0) return false;
        return PlotFile.Save(path, plt =>
        {
            var epochs = history.Select(h => (double)h.Epoch).ToArray();
            var loss = plt.Add.Scatter(epochs, history.Select(h => h.Loss).ToArray());
            loss.LegendText = "training loss";
            var validRows = history.Where(h => h.Valid is not null).ToArray();
            if (validRows.Length > 0)
            {
                var valid = plt.Add.Scatter(validRows.Select(h => (double)h.Epoch).ToArray(), validRows.Select(h => h.Valid!.Value).ToArray());
                valid.Axes.YAxis = plt.Axes.Right;
                valid.LegendText = $"validation {validMetric}";
                plt.Axes.Right.Label.Text = $"validation {validMetric}";
                var best = plt.Add.VerticalLine(bestEpoch);
                best.LegendText = $"best epoch ({bestEpoch})";
                best.LinePattern = ScottPlot.LinePattern.Dashed;
            }
            plt.Title($"{model}: training");
            plt.Axes.Bottom.Label.Text = "epoch";
            plt.Axes.Left.Label.Text = "training loss";
            plt.ShowLegend(ScottPlot.Alignment.UpperCenter);
        }, 800, 450);
    }
}
