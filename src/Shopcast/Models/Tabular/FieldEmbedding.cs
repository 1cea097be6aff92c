using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Shopcast.Models.Tabular;

/// <summary>
/// Columns as the fields of a factorisation model: every numeric column is a field whose embedding is scaled by its
/// value, and every one-hot group ("Month=Feb", "Month=Mar", ...) is one categorical field whose embedding is that of
/// the active value. Input [B, J] -> field embeddings [B, F, D], computed as membership · (x ⊙ V), which holds
/// [B, J, D] at most (not [B, F, J]).
/// </summary>
internal sealed class FieldEmbedding : nn.Module<Tensor, Tensor>
{
    private readonly Parameter vectors;
    private readonly Tensor membership; // [F, J]: 1 where column j belongs to field f

    public int Fields { get; }

    public FieldEmbedding(IReadOnlyList<string> columns, int dimension) : base(nameof(FieldEmbedding))
    {
        var fieldOf = new Dictionary<string, int>();
        var index = new int[columns.Count];
        for (int j = 0; j < columns.Count; j++)
        {
            var c = columns[j];
            var field = Features.FeatureTable.FieldOf(c);
            if (!fieldOf.TryGetValue(field, out var f)) fieldOf[field] = f = fieldOf.Count;
            index[j] = f;
        }
        Fields = fieldOf.Count;
        var m = new float[Fields * columns.Count];
        for (int j = 0; j < columns.Count; j++) m[index[j] * columns.Count + j] = 1;
        membership = tensor(m, new long[] { Fields, columns.Count });
        vectors = new Parameter(randn(columns.Count, dimension) * 0.01);
        register_buffer("membership", membership);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scaled = x.unsqueeze(2) * vectors; // [B, J, D]
        return membership.matmul(scaled);            // [F, J] x [B, J, D] -> [B, F, D]
    }
}
