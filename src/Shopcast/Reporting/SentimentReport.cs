using System.Globalization;
using System.Text;
using Shopcast.Jobs;

namespace Shopcast.Reporting;

/// <summary>report.md of <c>--task sentiment</c>: the reviews read, the split, metrics per model and class, confusion
/// matrices, and the share of each sentiment per product category.</summary>
public static class SentimentReport
{
    public static string Markdown(SentimentResult r)
    {
        var sb = new StringBuilder();
        var d = r.Dataset; var p = r.Protocol; var a = r.Ingest;
        var classes = d.Classes.Keys.ToList();
        sb.AppendLine($"# Shopcast run: {d.Name} (sentiment)").AppendLine();
        sb.AppendLine($"Created {r.CreatedUtc} by Shopcast {r.Version}, seed {r.Seed}.").AppendLine();
        sb.AppendLine("## Data");
        sb.AppendLine($"`{d.Source}` read as `{d.Format}`: {d.Reviews:N0} reviews ({string.Join(", ", d.Classes.Select(kv => $"{kv.Key} {kv.Value:N0}"))}), " +
                      $"language {d.Language}" + (d.Categories > 0 ? $", {d.Categories} categories" : "") + (a.StarMapping is { } sm ? $"; stars mapped {sm}" : "") + ".");
        sb.AppendLine();
        sb.AppendLine("| rows | count |").AppendLine("|---|---:|");
        sb.AppendLine($"| read | {a.Read:N0} |");
        foreach (var kv in a.Rejected)
            sb.AppendLine($"| rejected: {kv.Key}" + (a.Examples.TryGetValue(kv.Key, out var ex) && ex.Count > 0 ? $" (e.g. {Escape(ex[0])})" : "") + $" | {kv.Value:N0} |");
        sb.AppendLine($"| **kept** | **{a.Kept:N0}** |").AppendLine();
        sb.AppendLine("## Protocol");
        sb.AppendLine($"- Split: **{p.SplitDescription}**: {d.TrainReviews:N0} / {d.ValidationReviews:N0} / {d.TestReviews:N0} reviews.");
        sb.AppendLine($"- Validation: {p.Validation}.");
        sb.AppendLine($"- Class imbalance: {p.Imbalance} ({string.Join(", ", p.ClassWeights.Select(kv => $"{kv.Key} {F(kv.Value)}"))}).");
        sb.AppendLine($"- {d.TestSeenInTraining:N0} test review{(d.TestSeenInTraining == 1 ? "" : "s")} ({100.0 * d.TestSeenInTraining / Math.Max(1, d.TestReviews):0.0} %) {(d.TestSeenInTraining == 1 ? "has" : "have")} a text that also occurs in training " +
                      "(after normalising); \"unseen\" columns score only the others.");
        sb.AppendLine("- MacroF1 is the unweighted mean of the per-class F1, so the small classes count as much as the large one.").AppendLine();

        sb.AppendLine("## Results (test reviews)");
        bool unseen = r.Results.Any(m => m.MetricsUnseen is not null);
        sb.AppendLine("| model | Accuracy | MacroF1 | LogLoss |" + (unseen ? " Accuracy (unseen) | MacroF1 (unseen) |" : "") + " train s | predict reviews/s | peak MiB |");
        sb.AppendLine("|---|---:|---:|---:|" + (unseen ? "---:|---:|" : "") + "---:|---:|---:|");
        foreach (var m in r.Results)
            sb.AppendLine($"| {m.Model} | {F(m.Metrics["Accuracy"])} | {F(m.Metrics["MacroF1"])} | {F(m.Metrics["LogLoss"])} |" +
                          (unseen ? $" {(m.MetricsUnseen is { } u ? F(u["Accuracy"]) : "")} | {(m.MetricsUnseen is { } u2 ? F(u2["MacroF1"]) : "")} |" : "") +
                          $" {m.TrainSeconds.ToString("0.0", CultureInfo.InvariantCulture)} | {m.PredictPerSecond:N0} | {m.PeakRssMiB:N0} |");
        sb.AppendLine();
        sb.AppendLine("Per class (precision / recall / F1):").AppendLine();
        sb.AppendLine("| model | " + string.Join(" | ", classes) + " |").AppendLine("|---|" + string.Concat(classes.Select(_ => "---:|")));
        foreach (var m in r.Results)
            sb.AppendLine($"| {m.Model} | " + string.Join(" | ", classes.Select(c => $"{F(m.Metrics[$"Precision({c})"])} / {F(m.Metrics[$"Recall({c})"])} / {F(m.Metrics[$"F1({c})"])}")) + " |");
        sb.AppendLine();

        sb.AppendLine("## Confusion matrices (test; rows: true class, columns: predicted)");
        foreach (var m in r.Results)
        {
            sb.AppendLine($"### {m.Model}");
            if (r.Plots.TryGetValue($"{m.Model}-confusion", out var pic)) sb.AppendLine($"![{m.Model} confusion matrix]({pic})").AppendLine();
            sb.AppendLine("| true \\ predicted | " + string.Join(" | ", classes) + " |").AppendLine("|---|" + string.Concat(classes.Select(_ => "---:|")));
            for (int t = 0; t < classes.Count; t++) sb.AppendLine($"| {classes[t]} | " + string.Join(" | ", m.Confusion[t].Select(v => v.ToString("N0", CultureInfo.InvariantCulture))) + " |");
            sb.AppendLine();
            if (m.History is { Count: > 0 } h)
            {
                sb.AppendLine($"Trained {h.Count} epochs, best validation MacroF1 at epoch {m.BestEpoch} ({h.Sum(e => e.Seconds):0} s in all).");
                if (r.Plots.TryGetValue($"{m.Model}-training", out var curve)) sb.AppendLine().AppendLine($"![{m.Model} training]({curve})");
                sb.AppendLine();
            }
        }

        if (r.Categories.Count > 0)
        {
            var model = r.Categories[0].Model;
            sb.AppendLine($"## Sentiment by category (test reviews; predicted by {model}, the best validation MacroF1)");
            sb.AppendLine("| category | reviews | " + string.Join(" | ", classes.Select(c => $"{c} predicted (true)")) + $" | {model} accuracy |");
            sb.AppendLine("|---|---:|" + string.Concat(classes.Select(_ => "---:|")) + "---:|");
            foreach (var c in r.Categories)
                sb.AppendLine($"| {Escape(c.Category)} | {c.Reviews:N0} | " + string.Join(" | ", classes.Select(k => $"{100 * c.Predicted[k]:0.0} % ({100 * c.True[k]:0.0} %)")) + $" | {F(c.Accuracy)} |");
            sb.AppendLine();
        }
        sb.AppendLine("Bundles: " + string.Join(", ", r.Results.Select(m => $"`{m.Bundle}`")) + " (load with `shopcast predict sentiment --model DIR \"text\"`).");
        return sb.ToString();
    }

    private static string F(double v) => double.IsNaN(v) ? "n/a" : v.ToString("0.0000", CultureInfo.InvariantCulture);

    private static string Escape(string s) => s.Replace("|", "\\|").Replace("\n", " ");
}
