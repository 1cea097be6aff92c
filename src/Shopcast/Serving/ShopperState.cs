using Shopcast.Data;

namespace Shopcast.Serving;

/// <summary>
/// What a server knows of its shoppers right now, updated with every event it accepts (and rebuilt at start from the
/// history store and the journal): each user's recent items in time order, the items they have touched, counts by
/// event type; each session's events (for purchase intent); each item's category; and what is popular now (the items
/// of the most recent <see cref="PopularWindow"/> events). In memory, one lock: every read copies what it needs.
/// </summary>
public sealed class ShopperState
{
    /// <summary>Items kept per user history (longer than any sequence model reads).</summary>
    public const int MaxHistory = 200;
    /// <summary>Events kept per session (purchase intent reads a session's first 20).</summary>
    public const int MaxSessionEvents = 200;
    /// <summary>"Popular now" counts the items of this many most recent events.</summary>
    public const int PopularWindow = 10_000;

    private sealed class UserState
    {
        public required int Id;
        public readonly List<int> Items = new();
        public readonly List<long> Times = new();
        public readonly HashSet<int> Seen = new();
        public readonly long[] ByType = new long[Enum.GetValues<EventType>().Length];
        public long LastMs = long.MinValue;
    }

    private sealed class SessionState
    {
        public required string User;
        public readonly List<SessionEvent> Events = new();
    }

    private readonly object _gate = new();
    private readonly ItemIndex _items = new();
    private readonly List<string?> _category = new();
    private readonly Dictionary<string, UserState> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SessionState> _sessions = new(StringComparer.Ordinal);
    private readonly int[] _recent = new int[PopularWindow];
    private int _recentCount, _recentNext;
    private readonly Dictionary<int, int> _recentCounts = new();
    private long _events;
    private readonly Dictionary<string, int> _categoryIds = new(StringComparer.Ordinal);
    /// <summary>
    /// Point-in-time counts of every user, item and category, for purchase intent (the features it was trained on);
    /// null when the server has no purchase-intent model (the index is most of the state's memory per event).
    /// </summary>
    private readonly Features.PointInTimeFeatures? _features;

    /// <param name="pointInTime">Keep the point-in-time index purchase intent needs.</param>
    public ShopperState(bool pointInTime = true) => _features = pointInTime ? new Features.PointInTimeFeatures(clock: true) : null;

    /// <summary>Whether the state keeps the point-in-time index (and so can serve purchase intent).</summary>
    public bool HasPointInTime => _features is not null;

    public long Events { get { lock (_gate) return _events; } }
    public int Users { get { lock (_gate) return _users.Count; } }
    public int Sessions { get { lock (_gate) return _sessions.Count; } }

    public void Apply(IReadOnlyList<LiveEvent> events)
    {
        lock (_gate)
            foreach (var e in events) ApplyOne(e);
    }

    private void ApplyOne(LiveEvent e)
    {
        int item = _items.GetOrAdd(e.Item);
        if (item == _category.Count) _category.Add(null);
        if (e.Category is not null) _category[item] = e.Category;
        _events++;

        if (!_users.TryGetValue(e.User, out var u)) _users[e.User] = u = new UserState { Id = _users.Count };
        _features?.Add(u.Id, item, CategoryId(e.Category), e.Type, e.TimeMs);
        u.ByType[(int)e.Type]++;
        u.Seen.Add(item);
        // Time order, as the models were trained on; a late event is placed by its time (ties keep arrival order).
        int at = u.Times.Count;
        while (at > 0 && u.Times[at - 1] > e.TimeMs) at--;
        u.Items.Insert(at, item); u.Times.Insert(at, e.TimeMs);
        if (u.Items.Count > MaxHistory) { u.Items.RemoveAt(0); u.Times.RemoveAt(0); }
        u.LastMs = Math.Max(u.LastMs, e.TimeMs);

        if (e.Session is not null)
        {
            if (!_sessions.TryGetValue(e.Session, out var s)) _sessions[e.Session] = s = new SessionState { User = e.User };
            if (s.Events.Count < MaxSessionEvents)
            {
                int k = s.Events.Count;
                while (k > 0 && s.Events[k - 1].TimeMs > e.TimeMs) k--;
                s.Events.Insert(k, new SessionEvent(e.Item, e.Type, e.TimeMs, e.Category));
            }
        }

        if (_recentCount == PopularWindow)
        {
            int old = _recent[_recentNext];
            if (--_recentCounts[old] == 0) _recentCounts.Remove(old);
        }
        else _recentCount++;
        _recent[_recentNext] = item;
        _recentNext = (_recentNext + 1) % PopularWindow;
        _recentCounts[item] = _recentCounts.GetValueOrDefault(item) + 1;
    }

