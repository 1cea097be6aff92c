using Microsoft.ML.Tokenizers;
using Shopcast.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Shopcast.Models.Text;

/// <summary>
/// all-MiniLM-L6-v2 fine-tuned end to end: the pretrained encoder (6 post-norm BERT layers, width 384, 12 heads; its
/// weights read from the same ONNX file the <c>minilm</c> model runs, see <see cref="OnnxInitializers"/>) rebuilt in
/// TorchSharp, the mean of its token states, dropout and a linear layer, all trained with a small learning rate on
/// the reviews (WordPiece tokens, English only). Slower to train than the frozen <c>minilm</c>, and usually better.
/// </summary>
public sealed class MiniLmFineTuned : NeuralTextClassifier
{
    public const string CatalogName = "minilm-ft";
    private const int Hidden = 384, Layers = 6, Heads = 12, Inner = 1536, Positions = 512, Vocabulary = 30522;

    private readonly BertTokenizer _tokenizer = MiniLmEncoder.CreateTokenizer();
    private readonly double _dropout;

    /// <remarks>One epoch by default: an epoch costs ~20 minutes on 18,000 short reviews on two cores, and on Blitzer
    /// books a second epoch did not raise validation MacroF1 (0.8596 then 0.8593).</remarks>
    public MiniLmFineTuned(ModelSettings s) : base(s, lr: 5e-5, epochs: 1, patience: 1, batchSize: 16, maxLength: 128, learnsVocabulary: false)
    {
        _dropout = s.Double("dropout", 0.1);
        s.RejectUnknown();
        if (MaxLength is < 2 or > Positions) throw new ShopcastInputException($"--set {CatalogName}.max_len must be 2-{Positions} ([CLS] and [SEP] included)");
        if (_dropout is < 0 or >= 1) throw new ShopcastInputException($"--set {CatalogName}.dropout must be in [0, 1)");
    }

    public override string Name => CatalogName;

    public override IReadOnlyDictionary<string, object> Params => new Dictionary<string, object>(base.Params) { ["dropout"] = _dropout };

    protected override void BuildVocabulary(IReadOnlyList<string> texts) { }   // the pretrained WordPiece vocabulary
    protected override void SaveVocabulary(string directory) { }
    protected override void LoadVocabulary(string directory) { }

    protected override int[] Encode(string text) => MiniLmEncoder.TokenIds(_tokenizer, text, MaxLength);

    /// <summary>Training starts from the pretrained weights; a loaded bundle brings its own.</summary>
    protected override nn.Module<Tensor, Tensor> CreateNetwork()
    {
        var net = new Network(_dropout, Classes);
        if (!_loadingBundle) net.LoadPretrained(OnnxInitializers.Read(MiniLmEncoder.OnnxModelBytes()));
        return net;
    }

    /// <summary>Set while a bundle loads: its weights.bin replaces every weight, so the 90 MB ONNX file is not read.</summary>
    private bool _loadingBundle;

    /// <summary>The untrained network's L2-normalised pooled states: equal to <see cref="MiniLmEncoder"/>'s output when the weights map right (a test checks).</summary>
    internal static float[][] PretrainedEmbeddings(IReadOnlyList<string> texts, int maxTokens = 128)
    {
        Training.TorchRuntime.Start(0);
        var tokenizer = MiniLmEncoder.CreateTokenizer();
        using var net = new Network(0, 2);
        net.LoadPretrained(OnnxInitializers.Read(MiniLmEncoder.OnnxModelBytes()));
        net.eval();
        using var _ = no_grad();
        return texts.Select(t =>
        {
            using var scope = NewDisposeScope();
            var ids = MiniLmEncoder.TokenIds(tokenizer, t, maxTokens);
            using var pooled = net.Pooled(tensor(ids.Select(i => (long)i).ToArray(), new long[] { 1, ids.Length }));
            return nn.functional.normalize(pooled, dim: 1).data<float>().ToArray();
        }).ToArray();
    }

    public static MiniLmFineTuned Load(string directory, ModelSettings s, int classes) =>
        LoadInto(new MiniLmFineTuned(s) { _loadingBundle = true }, directory, classes);

    /// <summary>BERT's encoder with the names of the Hugging Face module, so the pretrained state dict maps one to one.</summary>
    private sealed class Network : nn.Module<Tensor, Tensor>
    {
        private readonly Embedding word_embeddings, position_embeddings, token_type_embeddings;
        private readonly LayerNorm embeddings_norm;
        private readonly ModuleList<BertLayer> layer = new();
        private readonly Dropout dropout;
        private readonly Linear classifier;

        public Network(double p, int classes) : base(nameof(MiniLmFineTuned))
        {
            word_embeddings = nn.Embedding(Vocabulary, Hidden, padding_idx: 0);
            position_embeddings = nn.Embedding(Positions, Hidden);
            token_type_embeddings = nn.Embedding(2, Hidden);
            embeddings_norm = nn.LayerNorm(Hidden, eps: 1e-12);
            for (int i = 0; i < Layers; i++) layer.Add(new BertLayer(p));
            dropout = nn.Dropout(p);
            classifier = nn.Linear(Hidden, classes);
            RegisterComponents();
        }

