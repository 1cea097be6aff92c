using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Shopcast.Data;
using Shopcast.Evaluation;
using Shopcast.Features;
using Shopcast.Models;
using Shopcast.Models.Tabular;
using Shopcast.Reporting;
using Shopcast.Splits;
using Shopcast.Tasks.Browsing;
using Shopcast.Tasks.Conversion;
using Shopcast.Tasks.PurchaseIntent;
using Shopcast.Tasks.Tabular;

namespace Shopcast.Jobs;

/// <summary>
/// The main job for yes/no tasks (<c>--task purchase-intent</c>): read labelled examples, cross-validate every
/// classifier on the same stratified folds, and write metrics.json, report.md, plots and one bundle per model
/// (refitted on all rows). Inside each training fold a stratified fifth is held out for early stopping and for
/// choosing the decision threshold, so nothing about a test fold is used before it is scored.
/// </summary>
public static class ClassificationJob
{
    public const string PurchaseIntent = "purchase-intent";
    public const string Conversion = "conversion";
    /// <summary>Will a session that just began end after one event?</summary>
    public const string Bounce = "bounce";
    public static readonly string[] Tasks = { PurchaseIntent, Conversion, Bounce };
    public const double ValidationShare = 0.2;
    /// <summary>Time-ordered splits have one test set; the spread comes from this many training seeds.</summary>
    public const int Seeds = 3;

