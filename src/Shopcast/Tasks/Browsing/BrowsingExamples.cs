using Shopcast.Data;
using Shopcast.Features;

namespace Shopcast.Tasks.Browsing;

/// <summary>
/// Examples for the browsing tasks, built in time order from a raw log:
/// <list type="bullet">
/// <item><b>dwell</b>: one row per viewed item that has a next event in its session; the label is the seconds until
/// that next event. The last event of a session has no observed dwell (censored at the session end) and is left
/// out, counted.</item>
/// <item><b>session start</b>: one row per session, at its first event; labels are the number of events in the session
/// (session length) and whether it is a bounce (a one-event session).</item>
/// </list>
/// Features use only what is known before the example's time: the point-in-time counts, and running averages of
/// dwell (or session length and bounce) over dwells and sessions that were complete before it. A dwell is complete
/// when its next event arrives; a session when its last event is <c>settleMs</c> old (the session gap), since until
/// then it could still go on.
/// </summary>
public static class BrowsingExamples
{
    public static readonly string[] DwellColumns =
    {
        "session.position", "session.seconds_so_far", "session.seconds_since_previous", "session.distinct_items_so_far",
        "dwell.user.mean_log", "dwell.user.count", "dwell.item.mean_log", "dwell.item.count", "dwell.category.mean_log", "dwell.category.count",
    };

    public static readonly string[] SessionStartColumns =
    {
        "first.is_view", "first.is_cart", "first.is_fav", "first.is_buy",
        "sessions.user.count", "sessions.user.bounce_rate", "sessions.user.mean_log_length",
        "sessions.item.count", "sessions.item.bounce_rate", "sessions.item.mean_log_length",
    };

    /// <summary>Rows with labels, and per row its session's start and end (for time-ordered splits).</summary>
    public sealed record Examples(FeatureTable Table, long[] SessionStartMs, long[] SessionEndMs, long Censored)
    {
        /// <summary>Session start: the session length of each row (the table's labels are then bounce 0/1).</summary>
        public float[]? SessionLength { get; init; }
    }

    public static Examples Dwell(BehaviourLog log, PointInTimeFeatures features)
    {
        var sessions = log.EventsBySession();
        var next = new int[log.Count];
        var position = new int[log.Count];
        var distinctSoFar = new int[log.Count];
        foreach (var events in sessions.Values)
        {
            var seen = new HashSet<int>();
            for (int k = 0; k < events.Count; k++)
            {
                next[events[k]] = k + 1 < events.Count ? events[k + 1] : -1;
                position[events[k]] = k;
                seen.Add(log.Item[events[k]]);
                distinctSoFar[events[k]] = seen.Count;
            }
        }
        var previous = new int[log.Count];
        Array.Fill(previous, -1);
        for (int e = 0; e < log.Count; e++) if (next[e] >= 0) previous[next[e]] = e;

        var byUser = new RunningMean(); var byItem = new RunningMean(); var byCategory = new RunningMean();
        var pending = new List<int>(); // views whose dwell completed at the current time, added once time moves on
        long pendingTime = long.MinValue;
        int width = DwellColumns.Length + features.Columns.Count;
        var values = new List<float>(); var labels = new List<float>(); var groups = new List<int>();
        var starts = new List<long>(); var ends = new List<long>();
        var row = new float[width];
        long censored = 0;
        for (int e = 0; e < log.Count; e++)
        {
            long t = log.TimeMs[e];
            if (t > pendingTime)
            {
                foreach (var v in pending)
                {
                    double d = Math.Log(1 + (pendingTime - log.TimeMs[v]) / 1000.0);
                    byUser.Add(log.User[v], d); byItem.Add(log.Item[v], d);
                    if (log.Category[v] >= 0) byCategory.Add(log.Category[v], d);
                }
                pending.Clear();
                pendingTime = t;
            }
            if (previous[e] >= 0 && log.Type[previous[e]] == EventType.View) pending.Add(previous[e]);
            if (log.Type[e] != EventType.View) continue;
            if (next[e] < 0) { censored++; continue; }

            var events = sessions[log.Session[e]];
            Array.Clear(row);
            row[0] = position[e];
            row[1] = (t - log.TimeMs[events[0]]) / 1000f;
            row[2] = previous[e] >= 0 ? (t - log.TimeMs[previous[e]]) / 1000f : -1;
            row[3] = distinctSoFar[e];
            (row[4], row[5]) = byUser.Of(log.User[e]);
            (row[6], row[7]) = byItem.Of(log.Item[e]);
            (row[8], row[9]) = log.Category[e] >= 0 ? byCategory.Of(log.Category[e]) : (0f, 0f);
            features.Compute(log.User[e], log.Item[e], log.Category[e], t, row.AsSpan(DwellColumns.Length));
            values.AddRange(row);
            labels.Add((log.TimeMs[next[e]] - t) / 1000f);
            groups.Add(log.Session[e]);
            starts.Add(log.TimeMs[events[0]]);
            ends.Add(log.TimeMs[events[^1]]);
        }
        var table = new FeatureTable
        {
            Columns = DwellColumns.Concat(features.Columns).ToArray(), Values = values.ToArray(), Labels = labels.ToArray(), Groups = groups.ToArray(),
        };
        return new Examples(table, starts.ToArray(), ends.ToArray(), censored);
    }

