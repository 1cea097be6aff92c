using Shopcast.Data;
using Shopcast.Models;
using Shopcast.Models.Baselines;
using Shopcast.Reporting;
using Shopcast.Tasks.NextItem;

namespace Shopcast.Tests.Models;

public sealed class SessionKnnTests
{
    // Four training sessions (oldest first) over items 0..4. Clicks: 0:2, 1:2, 2:2, 3:1, 4:1.
    private static readonly int[][] Train = { new[] { 0, 1 }, new[] { 0, 2, 3 }, new[] { 1, 2 }, new[] { 4 } };

    private static SessionKnn Fit(Dictionary<string, string>? settings = null, int[][]? train = null)
    {
        var m = new SessionKnn(new ModelSettings("sknn", settings));
        m.Fit(new NextItemTrainingData { ItemCount = 5, Sequences = train ?? Train }, ProgressReporter.Quiet);
        return m;
    }

    private static float[] Score(SessionKnn m, params int[] history)
    {
        var s = new float[m.ItemCount];
        m.Score(history, s);
        return s;
    }

    // Popularity nudge on reached items: 1 + 1e-4 * clicks / max clicks.
    private static double Nudge(int clicks) => 1 + 1e-4 * clicks / 2.0;

    [Fact]
    public void HandExample_CosineWithLinearPositionWeights_AndDivDecay()
    {
        // History [0, 2]: weights 0 -> 1/2, 2 -> 2/2 (the most recent weighs 1); steps 0 -> 2, 2 -> 1. |q| = sqrt(1.25).
        double q = Math.Sqrt(1.25);
        double c0 = 0.5 / (q * Math.Sqrt(2)); // session {0,1}: shares 0 (step 2, decay 1/2)
        double c1 = 1.5 / (q * Math.Sqrt(3)); // session {0,2,3}: shares 0 and 2 (step 1)
        double c2 = 1.0 / (q * Math.Sqrt(2)); // session {1,2}: shares 2 (step 1)
        var s = Score(Fit(), 0, 2);
        Assert.Equal((c0 / 2 + c1) * Nudge(2), s[0], 1e-5);
        Assert.Equal((c0 / 2 + c2) * Nudge(2), s[1], 1e-5);
        Assert.Equal((c1 + c2) * Nudge(2), s[2], 1e-5);
        Assert.Equal(c1 * Nudge(1), s[3], 1e-5);
        Assert.Equal(-1 + 0.5 * 1 / 2.0, s[4], 5); // no neighbour holds 4: below every reached item, by popularity
    }

    [Fact]
    public void VecSimilarity_IsSessionRecsDotProductOverDistinctPrefixItems()
    {
        var s = Score(Fit(new() { ["similarity"] = "vec", ["weighting_score"] = "same" }), 0, 2);
        // dot / 2 distinct items: {0,1} 0.25, {0,2,3} 0.75, {1,2} 0.5.
        Assert.Equal((0.25 + 0.75) * Nudge(2), s[0], 1e-5);
        Assert.Equal((0.25 + 0.5) * Nudge(2), s[1], 1e-5);
        Assert.Equal((0.75 + 0.5) * Nudge(2), s[2], 1e-5);
        Assert.Equal(0.75 * Nudge(1), s[3], 1e-5);
    }

    [Fact]
    public void PlainSknn_IsCosineOfBinaryVectors_SummedUnweighted()
    {
        var s = Score(Fit(new() { ["weighting"] = "same", ["weighting_score"] = "same" }), 0, 2);
        double q = Math.Sqrt(2);
        double c0 = 1 / (q * Math.Sqrt(2)), c1 = 2 / (q * Math.Sqrt(3)), c2 = 1 / (q * Math.Sqrt(2));
        Assert.Equal((c0 + c1) * Nudge(2), s[0], 1e-5);
        Assert.Equal((c1 + c2) * Nudge(2), s[2], 1e-5);
        Assert.Equal(c1 * Nudge(1), s[3], 1e-5);
    }

    [Fact]
    public void IdfWeighting_MultipliesByOnePlusWeightTimesIdf()
    {
        var plain = Score(Fit(new() { ["weighting_score"] = "same" }), 2);
        var idf = Score(Fit(new() { ["weighting_score"] = "same", ["idf_weighting"] = "3" }), 2);
        Assert.Equal(plain[3] * (1 + 3 * Math.Log(4.0 / 1)), idf[3], 1e-4); // item 3 is in 1 of 4 sessions
        Assert.Equal(plain[0] * (1 + 3 * Math.Log(4.0 / 2)), idf[0], 1e-4);
    }