    public static ClassificationResult Run(RunOptions o, ProgressReporter progress)
    {
        if (!Tasks.Contains(o.Task)) throw new ShopcastInputException($"--task {o.Task}: not a yes/no task; these are: {string.Join(", ", Tasks)}");
        if (o.Models.Count == 0) throw new ShopcastInputException("--models: name at least one model, e.g. --models lr,lgbm,mlp");
        var entries = o.Models.Select(ClassifierCatalog.Find).ToList();
        var settingsOf = ModelSettings.ForSelection(o.Models, entries.Select(e => e.Name), o.Settings);
        foreach (var e in entries) e.Create(settingsOf(e.Name)); // a bad --set value is refused before the data is read
        if (o.Folds < 2) throw new ShopcastInputException($"--folds {o.Folds}: need at least 2 folds");
        if (o.Task == Conversion) CategoryLevel(o);
        else if (o.Level is not null) throw new ShopcastInputException($"--level {o.Level}: --level is for --task conversion and preference, not {o.Task}");

        RunJob.CreateOutDir(o.OutDir);
        var ex = ReadExamples(o, progress);
        if (ex.Train.Behaviour is null && entries.Any(e => e.Name == Din.CatalogName))
            throw new ShopcastInputException($"--models din: DIN attends over behaviour sequences, and {o.DataPath} is a table without them; use an event log, or drop din");
        File.WriteAllText(Path.Combine(o.OutDir, "ingest_account.json"), JsonSerializer.Serialize(ex.Account, Json.Indented));
        if (o.Task == Bounce && ex.Train.Labels.All(l => l < 0.5f) && (ex.Test?.Labels.All(l => l < 0.5f) ?? true))
            throw new TaskNotSupportedException($"--task bounce: {o.DataPath} has no one-event sessions (bounces), so there is nothing to predict " +
                                                "(its preprocessing may have removed them, as session-rec's does)");
        foreach (var (what, t) in new[] { ("training", ex.Train), ("test", ex.Test) })
        {
            if (t is null) continue;
            long pos = t.Labels.LongCount(l => l > 0.5f);
            int need = ex.Test is null ? o.Folds : 1;
            if (pos < need || t.Rows - pos < need)
                throw new TaskNotSupportedException($"--task {o.Task}: {o.DataPath}: the {what} examples have {pos:N0} positive and {t.Rows - pos:N0} negative rows; " +
                                                 (ex.Test is null ? $"each of the {o.Folds} folds needs both" : "both are needed") + " (is the log too small for this task?)");
        }
        var all = ex.Test is null ? ex.Train : null;
        long positives = ex.Train.Labels.LongCount(l => l > 0.5f) + (ex.Test?.Labels.LongCount(l => l > 0.5f) ?? 0);
        long examples = ex.Train.Rows + (ex.Test?.Rows ?? 0);
        progress.Info($"{examples:N0} examples ({positives:N0} positive, {100.0 * positives / examples:0.00} %), {ex.Train.Width} features" +
                      (ex.Test is null ? "" : $"; {ex.Train.Rows:N0} for training, {ex.Test.Rows:N0} for test"));

        var result = new ClassificationResult
        {
            Dataset = new ClassificationDataset
            {
                Name = o.DatasetName ?? Path.GetFileNameWithoutExtension(o.DataPath), Examples = examples, Positives = positives,
                Features = ex.Train.Width, Label = ex.Label, Source = ex.Account.Source, Format = ex.Account.Format,
                TestExamples = ex.Test?.Rows, TestPositives = ex.Test?.Labels.LongCount(l => l > 0.5f),
            },
            Protocol = ex.Protocol,
            Ingest = ex.Account,
            Seed = o.Seed,
            OutDir = o.OutDir,
        };
        if (ex.Test is not null) result.Baselines.AddRange(SingleFeatureBaselines(ex.Train, ex.Test, ex.NamedBaseline));

        var folds = all is null ? null : StratifiedKFold.Assign(all.Labels, all.Groups, o.Folds, o.Seed);
        var curves = new List<(string, double[], double[])>();
        var byPrefixCurves = new List<(string, IReadOnlyList<(string, double)>)>();
        foreach (var entry in entries)
        {
            ProcessMemory.ResetPeak(); // each model's own peak (with the data already in memory), not the run's so far
            var perRun = new List<SortedDictionary<string, double>>();
            var permutation = new Dictionary<string, double>();
            FeatureTable scored = ex.Test ?? all!;
            var predictions = new float[scored.Rows];
            double seconds = 0;
            IBinaryClassifier? evaluated = null;
            double evaluatedThreshold = 0.5;
            int runs = folds is null ? Seeds : o.Folds;
            progress.Step(folds is null ? $"Training {entry.Name} ({Seeds} seeds)" : $"Cross-validating {entry.Name}", runs, bar =>
            {
                for (int f = 0; f < runs; f++)
                {
                    var trainRows = folds is null ? ex.Train : ex.Train.Subset(Enumerable.Range(0, all!.Rows).Where(i => folds[i] != f).ToArray());
                    var testRows = folds is null ? null : Enumerable.Range(0, all!.Rows).Where(i => folds[i] == f).ToArray();
                    var test = testRows is null ? ex.Test! : all!.Subset(testRows);
                    var sw = Stopwatch.StartNew();
                    var (model, threshold) = FitWithValidation(entry, settingsOf(entry.Name), trainRows, o.Seed + f, progress);
                    seconds += sw.Elapsed.TotalSeconds;
                    var p = model.Predict(test);
                    if (p.Any(v => !float.IsFinite(v)))
                        throw new ShopcastInputException($"{entry.Name} predicted non-finite probabilities: its training diverged; lower its learning rate (--set {entry.Name}.lr=...)");
                    if (testRows is not null) for (int i = 0; i < testRows.Length; i++) predictions[testRows[i]] = p[i];
                    else if (f == 0) { p.CopyTo(predictions, 0); evaluated = model; evaluatedThreshold = threshold; }
                    perRun.Add(ClassificationMetrics.Compute(test.Labels, p, threshold));
                    if (folds is not null || f == 0)
                        foreach (var (field, drop) in PermutationImportance.Compute(model, test, o.Seed + f))
                            permutation[field] = permutation.GetValueOrDefault(field) + drop / (folds is null ? 1 : o.Folds);
                    if (model != evaluated) (model as IDisposable)?.Dispose(); // native (libtorch) memory, not left to the GC
                    bar.Describe($"{entry.Name} {(folds is null ? "seed" : "fold")} {f + 1}/{runs}: AUC {perRun[^1]["AUC"]:0.0000}");
                    bar.Increment();
                }
            });
            var (binCount, meanP, observed) = ClassificationMetrics.Reliability(scored.Labels, predictions, 10);
            var filled = Enumerable.Range(0, binCount.Length).Where(b => binCount[b] > 0).ToArray();
            curves.Add((entry.Name, filled.Select(b => meanP[b]).ToArray(), filled.Select(b => observed[b]).ToArray()));
            List<FeatureWeight>? byPrefix = null;
            if (ex.TestPrefix is { } prefix)
            {
                byPrefix = PrefixBuckets.Select(b => (b.Name, Rows: Enumerable.Range(0, prefix.Length).Where(i => prefix[i] >= b.From && prefix[i] <= b.To).ToArray()))
                    .Where(b => b.Rows.Select(i => ex.Test!.Labels[i] > 0.5f).Distinct().Count() == 2) // AUC needs both classes
                    .Select(b => new FeatureWeight(b.Name, Math.Round(ClassificationMetrics.Auc(b.Rows.Select(i => ex.Test!.Labels[i]).ToArray(), b.Rows.Select(i => predictions[i]).ToArray()), 4)))
                    .ToList();
                byPrefixCurves.Add((entry.Name, byPrefix.Select(x => (x.Feature, x.Weight)).ToList()));
            }

            // The bundle: cross-validation refits the same recipe on all rows; a time-ordered split keeps the model it evaluated.
            var (final, finalThreshold) = evaluated is not null ? (evaluated, evaluatedThreshold) : FitWithValidation(entry, settingsOf(entry.Name), all!, o.Seed, progress);
            var bundleDir = Path.Combine(o.OutDir, "models", final.Name);
            SaveBundle(final, o.Task, ex.Train.Columns, finalThreshold, bundleDir, new JsonObject
            {
                ["dataset"] = result.Dataset.Name, ["label"] = ex.Label, ["seed"] = o.Seed,
                ["metrics"] = JsonSerializer.SerializeToNode(MetricSpread.Mean(perRun)),
            });
            List<FeatureWeight>? importance = null;
            if (final is IHasFeatureImportance fi)
            {
                var w = fi.FeatureImportance();
                importance = w.Select((v, i) => new FeatureWeight(ex.Train.Columns[i], Math.Round(v, 6)))
                    .OrderByDescending(x => x.Weight).Take(20).ToList();
                if (ClassificationPlots.Importance(Path.Combine(o.OutDir, "plots", $"{final.Name}-importance.png"),
                        $"{final.Name}: feature importance (relative split gain)", importance.Select(x => (x.Feature, x.Weight)).ToList()))
                    result.Plots[$"{final.Name}-importance"] = $"plots/{final.Name}-importance.png";
            }
            result.Results.Add(new ClassifierResult
            {
                Task = o.Task, Model = entry.Name, Metrics = MetricSpread.Mean(perRun), MetricsStd = MetricSpread.Std(perRun), Folds = perRun,
                TrainSeconds = Math.Round(seconds / runs, 3),
                Params = final.Params.ToDictionary(k => k.Key, k => Convert.ToString(k.Value, CultureInfo.InvariantCulture) ?? ""),
                Bundle = Path.GetRelativePath(o.OutDir, bundleDir),
                PeakRssMiB = Math.Round(ProcessMemory.PeakRssMiB(), 1),
                Importance = importance,
                PermutationImportance = permutation.OrderByDescending(kv => kv.Value).Take(20).Select(kv => new FeatureWeight(kv.Key, Math.Round(kv.Value, 6))).ToList(),
                AucByPrefix = byPrefix,
            });
            result.Results[^1].Explanations = PredictionExplanations.Write(final, scored, result, o.Seed, seenInTraining: evaluated is null);
            (final as IDisposable)?.Dispose();
        }
        var bestModel = result.Results.OrderByDescending(m => m.Metrics.GetValueOrDefault("AUC")).First();
        if (ClassificationPlots.Importance(Path.Combine(o.OutDir, "plots", "permutation-importance.png"),
                $"{bestModel.Model} (best AUC): test AUC lost when a field is shuffled", bestModel.PermutationImportance!.Select(x => (x.Feature, x.Weight)).ToList()))
            result.Plots["permutation-importance"] = "plots/permutation-importance.png";
        if (ClassificationPlots.Reliability(Path.Combine(o.OutDir, "plots", "reliability.png"), curves))
            result.Plots["reliability"] = "plots/reliability.png";
        if (byPrefixCurves.Count > 0 && ClassificationPlots.AucByPrefix(Path.Combine(o.OutDir, "plots", "auc-by-prefix.png"), byPrefixCurves))
            result.Plots["auc-by-prefix"] = "plots/auc-by-prefix.png";
        File.WriteAllText(Path.Combine(o.OutDir, "metrics.json"), JsonSerializer.Serialize(result, Json.Indented));
        File.WriteAllText(Path.Combine(o.OutDir, "report.md"), ClassificationReport.Markdown(result));
        return result;
    }

