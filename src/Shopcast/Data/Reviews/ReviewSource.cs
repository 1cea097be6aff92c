using System.IO.Compression;
using System.Text;

namespace Shopcast.Data.Reviews;

/// <summary>
/// A review file opened as text: plain, <c>.gz</c> (through <see cref="LogText"/>, which checks the gzip trailer) or
/// <c>.zip</c>, read in place from its first entry outside <c>__MACOSX/</c> (macOS resource forks ride along in many
/// shared zips). Decoding replaces bytes that are not UTF-8 with <see cref="BadByte"/>, so one bad row is rejected as
/// undecodable (by <see cref="ReviewCollector"/>) instead of the whole file failing.
/// </summary>
/// <remarks>
/// The mark is U+FFFF, not the decoder's usual U+FFFD: U+FFFD is valid text, and some corpora carry it from an earlier
/// lossy conversion (Blitzer's files are valid UTF-8 yet 18 of their kept reviews hold U+FFFD). Those are kept as
/// written. U+FFFF is a noncharacter, which no review text holds, so it marks exactly the bytes this read could not decode.
/// </remarks>
internal sealed class ReviewSource : IDisposable
{
    /// <summary>What a byte sequence that is not UTF-8 decodes to (see the remarks).</summary>
    public const char BadByte = '\uFFFF';

    /// <summary>UTF-8 that decodes bad bytes to <see cref="BadByte"/>; its BOM preamble makes StreamReader skip a UTF-8 BOM.</summary>
    private static readonly Encoding Utf8 = Encoding.GetEncoding("utf-8", EncoderFallback.ExceptionFallback, new DecoderReplacementFallback(BadByte.ToString()));

    private readonly LogText? _log;
    private readonly ZipArchive? _zip;

    /// <summary>The file on disk, or "archive.zip (entry.csv)", as error messages name it.</summary>
    public string Name { get; }
    /// <summary>The name of the text inside (a zip entry's, or the file's without .gz): its extension says CSV or JSONL.</summary>
    public string InnerName { get; }
    public TextReader Reader { get; }
    /// <summary>The file on disk; its position drives the progress bar.</summary>
    public Stream File { get; }

    private ReviewSource(string name, string innerName, TextReader reader, Stream file, LogText? log, ZipArchive? zip)
    {
        Name = name;
        InnerName = innerName;
        Reader = reader;
        File = file;
        _log = log;
        _zip = zip;
    }

    public static bool IsZip(string path) => path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase);

    public static ReviewSource Open(string path)
    {
        if (!IsZip(path))
        {
            var log = new LogText(path, Utf8);
            var inner = LogText.IsGzip(path) ? path[..^3] : path;
            return new ReviewSource(path, Path.GetFileName(inner), log.Reader, log.File, log, null);
        }
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        ZipArchive zip;
        try { zip = new ZipArchive(file, ZipArchiveMode.Read); }
        catch (InvalidDataException e)
        {
            file.Dispose();
            throw new DataFormatException(path, 0, $"is not a zip archive ({e.Message.TrimEnd('.')}); rename it if it is not compressed");
        }
        var entry = zip.Entries.FirstOrDefault(e => e.Name.Length > 0 && !e.FullName.StartsWith("__MACOSX/", StringComparison.Ordinal));
        if (entry is null)
        {
            zip.Dispose();
            throw new DataFormatException(path, 0, "the zip archive holds no file (outside __MACOSX/); expected one CSV, TSV or JSONL file in it");
        }
        var reader = new StreamReader(entry.Open(), Utf8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        return new ReviewSource($"{path} ({entry.FullName})", entry.Name, reader, file, null, zip);
    }

    /// <summary>The error for a zip entry whose compressed data is corrupt (the decompressor's InvalidDataException).</summary>
    public static DataFormatException Corrupt(string name, InvalidDataException e) =>
        new(name, 0, $"cannot be decompressed ({e.Message.TrimEnd('.')}); the archive is corrupt or cut short");

    /// <summary>Call once the text has been read to its end: throws when a .gz file was cut short.</summary>
    public void CheckComplete() => _log?.CheckComplete();

    public void Dispose()
    {
        Reader.Dispose();
        _zip?.Dispose();
        _log?.Dispose();
        File.Dispose();
    }
}
