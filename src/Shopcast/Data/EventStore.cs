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

    /// <summary>True when the store holds a cleaned events table.</summary>
    public bool HasEvents => Scalar<long>($"SELECT count(*) FROM information_schema.tables WHERE table_name = '{EventsTable}'") > 0;

    public long EventCount => Scalar<long>($"SELECT count(*) FROM {EventsTable}");

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
