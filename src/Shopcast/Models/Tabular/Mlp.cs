using Shopcast.Data;
using Shopcast.Features;
using Shopcast.Reporting;
using Shopcast.Tasks.Tabular;
using Shopcast.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Shopcast.Models.Tabular;

/// <summary>
/// A multilayer perceptron on TorchSharp: inputs log-scaled (sign(x)·log(1+|x|), which tames durations and counts)
/// and standardised on the training rows, then Linear → BatchNorm → ReLU → Dropout blocks and one logit; binary
/// cross-entropy, Adam, mini-batches, early stopping on the validation log loss with the best weights restored.
/// </summary>
public sealed class Mlp : IBinaryClassifier
{
    public const string CatalogName = "mlp";

    private readonly int[] _hidden;
    private readonly double _dropout, _lr, _weightDecay;
    private readonly int _batch, _epochs, _patience;
    private TorchSharp.Modules.Sequential? _net;
    private float[]? _mean, _std;

    public Mlp(ModelSettings s)
    {
        var hidden = s.String("hidden", "128,64");
        _dropout = s.Double("dropout", 0.2);
        _lr = s.Double("lr", 0.001);
        _weightDecay = s.Double("weight_decay", 1e-5);
        _batch = s.Int("batch_size", 256);
        _epochs = s.Int("epochs", 200);
        _patience = s.Int("patience", 10);
        s.RejectUnknown();
        try { _hidden = hidden.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray(); }
        catch (FormatException) { throw new ShopcastInputException($"--set mlp.hidden={hidden}: expected layer widths like 128,64"); }
        if (_hidden.Length == 0 || _hidden.Any(h => h < 1)) throw new ShopcastInputException($"--set mlp.hidden={hidden}: expected layer widths like 128,64");
        if (_dropout is < 0 or >= 1 || _lr <= 0 || _weightDecay < 0 || _batch < 1 || _epochs < 1 || _patience < 1)
            throw new ShopcastInputException("--set mlp: dropout in [0,1), lr > 0, weight_decay >= 0, batch_size, epochs and patience >= 1 are required");
    }

    public string Name => CatalogName;
    public IReadOnlyDictionary<string, object> Params => new Dictionary<string, object>
    {
        ["hidden"] = string.Join(",", _hidden), ["dropout"] = _dropout, ["lr"] = _lr, ["weight_decay"] = _weightDecay,
        ["batch_size"] = _batch, ["epochs"] = _epochs, ["patience"] = _patience,
    };

    private TorchSharp.Modules.Sequential Build(int inputs)
    {
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        int width = inputs;
        for (int i = 0; i < _hidden.Length; i++)
        {
            layers.Add(($"linear{i}", nn.Linear(width, _hidden[i])));
            layers.Add(($"norm{i}", nn.BatchNorm1d(_hidden[i])));
            layers.Add(($"relu{i}", nn.ReLU()));
            if (_dropout > 0) layers.Add(($"dropout{i}", nn.Dropout(_dropout)));
            width = _hidden[i];
        }
        layers.Add(("logit", nn.Linear(width, 1)));
        return nn.Sequential(layers);
    }

    public void Fit(FeatureTable train, FeatureTable validation, int seed, ProgressReporter progress)
    {
        TorchRuntime.Start(seed);
        (_mean, _std) = Standardiser(train);
        _net = Build(train.Width);
        using var x = Inputs(train);
        using var y = tensor(train.Labels);
        using var xv = validation.Rows > 0 ? Inputs(validation) : null;
        using var yv = validation.Rows > 0 ? tensor(validation.Labels) : null;
        using var optimizer = optim.Adam(_net.parameters(), _lr, weight_decay: _weightDecay);
        var rng = new Random(seed);
        double best = double.PositiveInfinity;
        int since = 0;
        Dictionary<string, Tensor>? bestWeights = null;
        for (int epoch = 1; epoch <= _epochs; epoch++)
        {
            _net.train();
            var order = Enumerable.Range(0, train.Rows).OrderBy(_ => rng.Next()).Select(i => (long)i).ToArray();
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
            using (var scope = NewDisposeScope())
                validLoss = nn.functional.binary_cross_entropy_with_logits(_net.forward(xv).squeeze(1), yv!).item<float>();
            if (validLoss < best - 1e-6)
            {
                best = validLoss; since = 0;
                bestWeights?.Values.ToList().ForEach(t => t.Dispose());
                bestWeights = _net.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
            }
            else if (++since >= _patience) break;
        }
        if (bestWeights is not null)
        {
            _net.load_state_dict(bestWeights);
            foreach (var t in bestWeights.Values) t.Dispose();
        }
        _net.eval();
    }

    public float[] Predict(FeatureTable rows)
    {
        if (_net is null) throw new InvalidOperationException("mlp is not fitted");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return _net.forward(Inputs(rows)).squeeze(1).sigmoid().data<float>().ToArray();
    }

    /// <summary>Per-column mean and standard deviation of the log-scaled training values (std 1 for constant columns).</summary>
    private static (float[] Mean, float[] Std) Standardiser(FeatureTable t)
    {
        var mean = new double[t.Width]; var sq = new double[t.Width];
        for (int r = 0; r < t.Rows; r++)
            for (int c = 0; c < t.Width; c++) { double v = LogScale(t[r, c]); mean[c] += v; sq[c] += v * v; }
        var m = new float[t.Width]; var s = new float[t.Width];
        for (int c = 0; c < t.Width; c++)
        {
            m[c] = (float)(mean[c] / t.Rows);
            double var = sq[c] / t.Rows - m[c] * (double)m[c];
            s[c] = var > 1e-12 ? (float)Math.Sqrt(var) : 1f;
        }
        return (m, s);
    }

    private static double LogScale(float v) => Math.Sign(v) * Math.Log(1 + Math.Abs(v));

    private Tensor Inputs(FeatureTable t)
    {
        var a = new float[t.Rows * t.Width];
        for (int r = 0; r < t.Rows; r++)
            for (int c = 0; c < t.Width; c++) a[r * t.Width + c] = (float)((LogScale(t[r, c]) - _mean![c]) / _std![c]);
        return tensor(a, new long[] { t.Rows, t.Width });
    }

    public void Save(string directory)
    {
        if (_net is null) throw new InvalidOperationException("mlp is not fitted");
        _net.save(Path.Combine(directory, "weights.bin"));
        WeightFile.WriteFloats(Path.Combine(directory, "scaler.bin"), _mean!.Concat(_std!).ToArray());
    }

    public static Mlp Load(string directory, int width, ModelSettings s)
    {
        TorchRuntime.Start(0);
        var m = new Mlp(s);
        var scaler = Path.Combine(directory, "scaler.bin");
        var weights = Path.Combine(directory, "weights.bin");
        if (!File.Exists(scaler) || !File.Exists(weights)) throw new ShopcastInputException($"model bundle '{directory}': weights.bin or scaler.bin is missing");
        var both = WeightFile.ReadFloats(scaler, 2 * width);
        m._mean = both[..width]; m._std = both[width..];
        m._net = m.Build(width);
        try { m._net.load(weights); }
        catch (Exception e) when (e is not ShopcastInputException)
        {
            throw new ShopcastInputException($"model bundle '{directory}': weights.bin does not fit an mlp with these settings ({e.Message.Split('\n')[0]})");
        }
        m._net.eval();
        return m;
    }

}
