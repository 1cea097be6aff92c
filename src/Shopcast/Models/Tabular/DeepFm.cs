using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Shopcast.Models.Tabular;

/// <summary>
/// DeepFM (Guo et al., IJCAI 2017): a factorisation machine (a linear term plus all pairwise field interactions
/// through shared field embeddings) and a deep network over the same embeddings, summed into one logit.
/// </summary>
public sealed class DeepFm : NeuralClassifier
{
    public const string CatalogName = "deepfm";

    private readonly int _embedding;
    private readonly int[] _hidden;
    private readonly double _dropout;

    public DeepFm(ModelSettings s) : base(s)
    {
        _embedding = s.Int("embedding", 8);
        _hidden = Mlp.Layers(s, "hidden", "128,64");
        _dropout = Mlp.Dropout(s, 0.2);
        s.RejectUnknown();
        if (_embedding < 1) throw new Data.ShopcastInputException($"--set deepfm.embedding={_embedding}: must be at least 1");
    }

    public override string Name => CatalogName;
    public override IReadOnlyDictionary<string, object> Params =>
        new Dictionary<string, object>(base.Params) { ["embedding"] = _embedding, ["hidden"] = string.Join(",", _hidden), ["dropout"] = _dropout };

    protected override nn.Module<Tensor, Tensor> CreateNetwork(IReadOnlyList<string> columns) => new Network(columns, _embedding, _hidden, _dropout);

    public static DeepFm Load(string directory, IReadOnlyList<string> columns, ModelSettings s) => LoadInto(new DeepFm(s), directory, columns);

    private sealed class Network : nn.Module<Tensor, Tensor>
    {
        private readonly FieldEmbedding fields;
        private readonly Linear linear;
        private readonly TorchSharp.Modules.Sequential deep;

        public Network(IReadOnlyList<string> columns, int embedding, int[] hidden, double dropout) : base("DeepFM")
        {
            fields = new FieldEmbedding(columns, embedding);
            linear = nn.Linear(columns.Count, 1);
            deep = Mlp.Tower(fields.Fields * embedding, hidden, dropout, logit: true);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            var e = fields.forward(x);                                        // [B, F, D]
            var sum = e.sum(1);
            var pairwise = 0.5 * (sum * sum - (e * e).sum(1)).sum(1, keepdim: true); // sum over field pairs of <e_i, e_j>
            var logit = linear.forward(x) + pairwise + deep.forward(e.flatten(1));
            return logit.MoveToOuterDisposeScope();
        }
    }
}
