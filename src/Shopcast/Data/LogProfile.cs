namespace Shopcast.Data;

/// <summary>A profile of an ingested log, for <c>shopcast inspect</c>: sizes, events by type, time span, sequence lengths.</summary>
public sealed class LogProfile
{
    public required IngestAccount Account { get; init; }
    public required IReadOnlyList<(string Type, long Count)> EventsByType { get; init; }
    public DateTime? FirstUtc { get; init; }
    public DateTime? LastUtc { get; init; }
    public bool OrdinalTime { get; init; }
    /// <summary>Percentiles of events per user: min, 25%, 50%, 75%, 90%, 99%, max.</summary>
    public required IReadOnlyList<(string Label, double Value)> UserLengths { get; init; }
    public required IReadOnlyList<(string Label, double Value)> SessionLengths { get; init; }
    public long ItemsWithCategory { get; init; }
    public long EventsWithPrice { get; init; }

    public static LogProfile Build(EventStore store, IngestAccount account)
    {
        var byType = store.EventsByType();
        bool ordinal = store.OrdinalTime;
        long min = store.Scalar<long>("SELECT min(ts) FROM events"), max = store.Scalar<long>("SELECT max(ts) FROM events");
        return new LogProfile
        {
            Account = account,
            EventsByType = byType,
            OrdinalTime = ordinal,
            FirstUtc = ordinal ? null : TimeParser.ToUtc(min),
            LastUtc = ordinal ? null : TimeParser.ToUtc(max),
            UserLengths = Quantiles(store, "user_id"),
            SessionLengths = Quantiles(store, "session_id"),
            ItemsWithCategory = store.Scalar<long>("SELECT count(DISTINCT item_id) FROM events WHERE category IS NOT NULL"),
            EventsWithPrice = store.Scalar<long>("SELECT count(*) FROM events WHERE price IS NOT NULL"),
        };
    }

    private static IReadOnlyList<(string, double)> Quantiles(EventStore store, string key)
    {
        var labels = new[] { "min", "p25", "median", "p75", "p90", "p99", "max" };
        var qs = new[] { 0, 0.25, 0.5, 0.75, 0.9, 0.99, 1 };
        var sql = "SELECT " + string.Join(", ", qs.Select(q => $"quantile_cont(n, {q.ToString(System.Globalization.CultureInfo.InvariantCulture)})")) +
                  $" FROM (SELECT count(*) AS n FROM events GROUP BY {key})";
        var row = store.Query(sql).Select(r => Enumerable.Range(0, qs.Length).Select(i => Convert.ToDouble(r.GetValue(i))).ToArray()).First();
        return labels.Zip(row, (l, v) => (l, v)).ToList();
    }
}
