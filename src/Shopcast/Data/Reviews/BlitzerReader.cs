using System.Text;

namespace Shopcast.Data.Reviews;

/// <summary>
/// Blitzer, Dredze and Pereira's Multi-Domain Sentiment Dataset (<c>sorted_data_acl</c>): per domain folder a
/// positive.review and a negative.review, the file naming the class. The files are pseudo-XML, not well-formed (bare
/// &amp;, no root element, sometimes a stray &lt;data&gt; wrapper), so they are read line by line between tags rather
/// than with an XML parser. HTML entities (&amp;quot; and the like) are left for the tokeniser to decode.
/// </summary>
internal static class BlitzerReader
{
    public const string Name = "blitzer";
    public const string Description =
        "Blitzer's Multi-Domain Sentiment Dataset (sorted_data_acl): a domain folder holding positive.review and negative.review, " +
        "or the folder of domain folders, or one .review file; the text is \"title. review_text\", the category the domain";

    private static readonly (string File, Sentiment Label)[] LabelledFiles =
        { ("positive.review", Sentiment.Positive), ("negative.review", Sentiment.Negative) };

    /// <summary>
    /// The labelled files under <paramref name="path"/>: the folder's own positive/negative.review when it has them,
    /// else those of its subfolders (domains, in name order); a file path is taken as itself. unlabeled.review is ignored.
    /// </summary>
    public static List<(string File, Sentiment Label)> Files(string path)
    {
        if (File.Exists(path))
        {
            var name = Path.GetFileName(path);
            var match = LabelledFiles.Where(f => f.File.Equals(name, StringComparison.OrdinalIgnoreCase)).ToList();
            if (match.Count == 0)
                throw new ShopcastInputException($"{path}: a Blitzer file must be named positive.review or negative.review (the name gives the class)");
            return new() { (path, match[0].Label) };
        }
        var found = Here(path);
        if (found.Count > 0) return found;
        foreach (var domain in Directory.GetDirectories(path).OrderBy(d => d, StringComparer.Ordinal)) found.AddRange(Here(domain));
        return found;
    }

    private static List<(string File, Sentiment Label)> Here(string folder) =>
        LabelledFiles.Select(f => (File: Path.Combine(folder, f.File), f.Label)).Where(f => File.Exists(f.File)).ToList();

    public static void Read(string path, ReviewCollector into)
    {
        var files = Files(path);
        if (files.Count == 0)
            throw new ShopcastInputException($"{path}: holds no positive.review or negative.review, neither itself nor in a domain folder under it");
        foreach (var (file, label) in files) ReadFile(file, label, into);
    }

    /// <summary>One review's title and text as they are collected; later repeats of a block are ignored.</summary>
    private sealed class Block
    {
        public int Line;
        public StringBuilder? Title, Text;
    }

    private static void ReadFile(string file, Sentiment label, ReviewCollector into)
    {
        var domain = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(file)));
        var shortName = $"{domain}/{Path.GetFileName(file)}";
        using var source = ReviewSource.Open(file);
        Block? review = null;
        StringBuilder? open = null; // the title or review_text being read
        string? openTag = null;     // the tag whose closing line ends it, whether kept or not
        int line = 0;
        string? s;
        while ((s = source.Reader.ReadLine()) != null)
        {
            line++;
            var t = s.Trim();
            if (openTag is not null)
            {
                bool closes = t == $"</{openTag}>";
                // A block left open ends at its review's end or the next review's start, so a missing closing tag
                // costs that one review at most.
                bool reviewEdge = t is "</review>" or "<review>";
                if (closes || reviewEdge) { openTag = null; open = null; }
                else open?.Append(open.Length > 0 ? "\n" : "").Append(s);
                if (!reviewEdge) continue;
            }
            if (t == "<review>")
            {
                if (review is not null) into.Reject(ReviewRejects.Malformed, $"{shortName}, line {review.Line}", "no </review> before the next <review>");
                review = new Block { Line = line };
            }
            else if (t == "</review>" && review is not null)
            {
                // The text is title + ". " + review_text: the title often carries the verdict ("Great book").
                var where = $"{shortName}, line {review.Line}";
                if (into.TryText(review.Title?.ToString(), review.Text?.ToString(), where, out var text))
                    into.Keep(new Review(text, label, domain));
                review = null;
            }
            else if (review is not null && t.Length > 2 && t[0] == '<' && t[^1] == '>' && t[1] != '/')
            {
                var tag = t[1..^1];
                if (tag.Contains('<')) { Inline(review, t); continue; } // <tag>value</tag> on one line
                openTag = tag;
                if (tag == "title" && review.Title is null) open = review.Title = new StringBuilder();
                else if (tag == "review_text" && review.Text is null) open = review.Text = new StringBuilder();
            }
        }
        if (review is not null) into.Reject(ReviewRejects.Malformed, $"{shortName}, line {review.Line}", "the file ends inside this review");
        source.CheckComplete();
    }

    /// <summary>A block written on one line, <c>&lt;title&gt;Great&lt;/title&gt;</c>.</summary>
    private static void Inline(Block review, string line)
    {
        foreach (var tag in new[] { "title", "review_text" })
            if (line.StartsWith($"<{tag}>", StringComparison.Ordinal) && line.EndsWith($"</{tag}>", StringComparison.Ordinal))
            {
                var value = new StringBuilder(line[(tag.Length + 2)..^(tag.Length + 3)]);
                if (tag == "title") review.Title ??= value;
                else review.Text ??= value;
            }
    }
}
