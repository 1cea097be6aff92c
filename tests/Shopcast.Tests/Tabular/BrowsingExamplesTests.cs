using Shopcast.Data;
using Shopcast.Data.Synthetic;
using Shopcast.Evaluation;
using Shopcast.Features;
using Shopcast.Jobs;
using Shopcast.Models;
using Shopcast.Models.Tabular;
using Shopcast.Reporting;
using Shopcast.Tasks.Browsing;

namespace Shopcast.Tests.Tabular;

/// <summary>Dwell, session-length and bounce examples: labels, censoring and leakage, on small SYNTHETIC logs; the job on real logs.</summary>
public class BrowsingExamplesTests
{
    private const long S = 1000, M = 60 * S;

    private sealed record E(int User, int Item, EventType Type, long Time, int Session);

    private static BehaviourLog Log(params E[] events)
    {
        var sorted = events.OrderBy(e => e.Time).ToArray();
        return new BehaviourLog
        {
            User = sorted.Select(e => e.User).ToArray(), Item = sorted.Select(e => e.Item).ToArray(),
            Category = sorted.Select(e => e.Item % 2).ToArray(), Session = sorted.Select(e => e.Session).ToArray(),
            Type = sorted.Select(e => e.Type).ToArray(), TimeMs = sorted.Select(e => e.Time).ToArray(),
            Users = new[] { "u0", "u1" }, Items = new[] { "i0", "i1", "i2" }, Categories = new[] { "c0", "c1" },
        };
    }

    private static readonly E[] Base =
    {
        new(0, 0, EventType.View, 100 * M, 0), new(0, 1, EventType.View, 100 * M + 40 * S, 0), new(0, 2, EventType.Cart, 100 * M + 100 * S, 0),
        new(1, 0, EventType.View, 200 * M, 1), new(1, 1, EventType.View, 200 * M + 10 * S, 1),
        new(0, 0, EventType.View, 300 * M, 2),
    };

    private static float Col(FeatureTable t, int row, string column) => t[row, t.Columns.ToList().IndexOf(column)];

    [Fact]
    public void Dwell_is_the_gap_to_the_next_event_and_a_sessions_last_view_is_censored()
    {
        var log = Log(Base);
        var ex = BrowsingExamples.Dwell(log, new PointInTimeFeatures(log));
        Assert.Equal(new[] { 40f, 60f, 10f }, ex.Table.Labels); // views with a next event; the cart is not an example
        Assert.Equal(2, ex.Censored); // the last view of session 1 and the lone view of session 2
        // Item 0's dwell (40 s, then user 1's view of it) is known to the later view of item 0 by user 1? No: user 1 views
        // item 0 at 200 min, after user 0's dwell on it ended, so the item average holds log(1 + 40).
        Assert.Equal((float)Math.Log(41), Col(ex.Table, 2, "dwell.item.mean_log"), 4);
        Assert.Equal(1f, Col(ex.Table, 2, "dwell.item.count"));
        Assert.Equal(0f, Col(ex.Table, 0, "dwell.item.count")); // nothing before the first view
        Assert.Equal(40f, Col(ex.Table, 1, "session.seconds_since_previous"));
    }

    [Fact]
    public void Planting_a_future_event_does_not_change_the_features_of_earlier_examples()
    {
        var log = Log(Base);
        var planted = Log(Base.Append(new E(1, 0, EventType.Purchase, 250 * M, 1)).Append(new E(0, 0, EventType.View, 100 * M + 50 * S, 9)).ToArray());
        var before = BrowsingExamples.Dwell(log, new PointInTimeFeatures(log));
        var after = BrowsingExamples.Dwell(planted, new PointInTimeFeatures(planted));
        // The first example (t = 100 min) precedes both planted events: every feature must be unchanged.
        Assert.Equal(before.Table.Row(0).ToArray(), after.Table.Row(0).ToArray());
        var s1 = BrowsingExamples.SessionStarts(log, new PointInTimeFeatures(log), 30 * M);
        var s2 = BrowsingExamples.SessionStarts(planted, new PointInTimeFeatures(planted), 30 * M);
        Assert.Equal(s1.Table.Row(0).ToArray(), s2.Table.Row(0).ToArray());
    }

    [Fact]
    public void Session_starts_label_length_and_bounce_and_learn_from_settled_sessions_only()
    {
        var log = Log(Base);
        var ex = BrowsingExamples.SessionStarts(log, new PointInTimeFeatures(log), 30 * M);
        Assert.Equal(new[] { 3f, 2f, 1f }, ex.SessionLength);
        Assert.Equal(new[] { 0f, 0f, 1f }, ex.Table.Labels); // only session 2 bounces
        // Session 2 (user 0, at 300 min) sees user 0's settled session 0: one session, no bounce, log(3) events.
        Assert.Equal(1f, Col(ex.Table, 2, "sessions.user.count"));
        Assert.Equal(0f, Col(ex.Table, 2, "sessions.user.bounce_rate"));
        Assert.Equal((float)Math.Log(3), Col(ex.Table, 2, "sessions.user.mean_log_length"), 4);
        // With a gap longer than the time between them, session 0 has not settled when session 2 starts.
        var unsettled = BrowsingExamples.SessionStarts(log, new PointInTimeFeatures(log), 250 * M);
        Assert.Equal(0f, Col(unsettled.Table, 2, "sessions.user.count"));
    }

