using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Shopcast.Models.Sequential;

/// <summary>
/// GRU4Rec (Hidasi et al., "Session-based recommendations with recurrent neural networks", ICLR 2016), in the form
/// later work trains it: a GRU over the item embeddings of the history, predicting the next item at every position,
/// with full-softmax cross-entropy (or the sampled losses) against the same item embeddings (tied weights).
/// </summary>
public sealed class Gru4Rec : SequentialRecommender
{
    public const string CatalogName = "gru4rec";

    /// <summary>SASRec's defaults but one recurrent layer, lighter dropout and no side information.</summary>
    public static readonly SequentialSettings Defaults = SasRec.Defaults with { Layers = 1, Heads = 1, Dropout = 0.3, Attributes = false };

    public Gru4Rec(ModelSettings settings) : base(SequentialSettings.ReadAll(settings, Defaults)) { }

    public override string Name => CatalogName;

    protected override SequenceEncoder CreateNetwork(int items, long[,]? attributes, int attributeCount) =>
        new GruEncoder(items, S.Hidden, S.Layers, S.Dropout);

    public static Gru4Rec Load(string directory, int itemCount, ModelSettings settings) =>
        LoadInto(new Gru4Rec(settings), directory, itemCount);

    private sealed class GruEncoder : SequenceEncoder
    {
        private readonly Embedding item;
        private readonly GRU gru;
        private readonly FastDropout drop;
        private readonly int _items;

        public GruEncoder(int items, int hidden, int layers, double dropout) : base(nameof(GruEncoder))
        {
            _items = items;
            item = nn.Embedding(items + 1, hidden, padding_idx: 0);
            gru = nn.GRU(hidden, hidden, layers, batchFirst: true, dropout: layers > 1 ? dropout : 0);
            drop = new FastDropout(dropout);
            RegisterComponents();
            using (no_grad())
            {
                nn.init.normal_(item.weight!, 0, 0.02);
                item.weight![0].zero_();
            }
        }

        public override Tensor ItemTable() => item.weight!.narrow(0, 1, _items);

        public override Tensor Embed(Tensor rows) => item.forward(rows);

        public override Tensor forward(Tensor ids)
        {
            using var scope = NewDisposeScope();
            var x = drop.forward(Embed(ids));
            var (output, h) = gru.forward(x);
            h.Dispose();
            return drop.forward(output).MoveToOuterDisposeScope();
        }
    }
}
