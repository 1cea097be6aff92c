namespace Shopcast.Reporting;

/// <summary>The sentiment report's picture: a confusion matrix as a heat map, each cell labelled with its count and row share.</summary>
public static class SentimentPlots
{
    /// <summary>Writes the PNG; false (nothing written) when plotting is unavailable on this machine, e.g. no fonts.</summary>
    public static bool Confusion(string path, string title, IReadOnlyList<string> classes, long[,] confusion)
    {
        int n = classes.Count;
        return PlotFile.Save(path, plt =>
        {
            // Rows are the true class (top row first), colour is the row share (recall for the diagonal).
            var share = new double[n, n];
            for (int t = 0; t < n; t++)
            {
                long total = 0;
                for (int q = 0; q < n; q++) total += confusion[t, q];
                for (int q = 0; q < n; q++) share[t, q] = total == 0 ? 0 : confusion[t, q] / (double)total;
            }
            var map = plt.Add.Heatmap(share);
            map.Colormap = new WhiteToBlue(); // dark = many
            map.ManualRange = new ScottPlot.Range(0, 1);
            for (int t = 0; t < n; t++)
                for (int q = 0; q < n; q++)
                {
                    var label = plt.Add.Text($"{confusion[t, q]:N0}\n{100 * share[t, q]:0.0}%", q, n - 1 - t);
                    label.LabelAlignment = ScottPlot.Alignment.MiddleCenter;
                    label.LabelFontSize = 16;
                    label.LabelFontColor = share[t, q] > 0.5 ? ScottPlot.Colors.White : ScottPlot.Colors.Black;
                }
            var ticks = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
            plt.Axes.Bottom.SetTicks(ticks, classes.ToArray());
            plt.Axes.Left.SetTicks(ticks, classes.Reverse().ToArray());
            plt.Axes.Bottom.Label.Text = "predicted class";
            plt.Axes.Left.Label.Text = "true class";
            plt.Add.ColorBar(map).Label = "share of the true class";
            plt.Title(title);
        }, 520 + 60 * n, 420 + 40 * n);
    }

    /// <summary>White for 0, dark blue for 1 (ScottPlot's Blues runs the other way).</summary>
    private sealed class WhiteToBlue : ScottPlot.IColormap
    {
        public string Name => "white to blue";

        public ScottPlot.Color GetColor(double position)
        {
            double t = Math.Clamp(double.IsNaN(position) ? 0 : position, 0, 1);
            byte Mix(int from, int to) => (byte)Math.Round(from + (to - from) * t);
            return new ScottPlot.Color(Mix(0xF7, 0x08), Mix(0xFB, 0x30), Mix(0xFF, 0x6B));
        }
    }
}
