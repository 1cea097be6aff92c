using System.Diagnostics;
using Shopcast.Data;
using Shopcast.Evaluation;
using Shopcast.Features.Text;
using Shopcast.Reporting;
using Shopcast.Tasks.Sentiment;
using Shopcast.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Shopcast.Models.Text;

/// <summary>
/// What the TorchSharp text classifiers (TextCNN, BiLSTM with attention, the Transformer encoder) share: a token
/// vocabulary from the training reviews (see <see cref="ReviewTokenizer"/>), reviews cut to <c>max_len</c> tokens,
/// length-bucketed mini-batches (reviews of similar length together, so little is padding), class-weighted cross
/// entropy, AdamW with gradient clipping, early stopping on validation macro-F1 with the best weights restored, and
/// bundle save/load. A model supplies only its network: token ids [B, T] (0 = padding) -> logits [B, classes].
/// Every network masks padding, so a review's prediction does not depend on the batch it is scored in.
/// </summary>
public abstract class NeuralTextClassifier : ISentimentModel, IHasTrainingHistory
{
    public const string WeightsFile = "weights.bin";
    public const string VocabularyFile = "vocabulary.tsv";

    private readonly double _lr, _weightDecay;
    private readonly int _batch, _epochs, _patience, _minCount, _maxVocabulary;
    private readonly List<EpochRecord> _history = new();
    private readonly bool _learnsVocabulary;
    private nn.Module<Tensor, Tensor>? _net;
    private TokenVocabulary? _vocabulary;

    protected int MaxLength { get; }
    protected int Classes { get; private set; }
    protected int VocabularySize => _vocabulary!.Size;

    /// <param name="learnsVocabulary">False for a pretrained model with its own vocabulary: no min_count or max_vocabulary settings.</param>
    protected NeuralTextClassifier(ModelSettings s, double lr, int epochs = 10, int patience = 2, int batchSize = 64, int maxLength = 256,
        double weightDecay = 0.01, bool learnsVocabulary = true)
    {
        _learnsVocabulary = learnsVocabulary;
        _lr = s.Double("lr", lr);
        _weightDecay = s.Double("weight_decay", weightDecay);
        _batch = s.Int("batch_size", batchSize);
        _epochs = s.Int("epochs", epochs);
        _patience = s.Int("patience", patience);
        _minCount = learnsVocabulary ? s.Int("min_count", 2) : 1;
        _maxVocabulary = learnsVocabulary ? s.Int("max_vocabulary", 50_000) : 1;
        MaxLength = s.Int("max_len", maxLength);
        if (_lr <= 0 || _weightDecay < 0 || _batch < 1 || _epochs < 1 || _patience < 1 || _minCount < 1 || _maxVocabulary < 1 || MaxLength < 1)
            throw new ShopcastInputException($"--set {s.Model}: lr > 0, weight_decay >= 0, and batch_size, epochs, patience, min_count, max_vocabulary, max_len >= 1 are required");
    }

    public abstract string Name { get; }

    public virtual IReadOnlyDictionary<string, object> Params
    {
        get
        {
            var p = new Dictionary<string, object>
            {
                ["lr"] = _lr, ["weight_decay"] = _weightDecay, ["batch_size"] = _batch, ["epochs"] = _epochs, ["patience"] = _patience, ["max_len"] = MaxLength,
            };
            if (_learnsVocabulary) { p["min_count"] = _minCount; p["max_vocabulary"] = _maxVocabulary; }
            return p;
        }
    }

    public IReadOnlyList<EpochRecord> History => _history;
    public string ValidMetric => "MacroF1";
    public int BestEpoch { get; private set; }

    /// <summary>The network for <see cref="VocabularySize"/> token ids and <see cref="Classes"/> classes.</summary>
    protected abstract nn.Module<Tensor, Tensor> CreateNetwork();

    /// <summary>Learns the token ids from the training texts (a pretrained model keeps its own and does nothing).</summary>
    protected virtual void BuildVocabulary(IReadOnlyList<string> texts) =>
        _vocabulary = TokenVocabulary.Build(texts.Select(t => ReviewTokenizer.Tokens(ReviewTokenizer.Normalize(t))), _minCount, _maxVocabulary);

    protected virtual void SaveVocabulary(string directory) => _vocabulary!.Save(Path.Combine(directory, VocabularyFile));

    protected virtual void LoadVocabulary(string directory) => _vocabulary = TokenVocabulary.Load(Path.Combine(directory, VocabularyFile));

    /// <summary>A review's token ids, at most <see cref="MaxLength"/>, never empty, 0 never among them (0 is padding).</summary>
    protected virtual int[] Encode(string text)
    {
        var tokens = ReviewTokenizer.Tokens(ReviewTokenizer.Normalize(text));
        var ids = new int[Math.Max(1, Math.Min(tokens.Count, MaxLength))]; // an empty review is one unknown token
        for (int i = 0; i < ids.Length; i++) ids[i] = i < tokens.Count ? _vocabulary!.Id(tokens[i]) : TokenVocabulary.Unknown;
        return ids;
    }

