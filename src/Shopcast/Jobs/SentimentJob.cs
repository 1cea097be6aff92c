using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Shopcast.Data;
using Shopcast.Data.Reviews;
using Shopcast.Evaluation;
using Shopcast.Features.Text;
using Shopcast.Models;
using Shopcast.Reporting;
using Shopcast.Splits;
using Shopcast.Tasks.Sentiment;
using Shopcast.Training;

namespace Shopcast.Jobs;

/// <summary>
/// The main job for <c>--task sentiment</c>: read a review file, split it 80/10/10 (seeded, stratified by class and
/// category), fit every model on the training part (networks stop early on validation macro-F1), score the test part,
/// and write metrics.json, report.md (confusion matrices, per-category shares) and one bundle per model.
/// </summary>
public static class SentimentJob
{
    public const string TaskName = "sentiment";
    public static readonly string[] DefaultModels = SentimentCatalog.DefaultModels;

    public static SentimentResult Run(RunOptions o, ProgressReporter progress)
    {
        if (o.Models.Count == 0) throw new ShopcastInputException("--models: name at least one model, e.g. --models linear,textcnn");
        var entries = o.Models.Select(SentimentCatalog.Find).ToList();
        var settingsOf = ModelSettings.ForSelection(o.Models, entries.Select(e => e.Name), o.Settings);
        foreach (var e in entries) e.Create(settingsOf(e.Name)).Dispose(); // a bad --set value is refused before the data is read
        var (validShare, testShare) = ParseShares(o.Split);
        var stars = o.Stars is null ? StarMapping.Default : StarMapping.Parse(o.Stars);
        if (!File.Exists(o.DataPath) && !Directory.Exists(o.DataPath)) throw new ShopcastInputException($"--data {o.DataPath}: file not found");

        // The file is read and checked before --out is touched, so bad input never clears an earlier run's folder.
        var set = ReviewReaders.Read(o.DataPath, o.Format, o.Columns, stars, o.MaxChars, progress);
        if (o.Stars is not null && set.Account.StarMapping is null)
            throw new ShopcastInputException($"--stars: {o.DataPath} has class labels, not star ratings, so --stars does not apply; drop it");
        var reviews = set.Reviews;
        var classes = reviews.Select(r => r.Label).Distinct().Order().ToArray();
        if (classes.Length < 2)
            throw new TaskNotSupportedException($"--task sentiment: {o.DataPath}: every kept review is {(classes.Length == 0 ? "missing" : classes[0].ToString().ToLowerInvariant())}; two classes at least are needed " +
                                                $"({set.Account.Kept:N0} kept of {set.Account.Read:N0} read)");
        var classNames = classes.Select(c => c.ToString().ToLowerInvariant()).ToArray();
        string language = Language(reviews);
        foreach (var e in entries.Where(e => e.EnglishOnly && language != "en"))
            throw new ShopcastInputException($"--models {e.Name}: its pretrained vocabulary is English, and these reviews are Chinese; drop it (linear, textcnn, bilstm and transformer read both)");

        RunJob.CreateOutDir(o.OutDir);
        File.WriteAllText(Path.Combine(o.OutDir, "ingest_account.json"), JsonSerializer.Serialize(set.Account, Json.Indented));

        var part = StratifiedShares.Assign(reviews.Select(r => $"{r.Label}|{r.Category}").ToArray(), validShare, testShare, o.Seed);
        var all = SentimentExamples.From(reviews, classes);
        SentimentExamples Part(int p) => all.Subset(Enumerable.Range(0, part.Length).Where(i => part[i] == p).ToArray());
        var train = Part(StratifiedShares.Train); var valid = Part(StratifiedShares.Validation); var test = Part(StratifiedShares.Test);
        if (test.Count == 0 || train.Count == 0)
            throw new TaskNotSupportedException($"--task sentiment: {o.DataPath} has {reviews.Count:N0} reviews, too few to split {o.Split}");
        var trainTexts = train.Texts.Select(ReviewTokenizer.Normalize).ToHashSet(StringComparer.Ordinal);
        var unseen = Enumerable.Range(0, test.Count).Where(i => !trainTexts.Contains(ReviewTokenizer.Normalize(test.Texts[i]))).ToArray();
        bool balance = o.BalanceClasses;
        var weights = train.ClassWeights(balance);
        progress.Info($"{reviews.Count:N0} reviews ({string.Join(", ", classNames.Select((c, i) => $"{c} {all.Labels.Count(l => l == i):N0}"))}), language {language}; " +
                      $"{train.Count:N0} train, {valid.Count:N0} validation, {test.Count:N0} test ({test.Count - unseen.Length:N0} test {(test.Count - unseen.Length == 1 ? "text" : "texts")} also in training)");

        var result = new SentimentResult
        {
            Dataset = new SentimentDataset
            {
                Name = o.DatasetName ?? DatasetName(o.DataPath),
                Reviews = reviews.Count,
                Classes = classNames.Select((c, i) => (c, (long)all.Labels.Count(l => l == i))).ToDictionary(x => x.c, x => x.Item2),
                Categories = reviews.Select(r => r.Category).Where(c => c is not null).Distinct().Count(),
                Language = language, TrainReviews = train.Count, ValidationReviews = valid.Count, TestReviews = test.Count,
                TestSeenInTraining = test.Count - unseen.Length, Source = set.Account.Source, Format = set.Account.Format,
            },
            Protocol = new SentimentProtocol
            {
                Split = o.Split == "auto" ? "80/10/10" : o.Split,
                SplitDescription = $"seeded (seed {o.Seed}) stratified split by class and category: {100 * (1 - validShare - testShare):0}% train, {100 * validShare:0}% validation, {100 * testShare:0}% test",
                Validation = "networks stop early on validation MacroF1 (best epoch's weights restored); the linear model does not use it",
                Imbalance = balance ? "balanced class weights n / (classes · n_class) in every model's loss" : "none (--no-balance): every review weighs 1",
                ClassWeights = classNames.Select((c, i) => (c, Math.Round((double)weights[i], 4))).ToDictionary(x => x.c, x => x.Item2),
            },
            Ingest = set.Account,
            Seed = o.Seed,
            OutDir = o.OutDir,
        };

        var testPredictions = new Dictionary<string, float[][]>();
        foreach (var entry in entries)
        {
            ProcessMemory.ResetPeak();
            using var model = entry.Create(settingsOf(entry.Name));
            var sw = Stopwatch.StartNew();
            model.Fit(train, valid, weights, o.Seed, progress);
            double trainSeconds = sw.Elapsed.TotalSeconds;
            sw.Restart();
            var p = model.Predict(test.Texts);
            double predictSeconds = sw.Elapsed.TotalSeconds;
            if (p.Any(row => row.Any(v => !float.IsFinite(v))))
                throw new ShopcastInputException($"{entry.Name} predicted non-finite probabilities: its training diverged; lower its learning rate (--set {entry.Name}.lr=...)");
            var pv = valid.Count > 0 ? model.Predict(valid.Texts) : Array.Empty<float[]>();
            if (pv.Any(row => row.Any(v => !float.IsFinite(v))))
                throw new ShopcastInputException($"{entry.Name} predicted non-finite probabilities on validation: its training diverged; lower its learning rate (--set {entry.Name}.lr=...)");
            var metrics = Round(MulticlassMetrics.Compute(test.Labels, p, classNames));
            var confusion = MulticlassMetrics.Confusion(test.Labels, p, classes.Length);
            testPredictions[entry.Name] = p;
            var bundleDir = Path.Combine(o.OutDir, "models", entry.Name);
            SentimentBundle.Save(model, classNames, language, bundleDir, new JsonObject
            {
                ["dataset"] = result.Dataset.Name, ["seed"] = o.Seed, ["metrics"] = JsonSerializer.SerializeToNode(metrics),
            });
            var history = model as IHasTrainingHistory;
            if (history is not null && TrainingPlot.Write(Path.Combine(o.OutDir, "plots", $"{entry.Name}-training.png"), entry.Name, history.History, history.ValidMetric, history.BestEpoch))
                result.Plots[$"{entry.Name}-training"] = $"plots/{entry.Name}-training.png";
            if (SentimentPlots.Confusion(Path.Combine(o.OutDir, "plots", $"{entry.Name}-confusion.png"), $"{entry.Name}: test confusion matrix", classNames, confusion))
                result.Plots[$"{entry.Name}-confusion"] = $"plots/{entry.Name}-confusion.png";
            result.Results.Add(new SentimentModelResult
            {
                Task = TaskName, Model = entry.Name, Metrics = metrics,
                MetricsUnseen = unseen.Length < test.Count && unseen.Length > 0
                    ? Round(MulticlassMetrics.Compute(unseen.Select(i => test.Labels[i]).ToArray(), unseen.Select(i => p[i]).ToArray(), classNames)) : null,
                ValidationMetrics = valid.Count > 0 ? Round(MulticlassMetrics.Compute(valid.Labels, pv, classNames)) : new(),
                Confusion = Enumerable.Range(0, classes.Length).Select(t => Enumerable.Range(0, classes.Length).Select(q => confusion[t, q]).ToArray()).ToArray(),
                TrainSeconds = Math.Round(trainSeconds, 2),
                PredictPerSecond = Math.Round(test.Count / Math.Max(predictSeconds, 1e-9), 1),
                Params = model.Params.ToDictionary(k => k.Key, k => Convert.ToString(k.Value, CultureInfo.InvariantCulture) ?? ""),
                Bundle = Path.GetRelativePath(o.OutDir, bundleDir),
                PeakRssMiB = Math.Round(ProcessMemory.PeakRssMiB(), 1),
                BestEpoch = history?.BestEpoch, History = history?.History.ToList(),
            });
            progress.Info($"{entry.Name}: test Accuracy {metrics["Accuracy"]:0.0000}, MacroF1 {metrics["MacroF1"]:0.0000} (trained in {trainSeconds:0.0} s)");
        }
        // The model whose per-category shares are reported is chosen on validation, never on the test reviews it describes.
        var best = result.Results.OrderByDescending(r => r.ValidationMetrics.GetValueOrDefault("MacroF1", double.NegativeInfinity)).First();
        result.Categories = Shares(test, testPredictions[best.Model], classNames, best.Model);
        File.WriteAllText(Path.Combine(o.OutDir, "metrics.json"), JsonSerializer.Serialize(result, Json.Indented));
        File.WriteAllText(Path.Combine(o.OutDir, "report.md"), SentimentReport.Markdown(result));
        return result;
    }

