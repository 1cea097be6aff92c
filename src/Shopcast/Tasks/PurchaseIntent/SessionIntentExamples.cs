using Shopcast.Data;
using Shopcast.Features;

namespace Shopcast.Tasks.PurchaseIntent;

/// <summary>
/// Real-time purchase intent from a raw event log: every session is cut after each of its first events (up to
/// <c>maxPrefix</c>, and never past its first purchase), and each prefix is an example whose label is whether the
/// session goes on to a purchase. Features: the prefix itself (length, minutes so far, distinct items, views, carts,
/// favourites) and the point-in-time features of the shopper and the current item at the time of the prefix's last
/// event, counting events strictly before that time (so a purchase in the same second is never seen; the prefix's own
/// events are in the prefix columns).
/// Examples are grouped by session, so one session is never on both sides of a split.
/// </summary>
public static class SessionIntentExamples
{
    public static readonly string[] PrefixColumns =
        { "prefix.length", "prefix.minutes", "prefix.distinct_items", "prefix.views", "prefix.carts", "prefix.favs" };

    /// <summary>Examples plus, per row, the prefix length and the start and end time of its session (for time-ordered splits).</summary>
    public static (FeatureTable Table, int[] PrefixLength, long[] SessionStartMs, long[] SessionEndMs) Build(BehaviourLog log, PointInTimeFeatures features, int maxPrefix)
    {
        var bySession = log.EventsBySession();
        int width = PrefixColumns.Length + features.Columns.Count;
        var values = new List<float>(); var labels = new List<float>(); var groups = new List<int>();
        var prefixLength = new List<int>(); var starts = new List<long>(); var ends = new List<long>();
        var row = new float[width];
        var behaviour = new BehaviourSequences.Builder(log, Conversion.ConversionExamples.HistoryLength);
        foreach (var (session, events) in bySession.OrderBy(kv => log.TimeMs[kv.Value[0]]).ThenBy(kv => kv.Key))
        {
            int firstBuy = events.FindIndex(e => log.Type[e] == EventType.Purchase);
            int last = Math.Min(maxPrefix, firstBuy < 0 ? events.Count : firstBuy);
            var items = new HashSet<int>();
            int views = 0, carts = 0, favs = 0;
            for (int k = 1; k <= last; k++)
            {
                int e = events[k - 1];
                items.Add(log.Item[e]);
                if (log.Type[e] == EventType.View) views++;
                else if (log.Type[e] == EventType.Cart) carts++;
                else if (log.Type[e] == EventType.Favourite) favs++;
                Array.Clear(row);
                row[0] = k;
                row[1] = (log.TimeMs[e] - log.TimeMs[events[0]]) / 60_000f;
                row[2] = items.Count; row[3] = views; row[4] = carts; row[5] = favs;
                // Strictly before the prefix's last event: a later event in the same second (Taobao's clock) is never seen.
                features.Compute(log.User[e], log.Item[e], log.Category[e], log.TimeMs[e], row.AsSpan(PrefixColumns.Length));
                values.AddRange(row);
                behaviour.Add(log.User[e], log.Item[e], log.Category[e], log.TimeMs[e]);
                labels.Add(firstBuy >= k ? 1 : 0);
                groups.Add(session);
                prefixLength.Add(k);
                starts.Add(log.TimeMs[events[0]]);
                ends.Add(log.TimeMs[events[^1]]);
            }
        }
        var table = new FeatureTable
        {
            Columns = PrefixColumns.Concat(features.Columns).ToArray(), Values = values.ToArray(), Labels = labels.ToArray(), Groups = groups.ToArray(),
            Behaviour = behaviour.Build(),
        };
        return (table, prefixLength.ToArray(), starts.ToArray(), ends.ToArray());
    }
}
