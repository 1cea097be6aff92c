using Shopcast.Data;
using Shopcast.Reporting;
using Shopcast.Tasks.NextItem;

namespace Shopcast.Models.Baselines;

/// <summary>
/// Session-based k-nearest neighbours: SKNN (Jannach &amp; Ludewig, "When recurrent neural networks meet the
/// neighborhood for session-based recommendation", RecSys 2017) and its vector-multiplied variant V-SKNN
/// (Ludewig &amp; Jannach, "Evaluation of session-based recommendation algorithms", 2018; <c>knn/vsknn.py</c>,
/// class <c>VMContextKNN</c>, in the session-rec framework).
/// <para>
/// Training sequences are sessions, in training order (later = more recent). For a session prefix:
/// <list type="number">
/// <item>Candidates: the training sessions that share an item with the prefix (an item -> sessions inverted index),
/// of which only the <c>sample_size</c> most recent are kept (session-rec's <c>sampling='recent'</c>).</item>
/// <item>Similarity between the prefix, as a vector weighted by position (<c>weighting</c>: session-rec's "div",
/// here "linear", gives the item at position p of L the weight p/L, so the most recent item weighs 1; the latest
/// occurrence of a repeated item counts) and the neighbour's binary item set: <c>cosine</c> =
/// dot / (|prefix| * sqrt(|neighbour|)), or <c>vec</c> = dot / (distinct prefix items), which is what
/// session-rec's VMContextKNN computes.</item>
/// <item>The <c>k</c> most similar candidates are the neighbours (equal similarity: the more recent first).</item>
/// <item>An item's score is the sum, over the neighbours containing it, of similarity * decay(step) *
/// (1 + idf_weighting * idf(item)), where step is how far from the end of the prefix the most recent item the
/// neighbour shares with it is (1 = the last item) and <c>weighting_score</c> picks decay (session-rec's
/// "weighting_score"; "same" gives plain SKNN).</item>
/// </list>
/// With <c>weighting=same</c>, <c>weighting_score=same</c>, <c>similarity=cosine</c> this is the 2017 SKNN.
/// Items of the prefix itself are scored too (session-rec's default; evaluate with ExcludeSeen to drop them).
/// Items no neighbour reaches score below every reached item, ordered by training popularity, instead of all
/// tying at zero; among reached items popularity breaks exact ties (a relative nudge of at most 1e-4).
/// </para>
/// <para>
/// Defaults: k=100 and sample_size=500 are the values session-rec's example configurations use for vsknn
/// (its class default for sample_size is 1000); weighting=linear ("div") and weighting_score=div are
/// VMContextKNN's own defaults; idf_weighting=0 (off) is VMContextKNN's default too. All recalled from the
/// session-rec source from memory, not checked against it here. similarity defaults to cosine, as in SKNN.
/// On Diginetica, a validation carved from the training sessions preferred k=200, idf_weighting=5
/// (bench/diginetica/README.md); the defaults stay the published ones and such values are passed with --set.
/// The "div", "same" and "quadratic" forms follow session-rec; "linear" score decay (1 - 0.1 * (step - 1), floored
/// at 0) and both "log" forms are our own scaling of its shapes, so that the most recent item always weighs 1.
/// </para>
/// Scoring is thread-safe (per-thread scratch buffers, nothing shared is written) and allocation-free per call.
/// </summary>
public sealed class SessionKnn : INextItemModel
{
    public const string CatalogName = "sknn";

    private static readonly string[] Similarities = { "cosine", "vec" };
    private static readonly string[] Weightings = { "linear", "same", "quadratic", "log" };
    private static readonly string[] ScoreWeightings = { "div", "same", "linear", "quadratic", "log" };

    private readonly int _k;
    private readonly int _sampleSize;
    private readonly string _similarity;
    private readonly string _weighting;
    private readonly string _weightingScore;
    private readonly double _idfWeighting;
    private readonly int _maxHistory;

    private int _itemCount;
    // The training sessions exactly as given (CSR): what the bundle stores; everything else is rebuilt from them.
    private int[] _sessionOffsets = new int[1];
    private int[] _sessionItems = Array.Empty<int>();
    // Distinct items of each session, in first-occurrence order (CSR).
    private int[] _setOffsets = new int[1];
    private int[] _setItems = Array.Empty<int>();
    // Inverted index: the sessions holding item i, ascending (= oldest first), are _postings[_postOffsets[i].._postOffsets[i+1]].
    private int[] _postOffsets = new int[1];
    private int[] _postings = Array.Empty<int>();
    private float[] _itemFactor = Array.Empty<float>();   // 1 + idf_weighting * idf(item)
    private float[] _unreached = Array.Empty<float>();    // score of items no neighbour reaches: in [-1, -0.5], by popularity
    private float[] _tieBreak = Array.Empty<float>();     // 1 + 1e-4 * popularity / max popularity
    private float[] _stepDecay = Array.Empty<float>();    // decay by step, precomputed for steps 1.._maxStep
    private ThreadLocal<Scratch>? _scratch;

