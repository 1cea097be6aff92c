using Shopcast.Data;
using Shopcast.Features;

namespace Shopcast.Serving;

/// <summary>
/// What a server knows of its shoppers right now, updated with every event it accepts (and rebuilt at start from the
/// history store and the journal): each user's recent items and their event types in time order, the items they have
/// touched, counts by event type, their latest session; each session's events (for purchase intent); each item's
/// category; what is popular now (the items of the most recent <see cref="PopularWindow"/> events); and, when a
/// purchase-intent model is served, the point-in-time counts it was trained on. In memory, behind one lock held for
/// short steps: every read copies what it needs.
/// </summary>
public sealed class ShopperState
{
    /// <summary>Items kept per user history (longer than any sequence model reads).</summary>
    public const int MaxHistory = 200;
    /// <summary>Events kept per session (purchase intent reads a session's first 20).</summary>
    public const int MaxSessionEvents = 200;
    /// <summary>Sessions kept: past this many, the oldest-started are forgotten (a session is one visit; memory stays bounded).</summary>
    public const int MaxSessions = 1_000_000;
    /// <summary>"Popular now" counts the items of this many most recent events.</summary>
    public const int PopularWindow = 10_000;
    /// <summary>How many of the most popular items the cold-start answer (and its category filter) chooses from.</summary>
    public const int PopularTop = 1_000;
    /// <summary>Events applied per hold of the lock, so readers wait at most that long behind a large group.</summary>
    private const int ApplyChunk = 512;

    private sealed class UserState
    {
        public required int Id;
        public readonly List<int> Items = new();
        public readonly List<long> Times = new();
        public readonly List<EventType> Types = new();
        public readonly HashSet<int> Seen = new();
        public readonly long[] ByType = new long[Enum.GetValues<EventType>().Length];
        public long LastMs = long.MinValue;
        public string? LastSession;
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
    private readonly Queue<string> _sessionOrder = new();
    private readonly Dictionary<string, int> _categoryIds = new(StringComparer.Ordinal);
    private readonly int[] _recent = new int[PopularWindow];
    private int _recentCount, _recentNext;
    private readonly Dictionary<int, int> _recentCounts = new();
    private long _events;
    private (long AtEvents, long AtMs, (int Item, int Count)[] Top) _popular = (-1, 0, Array.Empty<(int, int)>());

    /// <summary>
    /// Point-in-time counts of every user, item and category, for purchase intent; null when the server has no
    /// purchase-intent model (the index is most of the state's memory per event).
    /// </summary>
    private readonly PointInTimeFeatures? _features;

    /// <param name="pointInTime">Keep the point-in-time index purchase intent needs.</param>
    public ShopperState(bool pointInTime = true) => _features = pointInTime ? new PointInTimeFeatures(clock: true) : null;

    /// <summary>Whether the state keeps the point-in-time index (and so can serve purchase intent).</summary>
    public bool HasPointInTime => _features is not null;

    public long Events { get { lock (_gate) return _events; } }
    public int Users { get { lock (_gate) return _users.Count; } }
    public int Sessions { get { lock (_gate) return _sessions.Count; } }

    public void Apply(IReadOnlyList<LiveEvent> events)
    {
        for (int from = 0; from < events.Count; from += ApplyChunk)
            lock (_gate)
                for (int i = from; i < Math.Min(events.Count, from + ApplyChunk); i++) ApplyOne(events[i]);
    }

