namespace Shopcast.Data.Formats;

/// <summary>Every reader Shopcast ships, by <c>--format</c> name, and detection of a file's format from its first lines.</summary>
public static class FormatCatalog
{
    /// <summary>Readers by name. Generic <c>csv</c> needs a column mapping, so it is built by <see cref="Create"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = new[]
    {
        "taobao", "rees46", "yoochoose", "diginetica", "sequences", "sessions", "recbole", "personalize", "csv",
    };

    /// <param name="columns">The column mapping, used (and required) only by <c>csv</c>.</param>
    public static IEventReader Create(string format, string? columns = null) => format.ToLowerInvariant() switch
    {
        "taobao" => new TaobaoReader(),
        "rees46" => new Rees46Reader(),
        "yoochoose" => new YoochooseReader(),
        "diginetica" => new DigineticaReader(),
        "sequences" => new SequencesReader(),
        "sessions" => new SessionsReader(),
        "recbole" => new RecBoleReader(),
        "personalize" => new PersonalizeReader(),
        "csv" => new CsvReader(columns),
        _ => throw new ShopcastInputException(
            $"unknown format '{format}'; expected one of: {string.Join(", ", Names)}"),
    };

    /// <summary>
    /// Guesses the format from a file's first lines; null when nothing fits. Headers are tried first, then the
    /// headerless layouts. <c>sequences</c> goes before <c>sessions</c>: both are lines of integers, and telling
    /// them apart is a heuristic (see <see cref="SequencesReader"/>). <c>csv</c> is never guessed: it needs a mapping.
    /// </summary>
    public static string? Detect(string path, IReadOnlyList<string> firstLines)
    {
        if (firstLines.Count == 0) return null;
        if (Rees46Reader.Detects(firstLines)) return "rees46";
        if (DigineticaReader.Detects(firstLines)) return "diginetica";
        if (RecBoleReader.Detects(firstLines)) return "recbole";
        if (PersonalizeReader.Detects(firstLines)) return "personalize";
        if (YoochooseReader.Detects(firstLines)) return "yoochoose";
        var f = firstLines[0].Split(',');
        if (f.Length == 5 && EventTypes.Parse(f[3]) is not null && FormatText.IsDigits(f[0])) return "taobao";
        if (SequencesReader.Detects(firstLines)) return "sequences";
        if (SessionsReader.Detects(firstLines)) return "sessions";
        return null;
    }
}
