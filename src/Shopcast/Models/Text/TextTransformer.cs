using Shopcast.Data;
using Shopcast.Models.Sequential;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Shopcast.Models.Text;

/// <summary>
/// A small Transformer encoder trained from scratch: token and learned position embeddings, pre-norm blocks (the
/// same <see cref="TransformerBlock"/> SASRec uses, here with a padding mask only, no causal one), a final layer norm,
/// the mean of the real tokens' states, dropout and a linear layer. Two layers of width 128 by default: without
/// pretraining a deeper one only overfits reviews of this size.
/// </summary>
public sealed class TextTransformer : NeuralTextClassifier
{
    public const string CatalogName = "transformer";

    private readonly int _dim, _layers, _heads;
    private readonly double _dropout;

    public TextTransformer(ModelSettings s) : base(s, lr: 0.0005)
    {
        _dim = s.Int("dim", 128);
        _layers = s.Int("layers", 2);
        _heads = s.Int("heads", 4);
        _dropout = s.Double("dropout", 0.1);
        s.RejectUnknown();
        if (_dim < 1 || _layers < 1 || _heads < 1 || _dim % _heads != 0 || _dropout is < 0 or >= 1)
            throw new ShopcastInputException("--set transformer: dim, layers and heads >= 1, dim divisible by heads, dropout in [0, 1) are required");
    }

    public override string Name => CatalogName;

    public override IReadOnlyDictionary<string, object> Params => new Dictionary<string, object>(base.Params)
    {
        ["dim"] = _dim, ["layers"] = _layers, ["heads"] = _heads, ["dropout"] = _dropout,
    };

    protected override nn.Module<Tensor, Tensor> CreateNetwork() => new Network(VocabularySize, MaxLength, _dim, _layers, _heads, _dropout, Classes);

    public static TextTransformer Load(string directory, ModelSettings s, int classes) => LoadInto(new TextTransformer(s), directory, classes);

    private sealed class Network : nn.Module<Tensor, Tensor>
    {
        private readonly Embedding tokens, positions;
        private readonly ModuleList<TransformerBlock> blocks = new();
        private readonly LayerNorm norm;
        private readonly Dropout dropout;
        private readonly Linear output;

        public Network(int vocabulary, int maxLength, int dim, int layers, int heads, double p, int classes) : base(nameof(TextTransformer))
        {
            tokens = nn.Embedding(vocabulary, dim, padding_idx: 0);
            positions = nn.Embedding(maxLength, dim);
            for (int i = 0; i < layers; i++) blocks.Add(new TransformerBlock(dim, heads, p, p, 2 * dim, gelu: true));
            norm = nn.LayerNorm(dim);
            dropout = nn.Dropout(p);
            output = nn.Linear(dim, classes);
            RegisterComponents();
        }

        public override Tensor forward(Tensor ids)
        {
            long b = ids.shape[0], t = ids.shape[1];
            using var mask = ids.ne(0);                                            // [B, T]
            using var allowed = mask.unsqueeze(1).unsqueeze(1).expand(b, 1, t, t); // every query sees the real keys
            using var pos = arange(t).unsqueeze(0);
            var x = dropout.forward(tokens.forward(ids) + positions.forward(pos));
            foreach (var block in blocks) { var y = block.forward(x, allowed); x.Dispose(); x = y; }
            using var h = norm.forward(x);
            x.Dispose();
            using var m = mask.unsqueeze(2).to_type(ScalarType.Float32);          // [B, T, 1]
            using var pooled = (h * m).sum(1) / m.sum(1).clamp_min(1);
            return output.forward(dropout.forward(pooled));
        }
    }
}
