using Shopcast.Data;
using Shopcast.Features;
using Shopcast.Reporting;
using Shopcast.Tasks.Tabular;
using Shopcast.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Shopcast.Models.Tabular;

/// <summary>
/// What the TorchSharp classifiers (MLP, DeepFM, DCN-V2) share: input scaling fitted on the training rows, the
/// training loop (seeded mini-batches, binary cross-entropy, Adam, early stopping on validation log loss with the best
/// weights restored), prediction and bundle save/load. A model supplies its network and its own settings.
/// Scaling: numeric columns get sign(x)·log(1+|x|) (which tames durations and counts) and are standardised; one-hot
/// columns (named "field=value") stay 0/1, so a network can treat each group as one categorical field.
/// </summary>
public abstract class NeuralClassifier : IBinaryClassifier, IDisposable
{
    private readonly double _lr, _weightDecay;
    private readonly int _batch, _epochs, _patience;
    private nn.Module<Tensor, Tensor>? _net;
    private float[]? _mean, _std;

    protected NeuralClassifier(ModelSettings s, double lr = 0.001, int batchSize = 256, int epochs = 200, int patience = 10)
    {
        _lr = s.Double("lr", lr);
        _weightDecay = s.Double("weight_decay", 1e-5);
        _batch = s.Int("batch_size", batchSize);
        _epochs = s.Int("epochs", epochs);
        _patience = s.Int("patience", patience);
        if (_lr <= 0 || _weightDecay < 0 || _batch < 2 || _epochs < 1 || _patience < 1)
            throw new ShopcastInputException($"--set {s.Model}: lr > 0, weight_decay >= 0, batch_size >= 2, epochs and patience >= 1 are required");
    }

    public abstract string Name { get; }

    public virtual IReadOnlyDictionary<string, object> Params => new Dictionary<string, object>
    {
        ["lr"] = _lr, ["weight_decay"] = _weightDecay, ["batch_size"] = _batch, ["epochs"] = _epochs, ["patience"] = _patience,
    };

    /// <summary>The network: [B, columns (+ <see cref="ExtraInputs"/>)] inputs -> [B, 1] logits.</summary>
    protected abstract nn.Module<Tensor, Tensor> CreateNetwork(IReadOnlyList<string> columns);

    /// <summary>Called with the training rows before the network is made (e.g. to size embedding tables).</summary>
    protected virtual void Prepare(FeatureTable train) { }

    /// <summary>More input columns appended after the scaled ones, unscaled (DIN's behaviour ids); null for none.</summary>
    protected virtual float[]? ExtraInputs(FeatureTable t) => null;

    /// <summary>Width of <see cref="ExtraInputs"/> per row.</summary>
    protected virtual int ExtraWidth => 0;

    /// <summary>Model files beyond weights and scaler (written by <see cref="Save"/>, read back before the network is made).</summary>
    protected virtual void SaveExtra(string directory) { }
    protected virtual void LoadExtra(string directory) { }

    public void Fit(FeatureTable train, FeatureTable validation, int seed, ProgressReporter progress)
    {
        TorchRuntime.Start(seed);
        (_mean, _std) = Scaler(train);
        Prepare(train);
        _net = CreateNetwork(train.Columns);
        using var x = Inputs(train);
        using var y = tensor(train.Labels);
        using var xv = validation.Rows > 0 ? Inputs(validation) : null;
        using var yv = validation.Rows > 0 ? tensor(validation.Labels) : null;
        using var optimizer = optim.Adam(_net.parameters(), _lr, weight_decay: _weightDecay);
        var rng = new Random(seed);
        var stopping = new EarlyStopping(_patience, minDelta: 1e-6); // on minus the validation log loss
        using var best = new BestWeights();
        var order = Enumerable.Range(0, train.Rows).Select(i => (long)i).ToArray();
        for (int epoch = 1; epoch <= _epochs; epoch++)
        {
            _net.train();
            SeededShuffle.Shuffle(order, rng);
            for (int from = 0; from < order.Length; from += _batch)
            {
                int count = Math.Min(_batch, order.Length - from);
                if (count < 2) continue; // batch norm needs two rows
                using var scope = NewDisposeScope();
                var idx = tensor(order.AsSpan(from, count).ToArray());
                optimizer.zero_grad();
                var loss = nn.functional.binary_cross_entropy_with_logits(_net.forward(x.index_select(0, idx)).squeeze(1), y.index_select(0, idx));
                loss.backward();
                optimizer.step();
            }
            if (xv is null) continue;
            _net.eval();
            double validLoss;
            using (no_grad())
            using (NewDisposeScope())
                validLoss = nn.functional.binary_cross_entropy_with_logits(Logits(xv), yv!).item<float>();
            if (stopping.Observe(epoch, -validLoss)) best.Take(_net);
            else if (stopping.ShouldStop) break;
        }
        best.RestoreInto(_net);
        _net.eval();
    }

