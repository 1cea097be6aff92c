using Shopcast.Evaluation;
using Shopcast.Reporting;
using Shopcast.Splits;
using Shopcast.Tasks.NextItem;

namespace Shopcast.Tests.Evaluation;

/// <summary>Full ranking on hand examples: pessimistic ties, exclusion of the history, and the metrics of a rank.</summary>
public sealed class FullRankTests
{
    private static long Rank(float[] scores, int target, params int[] excluded) =>
        RankingEvaluator.FullRank(scores, target, excluded.Length > 0 ? new HashSet<int>(excluded) : null);

    [Fact]
    public void DistinctScores_RankIsOnePlusTheNumberScoringHigher()
    {
        var s = new[] { 0.1f, 0.9f, 0.5f, 0.3f };
        Assert.Equal(1, Rank(s, 1));
        Assert.Equal(2, Rank(s, 2));
        Assert.Equal(3, Rank(s, 3));
        Assert.Equal(4, Rank(s, 0));
    }

    [Fact]
    public void Ties_ArePessimistic_EveryEqualScoreRanksAboveTheTarget()
    {
        var s = new[] { 0.5f, 0.9f, 0.5f, 0.1f, 0.5f };
        // Items 1 (higher), 2 and 4 (equal) all rank above target 0, whatever their index.
        Assert.Equal(4, Rank(s, 0));
        Assert.Equal(4, Rank(s, 2));
        Assert.Equal(4, Rank(s, 4));
        // A model that scores everything alike earns nothing: the target is last.
        var flat = new float[1000];
        Assert.Equal(1000, Rank(flat, 0));
        Assert.Equal(1000, Rank(flat, 999));
        Assert.Equal(0, RankingMetrics.Hit(Rank(flat, 0), 20));
    }

    [Fact]
    public void Exclusion_RemovesHistoryItemsFromTheCandidates_AndAnExcludedTargetIsAMiss()
    {
        var s = new[] { 0.5f, 0.9f, 0.5f, 0.1f, 0.7f };
        Assert.Equal(4, Rank(s, 0));            // 1, 4, 2 above
        Assert.Equal(3, Rank(s, 0, 1));         // 1 excluded
        Assert.Equal(2, Rank(s, 0, 1, 4));      // 1 and 4 excluded
        Assert.Equal(1, Rank(s, 0, 1, 4, 2));   // the tied item 2 excluded too
        Assert.Equal(4, Rank(s, 0, 3));         // excluding a lower item changes nothing
        Assert.Equal(long.MaxValue, Rank(s, 0, 0, 1)); // the target itself is in the history
    }

    [Fact]
    public void NaNTarget_IsAMiss_AndNaNOthersDoNotOutrankIt()
    {
        Assert.Equal(long.MaxValue, Rank(new[] { float.NaN, 1f, 0f }, 0));
        Assert.Equal(1, Rank(new[] { 0.2f, float.NaN, 0.1f }, 0));
    }

    [Fact]
    public void MetricsOfARank()
    {
        Assert.Equal(1.0 / 3, RankingMetrics.Mrr(3, 20), 12);
        Assert.Equal(0.5, RankingMetrics.Ndcg(3, 20), 12);      // 1 / log2(3 + 1)
        Assert.Equal(1.0, RankingMetrics.Ndcg(1, 5), 12);
        Assert.Equal(0.0, RankingMetrics.Mrr(21, 20));
        Assert.Equal(1.0, RankingMetrics.Hit(20, 20));
        Assert.Equal(0.0, RankingMetrics.Hit(21, 20));
        Assert.Equal(0.0, RankingMetrics.Hit(long.MaxValue, 20));
        var m = RankingMetrics.FromRanks(new long[] { 1, 3, 25, long.MaxValue }, new[] { 5, 20 }, sessionMetrics: true);
        Assert.Equal(0.5, m["HR@5"], 12);
        Assert.Equal((1 + 1.0 / 3) / 4, m["MRR@5"], 12);
        Assert.Equal((1 + 0.5) / 4, m["NDCG@5"], 12);
        Assert.Equal(0.5, m["P@20"], 12);
        Assert.Equal((1 + 1.0 / 3) / 4, m["MRR@20"], 12);
    }

    [Fact]
    public void Evaluator_AppliesTiesAndExclusionToEveryCase()
    {
        // Fixed scores: item 3 best, items 0 and 1 tied, item 2 worst.
        var model = new FixedModel(new[] { 0.5f, 0.5f, 0.1f, 0.9f });
        var cases = new[]
        {
            new RankingCase(new ArraySegment<int>(new[] { 2 }), 3),     // rank 1
            new RankingCase(new ArraySegment<int>(new[] { 2 }), 0),     // 3 and the tied 1 above: rank 3
            new RankingCase(new ArraySegment<int>(new[] { 3 }), 1),     // rank 3; with 3 excluded: 2
            new RankingCase(new ArraySegment<int>(new[] { 0, 1 }), 1),  // target in history: a miss when excluded
        };
        var keep = RankingEvaluator.Evaluate(model, cases, new RankingProtocol { Ks = new[] { 1, 2, 3 }, ExcludeSeen = false });
        // Ranks 1, 3, 3, 3.
        Assert.Equal(0.25, keep.Metrics["HR@1"], 12);
        Assert.Equal(0.25, keep.Metrics["HR@2"], 12);
        Assert.Equal(1.0, keep.Metrics["HR@3"], 12);
        Assert.Equal((1 + 3.0 / 3) / 4, keep.Metrics["MRR@3"], 12);
        Assert.Equal(1, keep.TargetsInHistory);
        var excl = RankingEvaluator.Evaluate(model, cases, new RankingProtocol { Ks = new[] { 1, 2, 3 }, ExcludeSeen = true });
        // Ranks 1, 3, 2, miss.
        Assert.Equal(0.25, excl.Metrics["HR@1"], 12);
        Assert.Equal(0.5, excl.Metrics["HR@2"], 12);
        Assert.Equal(0.75, excl.Metrics["HR@3"], 12);
        Assert.Equal((1 + 0.5) / 4, excl.Metrics["MRR@2"], 12);
    }

    private sealed class FixedModel(float[] scores) : INextItemModel
    {
        public string Name => "fixed";
        public IReadOnlyDictionary<string, object> Params { get; } = new Dictionary<string, object>();
        public int ItemCount => scores.Length;
        public void Fit(NextItemTrainingData data, ProgressReporter progress) { }
        public void Score(ReadOnlySpan<int> history, Span<float> s) => scores.CopyTo(s);
        public void SaveWeights(string directory) { }
    }
}
