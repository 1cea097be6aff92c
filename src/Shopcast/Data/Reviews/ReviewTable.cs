using System.Text.Json;
using Shopcast.Data.Formats;

namespace Shopcast.Data.Reviews;

/// <summary>How a review table's label column is read (see <see cref="ReviewLabels"/>).</summary>
internal enum LabelRule
{
    /// <summary>0 negative, 1 positive; anything else is out of range.</summary>
    ZeroOne,
    /// <summary>The generic csv rule: words, or integers -1/0/1 where 0 is neutral only in a file that has -1.</summary>
    Words,
}

/// <summary>
/// Reads a review table, CSV/TSV (<see cref="ReviewCsv"/>) or JSON Lines, through a <see cref="ReviewColumns"/>
/// mapping. The presets (online_shopping_10_cats, the clothing shop) and the generic <c>csv</c> format all read here;
/// they differ in the mapping, the label rule and the header they insist on.
/// </summary>
internal static class ReviewTable
{
    public static bool IsJsonLines(string name) =>
        name.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase);

    /// <summary>The mapped cells of one row, in the order text, title, label or rating, category; null when absent.</summary>
    private readonly record struct Cells(string? Text, string? Title, string? Label, string? Category);

    /// <param name="checkHeader">A preset's check of the CSV header (before the mapped columns are looked up).</param>
    public static void Read(ReviewSource source, ReviewColumns columns, LabelRule rule, StarMapping stars, ReviewCollector into,
        Action<ReviewCsv>? checkHeader = null)
    {
        var labels = new LabelReader(columns.Rating is not null, rule, stars, into);
        if (IsJsonLines(source.InnerName)) ReadJsonLines(source, columns, labels, into);
        else ReadCsv(source, columns, labels, into, checkHeader);
        labels.Finish();
        source.CheckComplete();
    }

    private static void ReadCsv(ReviewSource source, ReviewColumns columns, LabelReader labels, ReviewCollector into, Action<ReviewCsv>? requireHeader)
    {
        using var csv = ReviewCsv.Open(source);
        requireHeader?.Invoke(csv);
        int text = csv.Require(columns.Text, "text");
        int label = columns.Label is { } l ? csv.Require(l, "label") : csv.Require(columns.Rating!, "rating");
        int title = columns.Title is { } t ? csv.Require(t, "title") : -1;
        int category = columns.Category is { } c ? csv.Require(c, "category") : -1;
        foreach (var r in csv.Records())
        {
            if (r.IsBlank) { into.Reject(ReviewRejects.EmptyText, r.Where); continue; }
            if (r.StrayQuote || r.Fields.Length != csv.Header.Count)
            {
                into.Reject(ReviewRejects.Malformed, r.Where, r.StrayQuote ? "a quote inside a field" : $"{r.Fields.Length} fields, the header has {csv.Header.Count}");
                continue;
            }
            string? Cell(int i) => i < 0 ? null : r.Fields[i];
            labels.Add(r.Where, new Cells(Cell(text), Cell(title), Cell(label), Cell(category)));
        }
    }

    private static void ReadJsonLines(ReviewSource source, ReviewColumns columns, LabelReader labels, ReviewCollector into)
    {
        var names = new[] { columns.Text, columns.Title, columns.Label ?? columns.Rating, columns.Category };
        string? s;
        int line = 0;
        bool checkedKeys = false;
        while ((s = source.Reader.ReadLine()) != null)
        {
            line++;
            var where = $"line {line}";
            if (s.Trim().Length == 0) { into.Reject(ReviewRejects.EmptyText, where); continue; }
            var values = new string?[names.Length];
            try
            {
                using var doc = JsonDocument.Parse(s);
                if (doc.RootElement.ValueKind != JsonValueKind.Object) { into.Reject(ReviewRejects.Malformed, where, "not a JSON object"); continue; }
                if (!checkedKeys) { CheckKeys(source.Name, line, doc.RootElement, columns); checkedKeys = true; }
                if (!TryValues(doc.RootElement, names, values)) { into.Reject(ReviewRejects.Malformed, where, "an object or array where text was expected"); continue; }
            }
            catch (JsonException) { into.Reject(ReviewRejects.Malformed, where, s); continue; }
            // Valid JSON whose string holds a lone surrogate escape ("\ud83d", a cut emoji) cannot become .NET text.
            catch (InvalidOperationException) { into.Reject(ReviewRejects.Undecodable, where, s); continue; }
            labels.Add(where, new Cells(values[0], values[1], values[2], values[3]));
        }
    }

    /// <summary>The first object must have every mapped key, or the mapping is wrong: one error naming the keys it has.</summary>
    private static void CheckKeys(string name, int line, JsonElement first, ReviewColumns columns)
    {
        var keys = first.EnumerateObject().Select(p => p.Name).ToList();
        foreach (var (column, usedAs) in new[] { (columns.Text, "text"), (columns.Title, "title"), (columns.Label, "label"), (columns.Rating, "rating"), (columns.Category, "category") })
            if (column is not null && !keys.Contains(column, StringComparer.OrdinalIgnoreCase))
                throw new DataFormatException(name, line,
                    $"key '{column}' ({usedAs}) is not in the first object; its keys are: {FormatText.Clip(string.Join(", ", keys), 400)}");
    }

    /// <summary>Strings as they are, numbers and booleans as written, null and missing keys as null.</summary>
    private static bool TryValues(JsonElement obj, string?[] names, string?[] values)
    {
        foreach (var p in obj.EnumerateObject())
            for (int i = 0; i < names.Length; i++)
            {
                if (values[i] is not null || names[i] is null || !string.Equals(p.Name, names[i], StringComparison.OrdinalIgnoreCase)) continue;
                switch (p.Value.ValueKind)
                {
                    case JsonValueKind.String: values[i] = p.Value.GetString(); break;
                    case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False: values[i] = p.Value.GetRawText(); break;
                    case JsonValueKind.Object or JsonValueKind.Array: return false;
                }
            }
        return true;
    }

    /// <summary>Turns one row's cells into a kept review or a reject; resolves the generic rule's 0 at the end.</summary>
    private sealed class LabelReader(bool ratings, LabelRule rule, StarMapping stars, ReviewCollector into)
    {
        private readonly List<int> _zeros = new();
        private bool _sawMinusOne;

        public void Add(string where, Cells cells)
        {
            if (!into.TryText(cells.Title, cells.Text, where, out var text)) return;
            var category = cells.Category is { } c ? FormatText.NullIfEmpty(c.Trim()) : null;
            var cell = cells.Label ?? "";
            string? reject;
            if (ratings)
            {
                if (ReviewLabels.Stars(cell, out reject) is { } n) into.Keep(new Review(text, stars.Classify(n), category, n));
                else into.Reject(reject!, where, cell);
                return;
            }
            bool zero = false;
            var label = rule == LabelRule.ZeroOne ? ReviewLabels.ZeroOne(cell, out reject) : ReviewLabels.Word(cell, out zero, out reject);
            if (zero)
            {
                _zeros.Add(into.Reviews.Count); // a 0: negative unless a -1 turns up (Finish)
                label = Sentiment.Negative;
            }
            if (label is null) { into.Reject(reject!, where, cell); return; }
            if (int.TryParse(cell.Trim(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var v) && v == -1)
                _sawMinusOne = true;
            into.Keep(new Review(text, label.Value, category));
        }

        public void Finish()
        {
            if (ratings) into.Account.StarMapping = stars.ToString();
            if (_sawMinusOne) foreach (var i in _zeros) into.Relabel(i, Sentiment.Neutral);
        }
    }
}
