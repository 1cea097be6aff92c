using System.Text.Json;
using Shopcast.Data;
using Shopcast.Evaluation;
using Shopcast.Features;
using Shopcast.Jobs;
using Shopcast.Models;
using Shopcast.Models.Tabular;
using Shopcast.Reporting;

namespace Shopcast.Tests.Tabular;

/// <summary>LightGBM through its C API: SHAP contributions, its own model file, explanations.jsonl. SYNTHETIC tables
/// with a planted rule (no real behaviour here).</summary>
public class LightGbmShapTests
{
    /// <summary>Four uniform features; the label follows <paramref name="rule"/> of the first two, flipped for
    /// <paramref name="noise"/> of the rows so that probabilities stay away from 0 and 1.</summary>
    private static FeatureTable Planted(int rows, int seed, Func<float, float, bool> rule, double noise = 0.1)
    {
        var rng = new Random(seed);
        var values = new float[rows * 4];
        var labels = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < 4; c++) values[r * 4 + c] = (float)rng.NextDouble();
            labels[r] = rule(values[r * 4], values[r * 4 + 1]) ^ (rng.NextDouble() < noise) ? 1 : 0;
        }
        return new FeatureTable { Columns = new[] { "a", "b", "noise 1", "noise:2" }, Values = values, Labels = labels };
    }

    private static LightGbm Fit(FeatureTable train, int seed = 5) =>
        (LightGbm)ClassificationJob.FitWithValidation(ClassifierCatalog.Find("lgbm"), new ModelSettings("lgbm"), train, seed, ProgressReporter.Quiet).Model;

    private static LightGbm Load(string dir, IReadOnlyList<string> columns) =>
        (LightGbm)ClassifierCatalog.Find("lgbm").Load(dir, columns, new ModelSettings("lgbm"));

    private static readonly Func<float, float, bool> Interaction = (a, b) => a + 0.5f * b * b > 0.8f;

    [Fact]
    public void Contributions_of_every_row_plus_the_bias_sum_to_the_logit_of_its_probability()
    {
        using var model = Fit(Planted(3000, 1, Interaction));
        var test = Planted(500, 2, Interaction);
        var p = model.Predict(test);
        var logOdds = model.LogOdds(test);
        var phi = model.Contributions(test);
        Assert.Equal(test.Rows, phi.GetLength(0));
        Assert.Equal(test.Width + 1, phi.GetLength(1));
        for (int r = 0; r < test.Rows; r++)
        {
            double sum = 0;
            for (int c = 0; c <= test.Width; c++) sum += phi[r, c];
            double logit = Math.Log(p[r] / (1.0 - p[r]));
            Assert.True(Math.Abs(sum - logit) < 1e-4, $"row {r}: contributions sum to {sum}, logit of p = {p[r]} is {logit}");
            Assert.True(Math.Abs(sum - logOdds[r]) < 1e-4, $"row {r}: contributions sum to {sum}, log-odds {logOdds[r]}");
        }
        // The bias is one expected value for every row.
        Assert.All(Enumerable.Range(0, test.Rows), r => Assert.Equal(phi[0, test.Width], phi[r, test.Width]));
    }

    [Fact]
    public void On_a_rule_of_feature_0_alone_feature_0_has_the_largest_mean_absolute_contribution()
    {
        using var model = Fit(Planted(3000, 3, (a, _) => a > 0.6f));
        var test = Planted(1000, 4, (a, _) => a > 0.6f);
        var phi = model.Contributions(test);
        var meanAbs = Enumerable.Range(0, test.Width).Select(c => Enumerable.Range(0, test.Rows).Average(r => Math.Abs(phi[r, c]))).ToArray();
        Assert.Equal(0, Array.IndexOf(meanAbs, meanAbs.Max()));
        Assert.True(meanAbs[0] > 5 * meanAbs.Skip(1).Max(), string.Join(", ", meanAbs));
    }

    [Fact]
    public void Save_then_load_gives_identical_predictions_contributions_and_importance()
    {
        using var dir = new TestData.TempDir();
        var train = Planted(2000, 5, Interaction);
        var test = Planted(300, 6, Interaction);
        using var model = Fit(train);
        model.Save(dir.Path);
        // LightGBM's own text model, readable by Python's lightgbm; JSON punctuation and spaces in names become '_'.
        var text = File.ReadAllText(dir[LightGbm.ModelFile]);
        Assert.StartsWith("tree", text);
        Assert.Contains("feature_names=a b noise_1 noise_2", text);
        using var loaded = Load(dir.Path, train.Columns);
        Assert.Equal(model.Predict(test), loaded.Predict(test));
        Assert.Equal(model.Contributions(test), loaded.Contributions(test));
        // Split gains are written to the text file with fewer digits than leaf values, so importance agrees to 1e-6.
        Assert.All(model.FeatureImportance().Zip(loaded.FeatureImportance()), x => Assert.Equal(x.First, x.Second, 1e-6));
        Assert.Equal(1f, model.FeatureImportance().Max());
    }

    [Fact]
    public void A_missing_or_bad_model_file_is_a_clear_input_error()
    {
        using var dir = new TestData.TempDir();
        var columns = new[] { "a", "b", "c", "d" };
        var e = Assert.Throws<ShopcastInputException>(() => Load(dir.Path, columns));
        Assert.Contains("model.txt is missing", e.Message);

        dir.File(LightGbm.ModelFile, "not a LightGBM model\n");
        e = Assert.Throws<ShopcastInputException>(() => Load(dir.Path, columns));
        Assert.Contains("model.txt is not a readable LightGBM model", e.Message);

        using var model = Fit(Planted(500, 7, Interaction));
        model.Save(dir.Path);
        e = Assert.Throws<ShopcastInputException>(() => Load(dir.Path, new[] { "a", "b", "c" }));
        Assert.Contains("has 4 features but columns.txt lists 3", e.Message);
        var text = File.ReadAllText(dir[LightGbm.ModelFile]);
        File.WriteAllText(dir[LightGbm.ModelFile], text.Replace("objective=binary sigmoid:0.5", "objective=regression"));
        e = Assert.Throws<ShopcastInputException>(() => Load(dir.Path, columns));
        Assert.Contains("model.txt is not a binary classifier", e.Message);
        File.WriteAllText(dir[LightGbm.ModelFile], text);
        using var loaded = Load(dir.Path, columns);
        e = Assert.Throws<ShopcastInputException>(() => loaded.Predict(new FeatureTable { Columns = new[] { "a" }, Values = new float[2], Labels = new float[2] }));
        Assert.Contains("trained on 4 feature columns", e.Message);
    }

    [Fact]
    public void Explanations_list_the_top_scored_and_random_rows_with_their_largest_contributions()
    {
        using var dir = new TestData.TempDir();
        var test = Planted(400, 9, Interaction);
        using var model = Fit(Planted(2000, 8, Interaction));
        var run = new ClassificationResult
        {
            Dataset = new ClassificationDataset { Name = "planted", Label = "buys" },
            Protocol = new ClassificationProtocol { Split = "given" },
            Ingest = new TableAccount(), OutDir = dir.Path,
        };
        var set = PredictionExplanations.Write(model, test, run, seed: 1, seenInTraining: false)!;
        var lines = File.ReadAllLines(dir[PredictionExplanations.FileName]);
        Assert.Equal(PredictionExplanations.TopRows + PredictionExplanations.RandomRows, lines.Length);
        var p = model.Predict(test);
        var top = set.Rows.Where(x => x.Pick == "top").Select(x => x.Row).ToArray();
        Assert.Equal(Enumerable.Range(0, test.Rows).OrderByDescending(i => p[i]).ThenBy(i => i).Take(PredictionExplanations.TopRows), top);
        Assert.Equal(PredictionExplanations.RandomRows, set.Rows.Count(x => x.Pick == "random" && !top.Contains(x.Row)));

        using var first = JsonDocument.Parse(lines[0]);
        var f = first.RootElement;
        Assert.Equal("lgbm", f.GetProperty("model").GetString());
        int row = f.GetProperty("row").GetInt32();
        Assert.Equal(p[row], f.GetProperty("probability").GetDouble(), 1e-6);
        Assert.Equal((int)test.Labels[row], f.GetProperty("label").GetInt32());
        var feats = f.GetProperty("top_features").EnumerateArray().ToList();
        Assert.Equal(PredictionExplanations.TopFeatures > test.Width ? test.Width : PredictionExplanations.TopFeatures, feats.Count);
        var contrib = feats.Select(x => x.GetProperty("contribution").GetDouble()).ToArray();
        Assert.Equal(contrib.OrderByDescending(Math.Abs), contrib);
        int column = Array.IndexOf(test.Columns.ToArray(), feats[0].GetProperty("feature").GetString());
        Assert.Equal(test[row, column], feats[0].GetProperty("value").GetDouble(), 1e-6);
        Assert.Equal(contrib[0] >= 0 ? "+" : "-", feats[0].GetProperty("sign").GetString());
        // With all four features listed, bias plus contributions is the logit of the probability.
        Assert.Equal(Math.Log(p[row] / (1.0 - p[row])), f.GetProperty("bias").GetDouble() + contrib.Sum(), 1e-4);

        var report = ClassificationReport.Markdown(new ClassificationResult
        {
            Dataset = run.Dataset, Protocol = run.Protocol, Ingest = run.Ingest,
            Results = { new ClassifierResult { Task = "t", Model = "lgbm", Metrics = new(), MetricsStd = new(), Folds = new(), Explanations = set } },
        });
        Assert.Contains("SHAP values", report);
        Assert.Contains("add up exactly to the log-odds", report);
        Assert.Contains($"| {row} | top |", report);
    }
}
