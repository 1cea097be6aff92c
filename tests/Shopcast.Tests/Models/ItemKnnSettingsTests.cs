using Shopcast.Data;
using Shopcast.Models;
using Shopcast.Models.Baselines;
using Shopcast.Reporting;
using Shopcast.Tasks.NextItem;

namespace Shopcast.Tests.Models;

/// <summary>item-kNN's settings, and the rules every model's number settings share (ModelSettings).</summary>
public sealed class ItemKnnSettingsTests
{
    private static ItemKnn Make(params (string Key, string Value)[] settings) =>
        new(new ModelSettings("itemknn", settings.ToDictionary(s => s.Key, s => s.Value)));

    [Theory]
    [InlineData("decay", "NaN", "expected a finite number")]
    [InlineData("decay", "Infinity", "expected a finite number")]
    [InlineData("decay", "0", "must be in (0, 1]")]
    [InlineData("decay", "-0.5", "must be in (0, 1]")]
    [InlineData("decay", "1.5", "must be in (0, 1]")]
    [InlineData("shrink", "-5", "must be 0 (off) or more")]
    [InlineData("shrink", "NaN", "expected a finite number")]
    [InlineData("shrink", "1e999", "expected a finite number")]
    [InlineData("shrink", "-Infinity", "expected a finite number")]
    [InlineData("neighbours", "0", "must be at least 1")]
    [InlineData("max_history", "-1", "must be 0 (all history) or more")]
    [InlineData("max_history", "ten", "expected an integer")]
    public void Garbage_settings_are_clear_input_errors_naming_the_setting(string key, string value, string expected)
    {
        var e = Assert.Throws<ShopcastInputException>(() => Make((key, value)));
        Assert.Contains(expected, e.Message);
        Assert.Contains($"itemknn.{key}", e.Message);
    }

    [Fact]
    public void Sensible_settings_are_taken()
    {
        var m = Make(("decay", "1"), ("shrink", "10"), ("neighbours", "5"), ("max_history", "0"));
        Assert.Equal(1.0, m.Params["decay"]);
        Assert.Equal(10.0, m.Params["shrink"]);
        Assert.Equal(0, m.Params["max_history"]);
    }

    [Fact]
    public void Max_history_zero_means_all_history_as_in_sknn()
    {
        var train = PlantedRuleTests.Sessions(400, seed: 5);
        var data = new NextItemTrainingData { ItemCount = PlantedRuleTests.Items, Sequences = train };
        ItemKnn Fit(string maxHistory)
        {
            var m = Make(("max_history", maxHistory), ("decay", "1"));
            m.Fit(data, ProgressReporter.Quiet);
            return m;
        }
        var all = Fit("0");
        var long_ = Fit("1000");
        var last2 = Fit("2");
        var history = Enumerable.Range(0, 12).Select(i => (i * 7) % PlantedRuleTests.Items).ToArray();
        float[] Scores(ItemKnn m) { var s = new float[PlantedRuleTests.Items]; m.Score(history, s); return s; }
        Assert.Equal(Scores(long_), Scores(all));
        Assert.NotEqual(Scores(last2), Scores(all));
        // Before, max_history=0 used no history at all: every score would be the popularity nudge (< 1e-5).
        Assert.True(Scores(all).Max() > 1e-3);
    }

    [Fact]
    public void A_model_without_settings_says_it_has_none()
    {
        var e = Assert.Throws<ShopcastInputException>(() =>
            new Popularity(new ModelSettings("pop", new Dictionary<string, string> { ["x"] = "1" })));
        Assert.Equal("--set pop.x: 'pop' has no settings", e.Message);
        Assert.DoesNotContain("it has:", e.Message);
    }

    [Fact]
    public void Double_settings_refuse_NaN_and_infinity_for_every_model()
    {
        foreach (var bad in new[] { "NaN", "nan", "Infinity", "-Infinity", "∞", "1e400" })
        {
            var s = new ModelSettings("any", new Dictionary<string, string> { ["w"] = bad });
            var e = Assert.Throws<ShopcastInputException>(() => s.Double("w", 1));
            Assert.Contains("expected a finite number", e.Message);
        }
        Assert.Equal(2.5, new ModelSettings("any", new Dictionary<string, string> { ["w"] = "2.5" }).Double("w", 1));
        Assert.Equal(-3e-4, new ModelSettings("any", new Dictionary<string, string> { ["w"] = "-3e-4" }).Double("w", 1));
    }
}
