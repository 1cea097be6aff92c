using Shopcast.Data.Reviews;
using Shopcast.Evaluation;
using Shopcast.Models;
using Shopcast.Reporting;
using Shopcast.Tasks.Sentiment;
using Xunit;

namespace Shopcast.Tests.Text;

/// <summary>
/// Every sentiment model learns a small synthetic corpus (labelled synthetic: template reviews in Chinese and English
/// whose class is carried by a few sentiment words among neutral filler), and a saved bundle predicts exactly what
/// the fitted model did.
/// </summary>
[Collection("torch")] // libtorch's seed is global: never beside the other TorchSharp tests' same-seed checks
public class SentimentModelTests
{
    private static readonly string[] Good = { "很好", "喜欢", "满意", "great", "love it", "excellent", "perfect" };
    private static readonly string[] Bad = { "很差", "失望", "退货", "terrible", "broken", "awful", "waste of money" };
    private static readonly string[] Filler = { "手机", "快递", "包装", "价格", "the phone", "delivery", "the box", "the price", "颜色", "size" };

    /// <summary>Synthetic reviews: 2-5 filler phrases and one sentiment phrase in a random place (English phrases only
    /// when <paramref name="english"/>, for the models with an English vocabulary).</summary>
    internal static SentimentExamples Corpus(int n, int seed, bool english = false)
    {
        var rng = new Random(seed);
        string[] Pick(string[] a) => english ? a.Where(w => w.All(char.IsAscii)).ToArray() : a;
        var good = Pick(Good); var bad = Pick(Bad); var filler = Pick(Filler);
        var texts = new List<string>(); var labels = new List<int>();
        for (int i = 0; i < n; i++)
        {
            int label = rng.Next(2);
            var words = Enumerable.Range(0, rng.Next(2, 6)).Select(_ => filler[rng.Next(filler.Length)]).ToList();
            words.Insert(rng.Next(words.Count + 1), (label == 1 ? good : bad)[rng.Next(good.Length)]);
            texts.Add(string.Join(rng.Next(2) == 0 ? " " : "，", words));
            labels.Add(label);
        }
        return new SentimentExamples { Texts = texts, Labels = labels.ToArray(), Classes = new[] { Sentiment.Negative, Sentiment.Positive } };
    }

    public static TheoryData<string> Models => new() { "linear", "textcnn", "bilstm", "transformer", "minilm", "minilm-ft" };

    [Theory]
    [MemberData(nameof(Models))]
    public void Learns_a_synthetic_corpus_and_a_saved_bundle_predicts_the_same(string name)
    {
        var entry = SentimentCatalog.Find(name);
        bool english = entry.EnglishOnly;
        var train = Corpus(english ? 300 : 600, 1, english); var valid = Corpus(100, 2, english); var test = Corpus(200, 3, english);
        var settings = name switch
        {
            "linear" or "minilm" => null,
            "minilm-ft" => new Dictionary<string, string> { ["epochs"] = "2", ["max_len"] = "32" }, // pretrained: little training needed
            _ => new Dictionary<string, string> { ["epochs"] = "15", ["patience"] = "5" },
        };
        using var model = entry.Create(new ModelSettings(name, settings));
        model.Fit(train, valid, train.ClassWeights(true), 7, ProgressReporter.Quiet);
        var p = model.Predict(test.Texts);
        var m = MulticlassMetrics.Compute(test.Labels, p, new[] { "negative", "positive" });
        Assert.True(m["Accuracy"] > 0.9, $"{name}: test accuracy {m["Accuracy"]:0.000} on a corpus a word decides");

        var dir = Path.Combine(Path.GetTempPath(), $"shopcast-sent-{name}-{Guid.NewGuid():N}");
        try
        {
            SentimentBundle.Save(model, new[] { "negative", "positive" }, english ? "en" : "zh", dir, new System.Text.Json.Nodes.JsonObject());
            using var loaded = SentimentBundle.Load(dir);
            var q = loaded.Model.Predict(test.Texts);
            for (int i = 0; i < p.Length; i++) Assert.Equal(p[i], q[i]);
            // One review alone gets what it got in a batch: padding never leaks into a prediction.
            var alone = loaded.Model.Predict(new[] { test.Texts[5] })[0];
            for (int c = 0; c < alone.Length; c++) Assert.Equal(p[5][c], alone[c], 1e-5f);
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }
}