    private static readonly (string Name, int From, int To)[] PrefixBuckets =
        { ("1", 1, 1), ("2", 2, 2), ("3", 3, 3), ("4-5", 4, 5), ("6-10", 6, 10), ("11-20", 11, 20), ("21+", 21, int.MaxValue) };

    /// <summary>
    /// Rules of thumb a shop would try first, each one feature used as the score: the one with the best AUC on the
    /// training rows (chosen there, reported on test), and a named one (e.g. "carted it in the last day").
    /// </summary>
    private static List<BaselineResult> SingleFeatureBaselines(FeatureTable train, FeatureTable test, string? named)
    {
        float[] Column(FeatureTable t, int c) { var a = new float[t.Rows]; for (int r = 0; r < t.Rows; r++) a[r] = t[r, c]; return a; }
        int best = -1; double bestAuc = double.NegativeInfinity; bool flip = false;
        for (int c = 0; c < train.Width; c++)
        {
            double auc = ClassificationMetrics.Auc(train.Labels, Column(train, c));
            if (double.IsNaN(auc)) continue;
            double oriented = Math.Max(auc, 1 - auc);
            if (oriented > bestAuc) { bestAuc = oriented; best = c; flip = auc < 0.5; }
        }
        var list = new List<BaselineResult>();
        void Add(int c, bool negate, string why)
        {
            var score = Column(test, c);
            if (negate) for (int i = 0; i < score.Length; i++) score[i] = -score[i];
            list.Add(new BaselineResult($"{(negate ? "-" : "")}{train.Columns[c]}", why, new SortedDictionary<string, double>
            {
                ["AUC"] = Math.Round(ClassificationMetrics.Auc(test.Labels, score), 6),
                ["PR-AUC"] = Math.Round(ClassificationMetrics.AveragePrecision(test.Labels, score), 6),
            }));
        }
        if (best >= 0) Add(best, flip, $"the single feature with the best AUC on the training rows ({bestAuc:0.0000} there)");
        int namedColumn = named is null ? -1 : train.Columns.ToList().IndexOf(named);
        if (namedColumn >= 0 && namedColumn != best) Add(namedColumn, false, "a rule of thumb");
        return list;
    }

