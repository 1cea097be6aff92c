namespace Shopcast.Evaluation;

/// <summary>Mean and sample standard deviation of each metric over folds or seeds.</summary>
public static class MetricSpread
{
    public static SortedDictionary<string, double> Mean(IReadOnlyList<SortedDictionary<string, double>> runs) =>
        new(runs[0].Keys.ToDictionary(k => k, k => Math.Round(runs.Average(f => f[k]), 6)));

    public static SortedDictionary<string, double> Std(IReadOnlyList<SortedDictionary<string, double>> runs) =>
        new(runs[0].Keys.ToDictionary(k => k, k =>
        {
            double m = runs.Average(f => f[k]);
            return runs.Count < 2 ? 0 : Math.Round(Math.Sqrt(runs.Sum(f => (f[k] - m) * (f[k] - m)) / (runs.Count - 1)), 6);
        }));
}
