using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Shopcast.Models.Tabular;

/// <summary>
/// DCN-V2 (Wang et al., WWW 2021), parallel form: a cross network (x_{l+1} = x0 ⊙ (W_l x_l + b_l) + x_l, full-rank W)
/// and a deep network over the same input (the scaled columns and the field embeddings), concatenated into one logit.
/// </summary>
public sealed class DcnV2 : NeuralClassifier
{
    public const string CatalogName = "dcnv2";

    private readonly int _embedding, _crossLayers;
    private readonly int[] _hidden;
    private readonly double _dropout;

    public DcnV2(ModelSettings s) : base(s)
    {
        _embedding = s.Int("embedding", 8);
        _crossLayers = s.Int("cross_layers", 3);
        _hidden = Mlp.Layers(s, "hidden", "128,64");
        _dropout = Mlp.Dropout(s, 0.2);
        s.RejectUnknown();
        if (_embedding < 1 || _crossLayers < 1) throw new Data.ShopcastInputException("--set dcnv2: embedding and cross_layers must be at least 1");
    }

    public override string Name => CatalogName;
    public override IReadOnlyDictionary<string, object> Params => new Dictionary<string, object>(base.Params)
    {
        ["embedding"] = _embedding, ["cross_layers"] = _crossLayers, ["hidden"] = string.Join(",", _hidden), ["dropout"] = _dropout,
    };

    protected override nn.Module<Tensor, Tensor> CreateNetwork(IReadOnlyList<string> columns) =>
        new Network(columns, _embedding, _crossLayers, _hidden, _dropout);

    public static DcnV2 Load(string directory, IReadOnlyList<string> columns, ModelSettings s) => LoadInto(new DcnV2(s), directory, columns);

    private sealed class Network : nn.Module<Tensor, Tensor>
    {
        private readonly FieldEmbedding fields;
        private readonly ModuleList<Linear> cross;
        private readonly TorchSharp.Modules.Sequential deep;
        private readonly Linear output;

        public Network(IReadOnlyList<string> columns, int embedding, int crossLayers, int[] hidden, double dropout) : base("DCNv2")
        {
            fields = new FieldEmbedding(columns, embedding);
            int width = columns.Count + fields.Fields * embedding;
            cross = nn.ModuleList(Enumerable.Range(0, crossLayers).Select(_ => nn.Linear(width, width)).ToArray());
            deep = Mlp.Tower(width, hidden, dropout, logit: false);
            output = nn.Linear(width + hidden[^1], 1);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            var x0 = cat(new[] { x, fields.forward(x).flatten(1) }, 1);
            var xl = x0;
            foreach (var layer in cross) xl = x0 * layer.forward(xl) + xl;
            return output.forward(cat(new[] { xl, deep.forward(x0) }, 1)).MoveToOuterDisposeScope();
        }
    }
}
