using nietras.SeparatedValues;
using Shopcast.Data.Formats;

namespace Shopcast.Data.Reviews;

/// <summary>One record of a review CSV: its first line, its fields (unquoted), the line after it, and whether a quote
/// stood where RFC 4180 allows none (inside an unquoted field, or after a closing quote).</summary>
internal readonly record struct CsvRecord(int Line, int LineAfter, string[] Fields, bool StrayQuote)
{
    public bool IsBlank => Fields.Length == 1 && Fields[0].Length == 0;
    public string Where => LineAfter - Line > 1 ? $"lines {Line}-{LineAfter - 1}" : $"line {Line}";
}

/// <summary>
/// A delimited review file with a header, read with Sep: unlike the event logs' one-line records
/// (<see cref="FormatText.TrySplit"/>), review text is routinely quoted across line breaks. The delimiter (comma, tab
/// or semicolon) is sniffed from the header as the event readers do. A quote still open at the end of the file is an
/// error naming the line it opened on, since everything after it would otherwise vanish into one field.
/// </summary>
/// <remarks>
/// Sep opens a quoted section at any quote, also one inside a field (<c>5" screen</c>), and so joins the lines up to
/// the next quote into one record. Such records are marked <see cref="CsvRecord.StrayQuote"/> for the readers to
/// reject as malformed, with the lines they span, rather than kept with other rows' text inside.
/// </remarks>
internal sealed class ReviewCsv : IDisposable
{
    private readonly SepReader _sep;
    private readonly string _name;
    private readonly char _delimiter;

    /// <summary>The header's column names, trimmed.</summary>
    public IReadOnlyList<string> Header { get; }

    private ReviewCsv(SepReader sep, string name, char delimiter)
    {
        _sep = sep;
        _name = name;
        _delimiter = delimiter;
        Header = sep.Header.ColNames.Select(c => c.Trim()).ToList();
    }

    public static ReviewCsv Open(ReviewSource source)
    {
        var first = source.Reader.ReadLine();
        if (first is null || first.Trim().Length == 0)
            throw new DataFormatException(source.Name, 1, "expected a header row naming the columns, found an empty line or file");
        var delimiter = FormatText.SniffDelimiter(first)
            ?? throw new DataFormatException(source.Name, 1,
                $"expected a header row separated by commas, tabs or semicolons, found '{FormatText.Clip(first)}'");
        // The header line was read to sniff the delimiter; Sep reads it again through PrefixedReader, so its own
        // line numbers stay those of the file.
        var sep = Sep.New(delimiter)
            .Reader(o => o with { HasHeader = true, Unescape = true, DisableColCountCheck = true })
            .From(new PrefixedReader(first + "\n", source.Reader));
        return new ReviewCsv(sep, source.Name, delimiter);
    }

    /// <summary>The position of a column in the header (case-insensitive), or -1.</summary>
    public int IndexOf(string column) => FormatText.HeaderIndex(Header).GetValueOrDefault(column.Trim(), -1);

    /// <summary>The position of a column that must be there; else an error at line 1 listing the header's columns.</summary>
    public int Require(string column, string usedAs)
    {
        int i = IndexOf(column);
        if (i < 0)
            throw new DataFormatException(_name, 1,
                $"column '{column}' ({usedAs}) is not in the header; the header's columns are: {FormatText.Clip(string.Join(", ", Header), 400)}");
        return i;
    }

    public IEnumerable<CsvRecord> Records()
    {
        while (_sep.MoveNext()) yield return Current();
    }

    private CsvRecord Current()
    {
        var row = _sep.Current;
        if (row.Span.Count('"') % 2 != 0)
            throw new DataFormatException(_name, row.LineNumberFrom,
                "a quoted field opened on this line never closes before the end of the file; close the quote or double it (\"\")");
        bool stray = HasStrayQuote(row.Span, _delimiter); // before reading the fields: Sep unescapes them in place
        var fields = new string[row.ColCount];
        for (int i = 0; i < fields.Length; i++) fields[i] = row[i].ToString();
        return new CsvRecord(row.LineNumberFrom, row.LineNumberToExcl, fields, stray);
    }

    /// <summary>True when a quote stands inside an unquoted field or a closing quote is not followed by the delimiter.</summary>
    internal static bool HasStrayQuote(ReadOnlySpan<char> record, char delimiter)
    {
        bool fieldStart = true, quoted = false;
        for (int i = 0; i < record.Length; i++)
        {
            char c = record[i];
            if (quoted)
            {
                if (c != '"') continue;
                if (i + 1 < record.Length && record[i + 1] == '"') { i++; continue; }
                quoted = false;
                if (i + 1 < record.Length && record[i + 1] != delimiter && record[i + 1] is not ('\r' or '\n')) return true;
                continue;
            }
            if (c == '"')
            {
                if (!fieldStart) return true;
                quoted = true;
            }
            fieldStart = c == delimiter;
        }
        return false;
    }

    public void Dispose() => _sep.Dispose();

    /// <summary>Text that starts with <paramref name="prefix"/> and goes on with <paramref name="rest"/>.</summary>
    private sealed class PrefixedReader(string prefix, TextReader rest) : TextReader
    {
        private int _at;

        public override int Peek() => _at < prefix.Length ? prefix[_at] : rest.Peek();
        public override int Read() => _at < prefix.Length ? prefix[_at++] : rest.Read();
        public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

        public override int Read(Span<char> buffer)
        {
            if (_at >= prefix.Length) return rest.Read(buffer);
            int n = Math.Min(buffer.Length, prefix.Length - _at);
            prefix.AsSpan(_at, n).CopyTo(buffer);
            _at += n;
            return n;
        }
    }
}
