using Shopcast.Evaluation;
using Shopcast.Features;
using Shopcast.Models.Tabular;
using Shopcast.Jobs;
using Shopcast.Models;
using Shopcast.Reporting;
using Shopcast.Tasks.Tabular;

namespace Shopcast.Tests.Tabular;

/// <summary>The classifiers on SYNTHETIC tables with a planted rule (labelled synthetic: no real behaviour here).</summary>
[Collection("torch")]
public class ClassifierTests
{
    /// <summary>Four uniform features; the label is planted on the first two, the others are noise.</summary>
    private static FeatureTable Planted(int rows, int seed, Func<float, float, bool> rule)
    {
        var rng = new Random(seed);
        var values = new float[rows * 4];
        var labels = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < 4; c++) values[r * 4 + c] = (float)rng.NextDouble();
            labels[r] = rule(values[r * 4], values[r * 4 + 1]) ? 1 : 0;
        }
        return new FeatureTable { Columns = new[] { "a", "b", "noise1", "noise2" }, Values = values, Labels = labels };
    }

    private static readonly Func<float, float, bool> Linear = (a, b) => a + b > 1.1f;
    private static readonly Func<float, float, bool> Xor = (a, b) => (a > 0.5f) ^ (b > 0.5f);

    private static IBinaryClassifier Fit(string name, FeatureTable train, int seed = 5)
    {
        var (model, _) = ClassificationJob.FitWithValidation(ClassifierCatalog.Find(name), new ModelSettings(name), train, seed, ProgressReporter.Quiet);
        return model;
    }

    [Theory]
    [InlineData("lr")]
    [InlineData("lgbm")]
    [InlineData("mlp")]
    [InlineData("deepfm")]
    [InlineData("dcnv2")]
    public void Each_model_learns_a_linear_rule(string name)
    {
        var model = Fit(name, Planted(2000, 1, Linear));
        var test = Planted(1000, 2, Linear);
        Assert.True(ClassificationMetrics.Auc(test.Labels, model.Predict(test)) > 0.97, name);
    }

    [Theory]
    [InlineData("lgbm")]
    [InlineData("mlp")]
    [InlineData("deepfm")]
    [InlineData("dcnv2")]
    public void Nonlinear_models_learn_an_interaction_the_linear_one_cannot(string name)
    {
        var train = Planted(3000, 3, Xor);
        var test = Planted(1000, 4, Xor);
        double auc = ClassificationMetrics.Auc(test.Labels, Fit(name, train).Predict(test));
        double linear = ClassificationMetrics.Auc(test.Labels, Fit("lr", train).Predict(test));
        Assert.True(auc > 0.95, $"{name} AUC {auc}");
        Assert.True(linear < 0.65, $"lr AUC {linear}");
    }

    [Theory]
    [InlineData("lr")]
    [InlineData("lgbm")]
    [InlineData("mlp")]
    [InlineData("deepfm")]
    [InlineData("dcnv2")]
    public void Save_then_load_gives_identical_predictions_and_same_seed_the_same_model(string name)
    {
        using var dir = new TestData.TempDir();
        var train = Planted(1500, 6, Xor);
        var test = Planted(300, 7, Xor);
        var model = Fit(name, train);
        model.Save(dir.Path);
        var loaded = ClassifierCatalog.Find(name).Load(dir.Path, train.Columns, new ModelSettings(name,
            model.Params.ToDictionary(k => k.Key, k => Convert.ToString(k.Value, System.Globalization.CultureInfo.InvariantCulture)!)));
        Assert.Equal(model.Predict(test), loaded.Predict(test));
        Assert.Equal(model.Predict(test), Fit(name, train).Predict(test));
    }

    /// <summary>Label: the candidate's category occurs in the shopper's history. Only the behaviour sequence carries it;
    /// the feature columns are noise.</summary>
    private static FeatureTable PlantedBehaviour(int rows, int seed)
    {
        var rng = new Random(seed);
        var t = Planted(rows, seed, (_, _) => false);
        var candItem = new int[rows]; var candCat = new int[rows];
        var histItems = new int[rows][]; var histCats = new int[rows][];
        for (int r = 0; r < rows; r++)
        {
            int len = rng.Next(3, 12);
            histCats[r] = Enumerable.Range(0, len).Select(_ => rng.Next(20)).ToArray();
            histItems[r] = histCats[r].Select(c => c * 10 + rng.Next(10)).ToArray();
            bool positive = rng.NextDouble() < 0.3;
            candCat[r] = positive ? histCats[r][rng.Next(len)] : rng.Next(20);
            candItem[r] = candCat[r] * 10 + rng.Next(10);
            t.Labels[r] = histCats[r].Contains(candCat[r]) ? 1 : 0;
        }
        return new FeatureTable
        {
            Columns = t.Columns, Values = t.Values, Labels = t.Labels,
            Behaviour = new BehaviourSequences
            {
                CandidateItem = candItem, CandidateCategory = candCat, HistoryItems = histItems, HistoryCategories = histCats,
                ItemCount = 200, CategoryCount = 20, MaxLength = 10,
            },
        };
    }

    [Fact]
    public void Din_learns_a_rule_that_lives_in_the_behaviour_sequence_and_round_trips()
    {
        var train = PlantedBehaviour(3000, 11);
        var test = PlantedBehaviour(1000, 12);
        var din = ClassificationJob.FitWithValidation(ClassifierCatalog.Find("din"), new ModelSettings("din", new Dictionary<string, string>
            { ["batch_size"] = "64", ["epochs"] = "40", ["patience"] = "10" }), train, 5, ProgressReporter.Quiet).Model;
        double auc = ClassificationMetrics.Auc(test.Labels, din.Predict(test));
        double mlp = ClassificationMetrics.Auc(test.Labels, Fit("mlp", train).Predict(test));
        Assert.True(auc > 0.9, $"din AUC {auc}");
        Assert.True(mlp < 0.6, $"mlp AUC {mlp} (it sees only the noise columns)");
        using var dir = new TestData.TempDir();
        din.Save(dir.Path);
        var loaded = ClassifierCatalog.Find("din").Load(dir.Path, train.Columns, new ModelSettings("din",
            din.Params.ToDictionary(k => k.Key, k => Convert.ToString(k.Value, System.Globalization.CultureInfo.InvariantCulture)!)));
        Assert.Equal(din.Predict(test), loaded.Predict(test));
    }

    [Fact]
    public void Permutation_importance_finds_the_planted_features()
    {
        var model = Fit("lgbm", Planted(2000, 8, Linear));
        var importance = PermutationImportance.Compute(model, Planted(1000, 9, Linear), seed: 1);
        Assert.Equal(new[] { "a", "b" }, importance.Take(2).Select(x => x.Field).Order());
        Assert.All(importance.Skip(2), x => Assert.True(Math.Abs(x.AucDrop) < 0.01, $"{x.Field} {x.AucDrop}"));
        Assert.True(importance[1].AucDrop > 0.05);
    }

    /// <summary>ML.NET's model file (lr); LightGBM's own model.txt is checked in LightGbmShapTests.</summary>
    [Fact]
    public void A_bundle_without_its_model_file_is_a_clear_error()
    {
        using var dir = new TestData.TempDir();
        var e = Assert.Throws<Shopcast.Data.ShopcastInputException>(() => ClassifierCatalog.Find("lr").Load(dir.Path, new[] { "a", "b", "c", "d" }, new ModelSettings("lr")));
        Assert.Contains("model.zip is missing", e.Message);
        dir.File("model.zip", "not a zip");
        e = Assert.Throws<Shopcast.Data.ShopcastInputException>(() => ClassifierCatalog.Find("lr").Load(dir.Path, new[] { "a", "b", "c", "d" }, new ModelSettings("lr")));
        Assert.Contains("not a readable ML.NET model", e.Message);
    }
}
