using Shopcast.Data.Formats;
using Shopcast.Reporting;

namespace Shopcast.Data.Reviews;

/// <summary>
/// The review readers for the sentiment task, by <c>--format</c> name, and detection of a review file's format.
/// Every reader hands back the reviews it kept and a <see cref="ReviewAccount"/> of what it did with every row.
/// </summary>
public static class ReviewReaders
{
    /// <summary>
    /// Longer reviews are rejected (and counted), not cut. 50,000 characters keeps every review of the shared corpora
    /// (Blitzer's longest is 21,217) while a runaway field (a file read with the wrong quoting) is still caught.
    /// </summary>
    public const int DefaultMaxChars = 50_000;

    /// <summary>The review formats with a one-line description each (for --help and <c>shopcast formats</c>).</summary>
    public static IReadOnlyList<(string Name, string Description)> Formats { get; } = new[]
    {
        (OnlineShopping10CatsReader.Name, OnlineShopping10CatsReader.Description),
        (BlitzerReader.Name, BlitzerReader.Description),
        (UciSentencesReader.Name, UciSentencesReader.Description),
        (WomensClothingReader.Name, WomensClothingReader.Description),
        (ReviewCsvReader.Name, ReviewCsvReader.Description),
    };

    private const string Tried =
        "tried blitzer (a folder with positive.review/negative.review, or with domain folders holding them), " +
        "online-shopping-10cats (the header cat,label,review), womens-clothing (a header with Review Text and Rating), " +
        "uci-sentences (a .txt of text<TAB>0|1 lines)";

    /// <summary>
    /// Reads the reviews of <paramref name="path"/> (a file, or for blitzer a folder).
    /// </summary>
    /// <param name="format">One of <see cref="Formats"/>, or null to detect it (with <paramref name="columns"/> given, csv).</param>
    /// <param name="columns">The column mapping; read, and required, only by <c>csv</c>.</param>
    /// <param name="stars">How 1-5 star ratings become classes (womens-clothing, csv with rating=).</param>
    /// <param name="maxChars">Longer texts (after trimming) are rejected, not truncated.</param>
    public static ReviewSet Read(string path, string? format, string? columns, StarMapping stars, int maxChars = DefaultMaxChars,
        ProgressReporter? progress = null)
    {
        if (!File.Exists(path) && !Directory.Exists(path)) throw new ShopcastInputException($"--data {path}: file not found");
        var name = format?.Trim().ToLowerInvariant();
        if (name is not null && !Formats.Any(f => f.Name == name))
            throw new ShopcastInputException($"unknown review format '{format}'; expected one of: {string.Join(", ", Formats.Select(f => f.Name))}");
        if (columns is not null && name is not null && name != ReviewCsvReader.Name)
            throw new ShopcastInputException($"--columns is read only by --format csv; the {name} format knows its columns");
        var mapping = columns is not null || name == ReviewCsvReader.Name ? ReviewColumns.Parse(columns) : null;
        name ??= mapping is not null ? ReviewCsvReader.Name : Detect(path);

        var into = new ReviewCollector(path, name, maxChars);
        if (name == BlitzerReader.Name)
        {
            BlitzerReader.Read(path, into);
            return into.Finish();
        }
        if (Directory.Exists(path))
            throw new ShopcastInputException($"--data {path} is a folder; the {name} format reads one file (only blitzer reads a folder)");
        var bytes = new FileInfo(path).Length;
        (progress ?? ProgressReporter.Quiet).Step($"Reading reviews from {Path.GetFileName(path)}", bytes, handle =>
        {
            using var source = ReviewSource.Open(path);
            into.Follow(handle, source.File);
            try
            {
                switch (name)
                {
                    case OnlineShopping10CatsReader.Name: OnlineShopping10CatsReader.Read(source, into); break;
                    case WomensClothingReader.Name: WomensClothingReader.Read(source, stars, into); break;
                    case UciSentencesReader.Name: UciSentencesReader.Read(source, into); break;
                    default: ReviewCsvReader.Read(source, mapping!, stars, into); break;
                }
            }
            catch (InvalidDataException e) { throw ReviewSource.Corrupt(source.Name, e); }
        });
        return into.Finish();
    }

    /// <summary>The format of <paramref name="path"/>, or an error saying what was tried.</summary>
    internal static string Detect(string path)
    {
        if (Directory.Exists(path))
        {
            if (BlitzerReader.Files(path).Count > 0) return BlitzerReader.Name;
            throw new ShopcastInputException($"--data {path}: could not tell the review format of this folder ({Tried}); " +
                                             "give --format, or point --data at a review file");
        }
        if (path.EndsWith(".review", StringComparison.OrdinalIgnoreCase)) return BlitzerReader.Name;
        var first = FirstLines(path, 5);
        if (first.Count > 0 && Header(first[0]) is { } header)
        {
            if (OnlineShopping10CatsReader.Detects(header)) return OnlineShopping10CatsReader.Name;
            if (WomensClothingReader.Detects(header)) return WomensClothingReader.Name;
        }
        if (UciSentencesReader.Detects(path, first)) return UciSentencesReader.Name;
        var shown = first.Count == 0 ? "it is empty" : $"its first line is '{FormatText.Clip(first[0])}'";
        throw new ShopcastInputException($"--data {path}: could not tell the review format ({Tried}; {shown}); " +
                                         $"give --format, or --format csv --columns {ReviewColumns.Example}");
    }

    private static List<string> FirstLines(string path, int n)
    {
        using var source = ReviewSource.Open(path);
        var lines = new List<string>();
        string? s;
        try
        {
            while (lines.Count < n && (s = source.Reader.ReadLine()) != null) lines.Add(s);
        }
        catch (InvalidDataException e) { throw ReviewSource.Corrupt(source.Name, e); }
        return lines;
    }

    /// <summary>A header line's column names, trimmed; null when it has no delimiter or its quotes do not close.</summary>
    private static List<string>? Header(string line)
    {
        if (FormatText.SniffDelimiter(line) is not { } delimiter) return null;
        var fields = new List<string>();
        return FormatText.TrySplit(line, delimiter, fields) ? fields.Select(f => f.Trim()).ToList() : null;
    }
}
