using Shopcast.Reporting;
using Shopcast.Tasks.NextItem;

namespace Shopcast.Models.Baselines;

/// <summary>
/// Most-popular items: an item's score is how often it occurs in the training sequences. Counts come from training
/// data only; the held-out targets never inflate them (published PopRec rows often count them, which leaks).
/// </summary>
public sealed class Popularity : INextItemModel
{
    public const string CatalogName = "pop";
    private float[] _counts = Array.Empty<float>();

    public string Name => CatalogName;
    public int ItemCount => _counts.Length;
    public IReadOnlyDictionary<string, object> Params { get; } = new Dictionary<string, object>();

    public Popularity(ModelSettings settings) => settings.RejectUnknown();

    private Popularity() { }

    public void Fit(NextItemTrainingData data, ProgressReporter progress)
    {
        _counts = new float[data.ItemCount];
        foreach (var seq in data.Sequences)
            foreach (var i in seq) _counts[i]++;
    }

    public void Score(ReadOnlySpan<int> history, Span<float> scores) => _counts.CopyTo(scores);

    public void SaveWeights(string directory) => WeightFile.WriteFloats(Path.Combine(directory, "counts.bin"), _counts);

    public static Popularity Load(string directory, int itemCount) =>
        new() { _counts = WeightFile.ReadFloats(Path.Combine(directory, "counts.bin"), itemCount) };
}
