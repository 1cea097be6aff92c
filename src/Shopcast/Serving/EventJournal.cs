using System.Threading.Channels;
using DuckDB.NET.Data;
using Shopcast.Data;

namespace Shopcast.Serving;

/// <summary>
/// The server's durable event log: a DuckDB file (the event store's schema plus the review text) that every accepted
/// event is committed to before its request is answered. One writer thread commits whatever requests are waiting in
/// one transaction (group commit: DuckDB syncs its write-ahead log at each commit, so one sync serves many requests),
/// then hands the committed events to <c>onCommitted</c> (the online state), then completes the requests. A group is
/// one transaction: all of its events are committed, or (on a write failure) none, and the state never sees events
/// the file does not hold.
/// </summary>
public sealed class EventJournal : IDisposable
{
    private sealed record Pending(IReadOnlyList<LiveEvent> Events, TaskCompletionSource Done);

    private readonly EventStore _store;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Action<IReadOnlyList<LiveEvent>> _onCommitted;
    private readonly Thread _writer;
    private long _nextRow;
    private long _committed, _commits;
    private volatile string? _fault;

    public string Path => _store.Path;
    /// <summary>Events committed by this process since it opened the journal.</summary>
    public long Committed => Interlocked.Read(ref _committed);
    /// <summary>Commits (group appends) so far: <see cref="Committed"/> / this is the mean group size.</summary>
    public long Commits => Interlocked.Read(ref _commits);
    /// <summary>
    /// Why the journal is not healthy, or null: the last write failed (a full disk, a broken file), or committed events
    /// could not be applied to the state (a bug; a restart rebuilds the state from the file).
    /// </summary>
    public string? Fault => _fault;

