using System.Globalization;
using System.Text;
using Shopcast.Jobs;

namespace Shopcast.Reporting;

/// <summary>report.md of <c>--task dwell</c>: per target, the constant baselines and each model's errors with their spread.</summary>
public static class BrowsingReport
{
    public static readonly string[] Columns = { "MAE", "RMSE", "MedianAE", "RMSLE" };

    public static string Markdown(BrowsingResult r)
    {
        var sb = new StringBuilder();
        var d = r.Dataset; var a = r.Ingest;
        sb.AppendLine($"# Shopcast run: {d.Name} (dwell and session length)");
        sb.AppendLine();
        sb.AppendLine($"Created {r.CreatedUtc} by Shopcast {r.Version}, seed {r.Seed}.");
        sb.AppendLine();
        sb.AppendLine("## Data");
        sb.AppendLine($"`{d.Source}` read as `{d.Format}`: {a.RowsRead:N0} rows read, {a.Kept:N0} kept as events" +
                      (a.Rejected.Count > 0 ? $"; rejected: {string.Join(", ", a.Rejected.Select(kv => $"{kv.Key} {kv.Value:N0}"))}" : "") +
                      (a.Duplicates > 0 ? $"; {a.Duplicates:N0} exact duplicates (or k-core) dropped" : "") + ".");
        sb.AppendLine();
        sb.AppendLine("## Protocol");
        sb.AppendLine($"- Split: **{r.Protocol}**.");
        sb.AppendLine("- MAE, RMSE and MedianAE are in the target's unit; RMSLE is the RMSE of log(1 + y). The median baseline is the best constant for MAE, the mean for RMSE.");
        sb.AppendLine();
        foreach (var t in r.Targets)
        {
            sb.AppendLine($"## {t.Target}: {t.Label}");
            if (t.Skipped is not null) { sb.AppendLine().AppendLine($"Skipped: {t.Skipped}.").AppendLine(); continue; }
            sb.AppendLine($"{t.TrainRows:N0} training rows, {t.TestRows:N0} test rows (test median {F(t.TestMedian, Digits(t, "MAE"))} {t.Unit})." +
                          string.Concat(t.LeftOut.Select(kv => $" Left out: {kv.Key}: {kv.Value:N0}.")));
            sb.AppendLine();
            sb.AppendLine("| predictor | " + string.Join(" | ", Columns.Select(c => c == "RMSLE" ? c : $"{c} ({t.Unit})")) + " | train s/seed |");
            sb.AppendLine("|---|" + string.Concat(Columns.Select(_ => "---:|")) + "---:|");
            foreach (var (name, m) in t.Baselines) sb.AppendLine($"| {name} | " + string.Join(" | ", Columns.Select(c => F(m[c], Digits(t, c)))) + " | – |");
            foreach (var m in t.Results)
                sb.AppendLine($"| {m.Model} | " + string.Join(" | ", Columns.Select(c => $"{F(m.Metrics[c], Digits(t, c))} ± {F(m.MetricsStd[c], Digits(t, c))}")) + $" | {F(m.TrainSeconds, 2)} |");
            var median = t.Baselines.FirstOrDefault(kv => kv.Key.StartsWith("median")).Value;
            if (median is not null && t.Results.Count > 0)
            {
                sb.AppendLine();
                sb.AppendLine("Against the median baseline (MAE, RMSE; negative is better): " + string.Join("; ", t.Results.Select(m =>
                    $"{m.Model} {Pct(m.Metrics["MAE"], median["MAE"])}, {Pct(m.Metrics["RMSE"], median["RMSE"])}")) + ".");
            }
            sb.AppendLine();
        }
        sb.AppendLine("## Models");
        foreach (var t in r.Targets)
            foreach (var m in t.Results)
                sb.AppendLine($"- `{m.Model}` on {t.Target} ({string.Join(", ", m.Params.Select(kv => $"{kv.Key}={kv.Value}"))}): bundle `{m.Bundle}`; peak memory {m.PeakRssMiB:0} MiB.");
        sb.AppendLine();
        sb.AppendLine("Per-seed metrics are in `metrics.json`; the rows read and rejected in `ingest_account.json`.");
        return sb.ToString();
    }

    /// <summary>One precision per column, so a column's numbers line up: seconds to a tenth, events and RMSLE to a thousandth.</summary>
    private static int Digits(BrowsingTarget t, string column) => column == "RMSLE" || t.Unit != "s" ? 3 : 1;

    private static string F(double v, int digits) => double.IsNaN(v) ? "–" : v.ToString("F" + digits, CultureInfo.InvariantCulture);
    private static string Pct(double v, double baseline) => baseline == 0 ? "–" : ((v - baseline) / baseline * 100).ToString("+0.0;-0.0", CultureInfo.InvariantCulture) + " %";
}
