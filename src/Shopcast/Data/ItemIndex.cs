namespace Shopcast.Data;

/// <summary>Maps external ids (as the log wrote them) to dense indices 0..Count-1 and back.</summary>
public sealed class ItemIndex
{
    private readonly Dictionary<string, int> _byId;
    private readonly List<string> _ids;

    public ItemIndex() { _byId = new(StringComparer.Ordinal); _ids = new(); }

    public ItemIndex(IEnumerable<string> ids) : this()
    {
        foreach (var id in ids) GetOrAdd(id);
    }

    public int Count => _ids.Count;
    public IReadOnlyList<string> Ids => _ids;

    public int GetOrAdd(string id)
    {
        if (_byId.TryGetValue(id, out var i)) return i;
        i = _ids.Count;
        _byId[id] = i;
        _ids.Add(id);
        return i;
    }

    public bool TryGet(string id, out int index) => _byId.TryGetValue(id, out index);
    public string this[int index] => _ids[index];

    /// <summary>One id per line, in index order: the id map a model bundle carries.</summary>
    public void Save(string path) => File.WriteAllLines(path, _ids);

    public static ItemIndex Load(string path) => new(File.ReadLines(path));
}
