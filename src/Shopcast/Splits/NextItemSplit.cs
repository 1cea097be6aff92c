namespace Shopcast.Splits;

/// <summary>One evaluation case: the history the model sees (oldest first) and the item that came next.</summary>
/// <param name="Sequence">Index of the user or session this case came from (-1 when it came from a given test file).</param>
public readonly record struct RankingCase(ArraySegment<int> History, int Target, int Sequence = -1);

/// <summary>
/// Train sequences and held-out cases. Training sequences never contain a validation or test target,
/// nor anything that happened after one (the leakage tests check this).
/// </summary>
public sealed class NextItemSplit
{
    /// <summary>"leave-one-out", "temporal", "session" or "given-test".</summary>
    public required string Name { get; init; }
    /// <summary>One sentence for the report: what is trained on and what is predicted.</summary>
    public required string Description { get; init; }
    public required IReadOnlyList<int[]> Train { get; init; }
    public IReadOnlyList<long[]>? TrainTimes { get; init; }
    public required IReadOnlyList<RankingCase> Validation { get; init; }
    public required IReadOnlyList<RankingCase> Test { get; init; }
    /// <summary>True when cases are session prefixes (session benchmarks also report P@20 and MRR@20).</summary>
    public bool SessionBased { get; init; }
    /// <summary>What the split left out, by reason (e.g. sequences too short to hold out an item).</summary>
    public SortedDictionary<string, long> Skipped { get; init; } = new();
}
