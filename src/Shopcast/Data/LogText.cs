using System.IO.Compression;
using System.Text;

namespace Shopcast.Data;

/// <summary>
/// A log file opened as text; a <c>.gz</c> file is decompressed as it streams. <see cref="File"/> is the file on disk
/// (its position drives progress bars). A broken gzip stream (not gzip at all, corrupt, or cut short) becomes a
/// <see cref="DataFormatException"/> naming the file: reads throw it for bad data, and <see cref="CheckComplete"/>,
/// called once the text has been read to its end, throws it for a stream that ended before its gzip trailer.
/// </summary>
/// <remarks>
/// .NET's <see cref="GZipStream"/> reports a truncated stream as a normal end of data, so completeness is checked
/// here: the gzip trailer (the file's last 8 bytes) holds the CRC-32 and the length mod 2^32 of the last member's
/// data. When the whole decompressed length matches it the file is one complete member (a cut file matches by chance
/// with odds of 1 in 2^32). Otherwise the file is either cut short or holds several members (as `cat a.gz b.gz` makes);
/// the file is then decompressed a second time and the CRC-32 of its last ISIZE bytes compared with the trailer's.
/// </remarks>
internal sealed class LogText : IDisposable
{
    private readonly string _path;
    private readonly CountingStream? _decompressed;

    public TextReader Reader { get; }
    public Stream File { get; }

    /// <param name="encoding">UTF-8 unless given (the review readers pass one that marks bad bytes their own way).</param>
    public LogText(string path, Encoding? encoding = null)
    {
        _path = path;
        File = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        Stream s = File;
        if (IsGzip(path)) s = _decompressed = new CountingStream(new GZipStream(File, CompressionMode.Decompress));
        Reader = new GuardedReader(new StreamReader(s, encoding ?? Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16), path);
    }

    public static bool IsGzip(string path) => path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);

    /// <summary>Call after <see cref="Reader"/> returned the end of the text: throws when a .gz file was cut short.</summary>
    public void CheckComplete()
    {
        if (_decompressed is null) return;
        var buffer = new byte[1 << 16];
        try { while (_decompressed.Read(buffer) > 0) { } }
        catch (InvalidDataException e) { throw NotGzip(_path, e); }
        if (!IsCompleteGzip(_path, _decompressed.Count))
            throw new DataFormatException(_path, 0,
                $"the gzip stream ends before its end marker (after {_decompressed.Count:N0} decompressed bytes): the file is truncated or corrupt; " +
                "download or compress it again");
    }

    internal static DataFormatException NotGzip(string path, InvalidDataException e) =>
        new(path, 0, $"is not a valid gzip file ({e.Message.TrimEnd('.')}); a .gz log must be gzip-compressed text " +
                     "(rename the file if it is not compressed)");

    /// <summary>True when a .gz file whose data decompressed to <paramref name="decompressedBytes"/> bytes ends with the
    /// trailer of its last member (see the remarks on the class).</summary>
    internal static bool IsCompleteGzip(string path, long decompressedBytes)
    {
        Span<byte> trailer = stackalloc byte[8];
        using (var fs = System.IO.File.OpenRead(path))
        {
            if (fs.Length < 18) return false; // a 10-byte header and an 8-byte trailer at the least
            fs.Seek(-8, SeekOrigin.End);
            fs.ReadExactly(trailer);
        }
        uint crc = BitConverter.ToUInt32(trailer[..4]);
        uint isize = BitConverter.ToUInt32(trailer[4..]);
        if (isize == (uint)decompressedBytes) return true;
        // Several members: the last one is the final isize bytes (mod 2^32) of the data; check its CRC-32.
        long start = decompressedBytes - isize;
        if (start < 0) return false;
        using var gz = new GZipStream(System.IO.File.OpenRead(path), CompressionMode.Decompress);
        var buffer = new byte[1 << 16];
        long pos = 0;
        uint c = Crc32.Start;
        int n;
        while ((n = gz.Read(buffer)) > 0)
        {
            int from = (int)Math.Clamp(start - pos, 0, n);
            if (from < n) c = Crc32.Update(c, buffer.AsSpan(from, n - from));
            pos += n;
        }
        return Crc32.Finish(c) == crc;
    }

    public void Dispose() => Reader.Dispose();

    /// <summary>Counts the bytes read through it.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long Count { get; private set; }
        public override int Read(byte[] buffer, int offset, int count) => Add(inner.Read(buffer, offset, count));
        public override int Read(Span<byte> buffer) => Add(inner.Read(buffer));
        private int Add(int n) { Count += n; return n; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Count; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        protected override void Dispose(bool disposing) { if (disposing) inner.Dispose(); base.Dispose(disposing); }
    }

    /// <summary>A text reader that turns the decompressor's <see cref="InvalidDataException"/> into a <see cref="DataFormatException"/>.</summary>
    private sealed class GuardedReader(TextReader inner, string path) : TextReader
    {
        public override string? ReadLine()
        {
            try { return inner.ReadLine(); }
            catch (InvalidDataException e) { throw NotGzip(path, e); }
        }
        public override int Read()
        {
            try { return inner.Read(); }
            catch (InvalidDataException e) { throw NotGzip(path, e); }
        }
        public override int Peek()
        {
            try { return inner.Peek(); }
            catch (InvalidDataException e) { throw NotGzip(path, e); }
        }
        public override int Read(char[] buffer, int index, int count)
        {
            try { return inner.Read(buffer, index, count); }
            catch (InvalidDataException e) { throw NotGzip(path, e); }
        }
        protected override void Dispose(bool disposing) { if (disposing) inner.Dispose(); base.Dispose(disposing); }
    }
}

/// <summary>CRC-32 (IEEE 802.3, as gzip uses), table-driven; only <see cref="LogText"/>'s rare multi-member check needs it.</summary>
internal static class Crc32
{
    private static readonly uint[] Table = Build();
    public const uint Start = 0xFFFFFFFF;

    private static uint[] Build()
    {
        var t = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }

    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (var b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    public static uint Finish(uint crc) => crc ^ 0xFFFFFFFF;
}
