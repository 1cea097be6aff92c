using System.Globalization;
using System.Text;
using Shopcast.Jobs;

namespace Shopcast.Reporting;

/// <summary>report.md of a yes/no task: the examples read, the cross-validation protocol, metrics with their spread, pictures.</summary>
public static class ClassificationReport
{
    public static readonly string[] Columns = { "AUC", "PR-AUC", "LogLoss", "ECE", "Accuracy", "F1", "Accuracy@0.5", "F1@0.5" };

    public static string Markdown(ClassificationResult r)
    {
        var sb = new StringBuilder();
        var d = r.Dataset; var p = r.Protocol; var a = r.Ingest;
        sb.AppendLine($"# Shopcast run: {d.Name} ({r.Results.FirstOrDefault()?.Task ?? "classification"})");
        sb.AppendLine();
        sb.AppendLine($"Created {r.CreatedUtc} by Shopcast {r.Version}, seed {r.Seed}.");
        sb.AppendLine();
        sb.AppendLine("## Data");
        sb.AppendLine($"`{d.Source}` read as `{d.Format}`: {d.Examples:N0} examples, {d.Positives:N0} positive ({100.0 * d.Positives / Math.Max(1, d.Examples):0.0} %, label `{d.Label}`), {d.Features} features" +
                      (d.TestExamples is { } te ? $"; the test set has {te:N0} examples, {d.TestPositives:N0} positive." : "."));
        sb.AppendLine();
        sb.AppendLine("| rows | count |").AppendLine("|---|---:|");
        sb.AppendLine($"| read | {a.RowsRead:N0} |");
        foreach (var kv in a.Rejected) sb.AppendLine($"| rejected: {kv.Key} (first at line {a.FirstRejectLine.GetValueOrDefault(kv.Key)}) | {kv.Value:N0} |");
        if (a.Duplicates > 0) sb.AppendLine($"| exact duplicates (or k-core) dropped | {a.Duplicates:N0} |");
        sb.AppendLine($"| **kept** | **{a.Kept:N0}** |");
        sb.AppendLine();
        sb.AppendLine("## Protocol");
        sb.AppendLine($"- Split: **{p.SplitDescription}**.");
        sb.AppendLine($"- Validation: {p.Validation}.");
        sb.AppendLine($"- Threshold: {p.Threshold}.");
        sb.AppendLine($"- Class imbalance: {p.Imbalance}.");
        sb.AppendLine("- PR-AUC is average precision; ECE is the expected calibration error over 10 equal-width bins.");
        sb.AppendLine();
        sb.AppendLine(p.Folds > 0 ? "## Results (test folds, mean ± standard deviation)" : "## Results (test set, mean ± standard deviation over seeds)");
        sb.AppendLine("| model | " + string.Join(" | ", Columns) + (p.Folds > 0 ? " | train s/fold |" : " | train s/seed |"));
        sb.AppendLine("|---|" + string.Concat(Columns.Select(_ => "---:|")) + "---:|");
        foreach (var m in r.Results)
            sb.AppendLine($"| {m.Model} | " + string.Join(" | ", Columns.Select(c => $"{F(m.Metrics, c)} ± {F(m.MetricsStd, c)}")) +
                          $" | {m.TrainSeconds.ToString("0.00", CultureInfo.InvariantCulture)} |");
        sb.AppendLine();
        if (r.Baselines.Count > 0)
        {
            sb.AppendLine("Single-feature rules of thumb on the same test rows (the feature's value is the score):");
            sb.AppendLine();
            sb.AppendLine("| score | why | AUC | PR-AUC |").AppendLine("|---|---|---:|---:|");
            foreach (var b in r.Baselines) sb.AppendLine($"| `{b.Score}` | {b.Why} | {F(b.Metrics, "AUC")} | {F(b.Metrics, "PR-AUC")} |");
            sb.AppendLine();
        }
        if (r.Results.Any(m => m.AucByPrefix is not null))
        {
            var buckets = r.Results.First(m => m.AucByPrefix is not null).AucByPrefix!.Select(x => x.Feature).ToList();
            sb.AppendLine("Test AUC by the number of events seen so far in the session (first seed):");
            sb.AppendLine();
            sb.AppendLine("| model | " + string.Join(" | ", buckets) + " |").AppendLine("|---|" + string.Concat(buckets.Select(_ => "---:|")));
            foreach (var m in r.Results.Where(m => m.AucByPrefix is not null))
                sb.AppendLine($"| {m.Model} | " + string.Join(" | ", m.AucByPrefix!.Select(x => x.Weight.ToString("0.0000", CultureInfo.InvariantCulture))) + " |");
            sb.AppendLine();
            if (r.Plots.TryGetValue("auc-by-prefix", out var ap)) sb.AppendLine($"![AUC by prefix length]({ap})").AppendLine();
        }
        if (r.Plots.TryGetValue("reliability", out var rel)) sb.AppendLine($"![reliability]({rel})").AppendLine();
        if (r.Plots.TryGetValue("permutation-importance", out var pi)) sb.AppendLine($"![permutation importance]({pi})").AppendLine();
        sb.AppendLine("## Models");
        foreach (var m in r.Results)
        {
            sb.AppendLine($"- `{m.Model}` ({string.Join(", ", m.Params.Select(kv => $"{kv.Key}={kv.Value}"))}): bundle `{m.Bundle}` ({(p.Folds > 0 ? "refitted on all rows" : "the first seed's model")}); peak memory {m.PeakRssMiB:N0} MiB.");
            if (m.PermutationImportance is { Count: > 0 } perm)
                sb.AppendLine($"  Permutation importance (test AUC lost when shuffled): {string.Join(", ", perm.Take(8).Select(x => $"{x.Feature} ({x.Weight.ToString("0.0000", CultureInfo.InvariantCulture)})"))}.");
            if (m.Importance is { Count: > 0 } imp)
                sb.AppendLine($"  Top features: {string.Join(", ", imp.Take(8).Select(x => $"{x.Feature} ({x.Weight.ToString("0.###", CultureInfo.InvariantCulture)})"))}.");
            if (r.Plots.TryGetValue($"{m.Model}-importance", out var ip)) sb.AppendLine().AppendLine($"  ![{m.Model} importance]({ip})");
        }
        sb.AppendLine();
        foreach (var m in r.Results.Where(m => m.Explanations is { Rows.Count: > 0 })) Explanations(sb, m.Explanations!, d.Label);
        sb.AppendLine("Per-fold metrics are in `metrics.json`; the rows read and rejected in `ingest_account.json`.");
        return sb.ToString();
    }

    /// <summary>A few explained predictions as a table, with what the numbers mean.</summary>
    private static void Explanations(StringBuilder sb, Evaluation.ExplanationSet e, string label)
    {
        string N(double v, string format = "0.000") => v.ToString(format, CultureInfo.InvariantCulture);
        sb.AppendLine($"## Why single predictions came out as they did ({e.Model}, SHAP values)");
        sb.AppendLine($"Each contribution is LightGBM's SHAP value of one feature in one row, in log-odds: the bias (the model's average " +
                      $"log-odds) plus all of the row's contributions add up exactly to the log-odds of its probability, ln(p / (1 - p)). " +
                      $"A positive contribution pushes towards `{label}`, a negative one away from it. Rows: {e.Note}. The {Evaluation.PredictionExplanations.TopFeatures} largest of each of " +
                      $"the {Evaluation.PredictionExplanations.TopRows} highest-scored rows and {Evaluation.PredictionExplanations.RandomRows} random ones are in " +
                      $"`{Evaluation.PredictionExplanations.FileName}`; here the first few of each kind.");
        sb.AppendLine();
        sb.AppendLine("| row | pick | probability | label | bias | largest contributions (feature = value: log-odds) |").AppendLine("|---:|---|---:|---:|---:|---|");
        foreach (var x in e.Rows.Where(x => x.Pick == "top").Take(5).Concat(e.Rows.Where(x => x.Pick != "top").Take(3)))
            sb.AppendLine($"| {x.Row} | {x.Pick} | {N(x.Probability, "0.0000")} | {x.Label} | {N(x.Bias)} | " +
                          string.Join(", ", x.TopFeatures.Take(3).Select(f => $"{f.Feature} = {f.Value.ToString("0.###", CultureInfo.InvariantCulture)}: {(f.Contribution >= 0 ? "+" : "")}{N(f.Contribution)}")) + " |");
        sb.AppendLine();
    }

    public static string F(IReadOnlyDictionary<string, double> m, string key) =>
        m.TryGetValue(key, out var v) ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "–";
}