    /// <summary>Fits on all but a stratified validation share of <paramref name="train"/> and picks the F1 threshold there.</summary>
    internal static (IBinaryClassifier Model, double Threshold) FitWithValidation(ClassifierCatalog.Entry entry, ModelSettings settings,
        FeatureTable train, int seed, ProgressReporter progress)
    {
        var (keep, holdout) = StratifiedKFold.Holdout(train.Labels, train.Groups, ValidationShare, seed);
        var fitRows = train.Subset(keep);
        var valid = train.Subset(holdout);
        var model = entry.Create(settings);
        model.Fit(fitRows, valid, seed, progress);
        return (model, ClassificationMetrics.BestF1Threshold(valid.Labels, model.Predict(valid)));
    }

    /// <summary>Examples ready to evaluate: one table to cross-validate (Test null), or a time-ordered training/test pair.</summary>
    private sealed class ExampleSet
    {
        public required FeatureTable Train { get; init; }
        public FeatureTable? Test { get; init; }
        /// <summary>Session intent: the prefix length of each test row.</summary>
        public int[]? TestPrefix { get; init; }
        public required TableAccount Account { get; init; }
        public required string Label { get; init; }
        public required ClassificationProtocol Protocol { get; init; }
        public string? NamedBaseline { get; init; }
    }

    private const string ValidationText = "a stratified 20 % of the training rows (grouped, so one user or session stays on one side), for early stopping and the threshold; the test rows are never seen before scoring";
    private const string ThresholdText = "the F1-maximising threshold on the validation rows (Accuracy, Precision, Recall and F1 use it; Accuracy@0.5 and F1@0.5 use 0.5)";
    private const string ImbalanceText = "no resampling or class weights, so probabilities stay calibrated; the imbalance is met by the validation-chosen threshold and by reporting PR-AUC";