    private int CategoryId(string? category)
    {
        if (category is null) return -1;
        if (!_categoryIds.TryGetValue(category, out var c)) _categoryIds[category] = c = _categoryIds.Count;
        return c;
    }

    /// <summary>The names of the point-in-time features <see cref="PointInTimeFeatures"/> writes.</summary>
    public IReadOnlyList<string> PointInTimeColumns => Index.Columns;

    private Features.PointInTimeFeatures Index =>
        _features ?? throw new InvalidOperationException("this state keeps no point-in-time index (no purchase-intent model was loaded at start)");

    /// <summary>
    /// The point-in-time features of (user, item, category) at <paramref name="timeMs"/>, from every event the state
    /// holds strictly before that time (as training computed them from the log), into <paramref name="row"/>.
    /// </summary>
    public void PointInTimeFeatures(string user, string item, string? category, long timeMs, Span<float> row)
    {
        lock (_gate)
        {
            // An id the state has not seen gets a fresh one, so its block reads as "no events".
            int u = _users.TryGetValue(user, out var us) ? us.Id : -2;
            int i = _items.TryGet(item, out var ii) ? ii : int.MaxValue;
            int c = category is null ? -1 : _categoryIds.TryGetValue(category, out var cc) ? cc : int.MaxValue;
            Index.Compute(u, i, c, timeMs, row);
        }
    }

    /// <summary>A user's recent items (oldest first, at most <paramref name="max"/>) and every item they touched; null for an unknown user.</summary>
    public (string[] Recent, HashSet<string> Seen)? History(string user, int max = MaxHistory)
    {
        lock (_gate)
        {
            if (!_users.TryGetValue(user, out var u)) return null;
            int n = Math.Min(max, u.Items.Count);
            var recent = new string[n];
            for (int i = 0; i < n; i++) recent[i] = _items[u.Items[u.Items.Count - n + i]];
            var seen = new HashSet<string>(u.Seen.Count, StringComparer.Ordinal);
            foreach (var i in u.Seen) seen.Add(_items[i]);
            return (recent, seen);
        }
    }

    /// <summary>A user's event counts by type and last event time, or null for an unknown user.</summary>
    public UserSummary? Summary(string user)
    {
        lock (_gate)
        {
            if (!_users.TryGetValue(user, out var u)) return null;
            var counts = Enum.GetValues<EventType>().Where(t => u.ByType[(int)t] > 0).ToDictionary(EventTypes.Name, t => u.ByType[(int)t]);
            return new UserSummary(user, u.ByType.Sum(), counts, u.LastMs);
        }
    }

    /// <summary>A session's events in time order (at most <see cref="MaxSessionEvents"/>), or null for an unknown session.</summary>
    public (string User, SessionEvent[] Events)? Session(string session)
    {
        lock (_gate) return _sessions.TryGetValue(session, out var s) ? (s.User, s.Events.ToArray()) : null;
    }

    /// <summary>The category last sent with the item, or null.</summary>
    public string? CategoryOf(string item)
    {
        lock (_gate) return _items.TryGet(item, out var i) ? _category[i] : null;
    }

    /// <summary>
    /// The categories of <paramref name="items"/> in one pass under the lock (for a category filter over a catalogue).
    /// </summary>
    public bool[] InCategory(IReadOnlyList<string> items, string category)
    {
        var result = new bool[items.Count];
        lock (_gate)
            for (int i = 0; i < items.Count; i++)
                result[i] = _items.TryGet(items[i], out var j) && _category[j] == category;
        return result;
    }

    /// <summary>The most frequent items of the last <see cref="PopularWindow"/> events (count, then most recent id order).</summary>
    public IReadOnlyList<(string Item, int Count)> PopularNow(int k, Func<string, bool>? keep = null)
    {
        lock (_gate)
            return _recentCounts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key)
                .Select(kv => (Item: _items[kv.Key], Count: kv.Value))
                .Where(x => keep is null || keep(x.Item)).Take(k).ToList();
    }
}

/// <summary>One event of a session as the state keeps it.</summary>
public sealed record SessionEvent(string Item, EventType Type, long TimeMs, string? Category);

/// <summary>What the state holds of one user: events by type, when the last was.</summary>
public sealed record UserSummary(string User, long Events, IReadOnlyDictionary<string, long> ByType, long LastEventMs);
