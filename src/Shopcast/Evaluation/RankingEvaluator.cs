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
    /// <summary>Sampled ranking only: cases whose history left fewer candidates than the negatives asked for (all were used).</summary>
    public long FewerNegatives { get; init; }
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
        long inHistory = 0, capped = 0;
        int batches = (cases.Count + BatchSize - 1) / BatchSize;
        // Batches of similar history length: a sequence model pads each batch to its longest history, and unsorted
        // batches of short-history data (Beauty: 8 items on average, up to 50) would be mostly padding.
        var order = Enumerable.Range(0, cases.Count).OrderBy(i => cases[i].History.Count).ToArray();
        (progress ?? ProgressReporter.Quiet).Step(label ?? $"Evaluating {model.Name}", batches, bar =>
        {
            Parallel.For(0, batches, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
                () => (scores: new float[BatchSize * n], seen: new HashSet<int>(), negs: new List<int>(), chosen: new HashSet<int>()),
                (b, _, buf) =>
                {
                    int from = b * BatchSize, count = Math.Min(BatchSize, cases.Count - from);
                    var hist = new ArraySegment<int>[count];
                    for (int i = 0; i < count; i++) hist[i] = cases[order[from + i]].History;
                    model.ScoreBatch(hist, buf.scores.AsSpan(0, count * n));
                    long localInHistory = 0, localCapped = 0;
                    for (int i = 0; i < count; i++)
                    {
                        int index = order[from + i];
                        var c = cases[index];
                        var s = buf.scores.AsSpan(i * n, n);
                        buf.seen.Clear();
                        foreach (var h in c.History) buf.seen.Add(h);
                        bool targetSeen = buf.seen.Contains(c.Target);
                        if (targetSeen) localInHistory++;
                        ranks[index] = protocol.SampledNegatives > 0
                            ? SampledRank(s, c, buf.seen, protocol, index, buf.negs, buf.chosen, ref localCapped)
                            : FullRank(s, c.Target, protocol.ExcludeSeen ? buf.seen : null);
                    }
                    Interlocked.Add(ref inHistory, localInHistory);
                    Interlocked.Add(ref capped, localCapped);
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
            FewerNegatives = capped,
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

    /// <summary>Rank among the negatives <see cref="DrawNegatives"/> draws for this case.</summary>
    private static long SampledRank(ReadOnlySpan<float> scores, RankingCase c, HashSet<int> seen, RankingProtocol p, int caseIndex,
        List<int> negs, HashSet<int> chosen, ref long capped)
    {
        if (!DrawNegatives(scores.Length, c.Target, seen, p.SampledNegatives, p.Seed, caseIndex, negs, chosen)) capped++;
        float t = scores[c.Target];
        long rank = 1;
        foreach (var j in negs) if (scores[j] >= t) rank++;
        return rank;
    }

    /// <summary>
    /// Draws <paramref name="count"/> distinct negatives uniformly from the items that are neither in the history nor the
    /// target, into <paramref name="negatives"/>, from a generator seeded by the run's seed and the case's index only, so
    /// the same seed draws the same negatives in every process and thread. (Not <c>HashCode.Combine</c>: .NET randomises
    /// it per process.) Returns false when fewer than <paramref name="count"/> such items exist; all of them are drawn then.
    /// </summary>
    internal static bool DrawNegatives(int itemCount, int target, HashSet<int> seen, int count, int seed, int caseIndex,
        List<int> negatives, HashSet<int> chosen)
    {
        var rng = new Random(CaseSeed(seed, caseIndex));
        negatives.Clear();
        chosen.Clear();
        int available = itemCount - seen.Count - (seen.Contains(target) ? 0 : 1);
        int want = Math.Min(count, available);
        while (negatives.Count < want)
        {
            int j = rng.Next(itemCount);
            if (j == target || seen.Contains(j) || !chosen.Add(j)) continue;
            negatives.Add(j);
        }
        return want == count;
    }

    /// <summary>The seed of one case's sampler: a fixed mix of the run's seed and the case's index.</summary>
    internal static int CaseSeed(int seed, int caseIndex) => unchecked(seed * 1_000_003 + caseIndex);
}
