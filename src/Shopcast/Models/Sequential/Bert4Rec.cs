using static TorchSharp.torch;

namespace Shopcast.Models.Sequential;

/// <summary>
/// BERT4Rec (Sun et al., CIKM 2019): a bidirectional Transformer trained as a cloze task. Each training step hides a
/// random <c>mask_prob</c> share of the items behind a mask token (at least one per sequence) and predicts them with
/// full-softmax cross-entropy; to recommend, the mask token is appended to the history and its prediction read.
/// </summary>
public sealed class Bert4Rec : SequentialRecommender
{
    public const string CatalogName = "bert4rec";

    /// <summary>SASRec's defaults with BERT4Rec's wider feed-forward layer, lighter dropout, AdamW and no side information.</summary>
    public static readonly SequentialSettings Defaults = SasRec.Defaults with { Dropout = 0.2, Inner = 256, Optimizer = "adamw", Attributes = false };

    private readonly double _maskProb;

    public Bert4Rec(ModelSettings settings) : base(SequentialSettings.Read(settings, Defaults))
    {
        _maskProb = settings.Double("mask_prob", 0.2);
        settings.RejectUnknown();
        if (_maskProb is <= 0 or >= 1) throw new Data.ShopcastInputException("--set bert4rec.mask_prob must be in (0, 1)");
        if (S.Loss != "ce") throw new Data.ShopcastInputException("bert4rec trains with loss=ce only (the cloze task's softmax)");
    }

    public override string Name => CatalogName;
    public override IReadOnlyDictionary<string, object> Params =>
        new Dictionary<string, object>(S.ToParams()) { ["mask_prob"] = _maskProb };

    protected override int ExtraTokens => 1;
    private long MaskToken => ItemCount + 1;

    protected override SequenceEncoder CreateNetwork(int items, long[,]? attributes, int attributeCount) =>
        new TransformerSequenceEncoder(items, items + 2, S.MaxLen, S.Hidden, S.Layers, S.Heads, S.Dropout,
            S.AttnDropout, S.Inner, causal: false, gelu: true, attributes, attributeCount);

    protected override (Tensor Loss, long Count) BatchLoss(int[][] batch, Random rng)
    {
        // Masks are drawn here, with the trainer's seeded Random, so a seed fixes them.
        int t = Math.Min(S.MaxLen, batch.Max(s => s.Length));
        var inputs = new long[batch.Length * t];
        var positions = new List<long>();
        var targets = new List<long>();
        for (int b = 0; b < batch.Length; b++)
        {
            var s = batch[b];
            int len = Math.Min(s.Length, t), offset = b * t + (t - len);
            int before = targets.Count;
            for (int i = 0; i < len; i++)
            {
                int item = s[s.Length - len + i];
                bool hide = rng.NextDouble() < _maskProb || (i == len - 1 && targets.Count == before);
                inputs[offset + i] = hide ? MaskToken : item + 1;
                if (hide) { positions.Add(offset + i); targets.Add(item); }
            }
        }
        var x = tensor(inputs, new long[] { batch.Length, t });
        var hidden = Net!.forward(x);
        var h = hidden.reshape(-1, hidden.shape[2]).index_select(0, tensor(positions.ToArray()));
        var target = tensor(targets.ToArray());
        return (nn.functional.cross_entropy(h.matmul(Net.ItemTable().t()), target), targets.Count);
    }

    protected override Tensor ScoringInput(IReadOnlyList<ArraySegment<int>> histories) => LeftPad(histories, (int)MaskToken);

    public static Bert4Rec Load(string directory, int itemCount, ModelSettings settings) =>
        LoadInto(new Bert4Rec(settings), directory, itemCount);
}
