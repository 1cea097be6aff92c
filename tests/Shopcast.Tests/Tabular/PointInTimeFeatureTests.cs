using Shopcast.Data;
using Shopcast.Features;
using Shopcast.Tasks.Conversion;
using Shopcast.Tasks.PurchaseIntent;

namespace Shopcast.Tests.Tabular;

/// <summary>Leakage and correctness of the point-in-time features, on small SYNTHETIC logs.</summary>
public class PointInTimeFeatureTests
{
    private const long H = 3_600_000L, D = 24 * H;

    private sealed record E(int User, int Item, int Category, EventType Type, long Time, int Session = 0);

    private static BehaviourLog Log(params E[] events)
    {
        var sorted = events.OrderBy(e => e.Time).ToArray();
        return new BehaviourLog
        {
            User = sorted.Select(e => e.User).ToArray(), Item = sorted.Select(e => e.Item).ToArray(),
            Category = sorted.Select(e => e.Category).ToArray(), Session = sorted.Select(e => e.Session).ToArray(),
            Type = sorted.Select(e => e.Type).ToArray(), TimeMs = sorted.Select(e => e.Time).ToArray(),
            Users = new[] { "u0", "u1" }, Items = new[] { "i0", "i1", "i2" }, Categories = new[] { "c0", "c1" },
        };
    }

    private static readonly E[] History =
    {
        new(0, 0, 0, EventType.View, 10 * D - 30 * 60_000), // 30 minutes before t
        new(0, 0, 0, EventType.View, 9 * D - 60_000),       // a day and a minute before t
        new(0, 0, 0, EventType.Cart, 10 * D - 2 * H),
        new(1, 0, 0, EventType.Purchase, 5 * D),            // another user bought the item long before
        new(0, 1, 1, EventType.View, 8 * D),
    };

    private static float[] At(BehaviourLog log, long t, int user = 0, int item = 0, int category = 0)
    {
        var f = new PointInTimeFeatures(log);
        var row = new float[f.Columns.Count];
        f.Compute(user, item, category, t, row);
        return row;
    }

    private static float Get(BehaviourLog log, float[] row, string column) => row[new PointInTimeFeatures(log).Columns.ToList().IndexOf(column)];

    [Fact]
    public void Counts_windows_and_recency_use_only_the_past()
    {
        var log = Log(History);
        long t = 10 * D;
        var row = At(log, t);
        Assert.Equal(1, Get(log, row, "user_item.view.1h"));
        Assert.Equal(1, Get(log, row, "user_item.view.1d"));   // the view a day and a minute before is outside [t - 1d, t)
        Assert.Equal(2, Get(log, row, "user_item.view.all"));
        Assert.Equal(1, Get(log, row, "user_item.cart.1d"));
        Assert.Equal(1, Get(log, row, "item.buy.all"));
        Assert.Equal(0, Get(log, row, "user.buy.all"));
        Assert.Equal(3, Get(log, row, "user.view.all"));
        Assert.Equal(0.5f, Get(log, row, "user_item.hours_since_last"), 4);
        Assert.Equal(1000f, At(log, t, user: 1, item: 2, category: 1)[new PointInTimeFeatures(log).Columns.ToList().IndexOf("user_item.hours_since_last")]);
    }

    [Fact]
    public void Planting_future_events_changes_no_feature()
    {
        long t = 10 * D;
        var before = At(Log(History), t);
        var future = History.Concat(new E[]
        {
            new(0, 0, 0, EventType.Purchase, t),          // at t itself: not before t
            new(0, 0, 0, EventType.Cart, t + 1),
            new(1, 0, 0, EventType.View, t + H),
            new(0, 2, 1, EventType.Purchase, t + 3 * D),
        }).ToArray();
        Assert.Equal(before, At(Log(future), t));
    }

    [Fact]
    public void Conversion_labels_come_from_the_next_day_and_candidates_from_before_the_cutoff()
    {
        long cutoff = 10 * D;
        var log = Log(History.Concat(new E[]
        {
            new(0, 0, 0, EventType.Purchase, cutoff + 2 * H),   // bought item 0 the next day -> positive
            new(0, 1, 1, EventType.Purchase, cutoff + 2 * D),   // item 1 bought two days later -> still negative
            new(0, 2, 1, EventType.Purchase, cutoff + H),       // item 2 never touched before -> not a candidate
        }).ToArray());
        var table = ConversionExamples.Build(log, new PointInTimeFeatures(log), new[] { cutoff }, categoryLevel: false);
        Assert.Equal(3, table.Rows); // (u0,i0), (u0,i1), (u1,i0)
        Assert.Equal(new float[] { 1, 0, 0 }, table.Labels);
        Assert.Equal(new[] { 0, 0, 1 }, table.Groups);
    }

    [Fact]
    public void Session_prefixes_stop_before_the_first_purchase_and_stay_in_their_session()
    {
        var log = Log(
            new E(0, 0, 0, EventType.View, 1 * H, Session: 0), new E(0, 1, 0, EventType.Cart, 1 * H + 60_000, Session: 0),
            new E(0, 1, 0, EventType.Purchase, 1 * H + 120_000, Session: 0), new E(0, 2, 1, EventType.View, 1 * H + 180_000, Session: 0),
            new E(1, 2, 1, EventType.View, 5 * H, Session: 1), new E(1, 0, 0, EventType.View, 5 * H + 60_000, Session: 1));
        var (table, prefix, _, _) = SessionIntentExamples.Build(log, new PointInTimeFeatures(log), maxPrefix: 20);
        Assert.Equal(new[] { 1, 2, 1, 2 }, prefix);
        Assert.Equal(new float[] { 1, 1, 0, 0 }, table.Labels);
        Assert.Equal(new[] { 0, 0, 1, 1 }, table.Groups);
        // The prefix's own cart is history for the second example; the purchase after it is not.
        int carts = table.Columns.ToList().IndexOf("prefix.carts"), buys = table.Columns.ToList().IndexOf("user.buy.all");
        Assert.Equal(1, table[1, carts]);
        Assert.Equal(0, table[1, buys]);
    }

    [Fact]
    public void A_purchase_in_the_same_second_as_the_prefix_is_not_seen()
    {
        // Whole-second clocks (Taobao) put a cart and the purchase that follows it at the same time.
        var log = Log(
            new E(0, 0, 0, EventType.View, 1 * H, Session: 0), new E(0, 1, 0, EventType.Cart, 2 * H, Session: 0),
            new E(0, 1, 0, EventType.Purchase, 2 * H, Session: 0));
        var (table, prefix, _, _) = SessionIntentExamples.Build(log, new PointInTimeFeatures(log), maxPrefix: 20);
        Assert.Equal(new[] { 1, 2 }, prefix);
        var columns = table.Columns.ToList();
        foreach (var c in columns.Where(c => c.Contains(".buy.")))
            Assert.All(Enumerable.Range(0, table.Rows), r => Assert.Equal(0, table[r, columns.IndexOf(c)]));
        Assert.Single(table.Behaviour!.HistoryItems[1]); // the view only: the cart and the purchase share the second
    }
}
