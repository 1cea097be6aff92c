using Microsoft.ML.Data;
using Shopcast.Data;
using Shopcast.Reporting;
using Shopcast.Tasks.Sentiment;

namespace Shopcast.Models.Text;

/// <summary>
/// A pretrained English sentence encoder with a trained head: every review becomes its all-MiniLM-L6-v2 embedding
/// (384 numbers, through ONNX Runtime; see <see cref="MiniLmEncoder"/>), and multinomial logistic regression on those
/// embeddings, class-weighted, learns the classes. The encoder stays frozen (<see cref="MiniLmFineTuned"/> trains it
/// too), so the bundle holds only the head; the encoder comes with Shopcast's build.
/// </summary>
public sealed class MiniLmClassifier : ISentimentModel
{
    public const string CatalogName = "minilm";

    private readonly int _maxTokens, _batch;
    private readonly float _l2;
    private MaxEntHead? _head;
    // Made once, on first use, even when a server scores from several threads at once (an ONNX session is ~90 MB).
    private readonly Lazy<MiniLmEncoder> _encoder;

    public MiniLmClassifier(ModelSettings s)
    {
        _maxTokens = s.Int("max_tokens", 256);
        _batch = s.Int("batch_size", 16); // long reviews: batch 32 was slower than 8-16 and peaked at ~790 MiB
        _l2 = (float)s.Double("l2", 0.1);
        s.RejectUnknown();
        _encoder = new Lazy<MiniLmEncoder>(() => new MiniLmEncoder(_maxTokens), LazyThreadSafetyMode.ExecutionAndPublication);
        if (_maxTokens is < 2 or > 512 || _batch < 1 || _l2 < 0)
            throw new ShopcastInputException("--set minilm: max_tokens 2-512, batch_size >= 1 and l2 >= 0 are required");
    }

    public string Name => CatalogName;

    public IReadOnlyDictionary<string, object> Params => new Dictionary<string, object>
    {
        ["max_tokens"] = _maxTokens, ["batch_size"] = _batch, ["l2"] = _l2,
    };

    private MiniLmEncoder Encoder => _encoder.Value;

    private List<VBuffer<float>> Embed(IReadOnlyList<string> texts, ProgressReporter progress, string what) =>
        progress.Step($"minilm: encoding {texts.Count:N0} {what} reviews", texts.Count, bar =>
            Encoder.Encode(texts, _batch, done => bar.Set(done)).Select(v => new VBuffer<float>(v.Length, v)).ToList());

    public void Fit(SentimentExamples train, SentimentExamples validation, float[] classWeights, int seed, ProgressReporter progress)
    {
        var x = Embed(train.Texts, progress, "training");
        _head = new MaxEntHead(MiniLmEncoder.Dimensions, train.Classes.Count);
        _head.Fit(x, train.Labels, train.Labels.Select(l => classWeights[l]).ToArray(), _l2, seed);
    }

    public float[][] Predict(IReadOnlyList<string> texts)
    {
        if (_head is null) throw new InvalidOperationException("minilm is not fitted");
        return _head.Predict(Embed(texts, ProgressReporter.Quiet, "new"));
    }

    public void Save(string directory)
    {
        if (_head is null) throw new InvalidOperationException("minilm is not fitted");
        _head.Save(directory, Name);
    }

    public static MiniLmClassifier Load(string directory, ModelSettings s, int classes)
    {
        var m = new MiniLmClassifier(s) { _head = new MaxEntHead(MiniLmEncoder.Dimensions, classes) };
        m._head.Load(directory);
        return m;
    }

    public void Dispose() { if (_encoder.IsValueCreated) _encoder.Value.Dispose(); }
}
