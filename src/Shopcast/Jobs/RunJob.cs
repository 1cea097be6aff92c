using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Shopcast.Data;
using Shopcast.Evaluation;
using Shopcast.Models;
using Shopcast.Reporting;
using Shopcast.Splits;
using Shopcast.Tasks.NextItem;
using Shopcast.Tasks.Preference;
using Shopcast.Training;

namespace Shopcast.Jobs;

/// <summary>
/// The main job: ingest a log into the event store, split it without leakage, fit each model, rank the held-out
/// cases, and write metrics.json, report.md and one model bundle per model into the run folder.
/// </summary>
public static class RunJob
{
    public const string NextItem = "next-item";
    /// <summary>The category (or brand) of the next event: next-item prediction over categories.</summary>
    public const string Preference = "preference";
    public static readonly string[] Tasks = { NextItem, Preference };

    /// <summary>The values <c>--split</c> takes (leave-one-out is loo spelt out; given-test needs <c>--test</c>).</summary>
    public static readonly string[] Splits = { "auto", "loo", "leave-one-out", "temporal", "session", "given-test" };

    public static RunResult Run(RunOptions o, ProgressReporter progress)
    {
        // Everything that can be checked without the data is checked before the (possibly long) ingestion.
        if (!Tasks.Contains(o.Task))
            throw new ShopcastInputException($"--task {o.Task}: unknown task; available: {string.Join(", ", Tasks)}");
        if (o.Format?.Equals(Features.UciShoppers.FormatName, StringComparison.OrdinalIgnoreCase) == true)
            throw new TaskNotSupportedException($"--format {o.Format}: a table of sessions, not an event log; it serves --task purchase-intent only");
        if (o.Models.Count == 0) throw new ShopcastInputException("--models: name at least one model, e.g. --models pop,itemknn");
        var entries = o.Models.Select(ModelCatalog.Find).ToList();
        var settingsOf = ModelSettings.ForSelection(o.Models, entries.Select(e => e.Name), o.Settings);
        // Models are made (not fitted) now, so a bad --set value is refused before the data is read.
        var models = entries.Select(entry => entry.Create(settingsOf(entry.Name))).ToList();
        var eventTypes = ParseEventTypes(o.EventTypes);
        if (!Splits.Contains(o.Split.ToLowerInvariant()))
            throw new ShopcastInputException($"--split {o.Split}: expected auto, loo, temporal or session (or --test FILE for a benchmark's own test split)");
        if (o.Split.Equals("given-test", StringComparison.OrdinalIgnoreCase) && o.TestPath is null)
            throw new ShopcastInputException("--split given-test: needs the benchmark's test file, --test FILE");
        if (o.TestPath is not null && o.Split.ToLowerInvariant() is not ("auto" or "given-test"))
            throw new ShopcastInputException($"--test uses the benchmark's own test split; drop --split {o.Split}");
        if (o.TestPath is not null && !File.Exists(o.TestPath))
            throw new ShopcastInputException($"--test {o.TestPath}: file not found");
        if (o.SampledNegatives < 0) throw new ShopcastInputException($"--sampled {o.SampledNegatives}: must be 0 (full ranking) or more");
        bool preference = o.Task == Preference;
        string level = o.Level ?? PreferenceSequences.Category;
        if (preference && !PreferenceSequences.Levels.Contains(level))
            throw new ShopcastInputException($"--level {level}: preference predicts a category or a brand; use --level category or --level brand");
        if (!preference && o.Level is not null)
            throw new ShopcastInputException($"--level {o.Level}: --level is for --task conversion and preference, not {o.Task}");

        if (o.Format is null && File.Exists(o.DataPath) && Features.UciShoppers.IsTable(o.DataPath))
            throw new TaskNotSupportedException($"{o.DataPath} is the UCI online shoppers session table, not an event log: run it with --task purchase-intent");
        CreateOutDir(o.OutDir);
        var (store, account) = IngestLog(o, progress);
        using var _ = store;
        File.WriteAllText(Path.Combine(o.OutDir, "ingest_account.json"), JsonSerializer.Serialize(account, Json.Indented));
        progress.Info($"Format: {account.Format} ({(account.FormatDetected ? "detected from the file" : "given")})");

        string split = ResolveSplit(o, account);
        string groupBy = split == "session" || split == "given-test" ? "session" : "user";
        PreferenceSequences.Result? labels = preference
            ? PreferenceSequences.Load(store, level, groupBy, eventTypes, AttributesPath(o))
            : null;
        var data = labels?.Data ?? SequenceDataset.Load(store, groupBy, eventTypes);
        if (data.Sequences.Count == 0)
            throw new ShopcastInputException(
                $"--events {string.Join(",", o.EventTypes ?? Array.Empty<string>())}: the log has no events of these types " +
                $"(it has: {string.Join(", ", store.EventsByType().Select(t => $"{t.Type} {t.Count:N0}"))})");
        if (o.SampledNegatives > 0 && o.SampledNegatives >= data.Items.Count)
            throw new ShopcastInputException(
                $"--sampled {o.SampledNegatives}: the catalogue has only {data.Items.Count:N0} items, so there are fewer negatives than that; " +
                $"use a smaller N, or --sampled 0 to rank the whole catalogue");
        var s = split switch
        {
            "loo" => LeaveOneOutSplit.Split(data),
            "temporal" => TemporalSplit.Split(data),
            "session" => SessionSplit.Split(data),
            "given-test" => GivenTestSplit.Load(o.TestPath!, data),
            _ => throw new InvalidOperationException($"split '{split}' passed validation but has no implementation"),
        };
        progress.Info($"Split: {s.Name} ({s.Description})");
        if (s.Test.Count == 0)
            throw new TaskNotSupportedException($"the {s.Name} split left no test cases ({string.Join("; ", s.Skipped.Select(k => $"{k.Key}: {k.Value}"))}); the log is too small or too sparse for it");

        var protocol = new RankingProtocol
        {
            // Shoppers return to their categories, so a preference target is usually in the history: never exclude it by default.
            ExcludeSeen = o.ExcludeSeen ?? (!s.SessionBased && !preference),
            Ks = preference ? PreferenceKs : RankingProtocol.DefaultKs,
            SampledNegatives = o.SampledNegatives,
            Seed = o.Seed,
            SessionMetrics = s.SessionBased,
        };
        var result = new RunResult
        {
            Dataset = new DatasetInfo
            {
                Name = o.DatasetName ?? Path.GetFileNameWithoutExtension(o.DataPath),
                Users = account.Users, Items = data.Items.Count, Events = account.Events,
                Source = account.Source, Format = account.Format, Note = o.DatasetNote,
            },
            Protocol = new ProtocolInfo
            {
                Split = s.Name, SplitDescription = s.Description, Sequences = data.GroupedBy,
                EventTypes = eventTypes?.Select(Data.EventTypes.Name).ToList(),
                Ranking = protocol.RankingName, RankingDescription = protocol.Label, K = protocol.Ks,
                ExcludeSeen = protocol.ExcludeSeen, Ties = RankingProtocol.TieRule,
                TrainSequences = s.Train.Count, ValidationCases = s.Validation.Count, TestCases = s.Test.Count,
                Skipped = s.Skipped,
                Labels = labels is null ? null
                    : $"{level} of each {(eventTypes is null ? "event" : string.Join(" or ", eventTypes.Select(Data.EventTypes.Name)) + " event")}, from {labels.LabelSource}; HR@k is top-k accuracy",
                EventsLeftOut = labels?.EventsLeftOut,
            },
            Ingest = account,
            Seed = o.Seed,
            OutDir = o.OutDir,
        };

        // Preference sequences are made of the attributes themselves, so there is no side information to add.
        var attributes = preference ? null : LoadAttributes(o, data.Items);
        if (attributes is not null)
            result.Protocol.ItemAttributes = $"{attributes.Source}: {attributes.AttributeCount:N0} attributes on {attributes.ItemsWithAttributes:N0} of {data.Items.Count:N0} items";
        var training = new NextItemTrainingData
        {
            ItemCount = data.Items.Count, Sequences = s.Train, Times = s.TrainTimes, Validation = s.Validation, Seed = o.Seed,
            ValidationProtocol = protocol, ItemAttributes = attributes?.ByItem,
            CheckpointDirectory = Path.Combine(o.OutDir, "checkpoints"),
        };
        foreach (var model in models)
        {
            ProcessMemory.ResetPeak(); // each model's own peak (with the data already in memory), not the run's so far
            var sw = Stopwatch.StartNew();
            model.Fit(training, progress);
            double trainSeconds = sw.Elapsed.TotalSeconds;
            var test = RankingEvaluator.Evaluate(model, s.Test, protocol, progress, $"Evaluating {model.Name} on {s.Test.Count:N0} test cases");
            SortedDictionary<string, double>? valid = null;
            if (s.Validation.Count > 0)
                valid = RankingEvaluator.Evaluate(model, s.Validation, protocol, progress,
                    $"Evaluating {model.Name} on {s.Validation.Count:N0} validation cases").Metrics;
            result.Protocol.TestTargetsInHistory = test.TargetsInHistory;
            result.Protocol.TestCasesWithFewerNegatives = test.FewerNegatives;
            var bundleDir = Path.Combine(o.OutDir, "models", model.Name);
            ModelBundle.Save(model, data.Items, bundleDir, new JsonObject
            {
                ["dataset"] = result.Dataset.Name,
                ["split"] = s.Name,
                ["seed"] = o.Seed,
                // What a sequence was, so a server feeds the model the same kind of history.
                ["sequences"] = data.GroupedBy,
                ["sequence_of"] = preference ? level : "item",
                ["event_types"] = eventTypes is null ? null : new JsonArray(eventTypes.Select(t => (JsonNode)Data.EventTypes.Name(t)).ToArray()),
                ["test_metrics"] = JsonSerializer.SerializeToNode(test.Metrics),
            });
            result.Results.Add(new ModelResult
            {
                Task = o.Task, Model = model.Name, Metrics = test.Metrics, ValidationMetrics = valid,
                TrainSeconds = Math.Round(trainSeconds, 3), EvalSeconds = Math.Round(test.Seconds, 3),
                Params = model.Params.ToDictionary(k => k.Key, k => Convert.ToString(k.Value, System.Globalization.CultureInfo.InvariantCulture) ?? ""),
                Bundle = Path.GetRelativePath(o.OutDir, bundleDir),
                History = (model as IHasTrainingHistory)?.History,
                BestEpoch = (model as IHasTrainingHistory)?.BestEpoch,
                Plot = model is IHasTrainingHistory h && TrainingPlot.Write(Path.Combine(o.OutDir, "plots", $"{model.Name}-training.png"), model.Name, h.History, h.ValidMetric, h.BestEpoch)
                    ? $"plots/{model.Name}-training.png" : null,
                PeakRssMiB = Math.Round(ProcessMemory.PeakRssMiB(), 1),
            });
        }

        File.WriteAllText(Path.Combine(o.OutDir, "metrics.json"), JsonSerializer.Serialize(result, Json.Indented));
        File.WriteAllText(Path.Combine(o.OutDir, "report.md"), RunReport.Markdown(result));
        return result;
    }