    private void ApplyOne(LiveEvent e)
    {
        int item = _items.GetOrAdd(e.Item);
        if (item == _category.Count) _category.Add(null);
        if (e.Category is not null) _category[item] = e.Category;
        _events++;

        if (!_users.TryGetValue(e.User, out var u)) _users[e.User] = u = new UserState { Id = _users.Count };
        _features?.Add(u.Id, item, CategoryId(e.Category, add: true), e.Type, e.TimeMs);
        u.ByType[(int)e.Type]++;
        u.Seen.Add(item);
        // Time order, as the models were trained on; a late event is placed by its time (ties keep arrival order).
        int at = u.Times.Count;
        while (at > 0 && u.Times[at - 1] > e.TimeMs) at--;
        u.Items.Insert(at, item); u.Times.Insert(at, e.TimeMs); u.Types.Insert(at, e.Type);
        if (u.Items.Count > MaxHistory) { u.Items.RemoveAt(0); u.Times.RemoveAt(0); u.Types.RemoveAt(0); }
        if (e.TimeMs >= u.LastMs) { u.LastMs = e.TimeMs; if (e.Session is not null) u.LastSession = e.Session; }

        if (e.Session is not null)
        {
            // A session id is one user's: the first user to send it owns it (another user's events under it are not added).
            if (!_sessions.TryGetValue(e.Session, out var s))
            {
                _sessions[e.Session] = s = new SessionState { User = e.User };
                _sessionOrder.Enqueue(e.Session);
                if (_sessionOrder.Count > MaxSessions) _sessions.Remove(_sessionOrder.Dequeue());
            }
            if (s.User == e.User && s.Events.Count < MaxSessionEvents)
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

    private int CategoryId(string? category, bool add)
    {
        if (category is null) return -1;
        if (_categoryIds.TryGetValue(category, out var c)) return c;
        if (!add) return -1;
        _categoryIds[category] = c = _categoryIds.Count;
        return c;
    }

    /// <summary>
    /// A user's recent items, oldest first (at most <paramref name="max"/>); only events of <paramref name="types"/>
    /// when given, only their latest session's when <paramref name="latestSession"/>. Null for an unknown user.
    /// </summary>
    public string[]? History(string user, int max = MaxHistory, IReadOnlySet<EventType>? types = null, bool latestSession = false)
    {
        lock (_gate)
        {
            if (!_users.TryGetValue(user, out var u)) return null;
            IEnumerable<int> items;
            if (latestSession)
            {
                if (u.LastSession is null || !_sessions.TryGetValue(u.LastSession, out var s)) return Array.Empty<string>();
                items = s.Events.Where(e => types is null || types.Contains(e.Type)).Select(e => _items.TryGet(e.Item, out var i) ? i : -1);
            }
            else items = Enumerable.Range(0, u.Items.Count).Where(k => types is null || types.Contains(u.Types[k])).Select(k => u.Items[k]);
            var all = items.Where(i => i >= 0).ToList();
            return all.Skip(Math.Max(0, all.Count - max)).Select(i => _items[i]).ToArray();
        }
    }

    /// <summary>Sets to -infinity the score of every item of <paramref name="catalogue"/> the user has touched.</summary>
    public void ExcludeSeen(string user, ItemIndex catalogue, Span<float> scores)
    {
        lock (_gate)
        {
            if (!_users.TryGetValue(user, out var u)) return;
            foreach (var i in u.Seen)
                if (catalogue.TryGet(_items[i], out var j)) scores[j] = float.NegativeInfinity;
        }
    }

    /// <summary>Whether the user has touched the item.</summary>
    public bool HasSeen(string user, string item)
    {
        lock (_gate) return _users.TryGetValue(user, out var u) && _items.TryGet(item, out var i) && u.Seen.Contains(i);
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

    /// <summary>For each of <paramref name="items"/>, whether its last category is <paramref name="category"/> (one pass under the lock).</summary>
    public bool[] InCategory(IReadOnlyList<string> items, string category)
    {
        var result = new bool[items.Count];
        lock (_gate)
            for (int i = 0; i < items.Count; i++)
                result[i] = _items.TryGet(items[i], out var j) && _category[j] == category;
        return result;
    }

    /// <summary>
    /// The most frequent items of the last <see cref="PopularWindow"/> events (ties: the item first seen earlier), from
    /// the top <see cref="PopularTop"/>, kept by <paramref name="keep"/>. The ranking is cached for up to a second
    /// while events arrive, so cold-start requests do not each sort the window.
    /// </summary>
    public IReadOnlyList<(string Item, int Count)> PopularNow(int k, Func<string, bool>? keep = null)
    {
        (int Item, int Count)[] top;
        lock (_gate)
        {
            long now = Environment.TickCount64;
            if (_popular.AtEvents != _events && (_popular.AtEvents < 0 || now - _popular.AtMs > 1000 || _popular.Top.Length == 0))
                _popular = (_events, now, _recentCounts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).Take(PopularTop)
                    .Select(kv => (kv.Key, kv.Value)).ToArray());
            top = _popular.Top;
            return top.Select(x => (Item: _items[x.Item], x.Count)).Where(x => keep is null || keep(x.Item)).Take(k).ToList();
        }
    }

    /// <summary>The names of the point-in-time features <see cref="IntentFeatures"/> writes.</summary>
    public IReadOnlyList<string> PointInTimeColumns => Index.Columns;

    private PointInTimeFeatures Index =>
        _features ?? throw new InvalidOperationException("this state keeps no point-in-time index (no purchase-intent model was loaded at start)");

    /// <summary>
    /// The point-in-time features of (user, item, category) at <paramref name="timeMs"/>, counting every event the
    /// state holds strictly before that time (as training counted the log's), plus <paramref name="unstored"/>: a
    /// session's events the server was not sent, counted as if it had been.
    /// </summary>
    public void IntentFeatures(string user, string item, string? category, long timeMs, Span<float> row, IReadOnlyList<(string User, SessionEvent Event)>? unstored = null)
    {
        lock (_gate)
        {
            // Ids the state has not seen get fresh ones (the same in the state and in the unstored events).
            var newItems = new Dictionary<string, int>(StringComparer.Ordinal);
            var newCategories = new Dictionary<string, int>(StringComparer.Ordinal);
            int UserId(string id) => _users.TryGetValue(id, out var us) ? us.Id : _users.Count; // one user per request
            int ItemId(string id) => _items.TryGet(id, out var i) ? i : newItems.TryGetValue(id, out var n) ? n : newItems[id] = _items.Count + newItems.Count;
            int CategoryIdOf(string? c) => c is null ? -1 : CategoryId(c, add: false) is var k && k >= 0 ? k
                : newCategories.TryGetValue(c, out var n) ? n : newCategories[c] = _categoryIds.Count + newCategories.Count;

            Index.Compute(UserId(user), ItemId(item), CategoryIdOf(category), timeMs, row);
            if (unstored is not { Count: > 0 }) return;
            var extra = new PointInTimeFeatures(clock: true);
            foreach (var (u, e) in unstored) extra.Add(UserId(u), ItemId(e.Item), CategoryIdOf(e.Category), e.Type, e.TimeMs);
            var more = new float[row.Length];
            extra.Compute(UserId(user), ItemId(item), CategoryIdOf(category), timeMs, more);
            Index.Merge(row, more);
        }
    }
}

/// <summary>One event of a session as the state keeps it.</summary>
public sealed record SessionEvent(string Item, EventType Type, long TimeMs, string? Category);

/// <summary>What the state holds of one user: events by type, when the last was.</summary>
public sealed record UserSummary(string User, long Events, IReadOnlyDictionary<string, long> ByType, long LastEventMs);
