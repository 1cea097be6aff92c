using Shopcast.Reporting;
using Shopcast.Tasks.NextItem;

namespace Shopcast.Models.Baselines;

/// <summary>
/// The shopper's own history first: an item seen before scores the recency-weighted count of its occurrences
/// (each one counts <c>decay^age</c>, age 0 for the latest event; decay 1 is plain frequency), and items never seen
/// follow in order of popularity. The baseline to beat where shoppers return to what they know: the next category
/// or brand, repeat purchases.
/// </summary>
public sealed class Repeat : INextItemModel
{
    public const string CatalogName = "repeat";
    private readonly double _decay;
    private float[] _popularity = Array.Empty<float>();

    public Repeat(ModelSettings settings)
    {
        _decay = settings.Double("decay", 0.8);
        settings.RejectUnknown();
        if (_decay is <= 0 or > 1) throw new Data.ShopcastInputException($"--set repeat.decay={_decay}: must be in (0, 1]");
    }

    public string Name => CatalogName;
    public int ItemCount => _popularity.Length;
    public IReadOnlyDictionary<string, object> Params => new Dictionary<string, object> { ["decay"] = _decay };

    public void Fit(NextItemTrainingData data, ProgressReporter progress)
    {
        var counts = new float[data.ItemCount];
        foreach (var seq in data.Sequences)
            foreach (var i in seq) counts[i]++;
        float max = Math.Max(1, counts.Max());
        // Unseen items score in [-2, -1): below every item of the history (which scores >= 0), ordered by popularity.
        _popularity = counts.Select(c => c / max - 2).ToArray();
    }

    public void Score(ReadOnlySpan<int> history, Span<float> scores)
    {
        _popularity.CopyTo(scores);
        double weight = 1;
        var seen = new Dictionary<int, double>();
        for (int t = history.Length - 1; t >= 0; t--, weight *= _decay)
            seen[history[t]] = seen.GetValueOrDefault(history[t]) + weight;
        foreach (var (item, w) in seen) scores[item] = (float)w;
    }

    public void SaveWeights(string directory) =>
        WeightFile.WriteFloats(Path.Combine(directory, "popularity.bin"), _popularity);

    public static Repeat Load(string directory, int itemCount, ModelSettings settings) =>
        new(settings) { _popularity = WeightFile.ReadFloats(Path.Combine(directory, "popularity.bin"), itemCount) };
}
