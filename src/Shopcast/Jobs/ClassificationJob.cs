using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Shopcast.Data;
using Shopcast.Evaluation;
using Shopcast.Features;
using Shopcast.Models;
using Shopcast.Reporting;
using Shopcast.Splits;
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
    public const double ValidationShare = 0.2;

    public static ClassificationResult Run(RunOptions o, ProgressReporter progress)
    {
        if (o.Models.Count == 0) throw new ShopcastInputException("--models: name at least one model, e.g. --models lr,lgbm,mlp");
        var entries = o.Models.Select(ClassifierCatalog.Find).ToList();
        var settingsOf = ModelSettings.ForSelection(o.Models, entries.Select(e => e.Name), o.Settings);
        foreach (var e in entries) e.Create(settingsOf(e.Name)); // a bad --set value is refused before the data is read
        if (o.Folds < 2) throw new ShopcastInputException($"--folds {o.Folds}: need at least 2 folds");

        var (table, account, label) = ReadExamples(o);
        RunJob.CreateOutDir(o.OutDir);
        File.WriteAllText(Path.Combine(o.OutDir, "ingest_account.json"), JsonSerializer.Serialize(account, Json.Indented));
        long positives = table.Labels.LongCount(l => l > 0.5f);
        if (positives < o.Folds || table.Rows - positives < o.Folds)
            throw new ShopcastInputException($"{o.DataPath}: {positives:N0} positive and {table.Rows - positives:N0} negative examples; each of the {o.Folds} folds needs both");
        progress.Info($"Read {table.Rows:N0} examples ({positives:N0} positive, {100.0 * positives / table.Rows:0.0} %), {table.Width} features, from {o.DataPath}");

        var folds = StratifiedKFold.Assign(table.Labels, table.Groups, o.Folds, o.Seed);
        var result = new ClassificationResult
        {
            Dataset = new ClassificationDataset
            {
                Name = o.DatasetName ?? Path.GetFileNameWithoutExtension(o.DataPath), Examples = table.Rows, Positives = positives,
                Features = table.Width, Label = label, Source = account.Source, Format = account.Format,
            },
            Protocol = new ClassificationProtocol
            {
                Split = $"stratified-{o.Folds}-fold",
                SplitDescription = $"stratified {o.Folds}-fold cross-validation (seed {o.Seed})" + (table.Groups is null ? "" : "; a session's examples stay in one fold") +
                                   "; metrics are the mean and standard deviation over the test folds",
                Folds = o.Folds,
                Validation = $"a stratified {ValidationShare:P0} of each training fold, for early stopping and the threshold; the test fold is never seen before scoring",
                Threshold = "the F1-maximising threshold on the validation rows (Accuracy, Precision, Recall and F1 use it; Accuracy@0.5 and F1@0.5 use 0.5)",
                Imbalance = "no resampling or class weights, so probabilities stay calibrated; the imbalance is met by the validation-chosen threshold and by reporting PR-AUC",
            },
            Ingest = account,
            Seed = o.Seed,
            OutDir = o.OutDir,
        };

        var curves = new List<(string, double[], double[])>();
        foreach (var entry in entries)
        {
            var perFold = new List<SortedDictionary<string, double>>();
            var outOfFold = new float[table.Rows];
            double seconds = 0;
            progress.Step($"Cross-validating {entry.Name}", o.Folds, bar =>
            {
                for (int f = 0; f < o.Folds; f++)
                {
                    var trainRows = Enumerable.Range(0, table.Rows).Where(i => folds[i] != f).ToArray();
                    var testRows = Enumerable.Range(0, table.Rows).Where(i => folds[i] == f).ToArray();
                    var sw = Stopwatch.StartNew();
                    var (model, threshold) = FitWithValidation(entry, settingsOf(entry.Name), table.Subset(trainRows), o.Seed + f, progress);
                    seconds += sw.Elapsed.TotalSeconds;
                    var test = table.Subset(testRows);
                    var p = model.Predict(test);
                    for (int i = 0; i < testRows.Length; i++) outOfFold[testRows[i]] = p[i];
                    perFold.Add(ClassificationMetrics.Compute(test.Labels, p, threshold));
                    bar.Describe($"{entry.Name} fold {f + 1}/{o.Folds}: AUC {perFold[^1]["AUC"]:0.0000}");
                    bar.Increment();
                }
            });
            var (_, meanP, observed) = ClassificationMetrics.Reliability(table.Labels, outOfFold, 10);
            curves.Add((entry.Name, meanP, observed));

            // The bundle: the same recipe on all rows.
            var (final, finalThreshold) = FitWithValidation(entry, settingsOf(entry.Name), table, o.Seed, progress);
            var bundleDir = Path.Combine(o.OutDir, "models", final.Name);
            SaveBundle(final, table.Columns, finalThreshold, bundleDir, new JsonObject
            {
                ["dataset"] = result.Dataset.Name, ["label"] = label, ["seed"] = o.Seed,
                ["cv_metrics"] = JsonSerializer.SerializeToNode(Mean(perFold)),
            });
            List<FeatureWeight>? importance = null;
            if (final is IHasFeatureImportance fi)
            {
                var w = fi.FeatureImportance();
                importance = w.Select((v, i) => new FeatureWeight(table.Columns[i], Math.Round(v, 6)))
                    .OrderByDescending(x => x.Weight).Take(20).ToList();
                if (ClassificationPlots.Importance(Path.Combine(o.OutDir, "plots", $"{final.Name}-importance.png"),
                        $"{final.Name}: feature importance (relative split gain, model on all rows)", importance.Select(x => (x.Feature, x.Weight)).ToList()))
                    result.Plots[$"{final.Name}-importance"] = $"plots/{final.Name}-importance.png";
            }
            result.Results.Add(new ClassifierResult
            {
                Task = o.Task, Model = entry.Name, Metrics = Mean(perFold), MetricsStd = Std(perFold), Folds = perFold,
                TrainSeconds = Math.Round(seconds / o.Folds, 3),
                Params = final.Params.ToDictionary(k => k.Key, k => Convert.ToString(k.Value, CultureInfo.InvariantCulture) ?? ""),
                Bundle = Path.GetRelativePath(o.OutDir, bundleDir),
                PeakRssMiB = Math.Round(ProcessMemory.PeakRssMiB(), 1),
                Importance = importance,
            });
        }
        if (ClassificationPlots.Reliability(Path.Combine(o.OutDir, "plots", "reliability.png"), curves))
            result.Plots["reliability"] = "plots/reliability.png";
        File.WriteAllText(Path.Combine(o.OutDir, "metrics.json"), JsonSerializer.Serialize(result, Json.Indented));
        File.WriteAllText(Path.Combine(o.OutDir, "report.md"), ClassificationReport.Markdown(result));
        return result;
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

    private static (FeatureTable Table, TableAccount Account, string Label) ReadExamples(RunOptions o)
    {
        if (!File.Exists(o.DataPath)) throw new ShopcastInputException($"--data {o.DataPath}: file not found");
        var format = o.Format?.ToLowerInvariant();
        if (format is null)
        {
            using var text = new LogText(o.DataPath);
            format = text.Reader.ReadLine() is { } header && UciShoppers.LooksLike(header) ? UciShoppers.FormatName : null;
        }
        if (format == UciShoppers.FormatName)
        {
            var (table, account) = UciShoppers.Read(o.DataPath);
            return (table, account, UciShoppers.Label);
        }
        throw new ShopcastInputException(
            $"--task {o.Task}: reads session tables in --format {UciShoppers.FormatName} (the UCI online shoppers file); " +
            $"{o.DataPath} is {(format is null ? "not one" : $"--format {format}")}. Purchase intent from raw event logs (sessions cut into prefixes) is not built yet.");
    }

    private static void SaveBundle(IBinaryClassifier model, IReadOnlyList<string> columns, double threshold, string directory, JsonObject extra)
    {
        Directory.CreateDirectory(directory);
        model.Save(directory);
        File.WriteAllLines(Path.Combine(directory, "columns.txt"), columns);
        var manifest = new JsonObject
        {
            ["format"] = ModelBundle.FormatName,
            ["format_version"] = ModelBundle.FormatVersion,
            ["task"] = PurchaseIntent,
            ["model"] = model.Name,
            ["params"] = JsonSerializer.SerializeToNode(model.Params.ToDictionary(k => k.Key, k => Convert.ToString(k.Value, CultureInfo.InvariantCulture))),
            ["feature_count"] = columns.Count,
            ["threshold"] = threshold,
            ["created_utc"] = DateTime.UtcNow.ToString("o"),
            ["shopcast_version"] = typeof(ClassificationJob).Assembly.GetName().Version?.ToString(3),
        };
        foreach (var kv in extra) manifest[kv.Key] = kv.Value?.DeepClone();
        File.WriteAllText(Path.Combine(directory, ModelBundle.ManifestFile), manifest.ToJsonString(Json.Indented));
    }

    /// <summary>Loads a classifier bundle written by this job: the model, its feature columns and its threshold.</summary>
    public static (IBinaryClassifier Model, IReadOnlyList<string> Columns, double Threshold) LoadBundle(string directory)
    {
        string Where() => $"model bundle '{directory}'";
        var manifestPath = Path.Combine(directory, ModelBundle.ManifestFile);
        if (!File.Exists(manifestPath)) throw new ShopcastInputException($"{Where()}: no {ModelBundle.ManifestFile}; pass a folder written by `shopcast run` (OUT/models/<model>)");
        JsonObject manifest;
        try { manifest = JsonNode.Parse(File.ReadAllText(manifestPath)) as JsonObject ?? throw new JsonException("not an object"); }
        catch (JsonException e) { throw new ShopcastInputException($"{Where()}: {ModelBundle.ManifestFile} is not valid JSON ({e.Message})"); }
        if ((string?)manifest["task"] != PurchaseIntent) throw new ShopcastInputException($"{Where()}: holds a '{manifest["task"]}' model, not a {PurchaseIntent} model");
        var columnsPath = Path.Combine(directory, "columns.txt");
        if (!File.Exists(columnsPath)) throw new ShopcastInputException($"{Where()}: columns.txt is missing");
        var columns = File.ReadAllLines(columnsPath);
        var name = (string?)manifest["model"] ?? throw new ShopcastInputException($"{Where()}: {ModelBundle.ManifestFile} names no model");
        var settings = new Dictionary<string, string>();
        if (manifest["params"] is JsonObject ps) foreach (var kv in ps) settings[kv.Key] = kv.Value?.ToString() ?? "";
        var model = ClassifierCatalog.Find(name).Load(directory, columns.Length, new ModelSettings(name, settings));
        return (model, columns, (double?)manifest["threshold"] ?? 0.5);
    }

    private static SortedDictionary<string, double> Mean(List<SortedDictionary<string, double>> folds) =>
        new(folds[0].Keys.ToDictionary(k => k, k => Math.Round(folds.Average(f => f[k]), 6)));

    private static SortedDictionary<string, double> Std(List<SortedDictionary<string, double>> folds) =>
        new(folds[0].Keys.ToDictionary(k => k, k =>
        {
            double m = folds.Average(f => f[k]);
            return folds.Count < 2 ? 0 : Math.Round(Math.Sqrt(folds.Sum(f => (f[k] - m) * (f[k] - m)) / (folds.Count - 1)), 6);
        }));
}
