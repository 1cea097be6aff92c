namespace Shopcast.Serving;

/// <summary>
/// The server's current <see cref="ModelSet"/>, swappable while requests run: a request takes a lease on the set it
/// started with and answers from it to the end; <see cref="Reload"/> loads the new set beside the old one (requests
/// keep being answered meanwhile), swaps it in, and the old set is disposed when its last lease ends. A reload that
/// fails leaves the current set in place.
/// </summary>
public sealed class ModelHost : IDisposable
{
    private sealed class Entry
    {
        public required ModelSet Set;
        public int Refs = 1; // the host's own reference, dropped when the entry is replaced
        public bool TryAddRef()
        {
            while (true)
            {
                int r = Volatile.Read(ref Refs);
                if (r == 0) return false; // already released: the caller reads the new current entry
                if (Interlocked.CompareExchange(ref Refs, r + 1, r) == r) return true;
            }
        }
        public void Release()
        {
            if (Interlocked.Decrement(ref Refs) == 0) Set.Dispose();
        }
    }

    /// <summary>A set in use by one request; dispose it when the request is done (a second dispose does nothing).</summary>
    public sealed class Lease : IDisposable
    {
        private Entry? _entry;
        internal Lease(object entry) => _entry = (Entry)entry;
        public ModelSet Models => (_entry ?? throw new ObjectDisposedException(nameof(Lease))).Set;
        public void Dispose() => Interlocked.Exchange(ref _entry, null)?.Release();
    }

    private Entry _current;
    private readonly object _reloadGate = new();
    private IReadOnlyList<string> _directories;
    private int _reloads;
    private volatile bool _disposed;

    public ModelHost(IReadOnlyList<string> directories)
    {
        _directories = directories.ToArray();
        _current = new Entry { Set = ModelSet.Load(_directories) };
    }

    /// <summary>Why a freshly loaded set cannot be swapped in (null: it can); <see cref="Reload"/> refuses with that reason.</summary>
    public Func<ModelSet, string?>? Check { get; set; }
    /// <summary>Successful reloads since start.</summary>
    public int Reloads => Volatile.Read(ref _reloads);

    public Lease Acquire()
    {
        while (true)
        {
            if (_disposed) throw new ObjectDisposedException(nameof(ModelHost), "the server is stopping");
            var e = Volatile.Read(ref _current);
            if (e.TryAddRef()) return new Lease(e);
        }
    }

    /// <summary>
    /// Loads the bundles again and swaps them in: the current folders (a retrained bundle written into the same
    /// folder), with <paramref name="directories"/> in place of the current bundles of their tasks (other tasks keep
    /// theirs). Throws, keeping the current set, when any fails to load.
    /// </summary>
    public ModelSet Reload(IReadOnlyList<string>? directories = null)
    {
        lock (_reloadGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var dirs = _directories.ToArray();
            if (directories is { Count: > 0 })
            {
                var replaced = directories.Select(d => Models.ModelBundle.TaskOf(d) ?? "").ToHashSet();
                dirs = _directories.Where(d => !replaced.Contains(Models.ModelBundle.TaskOf(d) ?? "")).Concat(directories).ToArray();
            }
            var fresh = new Entry { Set = ModelSet.Load(dirs) };
            if (Check?.Invoke(fresh.Set) is { } why)
            {
                fresh.Set.Dispose();
                throw new Data.ShopcastInputException(why);
            }
            var old = Interlocked.Exchange(ref _current, fresh);
            _directories = dirs;
            Interlocked.Increment(ref _reloads);
            old.Release();
            return fresh.Set;
        }
    }

    public void Dispose()
    {
        lock (_reloadGate)
        {
            if (_disposed) return;
            _disposed = true;
            Volatile.Read(ref _current).Release();
        }
    }
}
