using System.Text.Json;
using Shopcast.Tests.Text;

namespace Shopcast.Tests.Cli;

/// <summary>
/// <c>shopcast run --task sentiment</c> and <c>shopcast predict sentiment</c> end to end on a synthetic review file
/// (labelled synthetic: template reviews, see <see cref="SentimentModelTests.Corpus"/>), and their bad-input errors.
/// </summary>
[Collection("console")]
public class SentimentCliTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    /// <summary>A synthetic review CSV (review,label) with n rows.</summary>
    private static string Reviews(TestData.TempDir tmp, int n = 400, string name = "reviews.csv")
    {
        var corpus = SentimentModelTests.Corpus(n, 11);
        var lines = corpus.Texts.Select((t, i) => $"\"{t}\",{(corpus.Labels[i] == 1 ? "positive" : "negative")},{(i % 3 == 0 ? "phones" : "shoes")}");
        return tmp.File(name, "review,label,cat\n" + string.Join("\n", lines) + "\n");
    }

    private static string[] Train(string csv, string outDir, params string[] more) =>
        new[] { "run", "--task", "sentiment", "--data", csv, "--format", "csv", "--columns", "text=review,label=label,category=cat", "--out", outDir, "--quiet" }
            .Concat(more).ToArray();

    [Fact]
    public void Run_writes_metrics_report_and_a_bundle_that_predict_loads()
    {
        using var tmp = new TestData.TempDir();
        var csv = Reviews(tmp);
        var (code, _, err) = Run(Train(csv, tmp["o"], "--models", "linear"));
        Assert.True(code == 0, err);
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(tmp["o"], "metrics.json")));
        var result = metrics.RootElement.GetProperty("results")[0];
        Assert.Equal("sentiment", result.GetProperty("task").GetString());
        Assert.True(result.GetProperty("metrics").GetProperty("Accuracy").GetDouble() > 0.9);
        Assert.Contains("## Confusion matrices", File.ReadAllText(Path.Combine(tmp["o"], "report.md")));
        // Per category: both categories, each class's true and predicted shares summing to one.
        var categories = metrics.RootElement.GetProperty("categories").EnumerateArray().ToList();
        Assert.Equal(new[] { "phones", "shoes" }, categories.Select(c => c.GetProperty("category").GetString()));
        foreach (var c in categories)
            foreach (var kind in new[] { "true", "predicted" })
                Assert.Equal(1.0, c.GetProperty(kind).EnumerateObject().Sum(p => p.Value.GetDouble()), 3);
        Assert.InRange(metrics.RootElement.GetProperty("dataset").GetProperty("test_reviews").GetInt64(), 36, 44); // 10 %

        var bundle = Path.Combine(tmp["o"], "models", "linear");
        (code, var output, err) = Run("predict", "sentiment", "--model", bundle, "很好 great", "很差 terrible");
        Assert.True(code == 0, err);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        Assert.Equal("很好 great", first.RootElement.GetProperty("text").GetString()); // Chinese printed as itself, not \u escapes
        Assert.Contains("很好", lines[0]);
        Assert.Equal("positive", first.RootElement.GetProperty("sentiment").GetString());
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal("negative", second.RootElement.GetProperty("sentiment").GetString());
        Assert.Contains("reviews/s", err);

        var file = tmp.File("new.txt", "很好 great\n很差 terrible\n\n满意\n");
        (code, output, err) = Run("predict", "sentiment", "--model", bundle, "--file", file, "--quiet");
        Assert.True(code == 0, err);
        lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length); // the empty line keeps its place, with an error instead of a class
        using (var empty = JsonDocument.Parse(lines[2]))
        {
            Assert.Equal("empty text", empty.RootElement.GetProperty("error").GetString());
            Assert.False(empty.RootElement.TryGetProperty("sentiment", out _));
        }
        Assert.Equal("", err);
    }

    [Fact]
    public void A_refused_run_leaves_an_earlier_runs_folder_alone()
    {
        using var tmp = new TestData.TempDir();
        var csv = Reviews(tmp, 60);
        var (code, _, err) = Run(Train(csv, tmp["keep"], "--models", "linear"));
        Assert.True(code == 0, err);
        var wrong = new[] { "run", "--task", "sentiment", "--data", csv, "--format", "csv", "--columns", "text=nope,label=label", "--out", tmp["keep"], "--quiet" };
        (code, _, _) = Run(wrong);
        Assert.Equal(2, code);
        Assert.True(File.Exists(Path.Combine(tmp["keep"], "metrics.json")), "the earlier run's metrics.json was removed by a refused run");
        Assert.True(Directory.Exists(Path.Combine(tmp["keep"], "models", "linear")));
    }

    [Fact]
    public void Bad_input_gets_one_line_and_exit_code_2()
    {
        using var tmp = new TestData.TempDir();
        var csv = Reviews(tmp, 60);
        void Refused(string expected, params string[] args)
        {
            var (code, _, err) = Run(args);
            Assert.True(code == 2, $"exit {code} for {string.Join(" ", args)}: {err}");
            var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(lines.Length == 1 && lines[0].StartsWith("error: "), err);
            Assert.Contains(expected, lines[0]);
        }
        Refused("unknown model 'nope'", Train(csv, tmp["a"], "--models", "nope"));
        Refused("--kcore", Train(csv, tmp["b"], "--kcore", "5"));
        Refused("--split 90/20/10", Train(csv, tmp["c"], "--split", "90/20/10"));
        Refused("--stars", Train(csv, tmp["d"], "--stars", "negative=1-3,positive=3-5"));
        Refused("--set textcnn.nope", Train(csv, tmp["e"], "--models", "textcnn", "--set", "textcnn.nope=1"));
        Refused("file not found", Train(tmp["missing.csv"], tmp["f"]));
        var chinese = tmp.File("zh.csv", "review,label,cat\n" + string.Concat(Enumerable.Range(0, 20).Select(i => $"这个手机很好用{i},positive,x\n质量太差了{i},negative,x\n")));
        Refused("minilm", Train(chinese, tmp["g"], "--models", "minilm")); // Chinese reviews: the English encoder is refused
        Refused("--stars", "run", "--task", "next-item", "--data", csv, "--stars", "negative=1-2,positive=4-5");
        Refused("not star ratings", Train(csv, tmp["s"], "--stars", "negative=1-2,neutral=3,positive=4-5"));
        var oneClass = tmp.File("one.csv", "review,label,cat\ngood,positive,x\ngreat,positive,x\n");
        Refused("two classes", Train(oneClass, tmp["h"]));
        Refused("folder not found", "predict", "sentiment", "--model", tmp["nowhere"], "x");
        Refused("texts or --file, not both", "predict", "sentiment", "--model", tmp["nowhere"], "--file", csv, "x");
    }
}
