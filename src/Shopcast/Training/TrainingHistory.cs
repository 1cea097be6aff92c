using System.Text.Json.Serialization;

namespace Shopcast.Training;

/// <summary>One epoch of training: mean loss, the validation metric when it was measured, and time.</summary>
public sealed record EpochRecord(
    [property: JsonPropertyName("epoch")] int Epoch,
    [property: JsonPropertyName("loss")] double Loss,
    [property: JsonPropertyName("valid")] double? Valid,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("examples_per_second")] double ExamplesPerSecond);

/// <summary>What a trained model remembers of its training, for metrics.json and the report's plot.</summary>
public interface IHasTrainingHistory
{
    IReadOnlyList<EpochRecord> History { get; }
    /// <summary>The metric <see cref="EpochRecord.Valid"/> holds, e.g. "NDCG@10".</summary>
    string ValidMetric { get; }
    int BestEpoch { get; }
}

/// <summary>
/// Early stopping on a validation metric (higher is better): stop after <c>patience</c> evaluations without a
/// new best, a new best being more than <c>minDelta</c> above the old. Keeps the best epoch so the trainer can
/// restore its weights.
/// </summary>
public sealed class EarlyStopping(int patience, double minDelta = 0)
{
    public double Best { get; private set; } = double.NegativeInfinity;
    public int BestEpoch { get; private set; }
    private int _since;

    /// <summary>Records a score; returns true when it is a new best.</summary>
    public bool Observe(int epoch, double score)
    {
        if (score > Best + minDelta) { Best = score; BestEpoch = epoch; _since = 0; return true; }
        _since++;
        return false;
    }

    public bool ShouldStop => _since >= patience;
}
