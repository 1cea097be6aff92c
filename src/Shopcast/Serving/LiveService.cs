using Shopcast.Data;

namespace Shopcast.Serving;

/// <summary>Where a server's state comes from and goes to.</summary>
public sealed record LiveServiceOptions
{
    public required IReadOnlyList<string> ModelDirectories { get; init; }
    /// <summary>The journal every accepted event is committed to; null keeps events in memory only (batch scoring, tests).</summary>
    public string? StorePath { get; init; }
    /// <summary>
    /// A store of past events read once at start (e.g. the OUT/events.duckdb of the run that trained the bundle), so
    /// known shoppers start with their history; never written. Null: none.
    /// </summary>
    public string? HistoryPath { get; init; }
}

/// <summary>
/// Everything a server does, without HTTP: the models (<see cref="ModelHost"/>, reloadable), the shoppers' online
/// state (<see cref="ShopperState"/>, rebuilt at start from the history store and the journal) and the journal
/// (<see cref="EventJournal"/>). <c>shopcast serve</c> puts routes in front of it; <c>shopcast predict
/// recommendations</c> uses it without a journal.
/// </summary>
public sealed class LiveService : IDisposable
{
    public ModelHost Models { get; }
    public ShopperState State { get; }
    public EventJournal? Journal { get; }
    /// <summary>Events read at start: from the history store, and from the journal (accepted by earlier processes).</summary>
    public long HistoryEvents { get; }
    public long RecoveredEvents { get; }

    public LiveService(LiveServiceOptions options)
    {
        Models = new ModelHost(options.ModelDirectories);
        using (var lease = Models.Acquire()) State = new ShopperState(pointInTime: lease.Models.PurchaseIntent is not null);
        Models.Check = set => set.PurchaseIntent is not null && !State.HasPointInTime
            ? "a purchase-intent bundle needs the point-in-time counts the server keeps only when it starts with one; restart it with that --model"
            : null;
        try
        {
            if (options.HistoryPath is { } history)
            {
                if (!File.Exists(history)) throw new ShopcastInputException($"--history {history}: file not found; pass a run's OUT/events.duckdb, or --history none");
                if (!EventStore.IsDuckDbFile(history)) throw new ShopcastInputException($"--history {history}: is not a DuckDB event store; pass a run's OUT/events.duckdb");
                if (options.StorePath is { } s && Path.GetFullPath(s) == Path.GetFullPath(history))
                    throw new ShopcastInputException($"--store {s}: is also --history; the server appends to its store, so give it a file of its own");
                using var store = EventStore.OpenReadOnly(history, "--history");
                // A log without clock times has positions for times: its file order is its order.
                foreach (var batch in EventJournal.ReadEvents(store, store.OrdinalTime ? "ORDER BY row_no" : "ORDER BY ts, row_no"))
                {
                    State.Apply(batch);
                    HistoryEvents += batch.Count;
                }
            }
            if (options.StorePath is { } path)
            {
                long recovered = 0;
                Journal = EventJournal.Open(path, batch => { State.Apply(batch); recovered += batch.Count; }, State.Apply);
                RecoveredEvents = recovered;
            }
        }
        catch
        {
            Models.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The default history: the event store of the run that wrote the next-item bundle (OUT/events.duckdb beside
    /// OUT/models/&lt;model&gt;), else of the purchase-intent bundle's run, when there is one.
    /// </summary>
    public static string? RunStoreOf(IEnumerable<string> modelDirectories) =>
        RunStores(modelDirectories).OrderBy(r => r.Task == "next-item" ? 0 : 1).Select(r => r.Store).FirstOrDefault();

    /// <summary>A --history option as given: "none" for none, a path, or (not given) <see cref="RunStoreOf"/> the bundles.</summary>
    public static string? HistoryFor(string? option, IEnumerable<string> modelDirectories) =>
        option == "none" ? null : option ?? RunStoreOf(modelDirectories);

    /// <summary>The bundles trained on a run store other than <paramref name="historyPath"/> (or with no history read): their shoppers start without their past.</summary>
    public static IEnumerable<(string Task, string Directory, string Store)> NotOnHistory(IEnumerable<string> modelDirectories, string? historyPath) =>
        RunStores(modelDirectories).Where(r => historyPath is null || Path.GetFullPath(r.Store) != Path.GetFullPath(historyPath));

    /// <summary>The run store of each next-item and purchase-intent bundle that has one: (task, bundle folder, store).</summary>
    public static IEnumerable<(string Task, string Directory, string Store)> RunStores(IEnumerable<string> modelDirectories)
    {
        foreach (var dir in modelDirectories)
        {
            var task = Shopcast.Models.ModelBundle.TaskOf(dir);
            if (task is not ("next-item" or PurchaseIntentScorer.Task)) continue;
            var full = Path.GetFullPath(dir).TrimEnd(Path.DirectorySeparatorChar);
            var runDir = Path.GetDirectoryName(Path.GetDirectoryName(full));
            var store = runDir is null ? null : Path.Combine(runDir, "events.duckdb");
            if (store is not null && File.Exists(store)) yield return (task, dir, store);
        }
    }

    /// <summary>Commits the events (when there is a journal) and applies them to the state; completes when both are done.</summary>
    public Task IngestAsync(IReadOnlyList<LiveEvent> events)
    {
        if (Journal is not null) return Journal.AppendAsync(events);
        State.Apply(events);
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        Journal?.Dispose();
        Models.Dispose();
    }
}