    /// <summary>
    /// Ingests --data into a fresh event store (--store, or OUT/events.duckdb) with the run's cleaning options. The
    /// store refuses to replace the input files. Every job that reads an event log starts here.
    /// </summary>
    internal static (EventStore Store, IngestAccount Account) IngestLog(RunOptions o, ProgressReporter progress)
    {
        if (!File.Exists(o.DataPath)) throw new ShopcastInputException($"--data {o.DataPath}: file not found");
        var storePath = o.StorePath ?? Path.Combine(o.OutDir, "events.duckdb");
        var store = EventStore.CreateFresh(storePath,
            o.StorePath is null ? $"{storePath} (the event store in --out)" : $"--store {storePath}", o.DataPath, o.TestPath);
        try
        {
            var account = Ingestor.Ingest(o.DataPath, store, new IngestOptions
            {
                Format = o.Format, Columns = o.Columns, KCore = o.KCore, SessionGap = o.SessionGap,
            }, progress);
            return (store, account);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>Top-k accuracy over a small vocabulary of categories starts at k = 1.</summary>
    public static readonly int[] PreferenceKs = { 1, 3, 5, 10 };

    private static string? AttributesPath(RunOptions o) =>
        o.ItemAttributesPath is "none" ? null : o.ItemAttributesPath ?? ItemAttributes.FindBeside(o.DataPath);

    private static ItemAttributes? LoadAttributes(RunOptions o, ItemIndex items) =>
        AttributesPath(o) is { } path ? ItemAttributes.Load(path, items) : null;

    private static string ResolveSplit(RunOptions o, IngestAccount account)
    {
        var split = o.Split.ToLowerInvariant();
        if (o.TestPath is not null) return "given-test";
        if (split != "auto") return split == "leave-one-out" ? "loo" : split;
        // A log whose every user has one session (no user ids, as in YOOCHOOSE or Diginetica) is a session benchmark.
        return account.Users == account.Sessions && account.SessionsFrom == "log" ? "session" : "loo";
    }

    /// <summary>What a run writes at the top of its folder: removed when a later run reuses the folder, so no file of an
    /// earlier run (a model bundle, a plot, explanations) is left beside the new ones.</summary>
    private static readonly string[] RunFiles = { "metrics.json", "report.md", "ingest_account.json", "explanations.jsonl", "summary.md", "summary.json" };
    private static readonly string[] RunFolders = { "models", "plots", "checkpoints" };

    /// <summary>Creates the run folder, clearing an earlier run's outputs when the folder holds one (see
    /// <see cref="RunFiles"/>; anything else in the folder is left alone); a path that is a file (or a device such as /dev/null) is bad input, named as such.</summary>
    internal static void CreateOutDir(string dir)
    {
        if (Path.Exists(dir) && !Directory.Exists(dir))
            throw new ShopcastInputException($"--out {dir}: is a file, not a folder; give a folder for the run's outputs");
        try
        {
            Directory.CreateDirectory(dir);
            // Only a folder an earlier run wrote (it has that run's account or results) is cleared, never any other.
            if (new[] { "ingest_account.json", "metrics.json", "summary.json" }.Any(f => File.Exists(Path.Combine(dir, f))))
            {
                foreach (var f in RunFiles) File.Delete(Path.Combine(dir, f));
                foreach (var d in RunFolders) if (Directory.Exists(Path.Combine(dir, d))) Directory.Delete(Path.Combine(dir, d), recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ShopcastInputException($"--out {dir}: cannot create the folder ({e.Message}); give a folder that can be made");
        }
    }

    private static IReadOnlyCollection<EventType>? ParseEventTypes(IReadOnlyList<string>? names)
    {
        if (names is null || names.Count == 0) return null;
        return names.Select(n => Data.EventTypes.Parse(n)
            ?? throw new ShopcastInputException($"--events {n}: unknown event type; use view, cart, favourite, purchase, review")).ToList();
    }

}

internal static class Json
{
    // NaN can arise honestly (e.g. AUC of a one-class subset); it is written as "NaN" rather than failing the whole run.
    public static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };
}