    public string Name => CatalogName;
    public int ItemCount => _itemCount;
    public int SessionCount => _sessionOffsets.Length - 1;

    public IReadOnlyDictionary<string, object> Params => new Dictionary<string, object>
    {
        ["k"] = _k, ["sample_size"] = _sampleSize, ["similarity"] = _similarity, ["weighting"] = _weighting,
        ["weighting_score"] = _weightingScore, ["idf_weighting"] = _idfWeighting, ["max_history"] = _maxHistory,
    };

    public SessionKnn(ModelSettings settings)
    {
        _k = settings.Int("k", 100);
        _sampleSize = settings.Int("sample_size", 500);
        _similarity = settings.String("similarity", "cosine").ToLowerInvariant();
        _weighting = settings.String("weighting", "linear").ToLowerInvariant();
        _weightingScore = settings.String("weighting_score", "div").ToLowerInvariant();
        _idfWeighting = settings.Double("idf_weighting", 0);
        _maxHistory = settings.Int("max_history", 0);
        settings.RejectUnknown();
        if (_k < 1) throw new ShopcastInputException("--set sknn.k must be at least 1");
        if (_sampleSize < 0) throw new ShopcastInputException("--set sknn.sample_size must be 0 (every candidate) or more");
        if (_maxHistory < 0) throw new ShopcastInputException("--set sknn.max_history must be 0 (whole prefix) or more");
        if (_idfWeighting < 0 || double.IsNaN(_idfWeighting)) throw new ShopcastInputException("--set sknn.idf_weighting must be 0 (off) or more");
        Check("similarity", _similarity, Similarities);
        Check("weighting", _weighting, Weightings);
        Check("weighting_score", _weightingScore, ScoreWeightings);
    }

    private static void Check(string key, string value, string[] allowed)
    {
        if (!allowed.Contains(value))
            throw new ShopcastInputException($"--set sknn.{key}={value}: expected one of {string.Join(", ", allowed)}");
    }

    public void Fit(NextItemTrainingData data, ProgressReporter progress)
    {
        var sessions = data.Sequences;
        var offsets = new int[sessions.Count + 1];
        for (int s = 0; s < sessions.Count; s++) offsets[s + 1] = checked(offsets[s] + sessions[s].Length);
        var items = new int[offsets[^1]];
        for (int s = 0; s < sessions.Count; s++) sessions[s].CopyTo(items, offsets[s]);
        progress.Step("Fitting sknn (session index)", 1, _ => Build(data.ItemCount, offsets, items));
    }

    /// <summary>Builds every derived structure from the training sessions (CSR); used by Fit and Load alike.</summary>
    private void Build(int itemCount, int[] sessionOffsets, int[] sessionItems)
    {
        int n = _itemCount = itemCount;
        int sessions = sessionOffsets.Length - 1;
        foreach (var i in sessionItems)
            if ((uint)i >= (uint)n) throw new ArgumentException($"training item index {i} is outside the catalogue of {n} items");
        _sessionOffsets = sessionOffsets;
        _sessionItems = sessionItems;

        // Distinct items per session (first occurrence order), and how many sessions hold each item.
        var last = new int[n];
        Array.Fill(last, -1);
        var setOffsets = new int[sessions + 1];
        var setItems = new List<int>(sessionItems.Length);
        var sessionCount = new int[n];
        var clicks = new long[n];
        for (int s = 0; s < sessions; s++)
        {
            for (int p = sessionOffsets[s]; p < sessionOffsets[s + 1]; p++)
            {
                int i = sessionItems[p];
                clicks[i]++;
                if (last[i] == s) continue;
                last[i] = s;
                setItems.Add(i);
                sessionCount[i]++;
            }
            setOffsets[s + 1] = setItems.Count;
        }
        _setOffsets = setOffsets;
        _setItems = setItems.ToArray();

        _postOffsets = new int[n + 1];
        for (int i = 0; i < n; i++) _postOffsets[i + 1] = _postOffsets[i] + sessionCount[i];
        _postings = new int[_postOffsets[n]];
        var fill = new int[n];
        for (int s = 0; s < sessions; s++) // ascending s, so every posting list is sorted oldest first
            for (int p = setOffsets[s]; p < setOffsets[s + 1]; p++)
            {
                int i = _setItems[p];
                _postings[_postOffsets[i] + fill[i]++] = s;
            }

        // session-rec: idf(item) = log(sessions / sessions holding the item).
        _itemFactor = new float[n];
        for (int i = 0; i < n; i++)
            _itemFactor[i] = (float)(1 + (_idfWeighting > 0 && sessionCount[i] > 0
                ? _idfWeighting * Math.Log((double)sessions / sessionCount[i]) : 0));

        long maxClicks = 1;
        foreach (var c in clicks) maxClicks = Math.Max(maxClicks, c);
        _unreached = new float[n];
        _tieBreak = new float[n];
        for (int i = 0; i < n; i++)
        {
            double pop = (double)clicks[i] / maxClicks;
            _unreached[i] = (float)(-1 + 0.5 * pop);
            _tieBreak[i] = (float)(1 + 1e-4 * pop);
        }

        int maxLen = 1;
        for (int s = 0; s < sessions; s++) maxLen = Math.Max(maxLen, sessionOffsets[s + 1] - sessionOffsets[s]);
        _stepDecay = new float[Math.Max(maxLen, 64) + 1];
        for (int step = 1; step < _stepDecay.Length; step++) _stepDecay[step] = (float)StepDecay(step);

        int candidates = _sampleSize > 0 ? _sampleSize : 1024;
        _scratch = new ThreadLocal<Scratch>(() => new Scratch(n, candidates));
    }

