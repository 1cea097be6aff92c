using System.Text.Json;
using Shopcast.Data.Formats;
using Shopcast.Reporting;

namespace Shopcast.Data;

public sealed record IngestOptions
{
    /// <summary>Reader name; null detects it from the file.</summary>
    public string? Format { get; init; }
    /// <summary>Column mapping for the generic csv reader, e.g. "user=uid,item=sku,time=ts,type=event".</summary>
    public string? Columns { get; init; }
    /// <summary>Keep only users and items with at least this many events, repeated until stable; 0 is off.</summary>
    public int KCore { get; init; }
    /// <summary>Where the log has no session ids, a new session starts after this much inactivity.</summary>
    public TimeSpan SessionGap { get; init; } = TimeSpan.FromMinutes(30);
}

/// <summary>
/// Reads a log with a reader, cleans it and writes it into an <see cref="EventStore"/>:
/// rows stream through DuckDB's appender, then duplicates, the k-core filter and sessions are done in SQL,
/// so memory stays flat however large the file.
/// </summary>
public static class Ingestor
{
    /// <summary>If this many rows from the start are all rejected, the file is not in the stated format.</summary>
    private const int FormatProbeRows = 50;

    public static IngestAccount Ingest(string path, EventStore store, IngestOptions options, ProgressReporter? progress = null)
    {
        var file = new FileInfo(path);
        if (!file.Exists && !Directory.Exists(path))
            throw new ShopcastInputException($"{path}: file not found");
        if (!file.Exists)
            throw new ShopcastInputException($"{path}: is a folder; pass the log file inside it with --data");
        if (file.Length == 0)
            throw new DataFormatException(path, 0, "the file is empty (0 bytes); expected an event log");
        CheckIsText(path);

        var format = options.Format;
        bool detected = format is null;
        if (format is null)
        {
            var first = PeekLines(path, 20);
            format = FormatCatalog.Detect(path, first);
            if (format is null)
                throw new DataFormatException(path, 1,
                    $"cannot tell the format from the first lines; pass --format (one of: {string.Join(", ", FormatCatalog.Names)})" +
                    (first.Count > 0 && FormatText.SniffDelimiter(first[0]) is not null
                        ? $"; a delimited file with a header ('{FormatText.Clip(first[0])}') reads with --format csv --columns user=COLUMN,item=COLUMN,time=COLUMN[,type=...,session=...]"
                        : ""));
        }
        if (options.Columns is not null && !format.Equals("csv", StringComparison.OrdinalIgnoreCase))
            throw new ShopcastInputException(
                $"--columns applies only to --format csv, but {path} is read as '{format}'; drop --columns or add --format csv");
        var reader = FormatCatalog.Create(format, options.Columns);
        var account = new IngestAccount { Source = Path.GetFullPath(path), Format = reader.Format, FormatDetected = detected };

        store.Execute("DROP TABLE IF EXISTS raw_events");
        store.Execute("DROP TABLE IF EXISTS events");
        store.Execute("""
            CREATE TABLE raw_events (row_no BIGINT, user_id VARCHAR, item_id VARCHAR, ts BIGINT, type VARCHAR,
              session_id VARCHAR, category VARCHAR, brand VARCHAR, price DOUBLE, value DOUBLE)
            """);

        (progress ?? ProgressReporter.Quiet).Step($"Reading {Path.GetFileName(path)} ({reader.Format})", file.Length,
            task => ReadRows(path, reader, store, account, task));
        (progress ?? ProgressReporter.Quiet).Info($"Cleaning: duplicates, k-core, sessions");

        Clean(store, account, options, reader.OrdinalTime);
        store.Execute("DROP TABLE raw_events");
        store.SetMeta("time", reader.OrdinalTime ? "ordinal" : "utc");
        store.SetMeta("source", account.Source);
        store.SetMeta("format", account.Format);
        store.SetMeta("account", JsonSerializer.Serialize(account));
        if (!account.Balanced)
            throw new InvalidOperationException("ingest account does not balance; this is a bug");
        return account;
    }

    private static void ReadRows(string path, IEventReader reader, EventStore store, IngestAccount account, IProgressHandle task)
    {
        using var log = new LogText(path);
        var stream = log.Reader;
        using var appender = store.Connection.CreateAppender("raw_events");
        long sinceReport = 0;
        string? firstReject = null;
        long firstRejectLine = 0;
        foreach (var o in reader.Read(stream, path))
        {
            account.RowsRead++;
            if (o.Event is { } e)
            {
                account.Accepted++;
                var row = appender.CreateRow();
                row.AppendValue(o.Line).AppendValue(e.User).AppendValue(e.Item).AppendValue(e.TimeMs)
                   .AppendValue(EventTypes.Name(e.Type));
                AppendNullable(row, e.Session);
                AppendNullable(row, e.Category);
                AppendNullable(row, e.Brand);
                if (e.Price is { } p) row.AppendValue(p); else row.AppendNullValue();
                if (e.Value is { } v) row.AppendValue(v); else row.AppendNullValue();
                row.EndRow();
            }
            else
            {
                account.CountReject(o.RejectReason!, o.Line);
                if (firstReject is null) { firstReject = o.RejectReason; firstRejectLine = o.Line; }
                if (account.Accepted == 0 && account.RowsRead >= FormatProbeRows)
                    throw new DataFormatException(path, firstRejectLine,
                        $"none of the first {FormatProbeRows} rows is a valid '{reader.Format}' row (first problem: {firstReject}); expected {reader.Description}");
            }
            if (++sinceReport == 4096) { task.Set(log.File.Position); sinceReport = 0; }
        }
        log.CheckComplete();
        if (account.Accepted == 0)
            throw new DataFormatException(path, firstRejectLine,
                account.RowsRead == 0
                    ? $"no data rows (only a header?); expected {reader.Description}"
                    : $"no row is a valid '{reader.Format}' row (first problem: {firstReject}); expected {reader.Description}");
    }