    public float[] Predict(FeatureTable rows)
    {
        if (_net is null) throw new InvalidOperationException($"{Name} is not fitted");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return Logits(Inputs(rows)).sigmoid().data<float>().ToArray();
    }

    /// <summary>Logits of every row, in chunks, so a large table never needs one huge forward pass.</summary>
    private Tensor Logits(Tensor x)
    {
        const int chunk = 4096;
        if (x.shape[0] <= chunk) return _net!.forward(x).squeeze(1);
        var parts = new List<Tensor>();
        for (long from = 0; from < x.shape[0]; from += chunk)
            parts.Add(_net!.forward(x.narrow(0, from, Math.Min(chunk, x.shape[0] - from))).squeeze(1));
        return cat(parts, 0);
    }

    public void Dispose() => _net?.Dispose();

    /// <summary>Per-column shift and scale: mean and standard deviation of the log-scaled numeric values; 0 and 1 for one-hot columns.</summary>
    private static (float[] Mean, float[] Std) Scaler(FeatureTable t)
    {
        var m = new float[t.Width]; var s = new float[t.Width];
        for (int c = 0; c < t.Width; c++)
        {
            if (FeatureTable.IsOneHot(t.Columns[c])) { m[c] = 0; s[c] = 1; continue; }
            double sum = 0, sq = 0;
            for (int r = 0; r < t.Rows; r++) { double v = LogScale(t[r, c]); sum += v; sq += v * v; }
            double mean = sum / t.Rows, var = sq / t.Rows - mean * mean;
            m[c] = (float)mean;
            s[c] = var > 1e-12 ? (float)Math.Sqrt(var) : 1f;
        }
        return (m, s);
    }

    private static double LogScale(float v) => Math.Sign(v) * Math.Log(1 + Math.Abs(v));

    private Tensor Inputs(FeatureTable t)
    {
        int width = t.Width + ExtraWidth;
        var a = new float[t.Rows * width];
        for (int c = 0; c < t.Width; c++)
        {
            bool oneHot = FeatureTable.IsOneHot(t.Columns[c]); // one-hot columns stay 0/1
            for (int r = 0; r < t.Rows; r++)
                a[r * width + c] = oneHot ? t[r, c] : (float)((LogScale(t[r, c]) - _mean![c]) / _std![c]);
        }
        if (ExtraInputs(t) is { } extra)
            for (int r = 0; r < t.Rows; r++) extra.AsSpan(r * ExtraWidth, ExtraWidth).CopyTo(a.AsSpan(r * width + t.Width, ExtraWidth));
        return tensor(a, new long[] { t.Rows, width });
    }

    public void Save(string directory)
    {
        if (_net is null) throw new InvalidOperationException($"{Name} is not fitted");
        _net.save(Path.Combine(directory, "weights.bin"));
        WeightFile.WriteFloats(Path.Combine(directory, "scaler.bin"), _mean!.Concat(_std!).ToArray());
        SaveExtra(directory);
    }

    /// <summary>Restores a saved model into <paramref name="model"/> (made with the manifest's settings) from the bundle's files.</summary>
    protected static T LoadInto<T>(T model, string directory, IReadOnlyList<string> columns) where T : NeuralClassifier
    {
        TorchRuntime.Start(0);
        var scaler = Path.Combine(directory, "scaler.bin");
        var weights = Path.Combine(directory, "weights.bin");
        if (!File.Exists(scaler) || !File.Exists(weights)) throw new ShopcastInputException($"model bundle '{directory}': weights.bin or scaler.bin is missing");
        var both = WeightFile.ReadFloats(scaler, 2 * columns.Count);
        model._mean = both[..columns.Count]; model._std = both[columns.Count..];
        model.LoadExtra(directory);
        model._net = model.CreateNetwork(columns);
        try { model._net.load(weights); }
        catch (Exception e) when (e is not ShopcastInputException)
        {
            throw new ShopcastInputException($"model bundle '{directory}': weights.bin does not fit a {model.Name} with these settings ({e.Message.Split('\n')[0]})");
        }
        model._net.eval();
        return model;
    }
}