    /// <summary>Decay by step (1 = the prefix's last item), after session-rec's <c>*_score</c> functions.</summary>
    private double StepDecay(int step) => _weightingScore switch
    {
        "same" => 1,
        "div" => 1.0 / step,
        "linear" => Math.Max(0, 1 - 0.1 * (step - 1)),
        "quadratic" => 1.0 / ((double)step * step),
        "log" => Math.Log10(2.7) / Math.Log10(step + 1.7), // 1 / log10(step + 1.7), scaled so that step 1 weighs 1
        _ => throw new InvalidOperationException(_weightingScore),
    };

    /// <summary>Weight of the prefix item at 1-based position <paramref name="p"/> of <paramref name="length"/>, after session-rec's <c>weighting</c>.</summary>
    private float PositionWeight(int p, int length) => _weighting switch
    {
        "same" => 1f,
        "linear" => (float)p / length,
        "quadratic" => (float)((double)p / length * p / length),
        "log" => (float)(Math.Log10(2.7) / Math.Log10(length - p + 2.7)), // most recent weighs 1
        _ => throw new InvalidOperationException(_weighting),
    };

    private sealed class Scratch
    {
        public readonly float[] QueryWeight;   // weight of each prefix item; 0 = not in the prefix
        public readonly int[] QueryStep;       // its step from the end (1 = last), latest occurrence
        public readonly int[] QueryItems;      // the distinct prefix items
        public readonly int[] Cursor;          // per distinct prefix item: next posting to take (from the end)
        public Neighbour[] Candidates;
        public readonly float[] Acc;           // accumulated scores; 0 = untouched
        public readonly int[] Touched;

        public Scratch(int items, int candidates)
        {
            QueryWeight = new float[items];
            QueryStep = new int[items];
            QueryItems = new int[items];
            Cursor = new int[items];
            Candidates = new Neighbour[candidates];
            Acc = new float[items];
            Touched = new int[items];
        }
    }

    private struct Neighbour
    {
        public int Session;
        public int Step;
        public float Similarity;
    }

    // Most similar first; equal similarity: the more recent session first (deterministic). A cached delegate: no allocation per sort.
    private static readonly Comparison<Neighbour> Closer = (a, b) =>
        a.Similarity != b.Similarity ? b.Similarity.CompareTo(a.Similarity) : b.Session.CompareTo(a.Session);