    public static Examples SessionStarts(BehaviourLog log, PointInTimeFeatures features, long settleMs)
    {
        var sessions = log.EventsBySession().OrderBy(kv => log.TimeMs[kv.Value[0]]).ThenBy(kv => kv.Value[0]).ToList();
        // Sessions become known (length, bounce) when they settle: their last event plus the gap.
        var settled = sessions.OrderBy(s => log.TimeMs[s.Value[^1]] + settleMs).ToList();
        int nextSettled = 0;
        var userBounce = new RunningMean(); var userLength = new RunningMean();
        var itemBounce = new RunningMean(); var itemLength = new RunningMean();
        int width = SessionStartColumns.Length + features.Columns.Count;
        var values = new List<float>(); var labels = new List<float>(); var lengths = new List<float>(); var groups = new List<int>();
        var starts = new List<long>(); var ends = new List<long>();
        var row = new float[width];
        foreach (var (session, events) in sessions)
        {
            int first = events[0];
            long t = log.TimeMs[first];
            for (; nextSettled < settled.Count && log.TimeMs[settled[nextSettled].Value[^1]] + settleMs < t; nextSettled++)
            {
                var s = settled[nextSettled].Value;
                double bounce = s.Count == 1 ? 1 : 0, logLength = Math.Log(s.Count);
                userBounce.Add(log.User[s[0]], bounce); userLength.Add(log.User[s[0]], logLength);
                itemBounce.Add(log.Item[s[0]], bounce); itemLength.Add(log.Item[s[0]], logLength);
            }
            Array.Clear(row);
            row[0] = log.Type[first] == EventType.View ? 1 : 0;
            row[1] = log.Type[first] == EventType.Cart ? 1 : 0;
            row[2] = log.Type[first] == EventType.Favourite ? 1 : 0;
            row[3] = log.Type[first] == EventType.Purchase ? 1 : 0;
            (row[5], row[4]) = userBounce.Of(log.User[first]);
            (row[6], _) = userLength.Of(log.User[first]);
            (row[8], row[7]) = itemBounce.Of(log.Item[first]);
            (row[9], _) = itemLength.Of(log.Item[first]);
            features.Compute(log.User[first], log.Item[first], log.Category[first], t, row.AsSpan(SessionStartColumns.Length));
            values.AddRange(row);
            labels.Add(events.Count == 1 ? 1 : 0);
            lengths.Add(events.Count);
            groups.Add(session);
            starts.Add(t);
            ends.Add(log.TimeMs[events[^1]]);
        }
        var table = new FeatureTable
        {
            Columns = SessionStartColumns.Concat(features.Columns).ToArray(), Values = values.ToArray(), Labels = labels.ToArray(), Groups = groups.ToArray(),
        };
        return new Examples(table, starts.ToArray(), ends.ToArray(), 0) { SessionLength = lengths.ToArray() };
    }

    /// <summary>A running mean per key; (0, 0) for a key never seen.</summary>
    private sealed class RunningMean
    {
        private readonly Dictionary<int, (double Sum, int Count)> _byKey = new();
        public void Add(int key, double value) { var (s, c) = _byKey.GetValueOrDefault(key); _byKey[key] = (s + value, c + 1); }
        public (float Mean, float Count) Of(int key) => _byKey.TryGetValue(key, out var v) ? ((float)(v.Sum / v.Count), v.Count) : (0f, 0f);
    }
}
