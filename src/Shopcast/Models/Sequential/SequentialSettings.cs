using Shopcast.Data;

namespace Shopcast.Models.Sequential;

/// <summary>The settings every deep sequential model shares (<c>--set sasrec.hidden=64</c>), with their defaults.</summary>
public sealed record SequentialSettings
{
    public int MaxLen { get; init; }
    public int Hidden { get; init; }
    public int Layers { get; init; }
    public int Heads { get; init; }
    public double Dropout { get; init; }
    /// <summary>Dropout on attention weights (Transformers only).</summary>
    public double AttnDropout { get; init; }
    /// <summary>Inner width of the Transformer's feed-forward network (SASRec's reference code uses the hidden size).</summary>
    public int Inner { get; init; }
    public int BatchSize { get; init; }
    public double LearningRate { get; init; }
    public double WeightDecay { get; init; }
    public int Epochs { get; init; }
    public int Patience { get; init; }
    public int EvalEvery { get; init; }
    /// <summary>"ce" (full-softmax cross-entropy), "sampled-ce" (softmax over the target and <see cref="Negatives"/> shared
    /// uniformly sampled items; uniform sampling needs no logQ correction) or "bce" (binary cross-entropy with sampled negatives, as in the SASRec paper).</summary>
    public string Loss { get; init; } = "ce";
    public int Negatives { get; init; }
    /// <summary>"adam" or "adamw".</summary>
    public string Optimizer { get; init; } = "adam";
    public double Clip { get; init; }
    public double MaxMinutes { get; init; }
    /// <summary>Validation cases used per evaluation (a seeded sample); 0 = all.</summary>
    public int ValidSample { get; init; }
    /// <summary>Use item attributes (side information) when the run has them.</summary>
    public bool Attributes { get; init; }
    /// <summary>Comma-separated augmentations of training sequences: crop, mask, reorder; "none" = off.</summary>
    public string Augment { get; init; } = "none";
    /// <summary>Share of training sequences that get an augmented copy each epoch.</summary>
    public double AugmentRate { get; init; }
    public int Threads { get; init; }

    /// <summary>Reads the shared settings and fails on any other key: for models with no settings of their own.</summary>
    public static SequentialSettings ReadAll(ModelSettings s, SequentialSettings defaults)
    {
        var r = Read(s, defaults);
        s.RejectUnknown();
        return r;
    }

    public static SequentialSettings Read(ModelSettings s, SequentialSettings defaults)
    {
        var r = new SequentialSettings
        {
            MaxLen = s.Int("max_len", defaults.MaxLen),
            Hidden = s.Int("hidden", defaults.Hidden),
            Layers = s.Int("layers", defaults.Layers),
            Heads = s.Int("heads", defaults.Heads),
            Dropout = s.Double("dropout", defaults.Dropout),
            AttnDropout = s.Double("attn_dropout", defaults.AttnDropout),
            Inner = s.Int("inner", defaults.Inner),
            BatchSize = s.Int("batch_size", defaults.BatchSize),
            LearningRate = s.Double("lr", defaults.LearningRate),
            WeightDecay = s.Double("weight_decay", defaults.WeightDecay),
            Epochs = s.Int("epochs", defaults.Epochs),
            Patience = s.Int("patience", defaults.Patience),
            EvalEvery = s.Int("eval_every", defaults.EvalEvery),
            Loss = s.String("loss", defaults.Loss).ToLowerInvariant(),
            Negatives = s.Int("negatives", defaults.Negatives),
            Optimizer = s.String("optimizer", defaults.Optimizer).ToLowerInvariant(),
            Clip = s.Double("clip", defaults.Clip),
            MaxMinutes = s.Double("max_minutes", defaults.MaxMinutes),
            ValidSample = s.Int("valid_sample", defaults.ValidSample),
            Attributes = s.Bool("attributes", defaults.Attributes),
            Augment = s.String("augment", defaults.Augment).ToLowerInvariant(),
            AugmentRate = s.Double("augment_rate", defaults.AugmentRate),
            Threads = s.Int("threads", defaults.Threads),
        };
        void Require(bool ok, string what) { if (!ok) throw new ShopcastInputException(what); }
        Require(r.MaxLen >= 2, "max_len must be at least 2");
        Require(r.Hidden >= 1 && r.Layers >= 1 && r.Heads >= 1, "hidden, layers and heads must be at least 1");
        Require(r.Dropout is >= 0 and < 1, "dropout must be in [0, 1)");
        Require(r.BatchSize >= 1 && r.Epochs >= 1 && r.Patience >= 1 && r.EvalEvery >= 1, "batch_size, epochs, patience and eval_every must be at least 1");
        Require(r.LearningRate > 0, "lr must be more than 0");
        Require(r.Loss is "ce" or "sampled-ce" or "bce", "loss must be ce, sampled-ce or bce");
        Require(r.Dropout is >= 0 and < 1 && r.AttnDropout is >= 0 and < 1, "dropout and attn_dropout must be in [0, 1)");
        Require(r.Inner >= 1, "inner must be at least 1");
        Require(r.Optimizer is "adam" or "adamw", "optimizer must be adam or adamw");
        Require(r.Negatives >= 1, "negatives must be at least 1");
        Require(r.AugmentRate is >= 0 and <= 1, "augment_rate must be in [0, 1]");
        foreach (var a in r.Augment.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            Require(a is "none" or "crop" or "mask" or "reorder", $"augment '{a}': expected none or a list of crop, mask, reorder");
        return r;
    }

    public Dictionary<string, object> ToParams() => new()
    {
        ["max_len"] = MaxLen, ["hidden"] = Hidden, ["layers"] = Layers, ["heads"] = Heads, ["dropout"] = Dropout, ["attn_dropout"] = AttnDropout, ["inner"] = Inner,
        ["batch_size"] = BatchSize, ["lr"] = LearningRate, ["weight_decay"] = WeightDecay, ["epochs"] = Epochs,
        ["patience"] = Patience, ["eval_every"] = EvalEvery, ["loss"] = Loss, ["negatives"] = Negatives,
        ["optimizer"] = Optimizer, ["clip"] = Clip, ["max_minutes"] = MaxMinutes, ["valid_sample"] = ValidSample,
        ["attributes"] = Attributes, ["augment"] = Augment, ["augment_rate"] = AugmentRate, ["threads"] = Threads,
    };
}
