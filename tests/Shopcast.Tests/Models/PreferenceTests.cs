using Shopcast.Data;
using Shopcast.Data.Synthetic;
using Shopcast.Jobs;
using Shopcast.Models;
using Shopcast.Models.Baselines;
using Shopcast.Reporting;
using Shopcast.Tasks.NextItem;
using Shopcast.Tasks.Preference;

namespace Shopcast.Tests.Models;

/// <summary>The preference task (next category or brand) and its repeat baseline.</summary>
public class PreferenceTests
{
    [Fact]
    public void Brand_and_leaf_category_are_recovered_from_s3rec_style_attribute_lists()
    {
        // brand first, then the category path: 10 and 11 only ever come first, so they are brands.
        var byItem = new[] { new[] { 10, 1, 2, 3 }, new[] { 11, 1, 2, 4 }, new[] { 1, 5 }, Array.Empty<int>() };
        Assert.Equal(new[] { 3, 4, 5, 0 }, PreferenceSequences.LeafCategories(byItem));
        Assert.Equal(new[] { 10, 11, 0, 0 }, PreferenceSequences.Brands(byItem));
    }

    [Fact]
    public void Repeat_ranks_the_history_by_recency_weighted_count_above_unseen_items()
    {
        var m = new Repeat(new ModelSettings("repeat"));
        m.Fit(new NextItemTrainingData { ItemCount = 5, Sequences = new[] { new[] { 4, 4, 4, 3 } } }, ProgressReporter.Quiet);
        var scores = new float[5];
        m.Score(new[] { 1, 1, 2 }, scores);
        Assert.True(scores[1] > scores[2]);          // twice (0.8 + 0.64) beats once, most recent (1.0)
        Assert.True(scores[2] > scores[4]);          // anything seen beats the most popular unseen item
        Assert.True(scores[4] > scores[3] && scores[3] > scores[0]); // unseen ones by popularity
    }

    [Fact]
    public void Preference_runs_through_the_main_job_over_categories_with_top1_accuracy()
    {
        using var dir = new TestData.TempDir();
        var csv = dir["shop.csv"];
        SimulatedShop.WriteCsv(csv, new SimulatedShopOptions { Users = 300, Categories = 6, ItemsPerCategory = 20, Seed = 5 });
        var r = RunJob.Run(new RunOptions
        {
            DataPath = csv, Format = "csv", Columns = SimulatedShop.Columns, Task = "preference",
            Models = new[] { "pop", "repeat" }, OutDir = dir["out"],
        }, ProgressReporter.Quiet);
        Assert.Equal(6, r.Dataset.Items); // the six categories are the catalogue
        Assert.False(r.Protocol.ExcludeSeen);
        Assert.Contains("HR@1", r.Results[0].Metrics.Keys);
        // Simulated shoppers keep to their favourite categories, so their own history must beat global popularity.
        Assert.True(r.Results[1].Metrics["HR@1"] > r.Results[0].Metrics["HR@1"], $"repeat {r.Results[1].Metrics["HR@1"]} vs pop {r.Results[0].Metrics["HR@1"]}");
    }

    [Fact]
    public void Preference_without_categories_or_attributes_says_what_to_give()
    {
        using var dir = new TestData.TempDir();
        var path = dir.File("seqs.txt", "1 1 2 3 4\n2 2 3 4 5\n3 1 3 5 2\n");
        var e = Assert.Throws<TaskNotSupportedException>(() => RunJob.Run(new RunOptions
        {
            DataPath = path, Format = "sequences", Task = "preference", Models = new[] { "pop" }, OutDir = dir["out"],
        }, ProgressReporter.Quiet));
        Assert.Contains("--item-attributes", e.Message);
    }

    [RealDataFact("amazon-beauty-sports-s3rec/Beauty.txt")]
    public void On_beauty_next_category_sknn_beats_the_most_frequent_category()
    {
        using var dir = new TestData.TempDir();
        var r = RunJob.Run(new RunOptions
        {
            DataPath = RealData.Path("amazon-beauty-sports-s3rec/Beauty.txt"), Task = "preference", Models = new[] { "pop", "sknn" }, OutDir = dir.Path,
        }, ProgressReporter.Quiet);
        Assert.Equal(195, r.Dataset.Items);
        Assert.True(r.Results[1].Metrics["HR@5"] > r.Results[0].Metrics["HR@5"] + 0.05, $"sknn {r.Results[1].Metrics["HR@5"]} vs pop {r.Results[0].Metrics["HR@5"]}");
    }
}
