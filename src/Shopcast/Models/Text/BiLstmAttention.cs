using Shopcast.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Shopcast.Models.Text;

/// <summary>
/// A bidirectional LSTM with additive attention pooling (Zhou et al., 2016; Yang et al., 2016): each token's
/// forward and backward states are scored by v·tanh(W h), a softmax over the review's real tokens weighs them, and
/// the weighted sum goes through dropout to a linear layer. Sequences are packed, so the backward direction starts at
/// each review's last token rather than at the batch's padding.
/// </summary>
public sealed class BiLstmAttention : NeuralTextClassifier
{
    public const string CatalogName = "bilstm";

    private readonly int _dim, _hidden, _layers;
    private readonly double _dropout;

    public BiLstmAttention(ModelSettings s) : base(s, lr: 0.002)
    {
        _dim = s.Int("dim", 128);
        _hidden = s.Int("hidden", 128);
        _layers = s.Int("layers", 1);
        _dropout = s.Double("dropout", 0.3);
        s.RejectUnknown();
        if (_dim < 1 || _hidden < 1 || _layers < 1 || _dropout is < 0 or >= 1)
            throw new ShopcastInputException("--set bilstm: dim, hidden and layers >= 1, dropout in [0, 1) are required");
    }

    public override string Name => CatalogName;

    public override IReadOnlyDictionary<string, object> Params => new Dictionary<string, object>(base.Params)
    {
        ["dim"] = _dim, ["hidden"] = _hidden, ["layers"] = _layers, ["dropout"] = _dropout,
    };

    protected override nn.Module<Tensor, Tensor> CreateNetwork() => new Network(VocabularySize, _dim, _hidden, _layers, _dropout, Classes);

    public static BiLstmAttention Load(string directory, ModelSettings s, int classes) => LoadInto(new BiLstmAttention(s), directory, classes);

    private sealed class Network : nn.Module<Tensor, Tensor>
    {
        private readonly Embedding embedding;
        private readonly LSTM lstm;
        private readonly Linear attention, score, output;
        private readonly Dropout dropout;

        public Network(int vocabulary, int dim, int hidden, int layers, double p, int classes) : base(nameof(BiLstmAttention))
        {
            embedding = nn.Embedding(vocabulary, dim, padding_idx: 0);
            lstm = nn.LSTM(dim, hidden, numLayers: layers, batchFirst: true, bidirectional: true, dropout: layers > 1 ? p : 0);
            attention = nn.Linear(2 * hidden, 2 * hidden);
            score = nn.Linear(2 * hidden, 1, hasBias: false);
            dropout = nn.Dropout(p);
            output = nn.Linear(2 * hidden, classes);
            RegisterComponents();
        }

        public override Tensor forward(Tensor ids)
        {
            using var mask = ids.ne(0);                                   // [B, T]
            using var lengths = mask.sum(1).clamp_min(1);
            using var e = dropout.forward(embedding.forward(ids));        // [B, T, D]
            using var packed = nn.utils.rnn.pack_padded_sequence(e, lengths, batch_first: true, enforce_sorted: false);
            var (outPacked, h, c) = lstm.call(packed);
            h.Dispose(); c.Dispose();
            var (states, _) = nn.utils.rnn.pad_packed_sequence(outPacked, batch_first: true, total_length: ids.shape[1]); // [B, T, 2H]
            outPacked.Dispose();
            using var u = attention.forward(states).tanh();
            using var s = score.forward(u).squeeze(2).masked_fill(mask.logical_not(), float.NegativeInfinity); // [B, T]
            using var a = nn.functional.softmax(s, 1).unsqueeze(2);       // [B, T, 1]
            using var pooled = (states * a).sum(1);                       // [B, 2H]
            states.Dispose();
            return output.forward(dropout.forward(pooled));
        }
    }
}
