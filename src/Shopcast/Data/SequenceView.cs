namespace Shopcast.Data;

/// <summary>One shopper's (or one session's) interactions in time order, as dense item indices.</summary>
public sealed record InteractionSequence(string Key, int[] Items, long[] TimesMs, EventType[] Types);

/// <summary>
/// The "user sequences" and "sessions" views of an event store: what next-item models learn from.
/// Only dense int arrays are held in memory; strings live once, in the item index.
/// </summary>
public sealed class SequenceDataset
{
    public required ItemIndex Items { get; init; }
    public required IReadOnlyList<InteractionSequence> Sequences { get; init; }
    /// <summary>"user" or "session": what one sequence is.</summary>
    public required string GroupedBy { get; init; }
    public bool OrdinalTime { get; init; }
    public long EventCount => Sequences.Sum(s => (long)s.Items.Length);

    /// <summary>
    /// Reads sequences from the store, grouped by user or by session, in time order (ties keep file order).
    /// Sequences come in the order they started (first time, then first line), so "later sessions" means later in the log.
    /// <paramref name="eventTypes"/> keeps only those event types (null keeps all). <paramref name="itemColumn"/> is what a
    /// sequence holds: the item (default), or its category or brand (preference tasks; events without one are left out).
    /// </summary>
    public static SequenceDataset Load(EventStore store, string groupBy = "user", IReadOnlyCollection<EventType>? eventTypes = null,
        string itemColumn = "item_id")
    {
        if (itemColumn is not ("item_id" or "category" or "brand"))
            throw new ArgumentException($"itemColumn must be item_id, category or brand, not '{itemColumn}'");
        string key = groupBy switch
        {
            "user" => "user_id",
            "session" => "session_id",
            _ => throw new ArgumentException($"groupBy must be 'user' or 'session', not '{groupBy}'"),
        };
        string present = $"{itemColumn} IS NOT NULL AND {itemColumn} <> ''";
        string where = "WHERE " + present + (eventTypes is { Count: > 0 }
            ? " AND type IN (" + string.Join(",", eventTypes.Select(t => $"'{EventTypes.Name(t)}'")) + ")"
            : "");
        var items = new ItemIndex();
        // The catalogue is every item in the store, whatever the filter, so full ranking ranks them all.
        foreach (var r in store.Query($"SELECT {itemColumn} FROM events WHERE {present} GROUP BY {itemColumn} ORDER BY min(ts), min(row_no)"))
            items.GetOrAdd(r.GetString(0));

        var sequences = new List<InteractionSequence>();
        string? current = null;
        var its = new List<int>(); var ts = new List<long>(); var ty = new List<EventType>();
        void Flush()
        {
            if (current is not null && its.Count > 0)
                sequences.Add(new InteractionSequence(current, its.ToArray(), ts.ToArray(), ty.ToArray()));
            its.Clear(); ts.Clear(); ty.Clear();
        }
        foreach (var r in store.Query($"SELECT {key}, {itemColumn}, ts, type FROM events {where} ORDER BY min(ts) OVER (PARTITION BY {key}), min(row_no) OVER (PARTITION BY {key}), {key}, ts, row_no"))
        {
            var k = r.GetString(0);
            if (k != current) { Flush(); current = k; }
            its.Add(items.GetOrAdd(r.GetString(1)));
            ts.Add(r.GetInt64(2));
            ty.Add(EventTypes.Parse(r.GetString(3)) ?? EventType.Other);
        }
        Flush();
        return new SequenceDataset { Items = items, Sequences = sequences, GroupedBy = groupBy, OrdinalTime = store.OrdinalTime };
    }
}
