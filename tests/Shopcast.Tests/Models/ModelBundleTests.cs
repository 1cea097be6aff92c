using Shopcast.Data;
using Shopcast.Models;

namespace Shopcast.Tests.Models;

/// <summary>Bundles: save then load gives the same scores bit for bit; a broken bundle is one clear input error.</summary>
public sealed class ModelBundleTests
{
    private static readonly ItemIndex Ids = new(Enumerable.Range(0, PlantedRuleTests.Items).Select(i => $"item-{i}"));

    private static readonly int[][] Histories =
    {
        Array.Empty<int>(), new[] { 0 }, new[] { 4, 5, 10 }, new[] { 7, 7, 7 }, new[] { 199, 0, 33, 2, 150, 151, 8 },
    };

    [Theory]
    [InlineData("pop")]
    [InlineData("itemknn")]
    [InlineData("sknn")]
    public void SaveThenLoad_GivesIdenticalScores(string name)
    {
        var settings = name == "sknn" ? new Dictionary<string, string> { ["k"] = "50", ["idf_weighting"] = "2.5", ["sample_size"] = "300" } : null;
        var model = PlantedRuleTests.Fit(name, PlantedRuleTests.Sessions(2000, seed: 5), settings);
        using var dir = new TestData.TempDir();
        var folder = Path.Combine(dir.Path, name);
        ModelBundle.Save(model, Ids, folder);
        var bundle = ModelBundle.Load(folder);
        Assert.Equal(name, bundle.Model.Name);
        Assert.Equal(model.ItemCount, bundle.Model.ItemCount);
        Assert.Equal(model.Params.ToDictionary(k => k.Key, k => Convert.ToString(k.Value, System.Globalization.CultureInfo.InvariantCulture)),
                     bundle.Model.Params.ToDictionary(k => k.Key, k => Convert.ToString(k.Value, System.Globalization.CultureInfo.InvariantCulture)));
        var a = new float[model.ItemCount];
        var b = new float[model.ItemCount];
        foreach (var h in Histories)
        {
            model.Score(h, a);
            bundle.Model.Score(h, b);
            Assert.Equal(a, b);
        }
        var recs = bundle.Recommend(new[] { "item-4", "unknown-id" }, 5);
        Assert.Equal(5, recs.Count);
        Assert.DoesNotContain(recs, r => r.Item == "item-4");
    }

    [Fact]
    public void MissingFolder_IsAClearInputError()
    {
        using var dir = new TestData.TempDir();
        var e = Assert.Throws<ShopcastInputException>(() => ModelBundle.Load(dir["nope"]));
        Assert.Contains("folder not found", e.Message);
    }

    [Fact]
    public void FolderWithoutManifest_IsAClearInputError()
    {
        using var dir = new TestData.TempDir();
        var e = Assert.Throws<ShopcastInputException>(() => ModelBundle.Load(dir.Path));
        Assert.Contains("no manifest.json", e.Message);
    }

    [Theory]
    [InlineData("{ this is not json", "not valid JSON")]
    [InlineData("[1, 2, 3]", "not valid JSON")]
    [InlineData("{\"format\": \"something-else\"}", "not a Shopcast model manifest")]
    [InlineData("{\"format\": \"shopcast-model\", \"format_version\": 99}", "format version")]
    [InlineData("{\"format\": \"shopcast-model\", \"format_version\": 1, \"task\": \"next-item\", \"model\": \"nosuchmodel\"}", "unknown model")]
    public void CorruptManifest_IsAClearInputError(string manifest, string expected)
    {
        using var dir = new TestData.TempDir();
        var folder = SavedBundle(dir, "sknn");
        File.WriteAllText(Path.Combine(folder, ModelBundle.ManifestFile), manifest);
        var e = Assert.Throws<ShopcastInputException>(() => ModelBundle.Load(folder));
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData("pop", "counts.bin")]
    [InlineData("itemknn", "neighbours.bin")]
    [InlineData("sknn", "session_items.bin")]
    [InlineData("sknn", "session_offsets.bin")]
    public void TruncatedWeightFile_IsAClearInputError(string name, string file)
    {
        using var dir = new TestData.TempDir();
        var folder = SavedBundle(dir, name);
        var path = Path.Combine(folder, file);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 6)]);
        var e = Assert.Throws<ShopcastInputException>(() => ModelBundle.Load(folder));
        Assert.Contains("truncated or corrupt", e.Message);
        Assert.Contains(file, e.Message);
    }

    [Fact]
    public void MissingOrForeignWeightFile_IsAClearInputError()
    {
        using var dir = new TestData.TempDir();
        var folder = SavedBundle(dir, "sknn");
        File.Delete(Path.Combine(folder, "session_items.bin"));
        Assert.Contains("missing its weight file", Assert.Throws<ShopcastInputException>(() => ModelBundle.Load(folder)).Message);
        File.WriteAllText(Path.Combine(folder, "session_items.bin"), "hello, not weights");
        Assert.Contains("bad header", Assert.Throws<ShopcastInputException>(() => ModelBundle.Load(folder)).Message);
    }

    [Fact]
    public void InconsistentSessionKnnWeights_AreAClearInputError()
    {
        using var dir = new TestData.TempDir();
        var folder = SavedBundle(dir, "sknn");
        // Well-formed files whose contents disagree: offsets that overrun the items, and an item outside the catalogue.
        WeightFile.WriteInts(Path.Combine(folder, "session_offsets.bin"), new[] { 0, 3, 2 });
        WeightFile.WriteInts(Path.Combine(folder, "session_items.bin"), new[] { 1, 2 });
        Assert.Contains("inconsistent", Assert.Throws<ShopcastInputException>(() => ModelBundle.Load(folder)).Message);
        WeightFile.WriteInts(Path.Combine(folder, "session_offsets.bin"), new[] { 0, 2 });
        WeightFile.WriteInts(Path.Combine(folder, "session_items.bin"), new[] { 1, PlantedRuleTests.Items + 5 });
        Assert.Contains("outside the bundle", Assert.Throws<ShopcastInputException>(() => ModelBundle.Load(folder)).Message);
    }

    private static string SavedBundle(TestData.TempDir dir, string name)
    {
        var folder = Path.Combine(dir.Path, name);
        ModelBundle.Save(PlantedRuleTests.Fit(name, PlantedRuleTests.Sessions(200, seed: 6)), Ids, folder);
        return folder;
    }
}
