using System.Text.Json.Nodes;
using Shopcast.Data.Synthetic;
using Shopcast.Jobs;
using Shopcast.Models;
using Shopcast.Reporting;

namespace Shopcast.Tests.Jobs;

/// <summary>The main job end to end on the (synthetic) simulated shop.</summary>
[Collection("torch")] // one test trains sasrec: libtorch's seed is global, so never beside the same-seed checks
public class RunJobTests
{
    private static RunResult RunSmallShop(TestData.TempDir tmp, int seed = 42, string models = "pop,itemknn")
    {
        var csv = tmp["shop.csv"];
        if (!File.Exists(csv)) SimulatedShop.WriteCsv(csv, new SimulatedShopOptions { Users = 400, Categories = 8, ItemsPerCategory = 30, Seed = 1 });
        return RunJob.Run(new RunOptions
        {
            DataPath = csv, Format = "csv", Columns = SimulatedShop.Columns, OutDir = tmp[$"run-{seed}-{models.Replace(',', '-')}"],
            Seed = seed, Models = models.Split(','),
        }, ProgressReporter.Quiet);
    }

    [Fact]
    public void Run_writes_metrics_report_and_bundles_in_the_documented_schema()
    {
        using var tmp = new TestData.TempDir();
        var r = RunSmallShop(tmp);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(r.OutDir, "metrics.json")))!;
        Assert.Equal(400, (long)json["dataset"]!["users"]!);
        Assert.Equal("leave-one-out", (string)json["protocol"]!["split"]!);
        Assert.Equal("full", (string)json["protocol"]!["ranking"]!);
        var results = json["results"]!.AsArray();
        Assert.Equal(2, results.Count);
        foreach (var res in results)
        {
            Assert.Equal("next-item", (string)res!["task"]!);
            foreach (var k in new[] { "HR@10", "NDCG@10", "MRR@10", "Recall@20" }) Assert.NotNull(res["metrics"]![k]);
            Assert.NotNull(res["train_seconds"]);
            Assert.NotNull(res["params"]);
        }
        Assert.True(File.Exists(Path.Combine(r.OutDir, "report.md")));
        Assert.Contains("full ranking", File.ReadAllText(Path.Combine(r.OutDir, "report.md")));
        foreach (var m in new[] { "pop", "itemknn" })
        {
            var b = ModelBundle.Load(Path.Combine(r.OutDir, "models", m));
            Assert.Equal(m, b.Model.Name);
        }
    }

    [Fact]
    public void Same_seed_gives_the_same_metrics()
    {
        using var tmp = new TestData.TempDir();
        var a = RunSmallShop(tmp, 7);
        var b = RunSmallShop(tmp, 7, "pop,itemknn");
        Assert.Equal(a.Results.Select(x => x.Metrics), b.Results.Select(x => x.Metrics));
    }

    [Fact]
    public void ItemKnn_beats_popularity_on_the_simulated_shop()
    {
        // The simulated shop browses to nearby items, so co-occurrence carries signal popularity lacks.
        using var tmp = new TestData.TempDir();
        var r = RunSmallShop(tmp);
        var pop = r.Results.Single(x => x.Model == "pop").Metrics["NDCG@10"];
        var knn = r.Results.Single(x => x.Model == "itemknn").Metrics["NDCG@10"];
        Assert.True(knn > pop * 1.5, $"itemknn NDCG@10 {knn:0.0000} vs pop {pop:0.0000}");
    }

    [Fact]
    public void Sampled_ranking_is_labelled_and_scores_higher_than_full_ranking()
    {
        using var tmp = new TestData.TempDir();
        var csv = tmp["shop.csv"];
        SimulatedShop.WriteCsv(csv, new SimulatedShopOptions { Users = 300, Categories = 8, ItemsPerCategory = 30, Seed = 2 });
        RunResult Go(int sampled, string dir) => RunJob.Run(new RunOptions
        {
            DataPath = csv, Format = "csv", Columns = SimulatedShop.Columns, OutDir = tmp[dir], Models = new[] { "itemknn" }, SampledNegatives = sampled,
        }, ProgressReporter.Quiet);
        var full = Go(0, "full");
        var sampled = Go(50, "sampled");
        Assert.Equal("sampled-50", sampled.Protocol.Ranking);
        Assert.Contains("sampled", sampled.Protocol.RankingDescription);
        Assert.Contains("sampled", File.ReadAllText(Path.Combine(sampled.OutDir, "report.md")));
        Assert.True(sampled.Results[0].Metrics["HR@10"] >= full.Results[0].Metrics["HR@10"]);
    }

    [Fact]
    [Trait("needs", "torch")]
    public void A_deep_model_runs_through_the_main_job_with_history_plot_and_bundle()
    {
        using var tmp = new TestData.TempDir();
        var csv = tmp["shop.csv"];
        SimulatedShop.WriteCsv(csv, new SimulatedShopOptions { Users = 200, Categories = 4, ItemsPerCategory = 15, Seed = 3 });
        var r = RunJob.Run(new RunOptions
        {
            DataPath = csv, Format = "csv", Columns = SimulatedShop.Columns, OutDir = tmp["deep"], Models = new[] { "sasrec" },
            Settings = new Dictionary<string, Dictionary<string, string>> { ["sasrec"] = new() { ["epochs"] = "3", ["hidden"] = "16" } },
        }, ProgressReporter.Quiet);
        var m = r.Results.Single();
        Assert.Equal(3, m.History!.Count);
        Assert.InRange(m.BestEpoch!.Value, 1, 3);
        Assert.All(m.History, e => Assert.NotNull(e.Valid));
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(r.OutDir, "metrics.json")))!;
        Assert.Equal(3, json["results"]![0]!["history"]!.AsArray().Count);
        Assert.Contains("Training of `sasrec`", File.ReadAllText(Path.Combine(r.OutDir, "report.md")));
        if (m.Plot is not null) Assert.True(File.Exists(Path.Combine(r.OutDir, m.Plot)));
        var loaded = ModelBundle.Load(Path.Combine(r.OutDir, "models", "sasrec"));
        Assert.Equal("sasrec", loaded.Model.Name);
    }
}
