using System.Globalization;
using Shopcast.Evaluation;
using Shopcast.Reporting;
using Shopcast.Splits;
using Shopcast.Tasks.NextItem;

namespace Shopcast.Tests.Evaluation;

/// <summary>
/// Metric correctness against lists produced by another framework: session-rec's stored top-50 recommendations for
/// the first test sessions of its YOOCHOOSE 100k slice (rows <c>SessionId;Position;Recommendations;Scores</c>; row
/// (s, p) was made after the first p+1 clicks of session s, so the true next item is click p+2). HR@20 and MRR@20 are
/// computed three ways: by hand from the lists, through <see cref="RankingMetrics.FromRanks"/> with the rank of the true
/// item in each list, and end to end through <see cref="RankingEvaluator"/> with a model that replays the lists.
/// The expected hit counts and MRR values were computed separately with a short Python script over the same files.
/// </summary>
public sealed class ReferenceRecommendationTests
{
    private const string Folder = "yoochoose-rsc15-100k";
    private const string TestFile = Folder + "/yoochoose-clicks-100k_test.txt";

    private sealed record Row(string Session, int Position, string[] Recommendations, string Truth);

    private static List<Row> ReadRows(string algorithm)
    {
        var sessions = new Dictionary<string, List<string>>();
        foreach (var line in File.ReadLines(RealData.Path(TestFile)).Skip(1)) // SessionId \t ItemId \t Time, time-ordered per session
        {
            var f = line.Split('\t');
            if (!sessions.TryGetValue(f[0], out var l)) sessions[f[0]] = l = new List<string>();
            l.Add(f[1]);
        }
        var rows = new List<Row>();
        foreach (var line in File.ReadLines(RealData.Path($"{Folder}/reference_recommendations/recoms_rsc15_100k_{algorithm}.csv")).Skip(1))
        {
            var f = line.Split(';');
            int pos = int.Parse(f[1], CultureInfo.InvariantCulture);
            rows.Add(new Row(f[0], pos, f[2].Split(','), sessions[f[0]][pos + 1]));
        }
        return rows;
    }

    [RealDataTheory(TestFile)]
    [InlineData("ar", 229, 0.3160251891145044)]
    [InlineData("gru4rec", 221, 0.328896190730796)]
    [InlineData("sr", 217, 0.32751305515363405)]
    [InlineData("vsknn", 236, 0.33417031575946315)]
    public void Hr20AndMrr20_AgreeByHand_FromRanks_AndThroughTheEvaluator(string algorithm, int expectedHits, double expectedMrr)
    {
        var rows = ReadRows(algorithm);
        Assert.Equal(387, rows.Count); // 99 sessions with at least two clicks
        Assert.All(rows, r => Assert.Equal(50, r.Recommendations.Length));

        // 1. By hand.
        int hits = 0;
        double rr = 0;
        foreach (var r in rows)
        {
            int at = Array.IndexOf(r.Recommendations, r.Truth, 0, 20);
            if (at >= 0) { hits++; rr += 1.0 / (at + 1); }
        }
        double hr20 = (double)hits / rows.Count, mrr20 = rr / rows.Count;
        Assert.Equal(expectedHits, hits);
        Assert.Equal(expectedMrr, mrr20, 12);

        // 2. From the ranks (a target missing from the 50-item list is ranked below it).
        var ranks = rows.Select(r => Array.IndexOf(r.Recommendations, r.Truth) is var i and >= 0 ? i + 1L : long.MaxValue).ToList();
        var m = RankingMetrics.FromRanks(ranks, new[] { 5, 10, 20 }, sessionMetrics: true);
        Assert.Equal(hr20, m["HR@20"], 12);
        Assert.Equal(hr20, m["P@20"], 12);
        Assert.Equal(hr20, m["Recall@20"], 12);
        Assert.Equal(mrr20, m["MRR@20"], 12);
        Assert.True(m["HR@5"] <= m["HR@10"] && m["HR@10"] <= m["HR@20"]);

        // 3. End to end: a model scoring list position (50, 49, ...) and everything else lower, ranked over the whole catalogue.
        var catalogue = new Dictionary<string, int>();
        int Index(string id) => catalogue.TryGetValue(id, out var i) ? i : catalogue[id] = catalogue.Count;
        var lists = rows.Select(r => r.Recommendations.Select(Index).ToArray()).ToList();
        var targets = rows.Select(r => Index(r.Truth)).ToList();
        while (catalogue.Count < rows.Count) Index($"pad{catalogue.Count}");
        var model = new ReplayModel(catalogue.Count, lists);
        // The history carries the row number (the replay model needs nothing else); ExcludeSeen is off, as session benchmarks do.
        var cases = rows.Select((_, i) => new RankingCase(new ArraySegment<int>(new[] { i }), targets[i])).ToList();
        var result = RankingEvaluator.Evaluate(model, cases, new RankingProtocol { ExcludeSeen = false, SessionMetrics = true });
        Assert.Equal(hr20, result.Metrics["P@20"], 12);
        Assert.Equal(mrr20, result.Metrics["MRR@20"], 12);
        Assert.Equal(m["NDCG@10"], result.Metrics["NDCG@10"], 12);
    }

    /// <summary>Scores the stored list of the case whose number is the history's only item.</summary>
    private sealed class ReplayModel(int items, List<int[]> lists) : INextItemModel
    {
        public string Name => "replay";
        public IReadOnlyDictionary<string, object> Params { get; } = new Dictionary<string, object>();
        public int ItemCount => items;
        public void Fit(NextItemTrainingData data, ProgressReporter progress) { }
        public void SaveWeights(string directory) { }

        public void Score(ReadOnlySpan<int> history, Span<float> scores)
        {
            scores.Fill(-1);
            var list = lists[history[0]];
            for (int r = 0; r < list.Length; r++) scores[list[r]] = list.Length - r;
        }
    }
}

/// <summary>A theory over a real data file: skipped, saying which file is missing, when it is absent.</summary>
public sealed class RealDataTheoryAttribute : TheoryAttribute
{
    public RealDataTheoryAttribute(string relativePath)
    {
        if (!RealData.Has(relativePath))
            Skip = RealData.Root is null
                ? $"real data folder not found (expected ../shared/data next to the repo, or SHOPCAST_DATA); needs {relativePath}"
                : $"real data file missing: {RealData.Path(relativePath)}";
    }
}