    private static ExampleSet ReadExamples(RunOptions o, ProgressReporter progress)
    {
        if (!File.Exists(o.DataPath)) throw new ShopcastInputException($"--data {o.DataPath}: file not found");
        var format = o.Format?.ToLowerInvariant() ?? (UciShoppers.IsTable(o.DataPath) ? UciShoppers.FormatName : null);
        if (format == UciShoppers.FormatName)
        {
            if (o.Task != PurchaseIntent) throw new TaskNotSupportedException($"--task {o.Task}: the UCI online shoppers table supports purchase-intent only (it has no events, items or days)");
            var (table, account) = UciShoppers.Read(o.DataPath);
            return new ExampleSet
            {
                Train = table, Account = account, Label = UciShoppers.Label,
                Protocol = new ClassificationProtocol
                {
                    Split = $"stratified-{o.Folds}-fold",
                    SplitDescription = $"stratified {o.Folds}-fold cross-validation (seed {o.Seed}); metrics are the mean and standard deviation over the test folds",
                    Folds = o.Folds, Validation = ValidationText, Threshold = ThresholdText, Imbalance = ImbalanceText,
                },
            };
        }

        // An event log: ingest it into the store, then build examples in time order.
        var (store, ingest) = RunJob.IngestLog(o, progress);
        using var _ = store;
        var acc = TableAccount.FromIngest(ingest);
        var log = BehaviourLog.Load(store, o.Task);
        if (o.Task != Bounce && !log.Type.Contains(EventType.Purchase))
            throw new TaskNotSupportedException($"--task {o.Task}: {o.DataPath} has no purchase events, so there is nothing to predict (it has: {string.Join(", ", store.EventsByType().Select(t => $"{t.Type} {t.Count:N0}"))})");
        // Conversion examples all sit at a midnight cutoff, and the test day's weekday never occurs among the training
        // cutoffs, so the clock columns would be constant or unseen there; session prefixes and session starts keep them.
        var features = progress.Step("Indexing events for point-in-time features", 1, bar =>
        {
            var f = new PointInTimeFeatures(log, clock: o.Task != Conversion); bar.Increment(); return f;
        });
        long testCutoff = ConversionExamples.TestCutoff(log);
        string day = $"{DateTimeOffset.FromUnixTimeMilliseconds(testCutoff):u}";
        if (o.Task == Bounce)
        {
            long settle = (long)o.SessionGap.TotalMilliseconds;
            var ex = progress.Step("Building session starts", 1, bar => { var r = BrowsingExamples.SessionStarts(log, features, settle); bar.Increment(); return r; });
            // A training session's outcome is known once it has settled (last event + the gap), before the test day begins.
            var trainRows = Enumerable.Range(0, ex.Table.Rows).Where(i => ex.SessionEndMs[i] + settle < testCutoff).ToArray();
            var testRows = Enumerable.Range(0, ex.Table.Rows).Where(i => ex.SessionStartMs[i] >= testCutoff).ToArray();
            return new ExampleSet
            {
                Train = ex.Table.Subset(trainRows), Test = ex.Table.Subset(testRows),
                Account = acc, Label = "the session ends after its first event (a bounce)",
                Protocol = new ClassificationProtocol
                {
                    Split = "time-ordered",
                    SplitDescription = $"time-ordered: one example per session at its first event; sessions that start in the log's last 24 hours (from {day}) are the test set, " +
                                       $"sessions settled (last event + the {o.SessionGap.TotalMinutes:0}-minute gap) before it train; metrics are the mean and standard deviation over {Seeds} seeds",
                    Folds = 0, Validation = ValidationText, Threshold = ThresholdText, Imbalance = ImbalanceText,
                },
                NamedBaseline = "sessions.user.bounce_rate",
            };
        }
        if (o.Task == PurchaseIntent)
        {
            var (table, prefix, starts, ends) = progress.Step("Building session prefixes", 1, bar => { var r = SessionIntentExamples.Build(log, features, MaxPrefix); bar.Increment(); return r; });
            // Training sessions end before the test day begins, so no training label or feature comes from the test period.
            var trainRows = Enumerable.Range(0, table.Rows).Where(i => ends[i] < testCutoff).ToArray();
            var testRows = Enumerable.Range(0, table.Rows).Where(i => starts[i] >= testCutoff).ToArray();
            return new ExampleSet
            {
                Train = table.Subset(trainRows), Test = table.Subset(testRows), TestPrefix = testRows.Select(i => prefix[i]).ToArray(),
                Account = acc, Label = "the session buys after this prefix",
                Protocol = new ClassificationProtocol
                {
                    Split = "time-ordered",
                    SplitDescription = $"time-ordered: sessions that start in the log's last 24 hours (from {day}) are the test set, sessions that end before it train " +
                                       "(the few that straddle the cutoff are left out); " +
                                       $"each session is cut after each of its first {MaxPrefix} events, never past its first purchase; metrics are the mean and standard deviation over {Seeds} seeds",
                    Folds = 0, Validation = ValidationText, Threshold = ThresholdText, Imbalance = ImbalanceText,
                },
                NamedBaseline = "prefix.carts",
            };
        }
        // Conversion: training cutoffs are the days before the test cutoff with at least a day of history before them.
        bool categoryLevel = CategoryLevel(o);
        long start = log.TimeMs[0];
        var trainCutoffs = Enumerable.Range(1, TrainingDays).Select(k => testCutoff - k * ConversionExamples.DayMs)
            .Where(c => c - ConversionExamples.DayMs >= start).ToArray();
        if (trainCutoffs.Length == 0) throw new TaskNotSupportedException($"--task conversion: the log spans less than three days; it needs history, a training day and a test day");
        var train = progress.Step("Building training candidates", 1, bar => { var t = ConversionExamples.Build(log, features, trainCutoffs, categoryLevel); bar.Increment(); return t; });
        var test = progress.Step("Building test candidates", 1, bar => { var t = ConversionExamples.Build(log, features, new[] { testCutoff }, categoryLevel); bar.Increment(); return t; });
        string unit = categoryLevel ? "category" : "item";
        return new ExampleSet
        {
            Train = train, Test = test, Account = acc, Label = $"the user buys the {unit} in the next 24 hours",
            Protocol = new ClassificationProtocol
            {
                Split = "time-ordered",
                SplitDescription = $"time-ordered: candidates are the (user, {unit}) pairs touched before a cutoff, labelled by a purchase in the 24 hours after it; " +
                                   $"test cutoff {day} (the log's last day), training cutoffs the {trainCutoffs.Length} days before it; features use only events before each cutoff; " +
                                   $"metrics are the mean and standard deviation over {Seeds} seeds",
                Folds = 0, Validation = ValidationText, Threshold = ThresholdText, Imbalance = ImbalanceText,
            },
            NamedBaseline = categoryLevel ? "user_category.cart.1d" : "user_item.cart.1d",
        };
    }