    private static void Clean(EventStore store, IngestAccount account, IngestOptions options, bool ordinalTime)
    {
        // Exact duplicates: every column equal except the line number; the first occurrence is kept.
        store.Execute("""
            CREATE TABLE events AS
            SELECT row_no, user_id, item_id, ts, type, session_id, category, brand, price, value FROM (
              SELECT *, row_number() OVER (PARTITION BY user_id, item_id, ts, type, session_id, category, brand, price, value
                                           ORDER BY row_no) AS dup
              FROM raw_events) WHERE dup = 1
            """);
        long afterDedup = store.EventCount;
        account.Duplicates = account.Accepted - afterDedup;

        account.KCore = options.KCore;
        if (options.KCore > 1)
        {
            int k = options.KCore;
            for (int round = 0; round < 100; round++)
            {
                long before = store.EventCount;
                store.Execute($"DELETE FROM events WHERE user_id IN (SELECT user_id FROM events GROUP BY user_id HAVING count(*) < {k})");
                store.Execute($"DELETE FROM events WHERE item_id IN (SELECT item_id FROM events GROUP BY item_id HAVING count(*) < {k})");
                if (store.EventCount == before) break;
            }
            account.KCoreRemoved = afterDedup - store.EventCount;
            if (store.EventCount == 0)
                throw new ShopcastInputException(
                    $"--kcore {k}: the k-core filter removed every event (all {afterDedup:N0}): no users and items are left that " +
                    $"each have {k:N0} events among themselves; use a smaller --kcore (5 is usual) or 0 for none");
        }

        long missingSessions = store.Scalar<long>("SELECT count(*) FROM events WHERE session_id IS NULL");
        if (missingSessions > 0)
        {
            if (ordinalTime)
            {
                // A sequence line has no clock, so it is one session.
                store.Execute("UPDATE events SET session_id = user_id WHERE session_id IS NULL");
                account.SessionsFrom = "one per sequence";
            }
            else
            {
                long gapMs = (long)options.SessionGap.TotalMilliseconds;
                store.Execute($"""
                    CREATE OR REPLACE TABLE events AS
                    SELECT row_no, user_id, item_id, ts, type,
                           coalesce(session_id, user_id || '#' || CAST(sum(new_session) OVER (PARTITION BY user_id ORDER BY ts, row_no) AS VARCHAR)) AS session_id,
                           category, brand, price, value
                    FROM (SELECT *, CASE WHEN lag(ts) OVER (PARTITION BY user_id ORDER BY ts, row_no) IS NULL
                                          OR ts - lag(ts) OVER (PARTITION BY user_id ORDER BY ts, row_no) > {gapMs}
                                         THEN 1 ELSE 0 END AS new_session
                          FROM events)
                    """);
                account.SessionsFrom = $"cut after {options.SessionGap.TotalMinutes:0.#} min of inactivity";
            }
        }
        // Keep the table physically in (user, time) order: sequence views then read it in one pass.
        store.Execute("CREATE OR REPLACE TABLE events AS SELECT * FROM events ORDER BY user_id, ts, row_no");

        account.Time = ordinalTime ? "ordinal (order within each line only)" : "utc";
        account.Events = store.EventCount;
        account.Users = store.Scalar<long>("SELECT count(DISTINCT user_id) FROM events");
        account.Items = store.Scalar<long>("SELECT count(DISTINCT item_id) FROM events");
        account.Sessions = store.Scalar<long>("SELECT count(DISTINCT session_id) FROM events");
    }

    private static void AppendNullable(DuckDB.NET.Data.IDuckDBAppenderRow row, string? s)
    {
        if (s is null) row.AppendNullValue(); else row.AppendValue(s);
    }

    /// <summary>The first <paramref name="n"/> lines of a log (fewer when it is shorter; a cut-short .gz is then an error).</summary>
    internal static IReadOnlyList<string> PeekLines(string path, int n)
    {
        var lines = new List<string>();
        using var log = new LogText(path);
        string? s;
        while (lines.Count < n && (s = log.Reader.ReadLine()) != null) lines.Add(s);
        if (lines.Count < n) log.CheckComplete();
        return lines;
    }

    /// <summary>Rejects binary files up front: a NUL byte or mostly control characters in the first 8 KiB.</summary>
    private static void CheckIsText(string path)
    {
        if (LogText.IsGzip(path)) return;
        var buf = new byte[8192];
        int n;
        using (var fs = File.OpenRead(path)) n = fs.Read(buf, 0, buf.Length);
        int control = 0;
        for (int i = 0; i < n; i++)
        {
            byte b = buf[i];
            if (b == 0) throw new DataFormatException(path, 0, "is a binary file (it holds NUL bytes); expected a text event log (CSV/TSV/TXT, optionally .gz)");
            if (b < 32 && b is not (9 or 10 or 13)) control++;
        }
        if (n > 0 && control > n / 10)
            throw new DataFormatException(path, 0, "does not look like text (many control bytes); expected a text event log (CSV/TSV/TXT, optionally .gz)");
    }
}
