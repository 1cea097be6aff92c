using Shopcast.Data;

namespace Shopcast.Features;

/// <summary>
/// Features of a (user, item, category) at a moment t, computed only from events strictly before t: counts by event
/// type over windows (1 h, 1 d, 3 d, all) for the user, the item, the category, the user x category and the user x
/// item; hours since each one's last event; funnel ratios (carts and buys per view); and (with <c>clock</c>) the UTC
/// hour and weekday of t.
/// The index holds the whole log, future included; every lookup is a binary search bounded by t, so no value can see
/// an event at or after t (the leakage test plants future events and checks nothing changes).
/// </summary>
public sealed class PointInTimeFeatures
{
    private static readonly (string Name, long Ms)[] Windows =
        { ("1h", 3_600_000L), ("1d", 86_400_000L), ("3d", 3 * 86_400_000L), ("all", long.MaxValue) };
    private static readonly (string Name, EventType Type)[] Types =
        { ("view", EventType.View), ("cart", EventType.Cart), ("fav", EventType.Favourite), ("buy", EventType.Purchase) };
    private const double NeverHours = 1000; // "hours since the last event" when there is none before t

    private enum Entity { User, Item, Category, UserCategory, UserItem }
    private static readonly string[] EntityNames = { "user", "item", "category", "user_category", "user_item" };

    /// <summary>
    /// Per entity key: event times per type (index into <see cref="Types"/>) and of any type, ascending. A type's list
    /// is made on its first event (most user x item keys only ever see views), which keeps a server's state small.
    /// </summary>
    private readonly Dictionary<long, List<long>?[]>[] _index = Enumerable.Range(0, 5).Select(_ => new Dictionary<long, List<long>?[]>()).ToArray();

    public IReadOnlyList<string> Columns { get; }
    private readonly bool _clock;

    public PointInTimeFeatures(BehaviourLog log, bool clock = true) : this(clock)
    {
        for (int e = 0; e < log.Count; e++) Add(log.User[e], log.Item[e], log.Category[e], log.Type[e], log.TimeMs[e]);
    }

    /// <summary>An empty index that events are added to as they come (a server's live state).</summary>
    public PointInTimeFeatures(bool clock = true)
    {
        _clock = clock;
        var columns = new List<string>();
        foreach (var entity in EntityNames)
        {
            foreach (var (type, _) in Types)
                foreach (var (window, _) in Windows) columns.Add($"{entity}.{type}.{window}");
            columns.Add($"{entity}.hours_since_last");
            columns.Add($"{entity}.cart_per_view");
            columns.Add($"{entity}.buy_per_view");
        }
        if (clock) { columns.Add("hour_utc"); columns.Add("weekday_utc"); }
        Columns = columns;
    }

    /// <summary>
    /// Indexes one event (dense user, item and category ids; -1 for none). Events usually come in time order (an
    /// append); a late one is placed by its time, so lookups stay correct.
    /// </summary>
    public void Add(int user, int item, int category, EventType eventType, long timeMs)
    {
        int type = Array.FindIndex(Types, t => t.Type == eventType);
        foreach (var (entity, key) in Keys(user, item, category))
        {
            if (!_index[(int)entity].TryGetValue(key, out var lists))
                _index[(int)entity][key] = lists = new List<long>?[Types.Length + 1];
            if (type >= 0) InsertSorted(lists[type] ??= new List<long>(1), timeMs);
            InsertSorted(lists[Types.Length] ??= new List<long>(1), timeMs); // any type
        }
    }

    private static void InsertSorted(List<long> times, long t)
    {
        if (times.Count == 0 || times[^1] <= t) times.Add(t);
        else times.Insert(CountBefore(times, t + 1), t);
    }

    private static IEnumerable<(Entity, long)> Keys(int user, int item, int category)
    {
        yield return (Entity.User, user);
        if (item >= 0) yield return (Entity.Item, item);
        if (category >= 0) yield return (Entity.Category, category);
        if (category >= 0) yield return (Entity.UserCategory, ((long)user << 32) | (uint)category);
        if (item >= 0) yield return (Entity.UserItem, ((long)user << 32) | (uint)item);
    }