    [Fact]
    public void K_KeepsTheMostSimilar_AndSampleSize_KeepsTheMostRecentCandidates()
    {
        // k = 1: only {0,2,3} (cosine 0.775) counts; item 1 is then unreached.
        var top1 = Score(Fit(new() { ["k"] = "1" }), 0, 2);
        Assert.True(top1[0] > 0 && top1[2] > 0 && top1[3] > 0);
        Assert.True(top1[1] < 0);
        Assert.Equal(top1[0] / Nudge(2), top1[3] / Nudge(1), 1e-5);
        // sample_size = 1: only the most recent candidate, {1,2}, is looked at.
        var recent = Score(Fit(new() { ["sample_size"] = "1" }), 0, 2);
        Assert.True(recent[1] > 0 && recent[2] > 0);
        Assert.True(recent[0] < 0 && recent[3] < 0);
    }

    [Fact]
    public void UnknownOrEmptyHistory_RanksByPopularity()
    {
        var m = Fit();
        var empty = Score(m);
        Assert.Equal(empty, Score(m, -1, 99)); // indices outside the catalogue are ignored
        Assert.True(empty[0] > empty[3] && empty[0] == empty[1] && empty[3] == empty[4]);
        Assert.All(empty, v => Assert.True(v < 0));
    }

    [Fact]
    public void Scores_AreDeterministic_AndThreadSafe()
    {
        var train = PlantedRuleTests.Sessions(2000, seed: 11);
        var model = PlantedRuleTests.Fit("sknn", train);
        var again = PlantedRuleTests.Fit("sknn", train);
        var histories = PlantedRuleTests.Sessions(400, seed: 12);
        int n = model.ItemCount;
        var sequential = new float[histories.Count][];
        for (int h = 0; h < histories.Count; h++) { sequential[h] = new float[n]; model.Score(histories[h], sequential[h]); }
        var parallel = new float[histories.Count][];
        Parallel.For(0, histories.Count * 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, j =>
        {
            int h = j % histories.Count;
            var s = new float[n];
            model.Score(histories[h], s);
            if (j >= histories.Count) Assert.Equal(sequential[h], s);
            else parallel[h] = s;
        });
        var refit = new float[n];
        for (int h = 0; h < histories.Count; h++)
        {
            Assert.Equal(sequential[h], parallel[h]);
            again.Score(histories[h], refit);
            Assert.Equal(sequential[h], refit);
        }
    }

    [Fact]
    public void Score_DoesNotAllocatePerCall()
    {
        var model = PlantedRuleTests.Fit("sknn", PlantedRuleTests.Sessions(2000, seed: 13), new() { ["k"] = "5" });
        var histories = PlantedRuleTests.Sessions(200, seed: 14);
        var s = new float[model.ItemCount];
        foreach (var h in histories) model.Score(h, s); // warm up (per-thread scratch is made once)
        long before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var h in histories) model.Score(h, s);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1024, "Score allocated on the heap");
    }

    [Theory]
    [InlineData("k", "0", "at least 1")]
    [InlineData("sample_size", "-1", "sample_size")]
    [InlineData("similarity", "jaccard", "cosine, vec")]
    [InlineData("weighting", "cubic", "linear, same")]
    [InlineData("weighting_score", "cubic", "div, same")]
    [InlineData("idf_weighting", "-2", "idf_weighting")]
    [InlineData("neighbors", "10", "has no setting 'neighbors'")]
    [InlineData("k", "many", "expected an integer")]
    public void BadSettings_AreClearInputErrors(string key, string value, string expected)
    {
        var e = Assert.Throws<ShopcastInputException>(() => new SessionKnn(new ModelSettings("sknn", new Dictionary<string, string> { [key] = value })));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void IsInTheCatalogue_AsSknn()
    {
        var entry = ModelCatalog.Find("sknn");
        Assert.IsType<SessionKnn>(entry.Create(new ModelSettings("sknn")));
        Assert.Contains(ModelCatalog.NextItem, e => e.Name == "sknn");
    }
}
