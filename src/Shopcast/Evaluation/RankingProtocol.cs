namespace Shopcast.Evaluation;

/// <summary>
/// How held-out cases are ranked. Full ranking over the whole catalogue is the default; sampled negatives only when
/// asked for, and then the protocol's <see cref="Label"/> says so in every output.
/// Ties are ranked pessimistically: every other candidate scoring the same as the target is ranked above it,
/// so a model that scores everything alike earns nothing.
/// </summary>
public sealed record RankingProtocol
{
    public static readonly int[] DefaultKs = { 5, 10, 20 };
    public IReadOnlyList<int> Ks { get; init; } = DefaultKs;
    /// <summary>Remove the items already in the history from the candidates. A target that is itself in the history then counts as a miss.</summary>
    public bool ExcludeSeen { get; init; } = true;
    /// <summary>0 ranks the whole catalogue; N > 0 ranks the target among N negatives drawn uniformly from items not in the history.</summary>
    public int SampledNegatives { get; init; }
    public int Seed { get; init; } = 42;
    /// <summary>Also report P@20 and MRR@20 (session benchmarks).</summary>
    public bool SessionMetrics { get; init; }

    public const string TieRule = "pessimistic (items scoring equal to the target rank above it)";

    public string Label => SampledNegatives > 0
        ? $"sampled: target vs {SampledNegatives} uniformly sampled negatives (not full ranking)"
        : "full ranking over the whole catalogue";

    public string RankingName => SampledNegatives > 0 ? $"sampled-{SampledNegatives}" : "full";
}