    /// <summary>"80/10/10" (train/validation/test percentages); "auto" is 80/10/10.</summary>
    internal static (double Validation, double Test) ParseShares(string split)
    {
        if (split is "auto" or "") return (0.1, 0.1);
        var parts = split.Split('/');
        if (parts.Length == 3 && parts.All(s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0)
            && parts.Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray() is var v3 && Math.Abs(v3.Sum() - 100) < 1e-6 && v3[0] > 0 && v3[2] > 0)
            return (v3[1] / 100, v3[2] / 100);
        throw new ShopcastInputException($"--split {split}: for --task sentiment give train/validation/test percentages that sum to 100, e.g. 80/10/10 (the default)");
    }

    /// <summary>"zh" when most reviews are mostly Han characters, else "en".</summary>
    internal static string Language(IReadOnlyList<Review> reviews)
    {
        int han = 0;
        foreach (var r in reviews)
        {
            int h = 0, letters = 0;
            foreach (var rune in r.Text.EnumerateRunes()) { if (ReviewTokenizer.IsHan(rune.Value)) h++; else if (Rune.IsLetter(rune)) letters++; }
            if (h > letters) han++;
        }
        return han * 2 > reviews.Count ? "zh" : "en";
    }

    private static string DatasetName(string path) =>
        Directory.Exists(path) ? new DirectoryInfo(path).Name : Path.GetFileNameWithoutExtension(Path.GetFileNameWithoutExtension(path));

