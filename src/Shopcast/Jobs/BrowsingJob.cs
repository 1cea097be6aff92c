using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Shopcast.Data;
using Shopcast.Evaluation;
using Shopcast.Features;
using Shopcast.Models;
using Shopcast.Reporting;
using Shopcast.Tasks.Browsing;
using Shopcast.Tasks.Conversion;
using Shopcast.Tasks.Tabular;
using Shopcast.Training;

namespace Shopcast.Jobs;

/// <summary>
/// The main job for <c>--task dwell</c>: from an event log with clock times, predict how long a shopper stays on a
/// viewed item (seconds to the next event in the session) and how many events a session that just began will have.
/// Time-ordered like the other log tasks: the log's last 24 hours are the test set. Models learn log(1 + y), since
/// both targets are heavy-tailed, and are scored in seconds and events against the training median and mean.
/// </summary>
public static class BrowsingJob
{
    public const string Dwell = "dwell";
    public static readonly string[] Tasks = { Dwell };
    public const int Seeds = ClassificationJob.Seeds;

    public static BrowsingResult Run(RunOptions o, ProgressReporter progress)
    {
        if (!Tasks.Contains(o.Task)) throw new ShopcastInputException($"--task {o.Task}: not a browsing task; these are: {string.Join(", ", Tasks)}");
        if (o.Models.Count == 0) throw new ShopcastInputException("--models: name at least one model, e.g. --models linear,lgbm");
        if (o.Level is not null) throw new ShopcastInputException($"--level {o.Level}: --level is for --task conversion and preference, not {o.Task}");
        var entries = o.Models.Select(RegressorCatalog.Find).ToList();
        var settingsOf = ModelSettings.ForSelection(o.Models, entries.Select(e => e.Name), o.Settings);
        foreach (var e in entries) e.Create(settingsOf(e.Name)); // a bad --set value is refused before the data is read
        if (File.Exists(o.DataPath) && UciShoppers.IsTable(o.DataPath) || o.Format == UciShoppers.FormatName)
            throw new TaskNotSupportedException($"--task {o.Task}: the UCI online shoppers table has no events or times; dwell needs an event log with timestamps");

        RunJob.CreateOutDir(o.OutDir);
        var (store, ingest) = RunJob.IngestLog(o, progress);
        using var _ = store;
        var account = TableAccount.FromIngest(ingest);
        File.WriteAllText(Path.Combine(o.OutDir, "ingest_account.json"), JsonSerializer.Serialize(account, Json.Indented));
        var log = BehaviourLog.Load(store, o.Task);
        var features = progress.Step("Indexing events for point-in-time features", 1, bar => { var f = new PointInTimeFeatures(log); bar.Increment(); return f; });
        long cutoff = ConversionExamples.TestCutoff(log);
        long settle = (long)o.SessionGap.TotalMilliseconds;
        var dwell = progress.Step("Building dwell examples", 1, bar => { var r = BrowsingExamples.Dwell(log, features); bar.Increment(); return r; });
        var starts = progress.Step("Building session starts", 1, bar => { var r = BrowsingExamples.SessionStarts(log, features, settle); bar.Increment(); return r; });

        var result = new BrowsingResult
        {
            Dataset = new ClassificationDataset
            {
                Name = o.DatasetName ?? Path.GetFileNameWithoutExtension(o.DataPath), Examples = dwell.Table.Rows + starts.Table.Rows,
                Features = dwell.Table.Width, Label = "dwell seconds; session length", Source = account.Source, Format = account.Format,
            },
            Protocol = $"time-ordered: sessions that start in the log's last 24 hours (from {DateTimeOffset.FromUnixTimeMilliseconds(cutoff):u}) are the test set; " +
                       $"training uses sessions that ended before it (session length: settled, last event + the {o.SessionGap.TotalMinutes:0}-minute gap, before it); " +
                       $"a random 20 % of the training sessions (seeded) is held out for early stopping; models learn log(1 + y) (session length is then rounded to whole events); metrics are the mean and standard deviation over {Seeds} seeds",
            Ingest = account, Seed = o.Seed, OutDir = o.OutDir,
        };

        var sessionLength = new FeatureTable { Columns = starts.Table.Columns, Values = starts.Table.Values, Labels = starts.SessionLength!, Groups = starts.Table.Groups };
        var targets = new[]
        {
            (Target: "dwell", Label: "seconds from a view to the next event in its session", Unit: "s", Table: dwell.Table, dwell.SessionStartMs, dwell.SessionEndMs, Settle: 0L,
                LeftOut: dwell.Censored > 0 ? new SortedDictionary<string, long> { ["censored: the session's last event, no next event"] = dwell.Censored } : new()),
            (Target: "session-length", Label: "events in a session, predicted at its first event", Unit: "events", Table: sessionLength, starts.SessionStartMs, starts.SessionEndMs, Settle: settle,
                LeftOut: new SortedDictionary<string, long>()),
        };
        foreach (var t in targets)
        {
            var target = new BrowsingTarget { Target = t.Target, Label = t.Label, Unit = t.Unit, LeftOut = t.LeftOut };
            result.Targets.Add(target);
            var trainRows = Enumerable.Range(0, t.Table.Rows).Where(i => t.SessionEndMs[i] + t.Settle < cutoff).ToArray();
            var testRows = Enumerable.Range(0, t.Table.Rows).Where(i => t.SessionStartMs[i] >= cutoff).ToArray();
            target.TrainRows = trainRows.Length; target.TestRows = testRows.Length;
            if (trainRows.Length < 10 || testRows.Length < 10)
            {
                target.Skipped = $"too few rows: {trainRows.Length:N0} for training and {testRows.Length:N0} for test (at least 10 each)";
                progress.Info($"{t.Target}: skipped, {target.Skipped}");
                continue;
            }
            var train = t.Table.Subset(trainRows);
            var test = t.Table.Subset(testRows);
            target.TestMedian = RegressionMetrics.Median(test.Labels);
            float median = RegressionMetrics.Median(train.Labels), mean = train.Labels.Average();
            target.Baselines[$"median ({median.ToString("0.##", CultureInfo.InvariantCulture)} {t.Unit})"] = RegressionMetrics.Compute(test.Labels, Enumerable.Repeat(median, test.Rows).ToArray());
            target.Baselines[$"mean ({mean.ToString("0.##", CultureInfo.InvariantCulture)} {t.Unit})"] = RegressionMetrics.Compute(test.Labels, Enumerable.Repeat(mean, test.Rows).ToArray());
            progress.Info($"{t.Target}: {train.Rows:N0} training rows, {test.Rows:N0} test rows; training median {median:0.##} {t.Unit}");

            foreach (var entry in entries)
            {
                ProcessMemory.ResetPeak(); // each model's own peak (with the data already in memory), not the run's so far
                var perSeed = new List<SortedDictionary<string, double>>();
                double seconds = 0;
                IRegressor? first = null;
                progress.Step($"Training {entry.Name} on {t.Target} ({Seeds} seeds)", Seeds, bar =>
                {
                    for (int s = 0; s < Seeds; s++)
                    {
                        var sw = Stopwatch.StartNew();
                        var model = FitOnLogScale(entry, settingsOf(entry.Name), train, o.Seed + s, progress);
                        seconds += sw.Elapsed.TotalSeconds;
                        var predicted = model.Predict(test).Select(v => (float)Math.Max(0, Math.Exp(v) - 1)).ToArray();
                        // A session has a whole number of events (at least one), so the count is predicted as one.
                        if (t.Unit == "events") for (int i = 0; i < predicted.Length; i++) predicted[i] = MathF.Max(1, MathF.Round(predicted[i]));
                        if (predicted.Any(v => !float.IsFinite(v)))
                            throw new ShopcastInputException($"{entry.Name} predicted non-finite values on {t.Target}: its training diverged; change its settings (--set {entry.Name}.lr=...)");
                        perSeed.Add(RegressionMetrics.Compute(test.Labels, predicted));
                        first ??= model;
                        if (model != first) (model as IDisposable)?.Dispose(); // native (LightGBM) memory, not left to the GC
                        bar.Describe($"{entry.Name} seed {s + 1}/{Seeds}: MAE {perSeed[^1]["MAE"]:0.###} {t.Unit}");
                        bar.Increment();
                    }
                });
                var bundleDir = Path.Combine(o.OutDir, "models", t.Target, entry.Name);
                Directory.CreateDirectory(bundleDir);
                first!.Save(bundleDir);
                File.WriteAllLines(Path.Combine(bundleDir, "columns.txt"), train.Columns);
                var manifest = ModelBundle.NewManifest($"{o.Task}:{t.Target}", first.Name, first.Params);
                manifest["feature_count"] = train.Width;
                manifest["target_scale"] = "log1p";
                ModelBundle.WriteManifest(bundleDir, manifest, new JsonObject
                {
                    ["dataset"] = result.Dataset.Name, ["seed"] = o.Seed, ["metrics"] = JsonSerializer.SerializeToNode(MetricSpread.Mean(perSeed)),
                });
                target.Results.Add(new RegressorResult
                {
                    Task = $"{o.Task}:{t.Target}", Model = entry.Name, Metrics = MetricSpread.Mean(perSeed), MetricsStd = MetricSpread.Std(perSeed),
                    TrainSeconds = Math.Round(seconds / Seeds, 3),
                    Params = first.Params.ToDictionary(k => k.Key, k => Convert.ToString(k.Value, CultureInfo.InvariantCulture) ?? ""),
                    Bundle = Path.GetRelativePath(o.OutDir, bundleDir),
                    PeakRssMiB = Math.Round(ProcessMemory.PeakRssMiB(), 1),
                });
                (first as IDisposable)?.Dispose();
            }
        }
        if (result.Targets.All(t => t.Skipped is not null))
            throw new TaskNotSupportedException($"--task dwell: {o.DataPath} is too small for it: " + string.Join("; ", result.Targets.Select(t => $"{t.Target}: {t.Skipped}")));
        File.WriteAllText(Path.Combine(o.OutDir, "metrics.json"), JsonSerializer.Serialize(result, Json.Indented));
        File.WriteAllText(Path.Combine(o.OutDir, "report.md"), BrowsingReport.Markdown(result));
        return result;
    }

    /// <summary>Fits on log(1 + y), holding out a random fifth of the training sessions (by group) for early stopping.</summary>
    private static IRegressor FitOnLogScale(RegressorCatalog.Entry entry, ModelSettings settings, FeatureTable train, int seed, ProgressReporter progress)
    {
        var groups = train.Groups ?? Enumerable.Range(0, train.Rows).ToArray();
        var distinct = groups.Distinct().OrderBy(g => g).ToArray();
        SeededShuffle.Shuffle(distinct, new Random(seed));
        var held = distinct.Take((int)Math.Round(distinct.Length * ClassificationJob.ValidationShare)).ToHashSet();
        var logTable = new FeatureTable { Columns = train.Columns, Values = train.Values, Labels = train.Labels.Select(y => (float)Math.Log(1 + Math.Max(0, y))).ToArray(), Groups = train.Groups };
        var keep = Enumerable.Range(0, train.Rows).Where(i => !held.Contains(groups[i])).ToArray();
        var holdout = Enumerable.Range(0, train.Rows).Where(i => held.Contains(groups[i])).ToArray();
        var model = entry.Create(settings);
        model.Fit(logTable.Subset(keep), logTable.Subset(holdout), seed, progress);
        return model;
    }
}