    private EventJournal(EventStore store, Action<IReadOnlyList<LiveEvent>> onCommitted)
    {
        _store = store;
        _onCommitted = onCommitted;
        _nextRow = store.Scalar<long>("SELECT coalesce(max(row_no), 0) FROM events") + 1;
        // A thread of its own: the commit blocks (fsync, now and then a checkpoint), which would starve the thread pool.
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "shopcast-journal" };
        _writer.Start();
    }

    /// <summary>
    /// Opens (or creates) the journal at <paramref name="path"/>, first passing every event it already holds to
    /// <paramref name="replay"/> in the order they were accepted (this is how a restarted server recovers its state).
    /// </summary>
    public static EventJournal Open(string path, Action<IReadOnlyList<LiveEvent>> replay, Action<IReadOnlyList<LiveEvent>> onCommitted)
    {
        if (Directory.Exists(path)) throw new ShopcastInputException($"--store {path}: is a folder; the event store is a file (e.g. serve-events.duckdb)");
        if (File.Exists(path) && !EventStore.IsDuckDbFile(path))
            throw new ShopcastInputException($"--store {path}: exists and is not a DuckDB database; choose another file");
        var store = EventStore.Open(path);
        try
        {
            // A run's store is a training artefact: appending live events to it would change what a rerun reads.
            if (store.GetMeta("source") is { } source)
                throw new ShopcastInputException($"--store {path}: is the event store of a `shopcast run` (of {source}); give the server its own file, and this one as --history");
            store.Execute("""
                CREATE TABLE IF NOT EXISTS events (row_no BIGINT, user_id VARCHAR, item_id VARCHAR, ts BIGINT, type VARCHAR,
                  session_id VARCHAR, category VARCHAR, brand VARCHAR, price DOUBLE, value DOUBLE)
                """);
            // A run's store (written by `shopcast run`) has no text column; the server's own adds one.
            store.Execute("ALTER TABLE events ADD COLUMN IF NOT EXISTS text VARCHAR");
            store.SetMeta("time", "utc");
            foreach (var batch in ReadEvents(store, "ORDER BY row_no")) replay(batch);
        }
        catch (DuckDBException e)
        {
            store.Dispose();
            throw new ShopcastInputException($"--store {path}: cannot use it as the event store ({e.Message.Split('\n')[0]})");
        }
        catch { store.Dispose(); throw; }
        return new EventJournal(store, onCommitted);
    }

    /// <summary>Reads a store's events in batches (<paramref name="order"/> is the SQL ORDER BY); a run's store has no text column.</summary>
    internal static IEnumerable<IReadOnlyList<LiveEvent>> ReadEvents(EventStore store, string order)
    {
        bool hasText = store.Scalar<long>("SELECT count(*) FROM information_schema.columns WHERE table_name = 'events' AND column_name = 'text'") > 0;
        var batch = new List<LiveEvent>(8192);
        foreach (var r in store.Query($"SELECT user_id, item_id, type, ts, session_id, category, brand, price, value, {(hasText ? "text" : "NULL")} FROM events {order}"))
        {
            batch.Add(new LiveEvent(r.GetString(0), r.GetString(1), EventTypes.Parse(r.GetString(2)) ?? EventType.Other, r.GetInt64(3),
                r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6),
                r.IsDBNull(7) ? null : r.GetDouble(7), r.IsDBNull(8) ? null : r.GetDouble(8), r.IsDBNull(9) ? null : r.GetString(9)));
            if (batch.Count == batch.Capacity) { yield return batch; batch = new List<LiveEvent>(8192); }
        }
        if (batch.Count > 0) yield return batch;
    }

    /// <summary>Completes once every event of <paramref name="events"/> is committed to the file and applied to the state.</summary>
    public Task AppendAsync(IReadOnlyList<LiveEvent> events)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new Pending(events, done)))
            done.SetException(new ObjectDisposedException(nameof(EventJournal), "the server is stopping"));
        return done.Task;
    }

    /// <summary>Most events one commit takes from the queue (a bound on one transaction's size).</summary>
    private const int MaxGroup = 20_000;

    private void WriteLoop()
    {
        var group = new List<Pending>();
        var events = new List<LiveEvent>();
        while (_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            group.Clear(); events.Clear();
            while (events.Count < MaxGroup && _queue.Reader.TryRead(out var p)) { group.Add(p); events.AddRange(p.Events); }
            try { Write(events); }
            catch (Exception e)
            {
                _fault = $"the last write failed: {e.GetType().Name}: {e.Message.Split('\n')[0]}";
                foreach (var p in group) p.Done.TrySetException(e);
                continue;
            }
            _fault = null;
            Interlocked.Add(ref _committed, events.Count);
            Interlocked.Increment(ref _commits);
            try { _onCommitted(events); }
            catch (Exception e)
            {
                // The events are in the file, so their requests succeed; the state is behind it until a restart.
                _fault = $"committed events could not be applied to the state ({e.GetType().Name}: {e.Message.Split('\n')[0]}); restart the server to rebuild it";
            }
            foreach (var p in group) p.Done.TrySetResult();
        }
    }

    private void Write(List<LiveEvent> events)
    {
        long first = _nextRow;
        // One transaction per group: the appender's rows are committed (and the WAL synced) together, or rolled back.
        // (Without it the appender's own flush commits too, but an exception between rows would flush the rows before
        // it on dispose; the explicit transaction costs ~18% of single-event throughput: bench/README.md.)
        _store.Execute("BEGIN TRANSACTION");
        try
        {
            using (var appender = _store.Connection.CreateAppender("events"))
            {
                long row = first;
                foreach (var e in events)
                {
                    var r = appender.CreateRow();
                    r.AppendValue(row++).AppendValue(e.User).AppendValue(e.Item).AppendValue(e.TimeMs).AppendValue(EventTypes.Name(e.Type));
                    Nullable(r, e.Session); Nullable(r, e.Category); Nullable(r, e.Brand);
                    if (e.Price is { } p) r.AppendValue(p); else r.AppendNullValue();
                    if (e.Value is { } v) r.AppendValue(v); else r.AppendNullValue();
                    Nullable(r, e.Text);
                    r.EndRow();
                }
                appender.Close();
            }
            _store.Execute("COMMIT");
        }
        catch
        {
            try { _store.Execute("ROLLBACK"); } catch (DuckDBException) { } // the failed statement may have ended it already
            throw;
        }
        _nextRow = first + events.Count;
    }

    private static void Nullable(IDuckDBAppenderRow row, string? s)
    {
        if (s is null) row.AppendNullValue(); else row.AppendValue(s);
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _writer.Join(TimeSpan.FromSeconds(30));
        _store.Dispose();
    }
}
