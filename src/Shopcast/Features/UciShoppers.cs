using System.Text.Json.Serialization;
using Shopcast.Data;
using Shopcast.Data.Formats;

namespace Shopcast.Features;

/// <summary>What reading a table of examples did with each row: kept, or rejected with a reason (counted, first line kept).</summary>
public sealed class TableAccount
{
    [JsonPropertyName("source")] public string Source { get; init; } = "";
    [JsonPropertyName("format")] public string Format { get; init; } = "";
    [JsonPropertyName("rows_read")] public long RowsRead { get; set; }
    [JsonPropertyName("rejected")] public SortedDictionary<string, long> Rejected { get; init; } = new();
    [JsonPropertyName("first_reject_lines")] public SortedDictionary<string, long> FirstRejectLine { get; init; } = new();
    /// <summary>Event logs: rows dropped as exact duplicates (or by a k-core filter) after reading.</summary>
    [JsonPropertyName("duplicates_dropped")] public long Duplicates { get; set; }
    [JsonPropertyName("kept")] public long Kept { get; set; }

    /// <summary>An event log's ingestion in the same terms: events kept, duplicates and the k-core filter together.</summary>
    public static TableAccount FromIngest(IngestAccount ingest) => new()
    {
        Source = ingest.Source, Format = ingest.Format, RowsRead = ingest.RowsRead, Kept = ingest.Events,
        Rejected = ingest.Rejected, FirstRejectLine = ingest.FirstRejectLine, Duplicates = ingest.Duplicates + ingest.KCoreRemoved,
    };

    internal void Reject(string reason, long line)
    {
        Rejected[reason] = Rejected.GetValueOrDefault(reason) + 1;
        FirstRejectLine.TryAdd(reason, line);
    }
}

/// <summary>
/// The UCI "Online Shoppers Purchasing Intention" file (Sakar et al. 2019; <c>--format uci-shoppers</c>): one session
/// per row, already aggregated (page counts and durations by page type, Google Analytics bounce/exit rates and page
/// value, month, visitor type, weekend), label <c>Revenue</c>. Numeric columns are kept as they are; the categorical
/// ones (month, visitor type and the integer-coded operating system, browser, region and traffic type) are one-hot
/// encoded over the values the file holds, so the columns are fixed by the file and not by a fold.
/// </summary>
public static class UciShoppers
{
    public const string FormatName = "uci-shoppers";
    public const string Label = "Revenue";

    public static readonly string[] Numeric =
    {
        "Administrative", "Administrative_Duration", "Informational", "Informational_Duration", "ProductRelated",
        "ProductRelated_Duration", "BounceRates", "ExitRates", "PageValues", "SpecialDay",
    };

    public static readonly string[] Categorical = { "Month", "OperatingSystems", "Browser", "Region", "TrafficType", "VisitorType" };

