using Shopcast.Data;

namespace Shopcast.Features;

/// <summary>
/// Every event of the store in time order, with users, items, categories and sessions as dense indices: the input of
/// the point-in-time feature builders. (Ties in time keep the file's order.)
/// </summary>
public sealed class BehaviourLog
{
    public required int[] User { get; init; }
    public required int[] Item { get; init; }
    /// <summary>Category index, or -1 when the event has none.</summary>
    public required int[] Category { get; init; }
    public required int[] Session { get; init; }
    public required EventType[] Type { get; init; }
    public required long[] TimeMs { get; init; }
    public required IReadOnlyList<string> Users { get; init; }
    public required IReadOnlyList<string> Items { get; init; }
    public required IReadOnlyList<string> Categories { get; init; }

    public int Count => TimeMs.Length;

    /// <summary>The event indices of each session, in time order (the log is in time order).</summary>
    public Dictionary<int, List<int>> EventsBySession()
    {
        var bySession = new Dictionary<int, List<int>>();
        for (int e = 0; e < Count; e++)
        {
            if (!bySession.TryGetValue(Session[e], out var list)) bySession[Session[e]] = list = new List<int>();
            list.Add(e);
        }
        return bySession;
    }
    public long EndMs => TimeMs.Length == 0 ? 0 : TimeMs[^1];

    public static BehaviourLog Load(EventStore store, string task)
    {
        if (store.OrdinalTime)
            throw new TaskNotSupportedException(
                $"--task {task}: {store.GetMeta("source")} has only the order of events, no clock time, and this task needs timestamps " +
                "(counts over hours and days, the log's last day as the test set); use a log with times, e.g. --format csv --columns ...,time=COLUMN");
        var users = new Dictionary<string, int>(); var items = new Dictionary<string, int>();
        var cats = new Dictionary<string, int>(); var sessions = new Dictionary<string, int>();
        var u = new List<int>(); var i = new List<int>(); var c = new List<int>(); var s = new List<int>();
        var ty = new List<EventType>(); var ts = new List<long>();
        static int Id(Dictionary<string, int> d, string k) { if (!d.TryGetValue(k, out var v)) d[k] = v = d.Count; return v; }
        foreach (var r in store.Query("SELECT user_id, item_id, category, session_id, type, ts FROM events ORDER BY ts, row_no"))
        {
            u.Add(Id(users, r.GetString(0)));
            i.Add(Id(items, r.GetString(1)));
            c.Add(r.IsDBNull(2) ? -1 : Id(cats, r.GetString(2)));
            s.Add(Id(sessions, r.IsDBNull(3) ? r.GetString(0) : r.GetString(3)));
            ty.Add(EventTypes.Parse(r.GetString(4)) ?? EventType.Other);
            ts.Add(r.GetInt64(5));
        }
        static string[] Names(Dictionary<string, int> d) { var a = new string[d.Count]; foreach (var kv in d) a[kv.Value] = kv.Key; return a; }
        return new BehaviourLog
        {
            User = u.ToArray(), Item = i.ToArray(), Category = c.ToArray(), Session = s.ToArray(), Type = ty.ToArray(), TimeMs = ts.ToArray(),
            Users = Names(users), Items = Names(items), Categories = Names(cats),
        };
    }
}
