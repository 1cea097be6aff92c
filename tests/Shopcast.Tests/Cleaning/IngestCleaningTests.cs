using Shopcast.Data;

namespace Shopcast.Tests.Cleaning;

/// <summary>The ingest account: every row is kept or counted with a reason, duplicates, k-core and sessions.</summary>
public class IngestCleaningTests
{
    private const long T0 = 1511600000; // inside the Taobao window

    private static string Row(int user, int item, string type, long t) => $"{user},{item},77,{type},{t}";

    [Fact]
    public void Duplicates_rejects_and_kept_rows_add_up()
    {
        using var tmp = new TestData.TempDir();
        var lines = new List<string>
        {
            Row(1, 10, "pv", T0), Row(1, 10, "pv", T0), // exact duplicate
            Row(1, 11, "cart", T0 + 5),
            "1,12,77,pv",                                // wrong column count
            "x,12,77,pv,1511600000",                     // non-numeric id
            Row(2, 10, "jump", T0),                      // unknown type
            "2,10,77,pv,notatime",                       // bad time
            Row(2, 10, "pv", 100),                       // out of the official window
            Row(2, 13, "buy", T0 + 50),
        };
        var path = tmp.File("log.csv", string.Join("\n", lines) + "\n");
        using var store = EventStore.Open(":memory:");
        var a = Ingestor.Ingest(path, store, new IngestOptions { Format = "taobao" });
        Assert.Equal(9, a.RowsRead);
        Assert.Equal(1, a.Duplicates);
        Assert.Equal(3, a.Events);
        Assert.Equal(5, a.RejectedTotal);
        Assert.Equal(1, a.Rejected["wrong column count"]);
        Assert.Equal(4, a.FirstRejectLine["wrong column count"]);
        Assert.True(a.Balanced);
    }

    [Fact]
    public void Sessions_are_cut_after_the_inactivity_gap()
    {
        using var tmp = new TestData.TempDir();
        var path = tmp.File("log.csv", string.Join("\n",
            Row(1, 10, "pv", T0), Row(1, 11, "pv", T0 + 600), Row(1, 12, "pv", T0 + 600 + 31 * 60), Row(2, 10, "pv", T0)) + "\n");
        using var store = EventStore.Open(":memory:");
        var a = Ingestor.Ingest(path, store, new IngestOptions { Format = "taobao" });
        Assert.Equal(3, a.Sessions);
        using var store2 = EventStore.Open(":memory:");
        var b = Ingestor.Ingest(path, store2, new IngestOptions { Format = "taobao", SessionGap = TimeSpan.FromHours(1) });
        Assert.Equal(2, b.Sessions);
    }

    [Fact]
    public void KCore_filter_is_repeated_until_stable_and_counted()
    {
        using var tmp = new TestData.TempDir();
        var rows = new List<string>();
        // Users 1-3 each touch items 10 and 11 (a 2-core); user 4 touches item 12 only, once.
        for (int u = 1; u <= 3; u++) { rows.Add(Row(u, 10, "pv", T0 + u)); rows.Add(Row(u, 11, "pv", T0 + 10 + u)); }
        rows.Add(Row(4, 12, "pv", T0));
        rows.Add(Row(4, 10, "pv", T0 + 1)); // user 4 has 2 events, but item 12 has 1 -> removing it drops user 4 below 2
        var path = tmp.File("log.csv", string.Join("\n", rows) + "\n");
        using var store = EventStore.Open(":memory:");
        var a = Ingestor.Ingest(path, store, new IngestOptions { Format = "taobao", KCore = 2 });
        Assert.Equal(6, a.Events);
        Assert.Equal(2, a.KCoreRemoved);
        Assert.Equal(3, a.Users);
        Assert.True(a.Balanced);
    }

    [Fact]
    public void Ingest_streams_through_the_store_not_memory_and_reloads_as_sequences()
    {
        using var tmp = new TestData.TempDir();
        var path = tmp.File("log.csv", string.Join("\n", Row(1, 10, "pv", T0 + 2), Row(1, 11, "pv", T0 + 1), Row(2, 12, "buy", T0)) + "\n");
        var storePath = tmp["events.duckdb"];
        using (var store = EventStore.Open(storePath))
            Ingestor.Ingest(path, store, new IngestOptions { Format = "taobao" });
        using (var reopened = EventStore.Open(storePath))
        {
            var d = SequenceDataset.Load(reopened);
            var u1 = d.Sequences.Single(s => s.Key == "1");
            Assert.Equal(new[] { "11", "10" }, u1.Items.Select(i => d.Items[i])); // time order, not file order
            Assert.Equal(3, d.Items.Count);
            var buys = SequenceDataset.Load(reopened, eventTypes: new[] { EventType.Purchase });
            Assert.Single(buys.Sequences);
            Assert.Equal(3, buys.Items.Count); // the catalogue stays whole
        }
    }

    [Fact]
    public void Missing_empty_and_binary_files_get_one_clear_error()
    {
        using var tmp = new TestData.TempDir();
        using var store = EventStore.Open(":memory:");
        var missing = Assert.Throws<ShopcastInputException>(() => Ingestor.Ingest(tmp["nope.csv"], store, new IngestOptions()));
        Assert.Contains("not found", missing.Message);
        var empty = Assert.Throws<DataFormatException>(() => Ingestor.Ingest(tmp.File("empty.csv", ""), store, new IngestOptions { Format = "taobao" }));
        Assert.Contains("empty", empty.Message);
        var bin = tmp["garbage.bin"];
        File.WriteAllBytes(bin, Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 256)).ToArray());
        var binary = Assert.Throws<DataFormatException>(() => Ingestor.Ingest(bin, store, new IngestOptions { Format = "taobao" }));
        Assert.Contains("binary", binary.Message);
    }
}
