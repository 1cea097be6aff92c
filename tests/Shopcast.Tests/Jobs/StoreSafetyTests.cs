using Shopcast.Data;
using Shopcast.Data.Synthetic;
using Shopcast.Jobs;
using Shopcast.Reporting;

namespace Shopcast.Tests.Jobs;

/// <summary>
/// The event store is recreated on every run, so what sits at its path is deleted first. Only a DuckDB store is:
/// never the input log, never a file of any other kind.
/// </summary>
public sealed class StoreSafetyTests
{
    private static string SmallShop(TestData.TempDir tmp)
    {
        var csv = tmp["shop.csv"];
        SimulatedShop.WriteCsv(csv, new SimulatedShopOptions { Users = 60, Categories = 3, ItemsPerCategory = 10, Seed = 3 });
        return csv;
    }

    private static RunOptions Options(TestData.TempDir tmp, string csv, string? store, string outDir = "out") => new()
    {
        DataPath = csv, Format = "csv", Columns = SimulatedShop.Columns, OutDir = tmp[outDir], StorePath = store, Models = new[] { "pop" },
    };

    [Fact]
    public void A_store_path_that_is_the_input_log_is_refused_and_the_log_is_untouched()
    {
        using var tmp = new TestData.TempDir();
        var csv = SmallShop(tmp);
        var before = File.ReadAllBytes(csv);
        // The same file spelt another way is the same file.
        var sameFile = Path.Combine(tmp.Path, ".", "shop.csv");
        var e = Assert.Throws<ShopcastInputException>(() => RunJob.Run(Options(tmp, csv, sameFile), ProgressReporter.Quiet));
        Assert.Contains("--store", e.Message);
        Assert.Contains("input file", e.Message);
        Assert.Equal(before, File.ReadAllBytes(csv));
    }

    [Fact]
    public void A_store_path_that_is_a_symbolic_link_to_the_input_log_is_refused()
    {
        using var tmp = new TestData.TempDir();
        var csv = SmallShop(tmp);
        var link = tmp["link.duckdb"];
        File.CreateSymbolicLink(link, csv);
        var before = File.ReadAllBytes(csv);
        Assert.Throws<ShopcastInputException>(() => RunJob.Run(Options(tmp, csv, link), ProgressReporter.Quiet));
        Assert.Equal(before, File.ReadAllBytes(csv));
    }

    [Fact]
    public void An_existing_file_that_is_not_a_DuckDB_database_is_refused_and_kept()
    {
        using var tmp = new TestData.TempDir();
        var csv = SmallShop(tmp);
        var notes = tmp.File("notes.txt", "precious notes, not a database\n");
        var e = Assert.Throws<ShopcastInputException>(() => RunJob.Run(Options(tmp, csv, notes), ProgressReporter.Quiet));
        Assert.Contains("not a DuckDB database", e.Message);
        Assert.Equal("precious notes, not a database\n", File.ReadAllText(notes));

        // The default store, OUT/events.duckdb, is protected the same way.
        Directory.CreateDirectory(tmp["out2"]);
        var squatter = tmp.File(Path.Combine("out2", "events.duckdb"), "not a store");
        e = Assert.Throws<ShopcastInputException>(() => RunJob.Run(Options(tmp, csv, null, "out2"), ProgressReporter.Quiet));
        Assert.Contains("events.duckdb", e.Message);
        Assert.Equal("not a store", File.ReadAllText(squatter));
    }

    [Fact]
    public void A_folder_at_the_store_path_is_refused()
    {
        using var tmp = new TestData.TempDir();
        var csv = SmallShop(tmp);
        Directory.CreateDirectory(tmp["store-dir"]);
        var e = Assert.Throws<ShopcastInputException>(() => RunJob.Run(Options(tmp, csv, tmp["store-dir"]), ProgressReporter.Quiet));
        Assert.Contains("folder", e.Message);
    }

    [Fact]
    public void An_earlier_store_is_replaced_and_an_empty_file_is_taken_over()
    {
        using var tmp = new TestData.TempDir();
        var csv = SmallShop(tmp);
        var store = tmp["events.duckdb"];
        RunJob.Run(Options(tmp, csv, store), ProgressReporter.Quiet);
        Assert.True(EventStore.IsDuckDbFile(store));
        var again = RunJob.Run(Options(tmp, csv, store, "out-again"), ProgressReporter.Quiet);
        Assert.True(again.Ingest.Events > 0);

        var empty = tmp.File("empty.duckdb", "");
        RunJob.Run(Options(tmp, csv, empty, "out-empty"), ProgressReporter.Quiet);
        Assert.True(EventStore.IsDuckDbFile(empty));
    }

    [Fact]
    public void DuckDB_files_are_told_by_their_magic_bytes()
    {
        using var tmp = new TestData.TempDir();
        var store = tmp["s.duckdb"];
        using (EventStore.Open(store)) { }
        var head = File.ReadAllBytes(store)[8..12];
        Assert.Equal("DUCK"u8.ToArray(), head);
        Assert.True(EventStore.IsDuckDbFile(store));
        Assert.False(EventStore.IsDuckDbFile(tmp.File("a.csv", "user,item,time\nu1,i1,2020-01-01\n")));
        Assert.False(EventStore.IsDuckDbFile(tmp.File("short", "DUCK")));
    }

    [Fact]
    public void Reusing_an_out_folder_clears_the_earlier_runs_outputs_and_nothing_else()
    {
        using var tmp = new TestData.TempDir();
        var csv = SmallShop(tmp);
        RunJob.Run(Options(tmp, csv, null) with { Models = new[] { "pop", "itemknn" } }, ProgressReporter.Quiet);
        File.WriteAllText(tmp["out/notes.txt"], "mine");
        RunJob.Run(Options(tmp, csv, null), ProgressReporter.Quiet);
        Assert.True(Directory.Exists(tmp["out/models/pop"]));
        Assert.False(Directory.Exists(tmp["out/models/itemknn"])); // the earlier run's bundle is gone
        Assert.True(File.Exists(tmp["out/notes.txt"]));            // a file the run did not write stays
        // A folder no run wrote is never cleared.
        Directory.CreateDirectory(tmp["other/models/keep"]);
        RunJob.Run(Options(tmp, csv, null, "other"), ProgressReporter.Quiet);
        Assert.True(Directory.Exists(tmp["other/models/keep"]));
    }
}
