namespace Shopcast.Evaluation;

/// <summary>Errors of a numeric prediction (seconds, event counts), on the label's own scale and on log(1 + y).</summary>
public static class RegressionMetrics
{
    /// <summary>MAE, RMSE and MedianAE on the label's scale; RMSLE = RMSE of log(1 + y), which a heavy tail does not dominate.</summary>
    public static SortedDictionary<string, double> Compute(IReadOnlyList<float> truth, IReadOnlyList<float> predicted)
    {
        if (truth.Count != predicted.Count) throw new ArgumentException("truth and predictions differ in length");
        int n = truth.Count;
        if (n == 0) return new SortedDictionary<string, double> { ["MAE"] = double.NaN, ["RMSE"] = double.NaN, ["MedianAE"] = double.NaN, ["RMSLE"] = double.NaN };
        double abs = 0, sq = 0, sqLog = 0;
        var errors = new double[n];
        for (int i = 0; i < n; i++)
        {
            double e = predicted[i] - truth[i];
            errors[i] = Math.Abs(e);
            abs += Math.Abs(e); sq += e * e;
            double l = Math.Log(1 + Math.Max(0, predicted[i])) - Math.Log(1 + Math.Max(0, truth[i]));
            sqLog += l * l;
        }
        Array.Sort(errors);
        return new SortedDictionary<string, double>
        {
            ["MAE"] = Math.Round(abs / n, 6),
            ["RMSE"] = Math.Round(Math.Sqrt(sq / n), 6),
            ["MedianAE"] = Math.Round(n % 2 == 1 ? errors[n / 2] : (errors[n / 2 - 1] + errors[n / 2]) / 2, 6),
            ["RMSLE"] = Math.Round(Math.Sqrt(sqLog / n), 6),
        };
    }

    public static float Median(IReadOnlyList<float> values)
    {
        var a = values.ToArray();
        Array.Sort(a);
        return a.Length == 0 ? 0 : a.Length % 2 == 1 ? a[a.Length / 2] : (a[a.Length / 2 - 1] + a[a.Length / 2]) / 2;
    }
}
