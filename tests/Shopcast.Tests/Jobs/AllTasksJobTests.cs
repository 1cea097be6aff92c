using Shopcast.Data;
using Shopcast.Jobs;
using Shopcast.Reporting;

namespace Shopcast.Tests.Jobs;

/// <summary><c>--task all</c> on a log that supports only next-item (SYNTHETIC sequences without clock times or categories).</summary>
public class AllTasksJobTests
{
    [Fact]
    public void Runs_what_the_log_supports_and_skips_the_rest_with_a_reason()
    {
        using var dir = new TestData.TempDir();
        var lines = Enumerable.Range(1, 40).Select(u => $"{u} " + string.Join(" ", Enumerable.Range(0, 6).Select(k => 1 + (u + k) % 12)));
        var path = dir.File("seqs.txt", string.Join("\n", lines) + "\n");
        Directory.CreateDirectory(dir["out/dwell"]);
        File.WriteAllText(dir["out/dwell/mine.txt"], "a user's file");
        var outcomes = AllTasksJob.Run(new RunOptions { DataPath = path, Format = "sequences", Task = "all", OutDir = dir["out"] }, ProgressReporter.Quiet);
        Assert.Equal(AllTasksJob.Plan.Select(p => p.Task), outcomes.Select(o => o.Task));
        Assert.Equal("ran", outcomes.Single(o => o.Task == "next-item").Status);
        Assert.Contains("--item-attributes", outcomes.Single(o => o.Task == "preference").Headline);
        Assert.All(outcomes.Where(o => o.Task is "purchase-intent" or "conversion" or "bounce" or "dwell"), o =>
        {
            Assert.Equal("skipped", o.Status);
            Assert.Contains("no clock time", o.Headline);
        });
        Assert.True(File.Exists(dir["out/summary.md"]));
        Assert.False(Directory.Exists(dir["out/bounce"]));      // a skipped task leaves no folder behind...
        Assert.True(File.Exists(dir["out/dwell/mine.txt"]));    // ...but never removes one that was there
    }

    [Fact]
    public void Bad_input_stops_the_run_instead_of_being_reported_as_a_skipped_task()
    {
        using var dir = new TestData.TempDir();
        var lines = Enumerable.Range(1, 40).Select(u => $"{u} " + string.Join(" ", Enumerable.Range(0, 6).Select(k => 1 + (u + k) % 12)));
        var path = dir.File("seqs.txt", string.Join("\n", lines) + "\n");
        var badSetting = new Dictionary<string, Dictionary<string, string>> { ["lgbm"] = new() { ["leaves"] = "1" } };
        Assert.Throws<ShopcastInputException>(() => AllTasksJob.Run(new RunOptions
        {
            DataPath = path, Format = "sequences", Task = "all", OutDir = dir["out1"], Settings = badSetting,
        }, ProgressReporter.Quiet));
        Assert.False(Directory.Exists(dir["out1/next-item"])); // refused before any task ran
        var e = Assert.Throws<ShopcastInputException>(() => AllTasksJob.Run(new RunOptions
        {
            DataPath = path, Format = "sequences", Task = "all", OutDir = dir["out2"],
            Settings = new Dictionary<string, Dictionary<string, string>> { ["bert4rec"] = new() { ["layers"] = "1" } },
        }, ProgressReporter.Quiet));
        Assert.Contains("no task of --task all runs 'bert4rec'", e.Message);
        var empty = dir.File("empty.csv", "");
        Assert.Throws<DataFormatException>(() => AllTasksJob.Run(new RunOptions { DataPath = empty, Task = "all", OutDir = dir["out3"] }, ProgressReporter.Quiet));
    }
}
