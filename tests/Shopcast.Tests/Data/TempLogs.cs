using Shopcast.Data;

namespace Shopcast.Tests.Data;

/// <summary>A temporary folder of small hand-written logs, removed when the test ends.</summary>
public sealed class TempLogs : IDisposable
{
    public string Dir { get; } = Path.Combine(Path.GetTempPath(), "shopcast-tests-" + Guid.NewGuid().ToString("N"));

    public TempLogs() => Directory.CreateDirectory(Dir);

    /// <summary>Writes <paramref name="text"/> exactly as given (no newline is added at the end).</summary>
    public string Write(string name, string text)
    {
        var path = Path.Combine(Dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    public string WriteBytes(string name, byte[] bytes)
    {
        var path = Path.Combine(Dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Ingests into a fresh in-memory store; the account must balance whenever ingestion succeeds.</summary>
    public static IngestAccount Ingest(string path, string? format, string? columns = null)
    {
        using var store = EventStore.Open(":memory:");
        var account = Ingestor.Ingest(path, store, new IngestOptions { Format = format, Columns = columns });
        Assert.True(account.Balanced, "the account does not balance");
        return account;
    }

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
