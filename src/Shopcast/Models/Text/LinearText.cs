using Microsoft.ML.Data;
using Shopcast.Data;
using Shopcast.Features.Text;
using Shopcast.Reporting;
using Shopcast.Tasks.Sentiment;

namespace Shopcast.Models.Text;

/// <summary>
/// The linear baseline: multinomial logistic regression on TF-IDF n-grams of tokens (1 to 3 by default: Han characters
/// and their bigrams and trigrams stand in for Chinese words; English words and word pairs). Values are
/// (1 + log tf) · idf, L2-normalised per review; the vocabulary keeps n-grams seen in at least <c>min_count</c> training
/// reviews. Strong on sentiment, trains in seconds, and every weight can be read.
/// </summary>
public sealed class LinearText : ISentimentModel
{
    public const string CatalogName = "linear";
    public const string VocabularyFile = "ngrams.tsv";
    public const string RatioFile = "nb-ratio.bin";

    private readonly int _ngrams, _minCount, _maxFeatures;
    private readonly float _l2;
    private readonly string _weighting;
    /// <summary>Per n-gram scale: |log-count ratio| of the two classes (nb weighting), or null for plain TF-IDF.</summary>
    private float[]? _ratio;
    /// <summary>After fitting (or loading): "nb" or "tfidf", what "auto" became; written to the bundle's params.</summary>
    private string? _resolvedWeighting;
    private TokenVocabulary? _vocabulary;
    private MaxEntHead? _head;
    private int _classes;

    public LinearText(ModelSettings s)
    {
        _ngrams = s.Int("ngrams", 3);
        _minCount = s.Int("min_count", 2);
        _maxFeatures = s.Int("max_features", 1_000_000);
        _l2 = (float)s.Double("l2", 1.0);
        _weighting = s.String("weighting", "auto").ToLowerInvariant();
        s.RejectUnknown();
        if (_weighting is not ("auto" or "nb" or "tfidf"))
            throw new ShopcastInputException($"--set {CatalogName}.weighting={_weighting}: expected auto, nb or tfidf");
        if (_ngrams is < 1 or > 6 || _minCount < 1 || _maxFeatures < 1 || _l2 < 0)
            throw new ShopcastInputException($"--set {CatalogName}: ngrams 1-6, min_count >= 1, max_features >= 1 and l2 >= 0 are required");
    }

    public string Name => CatalogName;

    public IReadOnlyDictionary<string, object> Params => new Dictionary<string, object>
    {
        ["ngrams"] = _ngrams, ["min_count"] = _minCount, ["max_features"] = _maxFeatures, ["l2"] = _l2, ["weighting"] = _resolvedWeighting ?? _weighting,
    };

    private IEnumerable<string> NGrams(string text) => ReviewTokenizer.NGrams(ReviewTokenizer.Tokens(ReviewTokenizer.Normalize(text)), _ngrams);

    public void Fit(SentimentExamples train, SentimentExamples validation, float[] classWeights, int seed, ProgressReporter progress)
    {
        _classes = train.Classes.Count;
        var grams = train.Texts.Select(t => NGrams(t).ToList()).ToList();
        _vocabulary = TokenVocabulary.Build(grams, _minCount, _maxFeatures);
        _ratio = _weighting == "nb" || (_weighting == "auto" && _classes == 2) ? LogCountRatio(grams, train) : null;
        _resolvedWeighting = _ratio is null ? "tfidf" : "nb";
        _head = new MaxEntHead(_vocabulary.Size, _classes);
        _head.Fit(grams.Select(Vector).ToList(), train.Labels, train.Labels.Select(l => classWeights[l]).ToArray(), _l2, seed);
    }

    public float[][] Predict(IReadOnlyList<string> texts)
    {
        if (_head is null || _vocabulary is null) throw new InvalidOperationException("linear is not fitted");
        return _head.Predict(texts.Select(t => Vector(NGrams(t))));
    }

    /// <summary>A review's sparse TF-IDF vector (ids ascending, as ML.NET requires); n-grams outside the vocabulary are dropped.</summary>
    private VBuffer<float> Vector(IEnumerable<string> grams)
    {
        var v = _vocabulary!;
        var tf = new Dictionary<int, int>();
        foreach (var g in grams)
            if (v.TryGetId(g, out int id)) tf[id] = tf.GetValueOrDefault(id) + 1;
        var ids = tf.Keys.Order().ToArray();
        var values = new float[ids.Length];
        double norm = 0;
        for (int i = 0; i < ids.Length; i++)
        {
            double idf = Math.Log((1.0 + v.DocumentCount) / (1.0 + v.DocumentFrequency(ids[i]))) + 1; // scikit-learn's smooth idf
            double x = (1 + Math.Log(tf[ids[i]])) * idf * (_ratio?[ids[i]] ?? 1);
            values[i] = (float)x;
            norm += x * x;
        }
        if (norm > 0) { float inv = (float)(1 / Math.Sqrt(norm)); for (int i = 0; i < values.Length; i++) values[i] *= inv; }
        return new VBuffer<float>(v.Size, ids.Length, values, ids);
    }

    /// <summary>
    /// NB weighting (Wang and Manning, 2012): |log((p + 1) / |p + 1|) - log((q + 1) / |q + 1|)|, p and q an n-gram's
    /// document counts in the first and last class (negative and positive). An n-gram that separates the classes is
    /// scaled up, so the L2 penalty lets its weight grow more freely; one as common on both sides is damped.
    /// </summary>
    private float[] LogCountRatio(List<List<string>> grams, SentimentExamples train)
    {
        var v = _vocabulary!;
        var p = new double[v.Size]; var q = new double[v.Size];
        for (int d = 0; d < grams.Count; d++)
        {
            int label = train.Labels[d];
            if (label != 0 && label != _classes - 1) continue;
            var counts = label == 0 ? p : q;
            foreach (var g in grams[d].Distinct())
                if (v.TryGetId(g, out int id)) counts[id]++;
        }
        double sp = p.Sum() + v.Size, sq = q.Sum() + v.Size;
        var r = new float[v.Size];
        for (int j = 0; j < v.Size; j++) r[j] = (float)Math.Abs(Math.Log((p[j] + 1) / sp) - Math.Log((q[j] + 1) / sq));
        return r;
    }

    public void Save(string directory)
    {
        if (_head is null || _vocabulary is null) throw new InvalidOperationException("linear is not fitted");
        _vocabulary.Save(Path.Combine(directory, VocabularyFile));
        if (_ratio is not null) WeightFile.WriteFloats(Path.Combine(directory, RatioFile), _ratio);
        _head.Save(directory, Name);
    }

    public static LinearText Load(string directory, ModelSettings s, int classes)
    {
        var m = new LinearText(s) { _classes = classes };
        m._vocabulary = TokenVocabulary.Load(Path.Combine(directory, VocabularyFile));
        bool nb = m._weighting == "nb" || (m._weighting == "auto" && classes == 2);
        m._ratio = nb ? WeightFile.ReadFloats(Path.Combine(directory, RatioFile), m._vocabulary.Size) : null;
        m._resolvedWeighting = nb ? "nb" : "tfidf";
        m._head = new MaxEntHead(m._vocabulary.Size, classes);
        m._head.Load(directory);
        return m;
    }

    public void Dispose() { }
}
