using DuckDB.NET.Data;

namespace Shopcast.Data;

/// <summary>
/// The embedded event store: one DuckDB file holding the cleaned events in the single schema, plus a small
/// key/value table of facts about the log (source, format, whether time is ordinal). DuckDB keeps the log
/// on disk, so ingestion and profiling never need it in managed memory.
/// </summary>
public sealed class EventStore : IDisposable
{
    public const string EventsTable = "events";

    public string Path { get; }
    internal DuckDBConnection Connection { get; }

    private EventStore(string path, DuckDBConnection connection)
    {
        Path = path;
        Connection = connection;
    }

    /// <summary>Opens (or creates) a store file. Use ":memory:" for a store that lives only in this process.</summary>
    public static EventStore Open(string path)
    {
        if (path != ":memory:")
        {
            var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        }
        DuckDBConnection conn;
        try
        {
            conn = new DuckDBConnection(path == ":memory:" ? "DataSource=:memory:" : $"DataSource={path}");
            conn.Open();
        }
        catch (DuckDBException e)
        {
            throw new ShopcastInputException($"cannot open event store '{path}': {e.Message.Split('\n')[0]}");
        }
        var store = new EventStore(path, conn);
        store.Execute("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)");
        return store;
    }

    /// <summary>Opens an existing store for reading only (DuckDB's read-only mode: other readers may open it too). <paramref name="option"/> names it in errors.</summary>
    public static EventStore OpenReadOnly(string path, string option)
    {
        DuckDBConnection conn;
        try
        {
            conn = new DuckDBConnection($"DataSource={path};ACCESS_MODE=READ_ONLY");
            conn.Open();
        }
        catch (DuckDBException e)
        {
            throw new ShopcastInputException($"{option} {path}: cannot open the event store ({e.Message.Split('\n')[0]})");
        }
        var store = new EventStore(path, conn);
        if (store.Scalar<long>($"SELECT count(*) FROM information_schema.tables WHERE table_name = '{EventsTable}'") == 0)
        {
            store.Dispose();
            throw new ShopcastInputException($"{option} {path}: holds no events table; pass the events.duckdb a `shopcast run` wrote");
        }
        return store;
    }

    /// <summary>
    /// Opens an empty store at <paramref name="path"/> for a fresh ingestion, replacing an earlier store there.
    /// Refuses (<see cref="ShopcastInputException"/>) rather than delete anything that is not a store: the path (or its
    /// <c>.wal</c>) is one of the <paramref name="inputs"/> (compared as full paths, symbolic links resolved), a folder,
    /// or an existing non-empty file without DuckDB's magic bytes. <paramref name="option"/> names the path in messages,
    /// e.g. "--store events.duckdb".
    /// </summary>
    public static EventStore CreateFresh(string path, string option, params string?[] inputs)
    {
        if (path == ":memory:") return Open(path);
        var wal = path + ".wal";
        var target = Canonical(path);
        var targetWal = Canonical(wal);
        foreach (var input in inputs)
        {
            if (input is null) continue;
            var i = Canonical(input);
            if (i == target || i == targetWal)
                throw new ShopcastInputException($"{option}: is the input file {input}; the event store would overwrite it, choose another file");
        }
        if (Directory.Exists(path))
            throw new ShopcastInputException($"{option}: is a folder; the event store must be a file (e.g. events.duckdb)");
        if (File.Exists(path) && !IsDuckDbFile(path))
            throw new ShopcastInputException(
                $"{option}: {path} exists and is not a DuckDB database; refusing to overwrite it (choose another file, or delete it yourself)");
        foreach (var p in new[] { path, wal })
            if (File.Exists(p)) File.Delete(p);
        return Open(path);
    }

    /// <summary>
    /// True for a DuckDB database file: it holds the magic "DUCK" at byte offset 8. An empty file counts too (nothing
    /// to lose by replacing it); anything else does not.
    /// </summary>
    public static bool IsDuckDbFile(string path)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (fs.Length == 0) return true;
        Span<byte> head = stackalloc byte[12];
        int n = fs.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return n == 12 && head[8..12].SequenceEqual("DUCK"u8);
    }

    /// <summary>The full path with symbolic links resolved (when the file exists), for comparing two paths.</summary>
    private static string Canonical(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        try
        {
            var link = new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true);
            if (link is not null) full = System.IO.Path.GetFullPath(link.FullName);
        }
        catch (IOException) { }
        return full;
    }

    public long EventCount => Scalar<long>($"SELECT count(*) FROM {EventsTable}");

    /// <summary>Events per type name, most frequent first.</summary>
    public IReadOnlyList<(string Type, long Count)> EventsByType() =>
        Query($"SELECT type, count(*) FROM {EventsTable} GROUP BY type ORDER BY count(*) DESC, type")
            .Select(r => (r.GetString(0), r.GetInt64(1))).ToList();

    internal void Execute(string sql)
    {
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    internal T Scalar<T>(string sql)
    {
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = sql;
        var v = cmd.ExecuteScalar();
        if (v is null or DBNull) return default!;
        return (T)Convert.ChangeType(v, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    internal IEnumerable<DuckDBDataReader> Query(string sql)
    {
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = sql;
        using var reader = (DuckDBDataReader)cmd.ExecuteReader();
        while (reader.Read()) yield return reader;
    }

    public void SetMeta(string key, string value)
    {
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = "INSERT OR REPLACE INTO meta VALUES ($k, $v)";
        cmd.Parameters.Add(new DuckDBParameter("k", key));
        cmd.Parameters.Add(new DuckDBParameter("v", value));
        cmd.ExecuteNonQuery();
    }

    public string? GetMeta(string key)
    {
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = "SELECT value FROM meta WHERE key = $k";
        cmd.Parameters.Add(new DuckDBParameter("k", key));
        return cmd.ExecuteScalar() as string;
    }

    /// <summary>True when the log had no clock time, only an order; temporal splits then use that order.</summary>
    public bool OrdinalTime => GetMeta("time") == "ordinal";

    public void Dispose() => Connection.Dispose();
}