    public void Score(ReadOnlySpan<int> history, Span<float> scores)
    {
        if (scores.Length != _itemCount) throw new ArgumentException($"scores has {scores.Length} slots for {_itemCount} items");
        _unreached.CopyTo(scores);
        var sc = (_scratch ?? throw new InvalidOperationException("sknn is not fitted")).Value!;

        // 1. The prefix as a weighted vector over its distinct items (the latest occurrence of a repeat counts).
        if (_maxHistory > 0 && history.Length > _maxHistory) history = history[^_maxHistory..];
        int length = history.Length, q = 0;
        for (int p = 0; p < length; p++)
        {
            int i = history[p];
            if ((uint)i >= (uint)_itemCount) continue;
            if (sc.QueryWeight[i] == 0) sc.QueryItems[q++] = i;
            sc.QueryWeight[i] = PositionWeight(p + 1, length);
            sc.QueryStep[i] = length - p;
        }
        if (q == 0) return;
        double norm2 = 0;
        for (int a = 0; a < q; a++) norm2 += (double)sc.QueryWeight[sc.QueryItems[a]] * sc.QueryWeight[sc.QueryItems[a]];
        double queryNorm = Math.Sqrt(norm2);
        bool cosine = _similarity == "cosine";

        // 2. Candidates: the most recent sessions holding any prefix item, merged from the tails of the posting lists.
        for (int a = 0; a < q; a++) sc.Cursor[a] = _postOffsets[sc.QueryItems[a] + 1] - 1;
        int limit = _sampleSize > 0 ? _sampleSize : int.MaxValue, nc = 0;
        while (nc < limit)
        {
            int best = -1;
            for (int a = 0; a < q; a++)
            {
                int c = sc.Cursor[a];
                if (c >= _postOffsets[sc.QueryItems[a]] && _postings[c] > best) best = _postings[c];
            }
            if (best < 0) break;
            for (int a = 0; a < q; a++)
            {
                int c = sc.Cursor[a];
                if (c >= _postOffsets[sc.QueryItems[a]] && _postings[c] == best) sc.Cursor[a] = c - 1;
            }
            // 3. Similarity of the candidate's item set to the prefix vector, and its most recent shared item.
            double dot = 0;
            int step = int.MaxValue;
            int from = _setOffsets[best], to = _setOffsets[best + 1];
            for (int p = from; p < to; p++)
            {
                int i = _setItems[p];
                float w = sc.QueryWeight[i];
                if (w == 0) continue;
                dot += w;
                if (sc.QueryStep[i] < step) step = sc.QueryStep[i];
            }
            double sim = cosine ? dot / (queryNorm * Math.Sqrt(to - from)) : dot / q;
            if (sim <= 0) continue; // a zero-weight overlap only
            if (nc == sc.Candidates.Length) Array.Resize(ref sc.Candidates, nc * 2);
            sc.Candidates[nc++] = new Neighbour { Session = best, Step = step, Similarity = (float)sim };
        }

        // 4. The k nearest; 5. each adds its weighted similarity to the items it holds.
        var cand = sc.Candidates.AsSpan(0, nc);
        if (nc > _k) cand.Sort(Closer);
        int keep = Math.Min(_k, nc), touched = 0;
        for (int r = 0; r < keep; r++)
        {
            ref readonly var nb = ref cand[r];
            float w = nb.Similarity * (nb.Step < _stepDecay.Length ? _stepDecay[nb.Step] : (float)StepDecay(nb.Step));
            if (w <= 0) continue;
            for (int p = _setOffsets[nb.Session]; p < _setOffsets[nb.Session + 1]; p++)
            {
                int i = _setItems[p];
                if (sc.Acc[i] == 0) sc.Touched[touched++] = i;
                sc.Acc[i] += w * _itemFactor[i];
            }
        }
        for (int t = 0; t < touched; t++)
        {
            int i = sc.Touched[t];
            scores[i] = sc.Acc[i] * _tieBreak[i];
            sc.Acc[i] = 0;
        }
        for (int a = 0; a < q; a++) sc.QueryWeight[sc.QueryItems[a]] = 0;
    }

    public void SaveWeights(string directory)
    {
        WeightFile.WriteInts(Path.Combine(directory, "session_offsets.bin"), _sessionOffsets);
        WeightFile.WriteInts(Path.Combine(directory, "session_items.bin"), _sessionItems);
    }

    public static SessionKnn Load(string directory, int itemCount, ModelSettings settings)
    {
        var m = new SessionKnn(settings);
        var offsets = WeightFile.ReadInts(Path.Combine(directory, "session_offsets.bin"));
        var items = WeightFile.ReadInts(Path.Combine(directory, "session_items.bin"));
        bool ok = offsets.Length >= 1 && offsets[0] == 0 && offsets[^1] == items.Length;
        for (int s = 1; ok && s < offsets.Length; s++) ok = offsets[s] >= offsets[s - 1];
        if (!ok) throw new ShopcastInputException($"{directory}: sknn weights are inconsistent (session offsets do not match session items)");
        foreach (var i in items)
            if ((uint)i >= (uint)itemCount)
                throw new ShopcastInputException($"{directory}: sknn weights name item {i}, outside the bundle's {itemCount} items");
        m.Build(itemCount, offsets, items);
        return m;
    }
}