    /// <summary>Writes the features of (user, item, category) at <paramref name="timeMs"/> into <paramref name="row"/>
    /// (length <see cref="Columns"/>.Count). Pass -1 for an item or category the example does not have: its block is zero.</summary>
    public void Compute(int user, int item, int category, long timeMs, Span<float> row)
    {
        row.Clear();
        int perEntity = Types.Length * Windows.Length + 3;
        for (int b = 0; b < EntityNames.Length; b++) row[b * perEntity + Types.Length * Windows.Length] = (float)NeverHours; // "none" until seen
        foreach (var (entity, key) in Keys(user, item, category))
        {
            var block = row.Slice((int)entity * perEntity, perEntity);
            if (!_index[(int)entity].TryGetValue(key, out var lists))
            {
                // Not indexed at all (a server's new user or item): what training wrote for a key with no events before t.
                block[^2] = 0.1f; block[^1] = 0.1f;
                continue;
            }
            int k = 0;
            for (int t = 0; t < Types.Length; t++)
            {
                int end = CountBefore(lists[t], timeMs);
                foreach (var (_, ms) in Windows)
                    block[k++] = ms == long.MaxValue ? end : end - CountBefore(lists[t], timeMs - ms);
            }
            var any = lists[Types.Length]!;
            int before = CountBefore(any, timeMs);
            block[k++] = before == 0 ? (float)NeverHours : (float)Math.Min(NeverHours, (timeMs - any[before - 1]) / 3_600_000.0);
            float views = block[Windows.Length - 1], carts = block[2 * Windows.Length - 1], buys = block[4 * Windows.Length - 1];
            block[k++] = (carts + 0.1f) / (views + 1f); // smoothed: one view's worth of prior, so 0/0 is small, not undefined
            block[k] = (buys + 0.1f) / (views + 1f);
        }
        if (!_clock) return;
        var when = DateTimeOffset.FromUnixTimeMilliseconds(timeMs).UtcDateTime;
        row[^2] = when.Hour + when.Minute / 60f;
        row[^1] = (int)when.DayOfWeek;
    }

    /// <summary>
    /// Adds the features <paramref name="more"/> (of other events, computed for the same key and time) into
    /// <paramref name="row"/>: counts add up, hours since the last event take the smaller, ratios follow the summed counts.
    /// A server scores a session's events it has not stored this way: the state's features plus the session's own.
    /// </summary>
    public void Merge(Span<float> row, ReadOnlySpan<float> more)
    {
        int counts = Types.Length * Windows.Length, perEntity = counts + 3;
        for (int b = 0; b < EntityNames.Length; b++)
        {
            var block = row.Slice(b * perEntity, perEntity);
            var add = more.Slice(b * perEntity, perEntity);
            // A block left at zero ratios is an entity the example does not have (no category): it stays so.
            if (block[counts + 1] == 0 && add[counts + 1] == 0) continue;
            for (int k = 0; k < counts; k++) block[k] += add[k];
            block[counts] = Math.Min(block[counts], add[counts]);
            float views = block[Windows.Length - 1], carts = block[2 * Windows.Length - 1], buys = block[4 * Windows.Length - 1];
            block[counts + 1] = (carts + 0.1f) / (views + 1f);
            block[counts + 2] = (buys + 0.1f) / (views + 1f);
        }
    }

    /// <summary>How many of the ascending <paramref name="times"/> are strictly before <paramref name="t"/>.</summary>
    private static int CountBefore(List<long>? times, long t)
    {
        if (times is null) return 0;
        int lo = 0, hi = times.Count;
        while (lo < hi) { int mid = (lo + hi) >>> 1; if (times[mid] < t) lo = mid + 1; else hi = mid; }
        return lo;
    }
}
