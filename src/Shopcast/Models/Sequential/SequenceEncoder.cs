using TorchSharp;
using static TorchSharp.torch;

namespace Shopcast.Models.Sequential;

/// <summary>
/// A network that turns a batch of item-id sequences [B, T] (ids shifted by one: 0 is padding, left-padded)
/// into one hidden vector per position [B, T, D]. Items are scored against <see cref="ItemTable"/>, the same
/// embeddings the input uses (weight tying, as in SASRec and BERT4Rec).
/// </summary>
public abstract class SequenceEncoder : nn.Module<Tensor, Tensor>
{
    protected SequenceEncoder(string name) : base(name) { }

    /// <summary>Output embeddings of items 1..N as rows 0..N-1: [N, D].</summary>
    public abstract Tensor ItemTable();

    /// <summary>
    /// Embeddings of the given item-table rows (0 = padding, i = item i-1), any shape -> shape + [D]. The input layer
    /// and the sampled losses use it, so a step touches only the rows it needs instead of building the whole table.
    /// </summary>
    public abstract Tensor Embed(Tensor rows);
}