    [Fact]
    public void Regression_metrics_match_hand_computed_values()
    {
        var m = RegressionMetrics.Compute(new[] { 1f, 2f, 3f, 10f }, new[] { 2f, 2f, 2f, 2f });
        Assert.Equal(2.5, m["MAE"], 6);                       // (1 + 0 + 1 + 8) / 4
        Assert.Equal(Math.Sqrt(66 / 4.0), m["RMSE"], 6);      // (1 + 0 + 1 + 64) / 4
        Assert.Equal(1.0, m["MedianAE"], 6);
        Assert.Equal(2f, RegressionMetrics.Median(new[] { 3f, 1f, 2f }));
    }

    [Theory]
    [InlineData("linear", "")]
    [InlineData("lgbm", "")]
    [InlineData("lgbm", "l2")]
    public void Regressors_learn_a_planted_rule_and_save_then_load_identically(string name, string objective)
    {
        var rng = new Random(3);
        FeatureTable Table(int rows)
        {
            var x = Enumerable.Range(0, rows * 3).Select(_ => (float)rng.NextDouble()).ToArray();
            var y = Enumerable.Range(0, rows).Select(r => 2 * x[r * 3] + 0.05f * (float)rng.NextDouble()).ToArray(); // y depends on column 0 only
            return new FeatureTable { Columns = new[] { "a", "b", "c" }, Values = x, Labels = y };
        }
        var settings = new Dictionary<string, string>();
        if (objective != "") settings["objective"] = objective;
        var entry = RegressorCatalog.Find(name);
        var model = entry.Create(new ModelSettings(name, settings));
        var train = Table(2000); var test = Table(500);
        model.Fit(train, Table(300), seed: 1, ProgressReporter.Quiet);
        var predicted = model.Predict(test);
        var mae = RegressionMetrics.Compute(test.Labels, predicted)["MAE"];
        Assert.True(mae < 0.1, $"{name} MAE {mae} on y = 2a (the median baseline is about 0.5)");
        using var dir = new TestData.TempDir();
        model.Save(dir.Path);
        var loaded = entry.Load(dir.Path, new ModelSettings(name, settings));
        Assert.Equal(predicted, loaded.Predict(test));
    }

    [Fact]
    public void The_lgbm_regressor_names_its_objectives_when_given_another()
    {
        var e = Assert.Throws<ShopcastInputException>(() => new LightGbmRegressor(new ModelSettings("lgbm", new Dictionary<string, string> { ["objective"] = "huber" })));
        Assert.Contains("l1", e.Message);
    }

    [Fact]
    public void Dwell_job_runs_on_the_simulated_shop_and_writes_both_targets()
    {
        using var dir = new TestData.TempDir();
        var csv = dir["shop.csv"];
        SimulatedShop.WriteCsv(csv, new SimulatedShopOptions { Users = 200, Categories = 4, ItemsPerCategory = 10, Days = 6, Seed = 4 });
        var r = BrowsingJob.Run(new RunOptions
        {
            DataPath = csv, Format = "csv", Columns = SimulatedShop.Columns, Task = "dwell", Models = new[] { "linear", "lgbm" }, OutDir = dir["out"],
        }, ProgressReporter.Quiet);
        Assert.Equal(new[] { "dwell", "session-length" }, r.Targets.Select(t => t.Target));
        Assert.All(r.Targets.Where(t => t.Skipped is null), t => Assert.Equal(2, t.Results.Count));
        Assert.True(File.Exists(Path.Combine(dir["out"], "report.md")));
        Assert.True(File.Exists(Path.Combine(dir["out"], "models", "dwell", "lgbm", "manifest.json")));
    }

    [Fact]
    public void Dwell_refuses_a_log_without_clock_times()
    {
        using var dir = new TestData.TempDir();
        var path = dir.File("seqs.txt", "1 1 2 3 4\n2 2 3 4 5\n3 1 3 5 2\n");
        var e = Assert.Throws<TaskNotSupportedException>(() => BrowsingJob.Run(new RunOptions
        {
            DataPath = path, Format = "sequences", Task = "dwell", Models = new[] { "lgbm" }, OutDir = dir["out"],
        }, ProgressReporter.Quiet));
        Assert.Contains("no clock time", e.Message);
    }

    [RealDataFact("taobao-userbehavior-815users/UserBehavior.csv")]
    public void On_taobao_lightgbm_beats_the_median_on_dwell_and_session_length_mae()
    {
        using var dir = new TestData.TempDir();
        var r = BrowsingJob.Run(new RunOptions
        {
            DataPath = RealData.Path("taobao-userbehavior-815users/UserBehavior.csv"), Task = "dwell", Models = new[] { "lgbm" }, OutDir = dir.Path,
        }, ProgressReporter.Quiet);
        foreach (var t in r.Targets)
        {
            double median = t.Baselines.First(kv => kv.Key.StartsWith("median")).Value["MAE"];
            Assert.True(t.Results[0].Metrics["MAE"] < median, $"{t.Target}: lgbm MAE {t.Results[0].Metrics["MAE"]} vs median {median}");
        }
    }

    [RealDataFact("taobao-userbehavior-815users/UserBehavior.csv")]
    public void On_taobao_bounce_lightgbm_beats_the_best_single_feature()
    {
        using var dir = new TestData.TempDir();
        var r = ClassificationJob.Run(new RunOptions
        {
            DataPath = RealData.Path("taobao-userbehavior-815users/UserBehavior.csv"), Task = "bounce", Models = new[] { "lgbm" }, OutDir = dir.Path,
        }, ProgressReporter.Quiet);
        Assert.True(r.Results[0].Metrics["AUC"] > r.Baselines.Max(b => b.Metrics["AUC"]) + 0.01,
            $"bounce lgbm AUC {r.Results[0].Metrics["AUC"]} vs best single feature {r.Baselines.Max(b => b.Metrics["AUC"])}");
    }
}
