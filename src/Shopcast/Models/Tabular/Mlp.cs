using Shopcast.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Shopcast.Models.Tabular;

/// <summary>
/// A multilayer perceptron on TorchSharp: Linear → BatchNorm → ReLU → Dropout blocks and one logit, trained by the
/// shared <see cref="NeuralClassifier"/> loop (binary cross-entropy, Adam, early stopping on validation log loss).
/// </summary>
public sealed class Mlp : NeuralClassifier
{
    public const string CatalogName = "mlp";

    private readonly int[] _hidden;
    private readonly double _dropout;

    public Mlp(ModelSettings s) : base(s)
    {
        _hidden = Layers(s, "hidden", "128,64");
        _dropout = Dropout(s, 0.2);
        s.RejectUnknown();
    }

    public override string Name => CatalogName;
    public override IReadOnlyDictionary<string, object> Params =>
        new Dictionary<string, object>(base.Params) { ["hidden"] = string.Join(",", _hidden), ["dropout"] = _dropout };

    protected override nn.Module<Tensor, Tensor> CreateNetwork(IReadOnlyList<string> columns) =>
        Tower(columns.Count, _hidden, _dropout, logit: true);

    public static Mlp Load(string directory, IReadOnlyList<string> columns, ModelSettings s) => LoadInto(new Mlp(s), directory, columns);

    /// <summary>Linear → BatchNorm → ReLU → Dropout per width, then (optionally) a one-unit logit layer.</summary>
    internal static TorchSharp.Modules.Sequential Tower(int inputs, int[] widths, double dropout, bool logit)
    {
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        int width = inputs;
        for (int i = 0; i < widths.Length; i++)
        {
            layers.Add(($"linear{i}", nn.Linear(width, widths[i])));
            layers.Add(($"norm{i}", nn.BatchNorm1d(widths[i])));
            layers.Add(($"relu{i}", nn.ReLU()));
            if (dropout > 0) layers.Add(($"dropout{i}", nn.Dropout(dropout)));
            width = widths[i];
        }
        if (logit) layers.Add(("logit", nn.Linear(width, 1)));
        return nn.Sequential(layers);
    }

    /// <summary>Reads layer widths such as "128,64".</summary>
    internal static int[] Layers(ModelSettings s, string key, string fallback)
    {
        var text = s.String(key, fallback);
        int[] widths;
        try { widths = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray(); }
        catch (Exception e) when (e is FormatException or OverflowException) { widths = Array.Empty<int>(); }
        if (widths.Length == 0 || widths.Any(w => w < 1)) throw new ShopcastInputException($"--set {s.Model}.{key}={text}: expected layer widths like 128,64");
        return widths;
    }

    internal static double Dropout(ModelSettings s, double fallback)
    {
        double d = s.Double("dropout", fallback);
        if (d is < 0 or >= 1) throw new ShopcastInputException($"--set {s.Model}.dropout={d}: must be in [0, 1)");
        return d;
    }
}