    public void Fit(SentimentExamples train, SentimentExamples validation, float[] classWeights, int seed, ProgressReporter progress)
    {
        TorchRuntime.Start(seed);
        Classes = train.Classes.Count;
        BuildVocabulary(train.Texts);
        _net?.Dispose(); // a second Fit starts afresh
        _net = CreateNetwork();
        var x = train.Texts.Select(Encode).ToArray();
        var xv = validation.Texts.Select(Encode).ToArray();
        using var weights = tensor(classWeights);
        using var optimizer = optim.AdamW(_net.parameters(), _lr, weight_decay: _weightDecay);
        var rng = new Random(seed);
        var stopping = new EarlyStopping(_patience, minDelta: 1e-4);
        using var best = new BestWeights();
        _history.Clear();
        for (int epoch = 1; epoch <= _epochs; epoch++)
        {
            var sw = Stopwatch.StartNew();
            var batches = Batches(x, rng);
            double lossSum = 0;
            _net.train();
            progress.Step($"{Name} epoch {epoch}/{_epochs}", batches.Count, bar =>
            {
                foreach (var rows in batches)
                {
                    using var scope = NewDisposeScope();
                    optimizer.zero_grad();
                    var logits = _net.forward(Pad(rows.Select(i => x[i]).ToArray()));
                    var loss = nn.functional.cross_entropy(logits, tensor(rows.Select(i => (long)train.Labels[i]).ToArray()), weights);
                    loss.backward();
                    nn.utils.clip_grad_norm_(_net.parameters(), 5.0);
                    optimizer.step();
                    lossSum += loss.item<float>() * rows.Length;
                    bar.Increment();
                }
            });
            double? valid = null;
            if (xv.Length > 0)
            {
                var p = PredictEncoded(xv);
                valid = MulticlassMetrics.MacroF1(validation.Labels, p, Classes);
            }
            _history.Add(new EpochRecord(epoch, lossSum / x.Length, valid, Math.Round(sw.Elapsed.TotalSeconds, 2), Math.Round(x.Length / sw.Elapsed.TotalSeconds, 1)));
            progress.Info($"{Name} epoch {epoch}: loss {lossSum / x.Length:0.0000}" + (valid is null ? "" : $", validation MacroF1 {valid:0.0000}") + $" ({sw.Elapsed.TotalSeconds:0} s)");
            if (valid is null) { BestEpoch = epoch; continue; }
            if (stopping.Observe(epoch, valid.Value)) { best.Take(_net); BestEpoch = epoch; }
            else if (stopping.ShouldStop) break;
        }
        best.RestoreInto(_net);
        _net.eval();
    }

    /// <summary>Shuffled batches of rows of similar length: shuffle, sort within windows of 50 batches by length, cut, shuffle the batches.</summary>
    private List<int[]> Batches(int[][] x, Random rng)
    {
        var order = Enumerable.Range(0, x.Length).ToArray();
        SeededShuffle.Shuffle(order, rng);
        var batches = new List<int[]>();
        int window = _batch * 50;
        for (int from = 0; from < order.Length; from += window)
        {
            var chunk = order.AsSpan(from, Math.Min(window, order.Length - from)).ToArray().OrderBy(i => x[i].Length).ToArray();
            for (int b = 0; b < chunk.Length; b += _batch) batches.Add(chunk.AsSpan(b, Math.Min(_batch, chunk.Length - b)).ToArray());
        }
        var shuffled = batches.ToArray();
        SeededShuffle.Shuffle(shuffled, rng);
        return shuffled.ToList();
    }

    /// <summary>[B, T] token ids, padded with 0 to the longest row.</summary>
    private static Tensor Pad(int[][] rows)
    {
        int t = rows.Max(r => r.Length);
        var a = new long[rows.Length * t];
        for (int r = 0; r < rows.Length; r++) for (int i = 0; i < rows[r].Length; i++) a[r * t + i] = rows[r][i];
        return tensor(a, new long[] { rows.Length, t });
    }

    public float[][] Predict(IReadOnlyList<string> texts)
    {
        if (_net is null) throw new InvalidOperationException($"{Name} is not fitted");
        return PredictEncoded(texts.Select(Encode).ToArray());
    }

    private float[][] PredictEncoded(int[][] x)
    {
        var result = new float[x.Length][];
        var order = Enumerable.Range(0, x.Length).OrderBy(i => x[i].Length).ToArray();
        bool training = _net!.training;
        _net.eval();
        using (no_grad())
            for (int from = 0; from < order.Length; from += 256)
            {
                using var scope = NewDisposeScope();
                var rows = order.AsSpan(from, Math.Min(256, order.Length - from)).ToArray();
                var p = nn.functional.softmax(_net.forward(Pad(rows.Select(i => x[i]).ToArray())), 1).data<float>().ToArray();
                for (int r = 0; r < rows.Length; r++) result[rows[r]] = p.AsSpan(r * Classes, Classes).ToArray();
            }
        if (training) _net.train();
        return result;
    }

    public void Save(string directory)
    {
        if (_net is null) throw new InvalidOperationException($"{Name} is not fitted");
        _net.save(Path.Combine(directory, WeightsFile));
        SaveVocabulary(directory);
    }

    /// <summary>Restores a saved model into <paramref name="model"/> (made with the manifest's settings).</summary>
    protected static T LoadInto<T>(T model, string directory, int classes) where T : NeuralTextClassifier
    {
        TorchRuntime.Start(0);
        model.Classes = classes;
        model.LoadVocabulary(directory);
        var weights = Path.Combine(directory, WeightsFile);
        if (!File.Exists(weights)) throw new ShopcastInputException($"model bundle '{directory}': {WeightsFile} is missing");
        model._net = model.CreateNetwork();
        try { model._net.load(weights); }
        catch (Exception e) when (e is not ShopcastInputException)
        {
            model._net.Dispose();
            throw new ShopcastInputException($"model bundle '{directory}': {WeightsFile} does not fit a {model.Name} with these settings ({e.Message.Split('\n')[0]})");
        }
        model._net.eval();
        return model;
    }

    public void Dispose() => _net?.Dispose();
}
