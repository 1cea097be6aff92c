using Shopcast.Data;

namespace Shopcast.Features.Text;

/// <summary>
/// Token (or n-gram) ids learned from the training texts: the most frequent entries that occur in at least
/// <c>minCount</c> training texts, ordered by that document frequency (ties by text, so the same data gives the same
/// ids). Ids start at <see cref="Reserved"/>: 0 is padding and 1 an unknown token, for the networks. Saved as one entry
/// per line with its document frequency (tab-separated), which the linear model's idf weights are computed from.
/// </summary>
public sealed class TokenVocabulary
{
    public const int Padding = 0, Unknown = 1, Reserved = 2;

    private readonly Dictionary<string, int> _ids;
    private readonly string[] _entries;
    private readonly int[] _documentFrequency;

    public int DocumentCount { get; }

    private TokenVocabulary(string[] entries, int[] documentFrequency, int documentCount)
    {
        _entries = entries;
        _documentFrequency = documentFrequency;
        DocumentCount = documentCount;
        _ids = new Dictionary<string, int>(entries.Length, StringComparer.Ordinal);
        for (int i = 0; i < entries.Length; i++) _ids[entries[i]] = i + Reserved;
    }

    /// <summary>Ids including the reserved ones (the size of an embedding table).</summary>
    public int Size => _entries.Length + Reserved;

    public int Id(string entry) => _ids.TryGetValue(entry, out var id) ? id : Unknown;

    public bool TryGetId(string entry, out int id) => _ids.TryGetValue(entry, out id);

    public string this[int id] => id >= Reserved ? _entries[id - Reserved] : id == Padding ? "[PAD]" : "[UNK]";

    public int DocumentFrequency(int id) => id >= Reserved ? _documentFrequency[id - Reserved] : 0;

    public static TokenVocabulary Build(IEnumerable<IEnumerable<string>> documents, int minCount, int maxSize)
    {
        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        int n = 0;
        foreach (var doc in documents)
        {
            n++;
            foreach (var t in doc.Distinct()) df[t] = df.GetValueOrDefault(t) + 1;
        }
        var kept = df.Where(kv => kv.Value >= minCount)
            .OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Take(maxSize).ToArray();
        return new TokenVocabulary(kept.Select(kv => kv.Key).ToArray(), kept.Select(kv => kv.Value).ToArray(), n);
    }

    public void Save(string path)
    {
        using var w = new StreamWriter(path);
        w.WriteLine($"#documents\t{DocumentCount}");
        for (int i = 0; i < _entries.Length; i++) w.WriteLine($"{_entries[i]}\t{_documentFrequency[i]}");
    }

    public static TokenVocabulary Load(string path)
    {
        if (!File.Exists(path)) throw new ShopcastInputException($"model bundle is missing its vocabulary {path}");
        var lines = File.ReadAllLines(path);
        int Count(string s, int line) => int.TryParse(s, out var v) && v >= 0 ? v
            : throw new DataFormatException(path, line, $"expected a count, found '{s}'");
        if (lines.Length == 0 || !lines[0].StartsWith("#documents\t", StringComparison.Ordinal))
            throw new DataFormatException(path, 1, "not a Shopcast vocabulary (no #documents line)");
        int documents = Count(lines[0][11..], 1);
        var entries = new string[lines.Length - 1];
        var df = new int[lines.Length - 1];
        for (int i = 1; i < lines.Length; i++)
        {
            int tab = lines[i].LastIndexOf('\t');
            if (tab < 0) throw new DataFormatException(path, i + 1, "expected entry<TAB>count");
            entries[i - 1] = lines[i][..tab];
            df[i - 1] = Count(lines[i][(tab + 1)..], i + 1);
        }
        return new TokenVocabulary(entries, df, documents);
    }
}
