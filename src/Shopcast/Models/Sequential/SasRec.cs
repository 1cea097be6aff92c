namespace Shopcast.Models.Sequential;

/// <summary>
/// SASRec (Kang &amp; McAuley, "Self-Attentive Sequential Recommendation", ICDM 2018): causal self-attention over the
/// shopper's last <c>max_len</c> items, predicting the next item at every position. Loss <c>bce</c> is the paper's
/// (one sampled negative per position); <c>ce</c> (the default) is full-softmax cross-entropy over the whole catalogue,
/// known to train SASRec faster and better (e.g. Klenitskiy &amp; Vasilev, RecSys 2023). With <c>attributes=true</c>
/// and item attributes in the run, each item's embedding adds the mean of its attribute embeddings (brand, category).
/// </summary>
public sealed class SasRec : SequentialRecommender
{
    public const string CatalogName = "sasrec";

    public static readonly SequentialSettings Defaults = new()
    {
        MaxLen = 50, Hidden = 64, Layers = 2, Heads = 2, Dropout = 0.5, AttnDropout = 0, Inner = 64, BatchSize = 256, LearningRate = 0.001,
        WeightDecay = 0, Epochs = 200, Patience = 5, EvalEvery = 1, Loss = "ce", Negatives = 1, Optimizer = "adam",
        Clip = 5, MaxMinutes = 0, ValidSample = 0, Attributes = true, Augment = "none", AugmentRate = 0.5, Threads = 0,
    };

    public SasRec(ModelSettings settings) : base(SequentialSettings.ReadAll(settings, Defaults)) { }

    public override string Name => CatalogName;

    protected override SequenceEncoder CreateNetwork(int items, long[,]? attributes, int attributeCount) =>
        new TransformerSequenceEncoder(items, items + 1, S.MaxLen, S.Hidden, S.Layers, S.Heads, S.Dropout,
            S.AttnDropout, S.Inner, causal: true, gelu: false, attributes, attributeCount);

    public static SasRec Load(string directory, int itemCount, ModelSettings settings) =>
        LoadInto(new SasRec(settings), directory, itemCount);
}