    private static readonly string[] Months = { "Jan", "Feb", "Mar", "Apr", "May", "June", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

    /// <summary>True when the header line is this file's (used by format detection).</summary>
    public static bool LooksLike(string header)
    {
        var fields = new List<string>();
        if (FormatText.SniffDelimiter(header) is not { } d || !FormatText.TrySplit(header, d, fields)) return false;
        var index = FormatText.HeaderIndex(fields);
        // The label plus any of the file's own columns: a file that lacks some of them is still read as this format, so
        // the error names the missing columns instead of complaining as an event log would.
        return index.ContainsKey(Label) && Numeric.Concat(Categorical).Any(index.ContainsKey);
    }

    /// <summary>True when the file's first line is this table's header (an existing file; .gz is read through).</summary>
    public static bool IsTable(string path)
    {
        using var text = new LogText(path);
        return text.Reader.ReadLine() is { } header && LooksLike(header);
    }

    public static (FeatureTable Table, TableAccount Account) Read(string path)
    {
        if (!File.Exists(path)) throw new ShopcastInputException($"--data {path}: file not found");
        var account = new TableAccount { Source = path, Format = FormatName };
        using var text = new LogText(path);
        var header = text.Reader.ReadLine() ?? throw new DataFormatException(path, 1, "the file is empty; expected the UCI online shoppers CSV with a header line");
        char delimiter = FormatText.SniffDelimiter(header) ?? ',';
        var fields = new List<string>();
        FormatText.TrySplit(header, delimiter, fields);
        var index = FormatText.HeaderIndex(fields);
        var missing = Numeric.Concat(Categorical).Append("Weekend").Append(Label).Where(c => !index.ContainsKey(c)).ToList();
        if (missing.Count > 0)
            throw new DataFormatException(path, 1, $"header lacks {string.Join(", ", missing)}; expected the UCI online shoppers columns ({string.Join(",", Numeric)},{string.Join(",", Categorical)},Weekend,{Label})");

        var numeric = new List<float[]>();
        var categorical = new List<string[]>();
        var weekend = new List<float>();
        var labels = new List<float>();
        long line = 1;
        string? row;
        while ((row = text.Reader.ReadLine()) is not null)
        {
            line++;
            if (row.Length == 0) { account.RowsRead++; account.Reject("empty line", line); continue; }
            account.RowsRead++;
            if (!FormatText.TrySplit(row, delimiter, fields)) { account.Reject(FormatText.BadQuoting, line); continue; }
            if (fields.Count != index.Count) { account.Reject("wrong number of fields", line); continue; }
            var nums = new float[Numeric.Length];
            bool ok = true;
            for (int i = 0; i < Numeric.Length && ok; i++)
            {
                ok = FormatText.TryNumber(fields[index[Numeric[i]]].Trim(), out var v) && v >= 0;
                nums[i] = (float)v;
            }
            if (!ok) { account.Reject("numeric field not a number >= 0", line); continue; }
            var cats = Categorical.Select(c => fields[index[c]].Trim()).ToArray();
            if (cats.Any(c => c.Length == 0)) { account.Reject("empty category", line); continue; }
            if (!Months.Contains(cats[0], StringComparer.OrdinalIgnoreCase)) { account.Reject("unknown month", line); continue; }
            if (ParseBool(fields[index["Weekend"]]) is not { } we) { account.Reject("Weekend not TRUE/FALSE", line); continue; }
            if (ParseBool(fields[index[Label]]) is not { } label) { account.Reject($"{Label} not TRUE/FALSE", line); continue; }
            numeric.Add(nums); categorical.Add(cats); weekend.Add(we ? 1 : 0); labels.Add(label ? 1 : 0);
        }
        text.CheckComplete();
        account.Kept = labels.Count;
        if (labels.Count == 0) throw new DataFormatException(path, 0, $"no usable rows ({string.Join("; ", account.Rejected.Select(kv => $"{kv.Key}: {kv.Value}"))})");

        // One-hot columns over the values present, in a stable order (months in calendar order, the rest sorted).
        var columns = new List<string>(Numeric) { "Weekend" };
        var vocab = new List<(int Cat, string Value)>();
        for (int c = 0; c < Categorical.Length; c++)
        {
            var values = categorical.Select(v => v[c]).Distinct(StringComparer.OrdinalIgnoreCase);
            values = c == 0 ? values.OrderBy(v => Array.FindIndex(Months, m => m.Equals(v, StringComparison.OrdinalIgnoreCase)))
                            : values.OrderBy(v => v.Length).ThenBy(v => v, StringComparer.Ordinal);
            foreach (var v in values) { vocab.Add((c, v)); columns.Add($"{Categorical[c]}={v}"); }
        }
        int width = columns.Count;
        var data = new float[labels.Count * width];
        for (int r = 0; r < labels.Count; r++)
        {
            var span = data.AsSpan(r * width, width);
            numeric[r].CopyTo(span);
            span[Numeric.Length] = weekend[r];
            for (int j = 0; j < vocab.Count; j++)
                if (categorical[r][vocab[j].Cat].Equals(vocab[j].Value, StringComparison.OrdinalIgnoreCase)) span[Numeric.Length + 1 + j] = 1;
        }
        return (new FeatureTable { Columns = columns, Values = data, Labels = labels.ToArray() }, account);
    }

    private static bool? ParseBool(string s) => s.Trim().ToUpperInvariant() switch
    {
        "TRUE" or "1" => true,
        "FALSE" or "0" => false,
        _ => null,
    };
}
