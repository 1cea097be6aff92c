using System.Globalization;
using System.Text;
using Shopcast.Jobs;

namespace Shopcast.Reporting;

/// <summary>report.md of a run: what was read, how it was split and ranked, and each model's metrics.</summary>
public static class RunReport
{
    public static readonly string[] HeadlineMetrics = { "HR@5", "NDCG@5", "HR@10", "NDCG@10", "MRR@10", "HR@20", "NDCG@20" };
    public static readonly string[] SessionMetrics = { "P@20", "MRR@20", "HR@10", "NDCG@10" };
    /// <summary>Preference: top-k accuracy over a small label vocabulary.</summary>
    public static readonly string[] PreferenceMetrics = { "HR@1", "HR@3", "HR@5", "HR@10", "MRR@10", "NDCG@10" };

    public static IReadOnlyList<string> Columns(RunResult r) =>
        r.Protocol.Labels is not null ? PreferenceMetrics : r.Results.Any(x => x.Metrics.ContainsKey("P@20")) ? SessionMetrics : HeadlineMetrics;

    /// <summary>What the ranked catalogue is made of: items, or the categories (brands) of a preference run.</summary>
    public static string CatalogueNoun(RunResult r) => r.Protocol.Labels?.Split(' ')[0] switch
    {
        "category" => "categories", "brand" => "brands", _ => "items",
    };

    private static string Signed(double v) => (v >= 0 ? "+" : "") + v.ToString("0.0000", CultureInfo.InvariantCulture);

