using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Shopcast.Data;
using Shopcast.Models;
using Shopcast.Reporting;

namespace Shopcast.Jobs;

/// <summary>
/// <c>--task all</c>: every task on one log, each with its default models in its own folder (OUT/&lt;task&gt;), and a
/// summary of what ran and what was skipped, with the reason the data gave (no purchases, no clock time, no
/// categories, a session table rather than a log, ...); any other bad input (an option, an unreadable file) stops the
/// run as it would for one task. A <c>--set model.key=value</c> goes to every task whose models include that model.
/// Each task ingests the log itself, so each folder is a run that stands on its own.
/// </summary>
public static class AllTasksJob
{
    public const string All = "all";

    /// <summary>Every task in the order <c>--task all</c> runs them, with the models <c>--models</c> defaults to for it.</summary>
    public static readonly (string Task, string Models)[] Plan =
    {
        (RunJob.NextItem, "pop,itemknn"),
        (RunJob.Preference, "pop,repeat,sknn"),
        (ClassificationJob.PurchaseIntent, "lr,lgbm,mlp"),
        (ClassificationJob.Conversion, "lr,lgbm,mlp"),
        (ClassificationJob.Bounce, "lr,lgbm,mlp"),
        (BrowsingJob.Dwell, "linear,lgbm"),
    };

    /// <summary>The default <c>--models</c> of a task (null for an unknown one).</summary>
    public static string? DefaultModels(string task) => Plan.FirstOrDefault(p => p.Task == task).Models;

    public sealed record TaskOutcome(
        [property: JsonPropertyName("task")] string Task,
        [property: JsonPropertyName("status")] string Status,
        [property: JsonPropertyName("headline")] string Headline,
        [property: JsonPropertyName("folder")] string? Folder);

    public static IReadOnlyList<TaskOutcome> Run(RunOptions o, ProgressReporter progress)
    {
        if (!File.Exists(o.DataPath)) throw new ShopcastInputException($"--data {o.DataPath}: file not found");
        if (o.Level is not null) throw new ShopcastInputException("--level picks what one task predicts; with --task all each task uses its default");
        var unused = o.Settings.Keys.Where(m => !Plan.Any(p => p.Models.Split(',').Contains(m, StringComparer.OrdinalIgnoreCase))).ToList();
        if (unused.Count > 0)
            throw new ShopcastInputException($"--set {unused[0]}.…: no task of --task all runs '{unused[0]}'; they run {string.Join(", ", Plan.SelectMany(p => p.Models.Split(',')).Distinct())}");
        // Every task's models are made (not fitted) now, so a bad --set value stops the run before any task has run.
        foreach (var (task, models) in Plan)
            foreach (var name in models.Split(','))
            {
                var settings = new ModelSettings(name, o.Settings.FirstOrDefault(kv => kv.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value);
                object model = task switch
                {
                    RunJob.NextItem or RunJob.Preference => ModelCatalog.Find(name).Create(settings),
                    BrowsingJob.Dwell => RegressorCatalog.Find(name).Create(settings),
                    _ => ClassifierCatalog.Find(name).Create(settings),
                };
                (model as IDisposable)?.Dispose();
            }
        RunJob.CreateOutDir(o.OutDir);
        var outcomes = new List<TaskOutcome>();
        foreach (var (task, models) in Plan)
        {
            var dir = Path.Combine(o.OutDir, task);
            var options = o with
            {
                Task = task, Models = models.Split(','), OutDir = dir,
                Settings = o.Settings.Where(kv => models.Split(',').Contains(kv.Key, StringComparer.OrdinalIgnoreCase)).ToDictionary(kv => kv.Key, kv => kv.Value),
                StorePath = o.StorePath is null ? null : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(o.StorePath)) ?? ".", $"{task}-{Path.GetFileName(o.StorePath)}"),
            };
            progress.Info($"== {task} ==");
            bool existed = Directory.Exists(dir);
            try
            {
                string headline = task switch
                {
                    RunJob.NextItem or RunJob.Preference => Best(RunJob.Run(options, progress)),
                    BrowsingJob.Dwell => Best(BrowsingJob.Run(options, progress)),
                    _ => Best(ClassificationJob.Run(options, progress)),
                };
                outcomes.Add(new TaskOutcome(task, "ran", headline, task));
            }
            catch (TaskNotSupportedException e)
            {
                // The data does not support this task: say why, and remove the folder this attempt made (never one that was there).
                progress.Info($"{task}: skipped: {e.Message}");
                if (!existed && Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
                outcomes.Add(new TaskOutcome(task, "skipped", e.Message, null));
            }
        }
        File.WriteAllText(Path.Combine(o.OutDir, "summary.json"), JsonSerializer.Serialize(outcomes, Json.Indented));
        File.WriteAllText(Path.Combine(o.OutDir, "summary.md"), Markdown(o, outcomes));
        return outcomes;
    }

    private static string Markdown(RunOptions o, IReadOnlyList<TaskOutcome> outcomes)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"# Shopcast: every task on {Path.GetFileName(o.DataPath)}");
        sb.AppendLine();
        sb.AppendLine("| task | status | best on test, or why it was skipped | report |");
        sb.AppendLine("|---|---|---|---|");
        foreach (var t in outcomes)
            sb.AppendLine($"| {t.Task} | {t.Status} | {t.Headline.Replace("|", "\\|")} | {(t.Folder is null ? "–" : $"[{t.Folder}/report.md]({t.Folder}/report.md)")} |");
        return sb.ToString();
    }

    private static string N(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);

    private static string Best(RunResult r)
    {
        string metric = r.Protocol.Labels is not null ? "HR@1" : r.Results.Any(m => m.Metrics.ContainsKey("P@20")) ? "P@20" : "NDCG@10";
        var best = r.Results.OrderByDescending(m => m.Metrics.GetValueOrDefault(metric)).First();
        return $"{best.Model} {metric} {N(best.Metrics[metric])}" + (r.Protocol.Labels is not null ? " (top-1 accuracy)" : "");
    }

    private static string Best(ClassificationResult r)
    {
        var best = r.Results.OrderByDescending(m => m.Metrics.GetValueOrDefault("AUC")).First();
        var rule = r.Baselines.Count > 0 ? $"; best single feature {N(r.Baselines.Max(b => b.Metrics["AUC"]))}" : "";
        return $"{best.Model} AUC {N(best.Metrics["AUC"])}{rule}";
    }

    private static string Best(BrowsingResult r) => string.Join("; ", r.Targets.Select(t =>
    {
        if (t.Skipped is not null) return $"{t.Target}: skipped ({t.Skipped})";
        var best = t.Results.OrderBy(m => m.Metrics["MAE"]).First();
        var median = t.Baselines.First(kv => kv.Key.StartsWith("median")).Value["MAE"];
        return $"{t.Target}: {best.Model} MAE {best.Metrics["MAE"].ToString("0.###", CultureInfo.InvariantCulture)} {t.Unit} vs median {median.ToString("0.###", CultureInfo.InvariantCulture)}" +
               (best.Metrics["MAE"] >= median ? " (not better than the median)" : "");
    }));
}
