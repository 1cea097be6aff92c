using System.Globalization;
using System.Text;

namespace Shopcast.Data.Formats;

/// <summary>Small text helpers the readers share: field splitting, id and number checks, header lookup.</summary>
internal static class FormatText
{
    /// <summary>Reject reason for a field whose quotes do not close, or with text after its closing quote.</summary>
    public const string BadQuoting = "bad quoting";

    /// <summary>A non-empty run of ASCII digits: the shape of a numeric id.</summary>
    public static bool IsDigits(string s)
    {
        if (s.Length == 0) return false;
        foreach (var c in s) if (c is < '0' or > '9') return false;
        return true;
    }

    /// <summary>
    /// File content for an error message: at most 80 characters (then "…"), with what a terminal would not show
    /// faithfully escaped: tab as &lt;TAB&gt;, \r \n \0, other control and invisible format characters (such as
    /// bidirectional overrides) and lone surrogates as \uXXXX. A message never carries raw bytes of the file.
    /// </summary>
    public static string Clip(string s) => Clip(s, 80);

    /// <summary><see cref="Clip(string)"/> with another length limit.</summary>
    public static string Clip(string s, int max)
    {
        bool clipped = s.Length > max;
        int length = clipped ? max : s.Length;
        if (clipped && char.IsHighSurrogate(s[length - 1])) length--; // never cut a surrogate pair in two
        var sb = new StringBuilder(length + 8);
        for (int i = 0; i < length; i++)
        {
            char c = s[i];
            if (char.IsSurrogatePair(s, i) && i + 1 < length) { sb.Append(c).Append(s[++i]); continue; }
            switch (c)
            {
                case '\t': sb.Append("<TAB>"); continue;
                case '\r': sb.Append("\\r"); continue;
                case '\n': sb.Append("\\n"); continue;
                case '\0': sb.Append("\\0"); continue;
            }
            var category = char.GetUnicodeCategory(c);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
                or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.OtherNotAssigned)
                sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            else sb.Append(c);
        }
        if (clipped) sb.Append('…');
        return sb.ToString();
    }

    /// <summary>A finite number in invariant culture ("12.5", "1e3"); false for text, NaN and infinity.</summary>
    public static bool TryNumber(string s, out double value) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    /// <summary>
    /// Splits one line into RFC 4180 fields: a field may be quoted, "" inside quotes is one quote, and the
    /// delimiter inside quotes is text. Returns false when a quote does not close on this line or a closing
    /// quote is followed by something other than the delimiter.
    /// </summary>
    /// <remarks>
    /// Hand-written rather than Microsoft.VisualBasic.FileIO.TextFieldParser because that parser silently skips
    /// blank lines (so rows would vanish from the account and line numbers drift) and measured about 20x slower
    /// than this on a million-row log. A record is one line: a quoted field may not hold a line break, so a
    /// stray quote costs one rejected row instead of swallowing the lines after it.
    /// </remarks>
    public static bool TrySplit(string line, char delimiter, List<string> fields)
    {
        fields.Clear();
        if (line.IndexOf('"') < 0) { fields.AddRange(line.Split(delimiter)); return true; }
        var field = new StringBuilder();
        int i = 0;
        while (true)
        {
            field.Clear();
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length) return false; // the quote never closes
                    char c = line[i++];
                    if (c != '"') { field.Append(c); continue; }
                    if (i < line.Length && line[i] == '"') { field.Append('"'); i++; continue; }
                    break;
                }
                if (i < line.Length && line[i] != delimiter) return false;
            }
            else
            {
                int end = line.IndexOf(delimiter, i);
                if (end < 0) end = line.Length;
                field.Append(line, i, end - i);
                i = end;
            }
            fields.Add(field.ToString());
            if (i >= line.Length) return true;
            i++; // past the delimiter; a delimiter at the very end leaves one empty last field
            if (i == line.Length) { fields.Add(""); return true; }
        }
    }

    /// <summary>The delimiter of a header line: whichever of comma, tab and semicolon occurs most outside quotes; null if none.</summary>
    public static char? SniffDelimiter(string header)
    {
        int comma = 0, tab = 0, semicolon = 0;
        bool quoted = false;
        foreach (var c in header)
        {
            if (c == '"') quoted = !quoted;
            else if (!quoted && c == ',') comma++;
            else if (!quoted && c == '\t') tab++;
            else if (!quoted && c == ';') semicolon++;
        }
        if (comma == 0 && tab == 0 && semicolon == 0) return null;
        if (tab >= comma && tab >= semicolon) return '\t';
        return comma >= semicolon ? ',' : ';';
    }

    /// <summary>Column positions by name, compared trimmed and case-insensitively; the first of a repeated name wins.</summary>
    public static Dictionary<string, int> HeaderIndex(IReadOnlyList<string> header)
    {
        var index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < header.Count; i++) index.TryAdd(header[i].Trim(), i);
        return index;
    }

    /// <summary>
    /// Parses a column mapping <c>field=column,...</c> (keys lower-cased, columns trimmed); <paramref name="what"/> opens
    /// each message ("column mapping", "--columns"). An entry without '=', an unknown field or one named twice is refused.
    /// </summary>
    public static Dictionary<string, string> ParseMapping(string columns, IReadOnlyCollection<string> fields, string example, string what)
    {
        var mapping = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in columns.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = pair.IndexOf('=');
            var key = eq > 0 ? pair[..eq].Trim().ToLowerInvariant() : "";
            var column = eq > 0 ? pair[(eq + 1)..].Trim() : "";
            if (key.Length == 0 || column.Length == 0)
                throw new ShopcastInputException($"{what} '{pair}' is not field=column; expected e.g. {example}");
            if (!fields.Contains(key))
                throw new ShopcastInputException($"{what} names unknown field '{key}'; fields are: {string.Join(", ", fields)}");
            if (!mapping.TryAdd(key, column))
                throw new ShopcastInputException($"{what} names field '{key}' twice");
        }
        return mapping;
    }

    /// <summary>Null for an empty field, so optional columns store NULL rather than "".</summary>
    public static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;
}