        public override Tensor forward(Tensor ids)
        {
            using var pooled = Pooled(ids);
            return classifier.forward(dropout.forward(pooled));
        }

        /// <summary>[B, 384]: the mean of the real tokens' last states (what the sentence encoder normalises and returns).</summary>
        public Tensor Pooled(Tensor ids)
        {
            long b = ids.shape[0], t = ids.shape[1];
            using var mask = ids.ne(0);
            using var allowed = mask.unsqueeze(1).unsqueeze(1).expand(b, 1, t, t);
            using var pos = arange(t).unsqueeze(0);
            using var types = zeros_like(ids);
            using var e = word_embeddings.forward(ids) + position_embeddings.forward(pos) + token_type_embeddings.forward(types);
            var x = dropout.forward(embeddings_norm.forward(e));
            foreach (var l in layer) { var y = l.forward(x, allowed); x.Dispose(); x = y; }
            using var m = mask.unsqueeze(2).to_type(ScalarType.Float32);
            var pooled = (x * m).sum(1) / m.sum(1).clamp_min(1);   // mean pooling, as the encoder was trained
            x.Dispose();
            return pooled;
        }

        /// <summary>Copies the pretrained tensors in; fails loudly if a name or a shape does not match.</summary>
        public void LoadPretrained(Dictionary<string, OnnxInitializers.Tensor> w)
        {
            void Copy(Tensor target, string name)
            {
                if (!w.TryGetValue(name, out var src)) throw new InvalidOperationException($"the MiniLM ONNX model has no weight '{name}'");
                if (!src.Dims.SequenceEqual(target.shape)) throw new InvalidOperationException($"MiniLM weight '{name}' is [{string.Join(",", src.Dims)}], expected [{string.Join(",", target.shape)}]");
                using var _ = no_grad();
                using var t = tensor(src.Values, src.Dims);
                target.copy_(t);
            }
            Copy(word_embeddings.weight!, "embeddings.word_embeddings.weight");
            Copy(position_embeddings.weight!, "embeddings.position_embeddings.weight");
            Copy(token_type_embeddings.weight!, "embeddings.token_type_embeddings.weight");
            Copy(embeddings_norm.weight!, "embeddings.LayerNorm.weight");
            Copy(embeddings_norm.bias!, "embeddings.LayerNorm.bias");
            for (int i = 0; i < Layers; i++) layer[i].LoadPretrained(Copy, $"encoder.layer.{i}.");
        }
    }

    private sealed class BertLayer : nn.Module<Tensor, Tensor, Tensor>
    {
        private readonly Linear query, key, value, attention_output, intermediate, output;
        private readonly LayerNorm attention_norm, output_norm;
        private readonly Dropout dropout;
        private readonly double _attentionDropout;

        public BertLayer(double p) : base(nameof(BertLayer))
        {
            _attentionDropout = p;
            query = nn.Linear(Hidden, Hidden); key = nn.Linear(Hidden, Hidden); value = nn.Linear(Hidden, Hidden);
            attention_output = nn.Linear(Hidden, Hidden);
            attention_norm = nn.LayerNorm(Hidden, eps: 1e-12);
            intermediate = nn.Linear(Hidden, Inner);
            output = nn.Linear(Inner, Hidden);
            output_norm = nn.LayerNorm(Hidden, eps: 1e-12);
            dropout = nn.Dropout(p);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x, Tensor allowed)
        {
            long b = x.shape[0], t = x.shape[1];
            Tensor Split(Tensor h) => h.view(b, t, Heads, Hidden / Heads).transpose(1, 2);   // [B, H, T, dh]
            using var q = Split(query.forward(x)); using var k = Split(key.forward(x)); using var v = Split(value.forward(x));
            using var att = nn.functional.scaled_dot_product_attention(q, k, v, allowed, training ? _attentionDropout : 0.0);
            using var merged = att.transpose(1, 2).reshape(b, t, Hidden);
            using var a = attention_norm.forward(x + dropout.forward(attention_output.forward(merged)));  // post-norm, as BERT
            using var inner = nn.functional.gelu(intermediate.forward(a));
            return output_norm.forward(a + dropout.forward(output.forward(inner)));
        }

        public void LoadPretrained(Action<Tensor, string> copy, string prefix)
        {
            void Linear(Linear l, string name) { copy(l.weight!, prefix + name + ".weight"); copy(l.bias!, prefix + name + ".bias"); }
            void Norm(LayerNorm n, string name) { copy(n.weight!, prefix + name + ".weight"); copy(n.bias!, prefix + name + ".bias"); }
            Linear(query, "attention.self.query"); Linear(key, "attention.self.key"); Linear(value, "attention.self.value");
            Linear(attention_output, "attention.output.dense"); Norm(attention_norm, "attention.output.LayerNorm");
            Linear(intermediate, "intermediate.dense"); Linear(output, "output.dense"); Norm(output_norm, "output.LayerNorm");
        }
    }
}