    private static bool CategoryLevel(RunOptions o) => (o.Level ?? "item") switch
    {
        "item" => false,
        "category" => true,
        var l => throw new ShopcastInputException($"--level {l}: conversion predicts a purchase of the item or of its category; use --level item or --level category"),
    };

    /// <summary>Session prefixes longer than this are not examples (the intent question is asked early in a visit).</summary>
    public const int MaxPrefix = 20;
    /// <summary>Conversion: how many days before the test day serve as training cutoffs.</summary>
    public const int TrainingDays = 5;

    private static void SaveBundle(IBinaryClassifier model, string task, IReadOnlyList<string> columns, double threshold, string directory, JsonObject extra)
    {
        Directory.CreateDirectory(directory);
        model.Save(directory);
        File.WriteAllLines(Path.Combine(directory, "columns.txt"), columns);
        var manifest = ModelBundle.NewManifest(task, model.Name, model.Params);
        manifest["feature_count"] = columns.Count;
        manifest["threshold"] = threshold;
        ModelBundle.WriteManifest(directory, manifest, extra);
    }

    /// <summary>Loads a classifier bundle written by this job: the model, its feature columns and its threshold.</summary>
    public static (IBinaryClassifier Model, IReadOnlyList<string> Columns, double Threshold) LoadBundle(string directory)
    {
        string Where() => $"model bundle '{directory}'";
        var manifest = ModelBundle.ReadManifest(directory);
        if (!Tasks.Contains((string?)manifest["task"])) throw new ShopcastInputException($"{Where()}: holds a '{manifest["task"]}' model, not a yes/no classifier ({string.Join(", ", Tasks)})");
        var columnsPath = Path.Combine(directory, "columns.txt");
        if (!File.Exists(columnsPath)) throw new ShopcastInputException($"{Where()}: columns.txt is missing");
        var columns = File.ReadAllLines(columnsPath);
        var (name, settings) = ModelBundle.ModelOf(manifest, directory);
        var model = ClassifierCatalog.Find(name).Load(directory, columns, settings);
        return (model, columns, (double?)manifest["threshold"] ?? 0.5);
    }
}
