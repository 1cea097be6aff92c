namespace Shopcast.Evaluation;

/// <summary>
/// Top-K metrics for one held-out target per case, computed from the target's 1-based rank.
/// With one relevant item, Recall@K equals HR@K; P@K follows the session-based papers (SR-GNN, GCE-GNN), where
/// "P@20" is the share of cases whose target is in the top 20 (a hit rate, not hits/K).
/// </summary>
public static class RankingMetrics
{
    public static double Hit(long rank, int k) => rank <= k ? 1.0 : 0.0;
    public static double Ndcg(long rank, int k) => rank <= k ? 1.0 / Math.Log2(rank + 1) : 0.0;
    public static double Mrr(long rank, int k) => rank <= k ? 1.0 / rank : 0.0;

    /// <summary>Averages each metric over the ranks of all cases; metric names as in metrics.json.</summary>
    public static SortedDictionary<string, double> FromRanks(IReadOnlyList<long> ranks, IReadOnlyList<int> ks, bool sessionMetrics)
    {
        var m = new SortedDictionary<string, double>(StringComparer.Ordinal);
        if (ranks.Count == 0) return m;
        foreach (var k in ks)
        {
            double hr = 0, ndcg = 0, mrr = 0;
            foreach (var r in ranks) { hr += Hit(r, k); ndcg += Ndcg(r, k); mrr += Mrr(r, k); }
            m[$"HR@{k}"] = hr / ranks.Count;
            m[$"NDCG@{k}"] = ndcg / ranks.Count;
            m[$"MRR@{k}"] = mrr / ranks.Count;
            m[$"Recall@{k}"] = hr / ranks.Count;
        }
        if (sessionMetrics)
        {
            double p = 0, mrr = 0;
            foreach (var r in ranks) { p += Hit(r, 20); mrr += Mrr(r, 20); }
            m["P@20"] = p / ranks.Count;
            m["MRR@20"] = mrr / ranks.Count;
        }
        return m;
    }
}