    private static SortedDictionary<string, double> Round(SortedDictionary<string, double> m) =>
        new(m.ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value, 6)));

    /// <summary>Per category of the test reviews: the true share of each class and the share the model predicts.</summary>
    private static List<CategoryShares> Shares(SentimentExamples test, float[][] p, string[] classNames, string model)
    {
        if (test.Categories.All(c => c is null)) return new();
        return Enumerable.Range(0, test.Count).GroupBy(i => test.Categories[i] ?? "(none)").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var rows = g.ToArray();
            var predicted = rows.Select(i => MulticlassMetrics.ArgMax(p[i])).ToArray();
            return new CategoryShares
            {
                Category = g.Key, Reviews = rows.Length, Model = model,
                True = classNames.Select((c, k) => (c, Math.Round(rows.Count(i => test.Labels[i] == k) / (double)rows.Length, 4))).ToDictionary(x => x.c, x => x.Item2),
                Predicted = classNames.Select((c, k) => (c, Math.Round(predicted.Count(q => q == k) / (double)rows.Length, 4))).ToDictionary(x => x.c, x => x.Item2),
                Accuracy = Math.Round(rows.Where((i, j) => predicted[j] == test.Labels[i]).Count() / (double)rows.Length, 4),
            };
        }).ToList();
    }
}