    public static string Markdown(RunResult r)
    {
        var sb = new StringBuilder();
        var d = r.Dataset; var p = r.Protocol; var a = r.Ingest;
        sb.AppendLine($"# Shopcast run: {d.Name}" + (p.Labels is not null ? " (preference)" : ""));
        sb.AppendLine();
        if (d.Note is not null) sb.AppendLine($"> {d.Note}").AppendLine();
        sb.AppendLine($"Created {r.CreatedUtc} by Shopcast {r.Version}, seed {r.Seed}.");
        sb.AppendLine();
        sb.AppendLine("## Data");
        sb.AppendLine($"`{d.Source}` read as `{d.Format}`: {d.Users:N0} users, {d.Items:N0} {CatalogueNoun(r)}, {d.Events:N0} events, {a.Sessions:N0} sessions ({a.SessionsFrom}); time is {a.Time}.");
        sb.AppendLine();
        sb.AppendLine("| rows | count |").AppendLine("|---|---:|");
        sb.AppendLine($"| read | {a.RowsRead:N0} |");
        foreach (var kv in a.Rejected) sb.AppendLine($"| rejected: {kv.Key} (first at line {a.FirstRejectLine.GetValueOrDefault(kv.Key)}) | {kv.Value:N0} |");
        sb.AppendLine($"| exact duplicates dropped | {a.Duplicates:N0} |");
        if (a.KCore > 1) sb.AppendLine($"| removed by {a.KCore}-core filter | {a.KCoreRemoved:N0} |");
        sb.AppendLine($"| **kept as events** | **{a.Events:N0}** |");
        sb.AppendLine();
        sb.AppendLine("## Protocol");
        sb.AppendLine($"- Split: **{p.Split}** ({p.SplitDescription}); sequences are {p.Sequences}s. {p.TrainSequences:N0} training sequences, {p.ValidationCases:N0} validation cases, {p.TestCases:N0} test cases.");
        if (p.EventTypes is not null) sb.AppendLine($"- Sequences hold only **{string.Join(", ", p.EventTypes)}** events (`--events`); the other event types are left out.");
        foreach (var kv in p.Skipped) sb.AppendLine($"- Left out: {kv.Key}: {kv.Value:N0}.");
        sb.AppendLine($"- Ranking: **{p.RankingDescription}**." +
                      (p.TestCasesWithFewerNegatives > 0
                          ? $" {p.TestCasesWithFewerNegatives:N0} test cases had fewer candidates outside their history than that and were ranked against all of them."
                          : ""));
        sb.AppendLine($"- History excluded from candidates: **{(p.ExcludeSeen ? "yes" : "no")}**" +
                      (p.ExcludeSeen ? $" ({p.TestTargetsInHistory:N0} test targets were already in their history and count as misses)." : "."));
        sb.AppendLine($"- Ties: {p.Ties}.");
        if (p.Labels is not null) sb.AppendLine($"- Predicted: the **{p.Labels}**; {d.Items:N0} distinct labels are ranked.");
        foreach (var kv in p.EventsLeftOut ?? new()) sb.AppendLine($"- Events left out: {kv.Key}: {kv.Value:N0}.");
        if (p.ItemAttributes is not null) sb.AppendLine($"- Item attributes (side information, for models that use them): {p.ItemAttributes}.");
        sb.AppendLine($"- K = {string.Join(", ", p.K)}. With one target per case, Recall@K = HR@K." +
                      (r.Results.Any(x => x.Metrics.ContainsKey("P@20")) ? " P@20 is the session papers' hit rate in the top 20." : ""));
        sb.AppendLine();
        sb.AppendLine("## Results (test)");
        var cols = Columns(r);
        sb.AppendLine("| model | " + string.Join(" | ", cols) + " | train s | eval s |");
        sb.AppendLine("|---|" + string.Concat(cols.Select(_ => "---:|")) + "---:|---:|");
        foreach (var m in r.Results)
            sb.AppendLine($"| {m.Model} | " + string.Join(" | ", cols.Select(c => Format(m.Metrics, c))) +
                          $" | {m.TrainSeconds.ToString("0.0", CultureInfo.InvariantCulture)} | {m.EvalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} |");
        if (p.Labels is not null && r.Results.FirstOrDefault(x => x.Model == "pop") is { } pop && pop.Metrics.ContainsKey("HR@1"))
        {
            sb.AppendLine();
            sb.AppendLine("Against the most-frequent-label baseline (pop), top-1 / top-5 accuracy: " + string.Join("; ", r.Results.Where(x => x != pop)
                .Select(x => $"{x.Model} {Signed(x.Metrics["HR@1"] - pop.Metrics["HR@1"])} / {Signed(x.Metrics["HR@5"] - pop.Metrics["HR@5"])}")) + ".");
        }
        if (r.Results.Any(x => x.ValidationMetrics is not null))
        {
            sb.AppendLine();
            sb.AppendLine("Validation: " + string.Join("; ", r.Results.Where(x => x.ValidationMetrics is not null)
                .Select(x => $"{x.Model} NDCG@10 {Format(x.ValidationMetrics!, "NDCG@10")}, HR@10 {Format(x.ValidationMetrics!, "HR@10")}")) + ".");
        }
        sb.AppendLine();
        sb.AppendLine("## Models");
        foreach (var m in r.Results)
            sb.AppendLine($"- `{m.Model}` ({(m.Params.Count == 0 ? "no settings" : string.Join(", ", m.Params.Select(kv => $"{kv.Key}={kv.Value}")))}): bundle `{m.Bundle}`.");
        foreach (var m in r.Results.Where(x => x.History is { Count: > 0 }))
        {
            sb.AppendLine();
            sb.AppendLine($"### Training of `{m.Model}`");
            var h = m.History!;
            sb.AppendLine($"{h.Count} epochs, best validation epoch {m.BestEpoch} (its weights are the ones saved and evaluated); " +
                          $"{h.Average(e => e.Seconds).ToString("0.0", CultureInfo.InvariantCulture)} s per epoch, " +
                          $"{h.Average(e => e.ExamplesPerSecond).ToString("N0", CultureInfo.InvariantCulture)} training predictions/s; peak memory {m.PeakRssMiB.ToString("N0", CultureInfo.InvariantCulture)} MiB.");
            if (m.Plot is not null) sb.AppendLine().AppendLine($"![{m.Model} training]({m.Plot})");
            sb.AppendLine();
            sb.AppendLine("| epoch | loss | validation NDCG@10 | seconds |").AppendLine("|---:|---:|---:|---:|");
            foreach (var e in h)
                sb.AppendLine($"| {e.Epoch} | {e.Loss.ToString("0.0000", CultureInfo.InvariantCulture)} | {(e.Valid is { } v ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "")} | {e.Seconds.ToString("0.0", CultureInfo.InvariantCulture)} |");
        }
        sb.AppendLine();
        sb.AppendLine("All metrics, per model and with validation scores, are in `metrics.json`; the ingest account in `ingest_account.json`.");
        return sb.ToString();
    }

    public static string Format(IReadOnlyDictionary<string, double> m, string key) =>
        m.TryGetValue(key, out var v) ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "–";
}
