using Shopcast.Data;
using Shopcast.Features;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Shopcast.Models.Tabular;

/// <summary>
/// DIN (Zhou et al., "Deep Interest Network for Click-Through Rate Prediction", KDD 2018): the candidate item (and its
/// category) attends over the shopper's recent behaviour; each past event gets an unnormalised weight from a small
/// network of [candidate, event, candidate - event, candidate ⊙ event], and the weighted sum (the interest in this
/// candidate) joins the candidate's embedding and the scaled feature columns in a deep network. Needs the behaviour
/// sequences of an event log (tasks conversion and purchase-intent on a log); the UCI table has none.
/// </summary>
public sealed class Din : NeuralClassifier
{
    public const string CatalogName = "din";
    public const string VocabularyFile = "din_vocabulary.bin";

    private readonly int _embedding, _attention;
    private readonly int[] _hidden;
    private readonly double _dropout;
    private int _items, _categories, _length;

    // Larger batches, fewer epochs and less patience than the other networks: its logs give hundreds of thousands of
    // candidates (Taobao conversion: 170k training rows), and each epoch costs tens of seconds on two cores; its
    // embeddings need a higher learning rate than 0.001 to learn in that few steps.
    public Din(ModelSettings s) : base(s, lr: 0.005, batchSize: 1024, epochs: 20, patience: 3)
    {
        _embedding = s.Int("embedding", 16);
        _attention = s.Int("attention", 36);
        _hidden = Mlp.Layers(s, "hidden", "128,64");
        _dropout = Mlp.Dropout(s, 0.2);
        s.RejectUnknown();
        if (_embedding < 1 || _attention < 1) throw new ShopcastInputException("--set din: embedding and attention must be at least 1");
    }

    public override string Name => CatalogName;
    public override IReadOnlyDictionary<string, object> Params => new Dictionary<string, object>(base.Params)
    {
        ["embedding"] = _embedding, ["attention"] = _attention, ["hidden"] = string.Join(",", _hidden), ["dropout"] = _dropout,
    };

    protected override void Prepare(FeatureTable train)
    {
        var b = train.Behaviour ?? throw new ShopcastInputException(
            "din attends over behaviour sequences, which this data has none of (the UCI table is one aggregated row per session); " +
            "use it with an event log (--task conversion or purchase-intent on a log), or drop it from --models");
        (_items, _categories, _length) = (b.ItemCount, b.CategoryCount, b.MaxLength);
    }

    // Ids travel as float32 columns after the scaled features (exact below 2^24), so DIN shares the training loop:
    // [candidate item, candidate category, L history items, L history categories], each id + 1 (0 = none / padding).
    protected override int ExtraWidth => 2 + 2 * _length;

    protected override float[]? ExtraInputs(FeatureTable t)
    {
        var b = t.Behaviour ?? throw new ShopcastInputException("din needs the behaviour sequences of an event log; these rows have none");
        int w = ExtraWidth;
        var a = new float[t.Rows * w];
        for (int r = 0; r < t.Rows; r++)
        {
            var row = a.AsSpan(r * w, w);
            row[0] = b.CandidateItem[r] + 1; row[1] = b.CandidateCategory[r] + 1;
            var items = b.HistoryItems[r]; var cats = b.HistoryCategories[r];
            int n = Math.Min(items.Length, _length), offset = _length - n; // right-aligned: the most recent event last
            for (int k = 0; k < n; k++)
            {
                row[2 + offset + k] = items[items.Length - n + k] + 1;
                row[2 + _length + offset + k] = cats[cats.Length - n + k] + 1;
            }
        }
        return a;
    }

    protected override nn.Module<Tensor, Tensor> CreateNetwork(IReadOnlyList<string> columns) =>
        new Network(columns.Count, _items, _categories, _length, _embedding, _attention, _hidden, _dropout);

    protected override void SaveExtra(string directory) =>
        WeightFile.WriteInts(Path.Combine(directory, VocabularyFile), new[] { _items, _categories, _length });

    protected override void LoadExtra(string directory)
    {
        var path = Path.Combine(directory, VocabularyFile);
        if (!File.Exists(path)) throw new ShopcastInputException($"model bundle '{directory}': {VocabularyFile} is missing");
        var v = WeightFile.ReadInts(path, 3);
        (_items, _categories, _length) = (v[0], v[1], v[2]);
    }

    public static Din Load(string directory, IReadOnlyList<string> columns, ModelSettings s) => LoadInto(new Din(s), directory, columns);

    private sealed class Network : nn.Module<Tensor, Tensor>
    {
        private readonly Embedding item, category;
        private readonly TorchSharp.Modules.Sequential attention, deep;
        private readonly int _dense, _length;

        public Network(int dense, int items, int categories, int length, int embedding, int attentionWidth, int[] hidden, double dropout) : base("DIN")
        {
            _dense = dense; _length = length;
            item = nn.Embedding(items + 1, embedding, padding_idx: 0);
            category = nn.Embedding(categories + 1, embedding, padding_idx: 0);
            int e = 2 * embedding; // an event is its item's and its category's embedding side by side
            attention = nn.Sequential(("linear", nn.Linear(4 * e, attentionWidth)), ("act", nn.Sigmoid()), ("weight", nn.Linear(attentionWidth, 1)));
            deep = Mlp.Tower(dense + 3 * e, hidden, dropout, logit: true);
            RegisterComponents();
            using (no_grad())
            {
                nn.init.normal_(item.weight!, 0, 0.05); item.weight![0].zero_();
                nn.init.normal_(category.weight!, 0, 0.05); category.weight![0].zero_();
            }
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            long b = x.shape[0];
            var dense = x.narrow(1, 0, _dense);
            var ids = x.narrow(1, _dense, 2 + 2 * _length).to(ScalarType.Int64);
            var candidate = cat(new[] { item.forward(ids.select(1, 0)), category.forward(ids.select(1, 1)) }, 1);      // [B, E]
            var histItems = ids.narrow(1, 2, _length);
            var history = cat(new[] { item.forward(histItems), category.forward(ids.narrow(1, 2 + _length, _length)) }, 2); // [B, L, E]
            var real = (histItems > 0).to(ScalarType.Float32).unsqueeze(2);                                          // [B, L, 1]
            var c = candidate.unsqueeze(1).expand_as(history);
            var weights = attention.forward(cat(new[] { c, history, c - history, c * history }, 2)) * real;           // [B, L, 1]
            var interest = (weights * history).sum(1);                                                               // [B, E]
            var pooled = (history * real).sum(1) / real.sum(1).clamp_min(1);
            return deep.forward(cat(new[] { dense, candidate, interest, pooled }, 1)).MoveToOuterDisposeScope();
        }
    }
}
