using Shopcast.Reporting;
using Shopcast.Splits;
using Shopcast.Tasks.NextItem;

namespace Shopcast.Evaluation;

public sealed class RankingResult
{
    public required SortedDictionary<string, double> Metrics { get; init; }
    public required long Cases { get; init; }
    /// <summary>Cases whose target was already in the history; with ExcludeSeen these are misses by construction.</summary>
    public long TargetsInHistory { get; init; }
    public double Seconds { get; init; }
}

/// <summary>Scores held-out cases with a model and ranks each target under a <see cref="RankingProtocol"/>.</summary>
public static class RankingEvaluator
{
    private const int BatchSize = 128;

    public static RankingResult Evaluate(INextItemModel model, IReadOnlyList<RankingCase> cases, RankingProtocol protocol,
        ProgressReporter? progress = null, string? label = null)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        int n = model.ItemCount;
        var ranks = new long[cases.Count];
        long inHistory = 0;
        int batches = (cases.Count + BatchSize - 1) / BatchSize;
        (progress ?? ProgressReporter.Quiet).Step(label ?? $"Evaluating {model.Name}", batches, bar =>
        {
            Parallel.For(0, batches, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
                () => (scores: new float[BatchSize * n], seen: new HashSet<int>(), negs: new List<int>()),
                (b, _, buf) =>
                {
                    int from = b * BatchSize, count = Math.Min(BatchSize, cases.Count - from);
                    var hist = new ArraySegment<int>[count];
                    for (int i = 0; i < count; i++) hist[i] = cases[from + i].History;
                    model.ScoreBatch(hist, buf.scores.AsSpan(0, count * n));
                    long localInHistory = 0;
                    for (int i = 0; i < count; i++)
                    {
                        var c = cases[from + i];
                        var s = buf.scores.AsSpan(i * n, n);
                        buf.seen.Clear();
                        foreach (var h in c.History) buf.seen.Add(h);
                        bool targetSeen = buf.seen.Contains(c.Target);
                        if (targetSeen) localInHistory++;
                        ranks[from + i] = protocol.SampledNegatives > 0
                            ? SampledRank(s, c, buf.seen, protocol, from + i, buf.negs)
                            : FullRank(s, c.Target, protocol.ExcludeSeen ? buf.seen : null);
                    }
                    Interlocked.Add(ref inHistory, localInHistory);
                    bar.Increment();
                    return buf;
                },
                _ => { });
        });
        return new RankingResult
        {
            Metrics = RankingMetrics.FromRanks(ranks, protocol.Ks, protocol.SessionMetrics),
            Cases = cases.Count,
            TargetsInHistory = inHistory,
            Seconds = sw.Elapsed.TotalSeconds,
        };
    }

    /// <summary>1 + the number of other candidates scoring at least the target's score; excluded target = miss.</summary>
    internal static long FullRank(ReadOnlySpan<float> scores, int target, HashSet<int>? excluded)
    {
        if (excluded is not null && excluded.Contains(target)) return long.MaxValue;
        float t = scores[target];
        if (float.IsNaN(t)) return long.MaxValue;
        long above = 0;
        for (int j = 0; j < scores.Length; j++)
            if (scores[j] >= t) above++;
        above--; // the target itself
        if (excluded is not null)
            foreach (var e in excluded)
                if (scores[e] >= t) above--;
        return above + 1;
    }

    /// <summary>Rank among N negatives drawn (seeded per case) uniformly from items neither seen nor the target.</summary>
    private static long SampledRank(ReadOnlySpan<float> scores, RankingCase c, HashSet<int> seen, RankingProtocol p, int caseIndex, List<int> negs)
    {
        int n = scores.Length;
        var rng = new Random(HashCode.Combine(p.Seed, caseIndex));
        negs.Clear();
        int available = n - seen.Count - (seen.Contains(c.Target) ? 0 : 1);
        int want = Math.Min(p.SampledNegatives, available);
        var chosen = new HashSet<int>();
        while (negs.Count < want)
        {
            int j = rng.Next(n);
            if (j == c.Target || seen.Contains(j) || !chosen.Add(j)) continue;
            negs.Add(j);
        }
        float t = scores[c.Target];
        long rank = 1;
        foreach (var j in negs) if (scores[j] >= t) rank++;
        return rank;
    }
}
