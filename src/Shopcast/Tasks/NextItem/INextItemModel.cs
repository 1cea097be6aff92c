using Shopcast.Data;
using Shopcast.Splits;

namespace Shopcast.Tasks.NextItem;

/// <summary>What a next-item model trains on: sequences of dense item indices, plus validation cases for early stopping.</summary>
public sealed class NextItemTrainingData
{
    public required int ItemCount { get; init; }
    /// <summary>Training sequences (users or sessions), items in time order. Holds nothing from validation or test.</summary>
    public required IReadOnlyList<int[]> Sequences { get; init; }
    /// <summary>Times of <see cref="Sequences"/>' items in Unix ms (ordinal positions when the log had no clock).</summary>
    public IReadOnlyList<long[]>? Times { get; init; }
    /// <summary>Held-out cases for early stopping and model selection; empty when the split has none.</summary>
    public IReadOnlyList<RankingCase> Validation { get; init; } = Array.Empty<RankingCase>();
    public int Seed { get; init; } = 42;
    /// <summary>How validation cases are ranked during training (early stopping); the run's own protocol.</summary>
    public Evaluation.RankingProtocol ValidationProtocol { get; init; } = new();
    /// <summary>Side information: attribute ids (1-based) of each item index, e.g. brand and category; null when none.</summary>
    public IReadOnlyList<int[]>? ItemAttributes { get; init; }
    /// <summary>
    /// Called after every training epoch of a model that trains in epochs, with the epoch and seconds since training
    /// began. For benchmarks that record quality over time (e.g. time to a published score); never used for selection.
    /// </summary>
    public Action<INextItemModel, int, double>? OnEpoch { get; init; }
    /// <summary>Where a model may write checkpoints during training; null means keep them in memory only.</summary>
    public string? CheckpointDirectory { get; init; }
}

/// <summary>
/// The one contract every next-item model meets, baselines and deep models alike:
/// fit on training sequences, score every item of the catalogue for a history, save to a bundle folder.
/// Scoring must be thread-safe after <see cref="Fit"/> (the evaluator scores batches in parallel)
/// and deterministic: the same seed and data give the same scores.
/// </summary>
public interface INextItemModel
{
    /// <summary>Catalogue name, as used with <c>--models</c> (e.g. "pop", "itemknn").</summary>
    string Name { get; }

    /// <summary>Hyper-parameters as written to metrics.json and the bundle manifest.</summary>
    IReadOnlyDictionary<string, object> Params { get; }

    int ItemCount { get; }

    void Fit(NextItemTrainingData data, Reporting.ProgressReporter progress);

    /// <summary>Writes a score for every item (<c>scores.Length == ItemCount</c>) given a history, oldest first. Higher is better.</summary>
    void Score(ReadOnlySpan<int> history, Span<float> scores);

    /// <summary>
    /// Scores a batch: row b of <paramref name="scores"/> (length <c>histories.Count * ItemCount</c>) is for history b.
    /// Deep models override this to score a whole batch in one forward pass.
    /// </summary>
    void ScoreBatch(IReadOnlyList<ArraySegment<int>> histories, Span<float> scores)
    {
        for (int b = 0; b < histories.Count; b++)
            Score(histories[b], scores.Slice(b * ItemCount, ItemCount));
    }

    /// <summary>Writes the model's weights into <paramref name="directory"/> (the manifest and id map are written by <see cref="ModelBundle"/>).</summary>
    void SaveWeights(string directory);
}
