namespace Shopcast.Data.Formats;

/// <summary>Every reader Shopcast ships, by <c>--format</c> name, and detection of a file's format from its first lines.</summary>
public static class FormatCatalog
{
    /// <summary>Readers by name. Generic <c>csv</c> needs a column mapping, so it is built by <see cref="Create"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = new[] { "taobao" };

    public static IEventReader Create(string format, string? columns = null) => format.ToLowerInvariant() switch
    {
        "taobao" => new TaobaoReader(),
        _ => throw new ShopcastInputException(
            $"unknown format '{format}'; expected one of: {string.Join(", ", Names)}"),
    };

    /// <summary>Guesses the format from the file name and its first lines; null when nothing fits.</summary>
    public static string? Detect(string path, IReadOnlyList<string> firstLines)
    {
        if (firstLines.Count == 0) return null;
        var first = firstLines[0];
        var f = first.Split(',');
        if (f.Length == 5 && EventTypes.Parse(f[3]) is not null && TaobaoReader.IsDigits(f[0])) return "taobao";
        return null;
    }
}
