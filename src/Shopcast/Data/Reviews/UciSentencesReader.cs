namespace Shopcast.Data.Reviews;

/// <summary>
/// UCI "Sentiment Labelled Sentences" (amazon_cells_labelled.txt and its imdb/yelp siblings): one
/// <c>sentence&lt;TAB&gt;label</c> per line, no header, label 1 positive and 0 negative. The label is after the
/// last tab, so a sentence holding a tab stays whole.
/// </summary>
internal static class UciSentencesReader
{
    public const string Name = "uci-sentences";
    public const string Description = "UCI Sentiment Labelled Sentences: a .txt of sentence<TAB>label lines, label 1 positive, 0 negative";

    /// <summary>A .txt most of whose first (up to 5) non-blank lines end in a tab and 0 or 1 (one bad line does not hide it).</summary>
    public static bool Detects(string path, IReadOnlyList<string> firstLines)
    {
        if (!path.EndsWith(".txt", StringComparison.OrdinalIgnoreCase) && !path.EndsWith(".txt.gz", StringComparison.OrdinalIgnoreCase)) return false;
        var lines = firstLines.Where(l => l.Trim().Length > 0).Take(5).ToList();
        return lines.Count(l => l.TrimEnd() is var t && t.Length >= 2 && t[^2] == '\t' && t[^1] is '0' or '1') * 2 > lines.Count;
    }

    public static void Read(ReviewSource source, ReviewCollector into)
    {
        string? s;
        int line = 0;
        while ((s = source.Reader.ReadLine()) != null)
        {
            line++;
            var where = $"line {line}";
            int tab = s.LastIndexOf('\t');
            if (tab < 0)
            {
                if (s.Trim().Length == 0) into.Reject(ReviewRejects.EmptyText, where);
                else into.Reject(ReviewRejects.Malformed, where, "no tab before the label");
                continue;
            }
            if (!into.TryText(s[..tab], where, out var text)) continue;
            var cell = s[(tab + 1)..];
            if (ReviewLabels.ZeroOne(cell, out var reject) is { } label) into.Keep(new Review(text, label));
            else into.Reject(reject!, where, cell);
        }
        source.CheckComplete();
    }
}
