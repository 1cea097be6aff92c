using System.IO.Compression;
using System.Text;
using Shopcast.Data;

namespace Shopcast.Tests.Data;

/// <summary>
/// .gz logs: read as they stream; a file that is not gzip, or one cut short, is a <see cref="DataFormatException"/>
/// naming the file (exit code 2), never an internal error and never a silently shorter log.
/// </summary>
public sealed class GzipInputTests : IDisposable
{
    private readonly TempLogs _logs = new();

    /// <summary>A taobao log of <paramref name="rows"/> rows (synthetic), as text.</summary>
    private static string TaobaoRows(int rows, int from = 0) =>
        string.Concat(Enumerable.Range(from, rows).Select(i => $"{i % 97 + 1},{i % 501 + 10},7,pv,{1511600000 + i}\n"));

    private static byte[] Gzip(string text)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true)) gz.Write(Encoding.UTF8.GetBytes(text));
        return ms.ToArray();
    }

    [Fact]
    public void A_complete_gz_reads_like_the_plain_file()
    {
        var text = TaobaoRows(5000);
        var plain = TempLogs.Ingest(_logs.Write("log.csv", text), "taobao");
        var gz = TempLogs.Ingest(_logs.WriteBytes("log.csv.gz", Gzip(text)), "taobao");
        Assert.Equal(5000, gz.RowsRead);
        Assert.Equal(plain.Events, gz.Events);
        // Detection reads the first lines through the decompressor too.
        Assert.Equal("taobao", TempLogs.Ingest(Path.Combine(_logs.Dir, "log.csv.gz"), null).Format);
    }

    [Fact]
    public void Several_gzip_members_one_after_another_read_as_one_log()
    {
        // `cat a.gz b.gz` is a valid gzip file; its trailer describes only the last member.
        var bytes = Gzip(TaobaoRows(3000)).Concat(Gzip(TaobaoRows(2000, from: 3000))).ToArray();
        var a = TempLogs.Ingest(_logs.WriteBytes("multi.csv.gz", bytes), "taobao");
        Assert.Equal(5000, a.RowsRead);
    }

    [Fact]
    public void A_gz_that_is_not_gzip_is_a_format_error_naming_the_file()
    {
        var path = _logs.Write("plain-text.csv.gz", TaobaoRows(100));
        var e = Assert.Throws<DataFormatException>(() => TempLogs.Ingest(path, "taobao"));
        Assert.Contains("plain-text.csv.gz", e.Message);
        Assert.Contains("not a valid gzip file", e.Message);
        // Detection (format not given) meets the same file first.
        e = Assert.Throws<DataFormatException>(() => TempLogs.Ingest(path, null));
        Assert.Contains("not a valid gzip file", e.Message);
    }

    [Fact]
    public void A_gz_with_a_gzip_header_and_corrupt_data_is_a_format_error()
    {
        var bytes = Gzip(TaobaoRows(2000));
        for (int i = 20; i < bytes.Length - 8; i += 7) bytes[i] ^= 0x5A;
        var path = _logs.WriteBytes("corrupt.csv.gz", bytes);
        var e = Assert.Throws<DataFormatException>(() => TempLogs.Ingest(path, "taobao"));
        Assert.Contains("corrupt.csv.gz", e.Message);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.99)]
    [InlineData(0.0)] // the 10-byte header only: no data at all
    public void A_truncated_gz_is_a_format_error_not_a_shorter_log(double keep)
    {
        var bytes = Gzip(TaobaoRows(20000));
        int n = Math.Max(10, (int)(bytes.Length * keep));
        var path = _logs.WriteBytes("cut.csv.gz", bytes[..n]);
        var e = Assert.Throws<DataFormatException>(() => TempLogs.Ingest(path, "taobao"));
        Assert.Contains("cut.csv.gz", e.Message);
        Assert.Contains("truncated", e.Message);
        e = Assert.Throws<DataFormatException>(() => TempLogs.Ingest(path, null));
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void Crc32_matches_the_standard_check_value()
    {
        // The CRC-32 (IEEE) check value of "123456789" is CBF43926.
        Assert.Equal(0xCBF43926u, Crc32.Finish(Crc32.Update(Crc32.Start, "123456789"u8)));
    }

    public void Dispose() => _logs.Dispose();
}
