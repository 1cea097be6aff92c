using Shopcast.Splits;

namespace Shopcast.Tests.Tabular;

public class StratifiedKFoldTests
{
    [Fact]
    public void Every_fold_keeps_the_positive_rate_and_the_same_seed_gives_the_same_folds()
    {
        var labels = Enumerable.Range(0, 1000).Select(i => i % 10 == 0 ? 1f : 0f).ToArray(); // 10 % positive
        var folds = StratifiedKFold.Assign(labels, null, 5, seed: 7);
        for (int f = 0; f < 5; f++)
        {
            var rows = Enumerable.Range(0, 1000).Where(i => folds[i] == f).ToArray();
            Assert.Equal(200, rows.Length);
            Assert.Equal(20, rows.Count(i => labels[i] > 0));
        }
        Assert.Equal(folds, StratifiedKFold.Assign(labels, null, 5, seed: 7));
        Assert.NotEqual(folds, StratifiedKFold.Assign(labels, null, 5, seed: 8));
    }

    [Fact]
    public void A_group_never_spans_two_folds()
    {
        // 300 sessions with 1-6 prefixes each; a session is positive when it ends in a purchase.
        var rng = new Random(3);
        var groups = new List<int>(); var labels = new List<float>();
        for (int s = 0; s < 300; s++)
        {
            bool buys = rng.NextDouble() < 0.2;
            for (int k = 0, n = rng.Next(1, 7); k < n; k++) { groups.Add(s); labels.Add(buys && k == n - 1 ? 1 : 0); }
        }
        var folds = StratifiedKFold.Assign(labels, groups, 5, seed: 1);
        foreach (var g in Enumerable.Range(0, groups.Count).GroupBy(i => groups[i]))
            Assert.Single(g.Select(i => folds[i]).Distinct());
        var (keep, holdout) = StratifiedKFold.Holdout(labels, groups, 0.2, seed: 1);
        Assert.Empty(keep.Select(i => groups[i]).Intersect(holdout.Select(i => groups[i])));
        Assert.Equal(groups.Count, keep.Length + holdout.Length);
    }
}
