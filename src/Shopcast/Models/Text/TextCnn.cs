using Shopcast.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Shopcast.Models.Text;

/// <summary>
/// TextCNN (Kim, 2014): token embeddings, parallel 1-D convolutions of several widths (2, 3, 4 and 5 tokens by
/// default: on Chinese characters these are the character n-grams a word segmenter would find), ReLU, max over
/// time, dropout, a linear layer. Fast on the CPU and strong on short reviews.
/// </summary>
public sealed class TextCnn : NeuralTextClassifier
{
    public const string CatalogName = "textcnn";

    private readonly int _dim, _filters;
    private readonly int[] _widths;
    private readonly double _dropout;

    public TextCnn(ModelSettings s) : base(s, lr: 0.001)
    {
        _dim = s.Int("dim", 128);
        _filters = s.Int("filters", 128);
        var widths = s.String("widths", "2,3,4,5");
        _dropout = s.Double("dropout", 0.5);
        s.RejectUnknown();
        try { _widths = widths.Split(',', StringSplitOptions.TrimEntries).Select(int.Parse).ToArray(); }
        catch (FormatException) { throw new ShopcastInputException($"--set textcnn.widths={widths}: expected comma-separated widths, e.g. 2,3,4,5"); }
        if (_dim < 1 || _filters < 1 || _widths.Length == 0 || _widths.Any(w => w < 1) || _dropout is < 0 or >= 1)
            throw new ShopcastInputException("--set textcnn: dim, filters and every width >= 1, dropout in [0, 1) are required");
    }

    public override string Name => CatalogName;

    public override IReadOnlyDictionary<string, object> Params => new Dictionary<string, object>(base.Params)
    {
        ["dim"] = _dim, ["filters"] = _filters, ["widths"] = string.Join(",", _widths), ["dropout"] = _dropout,
    };

    protected override nn.Module<Tensor, Tensor> CreateNetwork() => new Network(VocabularySize, _dim, _filters, _widths, _dropout, Classes);

    public static TextCnn Load(string directory, ModelSettings s, int classes) => LoadInto(new TextCnn(s), directory, classes);

    private sealed class Network : nn.Module<Tensor, Tensor>
    {
        private readonly Embedding embedding;
        private readonly ModuleList<Conv1d> convs = new();
        private readonly Dropout dropout;
        private readonly Linear output;
        private readonly int[] _widths;

        public Network(int vocabulary, int dim, int filters, int[] widths, double p, int classes) : base(nameof(TextCnn))
        {
            _widths = widths;
            embedding = nn.Embedding(vocabulary, dim, padding_idx: 0);
            foreach (var w in widths) convs.Add(nn.Conv1d(dim, filters, w));
            dropout = nn.Dropout(p);
            output = nn.Linear(filters * widths.Length, classes);
            RegisterComponents();
        }

        public override Tensor forward(Tensor ids)
        {
            long b = ids.shape[0], t = ids.shape[1];
            int widest = _widths.Max();
            if (t < widest) ids = nn.functional.pad(ids, new long[] { 0, widest - t }); // padding ids embed to zeros
            using var lengths = ids.ne(0).sum(1);                                       // [B]
            using var e = embedding.forward(ids).transpose(1, 2);                       // [B, D, T]
            var pooled = new List<Tensor>();
            for (int i = 0; i < _widths.Length; i++)
            {
                using var h = nn.functional.relu(convs[i].forward(e));                  // [B, F, T - w + 1]
                // A window is real when it ends inside the review (or is the first one of a review shorter than w),
                // so the max over time never sees windows made only of padding, whatever the batch's length.
                using var positions = arange(h.shape[2]).unsqueeze(0);                 // [1, T']
                using var last = (lengths - _widths[i]).clamp_min(0).unsqueeze(1);    // [B, 1]
                using var real = positions.le(last).unsqueeze(1);                      // [B, 1, T']
                using var masked = h.masked_fill(real.logical_not(), 0);               // after ReLU, 0 never wins over a real window
                pooled.Add(masked.amax(2));
            }
            using var features = cat(pooled, 1);
            foreach (var p in pooled) p.Dispose();
            return output.forward(dropout.forward(features));
        }
    }
}
