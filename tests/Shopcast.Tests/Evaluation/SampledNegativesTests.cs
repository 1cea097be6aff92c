using Shopcast.Evaluation;

namespace Shopcast.Tests.Evaluation;

/// <summary>
/// Sampled ranking draws the same negatives for the same seed in every process. The values below were computed once
/// and written down: a sampler seeded by anything process-dependent (HashCode.Combine, which .NET randomises per
/// process) would draw other items in the next test run and fail here.
/// </summary>
public sealed class SampledNegativesTests
{
    private static int[] Draw(int items, int target, int[] seen, int count, int seed, int caseIndex)
    {
        var negatives = new List<int>();
        RankingEvaluator.DrawNegatives(items, target, new HashSet<int>(seen), count, seed, caseIndex, negatives, new HashSet<int>());
        return negatives.ToArray();
    }

    [Fact]
    public void The_case_seed_is_a_fixed_mix_of_run_seed_and_case_index()
    {
        Assert.Equal(42_000_133, RankingEvaluator.CaseSeed(42, 7));
        Assert.Equal(7, RankingEvaluator.CaseSeed(0, 7));
        Assert.Equal(2_146_483_646, RankingEvaluator.CaseSeed(int.MaxValue, 1)); // wraps, never throws
    }

    [Fact]
    public void The_negatives_for_a_fixed_seed_are_pinned()
    {
        Assert.Equal(new[] { 747, 726, 440, 536, 163, 550, 659, 572 }, Draw(1000, 5, new[] { 1, 2, 3 }, 8, seed: 42, caseIndex: 0));
        Assert.Equal(new[] { 88, 979, 447, 489, 754, 819, 919, 866 }, Draw(1000, 5, new[] { 1, 2, 3 }, 8, seed: 42, caseIndex: 12345));
        Assert.Equal(new[] { 23, 9, 11, 8, 27 }, Draw(50, 0, Array.Empty<int>(), 5, seed: 7, caseIndex: 3));
    }

    [Fact]
    public void Negatives_are_distinct_and_never_the_target_or_the_history()
    {
        var seen = new[] { 0, 1, 2, 3, 4, 10, 20 };
        var negs = Draw(40, 30, seen, 25, seed: 1, caseIndex: 9);
        Assert.Equal(25, negs.Length);
        Assert.Equal(negs.Length, negs.Distinct().Count());
        Assert.DoesNotContain(30, negs);
        Assert.Empty(negs.Intersect(seen));
    }

    [Fact]
    public void Too_few_candidates_use_all_of_them_and_say_so()
    {
        var negatives = new List<int>();
        // 10 items, 3 in the history, 1 target: 6 candidates for 8 asked.
        bool full = RankingEvaluator.DrawNegatives(10, 9, new HashSet<int> { 0, 1, 2 }, 8, 42, 0, negatives, new HashSet<int>());
        Assert.False(full);
        Assert.Equal(new[] { 3, 4, 5, 6, 7, 8 }, negatives.Order().ToArray());
    }
}
