using Shopcast.Reporting;
using Shopcast.Tasks.NextItem;

namespace Shopcast.Models.Baselines;

/// <summary>
/// Item-based k-nearest neighbours: cosine similarity between items' sets of training sequences
/// (co-occurrence / sqrt(n_i * n_j)), the top <c>neighbours</c> kept per item. A history scores an item by summing
/// its similarity to the history's items, the most recent weighted most (weight <c>decay^age</c>, 1 = plain sum).
/// Hand-written rather than through a library: no served .NET package does sparse item-item cosine.
/// </summary>
public sealed class ItemKnn : INextItemModel
{
    public const string CatalogName = "itemknn";

    private readonly int _neighbours;
    private readonly double _decay;
    private readonly double _shrink;
    private readonly int _maxHistory;
    private int _itemCount;
    // CSR: neighbours of item i are _nbr[_offsets[i].._offsets[i+1]] with similarities _sim[...].
    private int[] _offsets = new int[1];
    private int[] _nbr = Array.Empty<int>();
    private float[] _sim = Array.Empty<float>();
    private float[] _popularity = Array.Empty<float>();

    public string Name => CatalogName;
    public int ItemCount => _itemCount;
    public IReadOnlyDictionary<string, object> Params => new Dictionary<string, object>
    {
        ["neighbours"] = _neighbours, ["decay"] = _decay, ["shrink"] = _shrink, ["max_history"] = _maxHistory,
    };

    public ItemKnn(ModelSettings settings)
    {
        _neighbours = settings.Int("neighbours", 200);
        _decay = settings.Double("decay", 0.8);
        _shrink = settings.Double("shrink", 0);
        _maxHistory = settings.Int("max_history", 50);
        settings.RejectUnknown();
        // ModelSettings already refuses NaN and infinity; the ranges are checked here, each with the value given.
        if (_neighbours < 1) throw new Data.ShopcastInputException($"--set itemknn.neighbours={_neighbours}: must be at least 1");
        if (!(_decay > 0 && _decay <= 1)) throw new Data.ShopcastInputException($"--set itemknn.decay={_decay.ToString(System.Globalization.CultureInfo.InvariantCulture)}: must be in (0, 1] (1 = plain sum)");
        if (!(_shrink >= 0)) throw new Data.ShopcastInputException($"--set itemknn.shrink={_shrink.ToString(System.Globalization.CultureInfo.InvariantCulture)}: must be 0 (off) or more");
        if (_maxHistory < 0) throw new Data.ShopcastInputException($"--set itemknn.max_history={_maxHistory}: must be 0 (all history) or more");
    }

    public void Fit(NextItemTrainingData data, ProgressReporter progress)
    {
        int n = _itemCount = data.ItemCount;
        // Inverted lists: the distinct training sequences each item occurs in.
        var occurs = new List<int>[n];
        for (int i = 0; i < n; i++) occurs[i] = new List<int>();
        var distinct = new int[data.Sequences.Count][];
        for (int s = 0; s < data.Sequences.Count; s++)
        {
            distinct[s] = data.Sequences[s].Distinct().ToArray();
            foreach (var i in distinct[s]) occurs[i].Add(s);
        }
        _popularity = new float[n];
        for (int i = 0; i < n; i++) _popularity[i] = occurs[i].Count;

        var rows = new (int[] nbr, float[] sim)[n];
        progress.Step("Fitting itemknn (item-item cosine)", n, bar =>
        {
            Parallel.For(0, n, () => (co: new int[n], touched: new List<int>()), (i, _, buf) =>
            {
                foreach (var s in occurs[i])
                    foreach (var j in distinct[s])
                    {
                        if (j == i) continue;
                        if (buf.co[j]++ == 0) buf.touched.Add(j);
                    }
                var cand = new List<(float sim, int j)>(buf.touched.Count);
                foreach (var j in buf.touched)
                {
                    double c = buf.co[j];
                    double sim = c / (Math.Sqrt((double)occurs[i].Count * occurs[j].Count) + _shrink);
                    cand.Add(((float)sim, j));
                    buf.co[j] = 0;
                }
                buf.touched.Clear();
                // Highest similarity first; equal similarity by lower index, so fits are deterministic.
                cand.Sort((a, b) => a.sim != b.sim ? b.sim.CompareTo(a.sim) : a.j.CompareTo(b.j));
                int keep = Math.Min(_neighbours, cand.Count);
                rows[i] = (cand.Take(keep).Select(c => c.j).ToArray(), cand.Take(keep).Select(c => c.sim).ToArray());
                if ((i & 255) == 0) bar.Set(i);
                return buf;
            }, _ => { });
        });
        _offsets = new int[n + 1];
        for (int i = 0; i < n; i++) _offsets[i + 1] = _offsets[i] + rows[i].nbr.Length;
        _nbr = new int[_offsets[n]];
        _sim = new float[_offsets[n]];
        for (int i = 0; i < n; i++)
        {
            rows[i].nbr.CopyTo(_nbr, _offsets[i]);
            rows[i].sim.CopyTo(_sim, _offsets[i]);
        }
    }

    public void Score(ReadOnlySpan<int> history, Span<float> scores)
    {
        // A tiny popularity term orders items no neighbour reaches, instead of leaving them all tied at zero.
        float maxPop = 1;
        foreach (var p in _popularity) maxPop = Math.Max(maxPop, p);
        for (int j = 0; j < scores.Length; j++) scores[j] = 1e-6f * _popularity[j] / maxPop;
        double w = 1;
        int start = _maxHistory == 0 ? 0 : Math.Max(0, history.Length - _maxHistory);
        for (int h = history.Length - 1; h >= start; h--, w *= _decay)
        {
            int i = history[h];
            if ((uint)i >= (uint)_itemCount) continue;
            for (int k = _offsets[i]; k < _offsets[i + 1]; k++) scores[_nbr[k]] += (float)(w * _sim[k]);
        }
    }

    public void SaveWeights(string directory)
    {
        WeightFile.WriteInts(Path.Combine(directory, "offsets.bin"), _offsets);
        WeightFile.WriteInts(Path.Combine(directory, "neighbours.bin"), _nbr);
        WeightFile.WriteFloats(Path.Combine(directory, "similarities.bin"), _sim);
        WeightFile.WriteFloats(Path.Combine(directory, "popularity.bin"), _popularity);
    }

    public static ItemKnn Load(string directory, int itemCount, ModelSettings settings)
    {
        var m = new ItemKnn(settings) { _itemCount = itemCount };
        m._offsets = WeightFile.ReadInts(Path.Combine(directory, "offsets.bin"), itemCount + 1);
        m._nbr = WeightFile.ReadInts(Path.Combine(directory, "neighbours.bin"));
        m._sim = WeightFile.ReadFloats(Path.Combine(directory, "similarities.bin"), m._nbr.Length);
        m._popularity = WeightFile.ReadFloats(Path.Combine(directory, "popularity.bin"), itemCount);
        if (m._offsets[itemCount] != m._nbr.Length)
            throw new Data.ShopcastInputException($"{directory}: itemknn weights are inconsistent (offsets do not match neighbours)");
        return m;
    }
}
