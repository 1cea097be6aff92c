using System.Text.Json;
using System.Text.Json.Nodes;
using Shopcast.Data;
using Shopcast.Evaluation;
using Shopcast.Tasks.NextItem;

namespace Shopcast.Models;

/// <summary>
/// A model folder that a later process loads without the training data: <c>manifest.json</c> (task, model, params,
/// versions), <c>items.txt</c> (the id map: external item id per dense index) and the model's weight files.
/// </summary>
public sealed class ModelBundle
{
    public const string ManifestFile = "manifest.json";
    public const string ItemsFile = "items.txt";
    public const string FormatName = "shopcast-model";
    public const int FormatVersion = 1;

    public required INextItemModel Model { get; init; }
    public required ItemIndex Items { get; init; }
    public required JsonObject Manifest { get; init; }
    public string Directory { get; init; } = "";

    public static void Save(INextItemModel model, ItemIndex items, string directory, JsonObject? extra = null)
    {
        System.IO.Directory.CreateDirectory(directory);
        if (items.Count != model.ItemCount)
            throw new InvalidOperationException($"model has {model.ItemCount} items but the id map has {items.Count}");
        model.SaveWeights(directory);
        items.Save(Path.Combine(directory, ItemsFile));
        var manifest = NewManifest("next-item", model.Name, model.Params);
        manifest["item_count"] = model.ItemCount;
        WriteManifest(directory, manifest, extra);
    }

    /// <summary>The fields every bundle's manifest.json starts with: format, version, task, model, its settings, when, by which Shopcast.</summary>
    internal static JsonObject NewManifest(string task, string model, IReadOnlyDictionary<string, object> parameters) => new()
    {
        ["format"] = FormatName,
        ["format_version"] = FormatVersion,
        ["task"] = task,
        ["model"] = model,
        ["params"] = JsonSerializer.SerializeToNode(parameters.ToDictionary(k => k.Key, k => Convert.ToString(k.Value, System.Globalization.CultureInfo.InvariantCulture))),
        ["created_utc"] = DateTime.UtcNow.ToString("o"),
        ["shopcast_version"] = typeof(ModelBundle).Assembly.GetName().Version?.ToString(3),
    };

    /// <summary>Writes manifest.json, with the caller's extra fields (dataset, metrics, ...) after the standard ones.</summary>
    internal static void WriteManifest(string directory, JsonObject manifest, JsonObject? extra)
    {
        if (extra is not null)
            foreach (var kv in extra) manifest[kv.Key] = kv.Value?.DeepClone();
        File.WriteAllText(Path.Combine(directory, ManifestFile), manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>
    /// Reads a bundle folder's manifest.json, refusing (one clear error each) a missing folder or manifest, invalid
    /// JSON, a file that is not a Shopcast manifest and an unsupported format version. Every bundle loader starts here.
    /// </summary>
    internal static JsonObject ReadManifest(string directory)
    {
        string Where() => $"model bundle '{directory}'";
        if (!System.IO.Directory.Exists(directory))
            throw new ShopcastInputException($"{Where()}: folder not found; pass a folder written by `shopcast run` (OUT/models/<model>)");
        var manifestPath = Path.Combine(directory, ManifestFile);
        if (!File.Exists(manifestPath))
            throw new ShopcastInputException($"{Where()}: no {ManifestFile}; pass a folder written by `shopcast run` (OUT/models/<model>)");
        JsonObject manifest;
        try { manifest = JsonNode.Parse(File.ReadAllText(manifestPath)) as JsonObject ?? throw new JsonException("not an object"); }
        catch (JsonException e) { throw new ShopcastInputException($"{Where()}: {ManifestFile} is not valid JSON ({e.Message})"); }
        if ((string?)manifest["format"] != FormatName)
            throw new ShopcastInputException($"{Where()}: {ManifestFile} is not a Shopcast model manifest (format should be '{FormatName}')");
        if ((int?)manifest["format_version"] is not FormatVersion)
            throw new ShopcastInputException($"{Where()}: bundle format version {manifest["format_version"]} is not supported (this Shopcast reads {FormatVersion})");
        return manifest;
    }

    /// <summary>The task a bundle folder holds, or null when its manifest cannot be read (its loader then says why).</summary>
    internal static string? TaskOf(string directory)
    {
        try { return (string?)ReadManifest(directory)["task"]; }
        catch (ShopcastInputException) { return null; }
    }

    /// <summary>The model's name and settings as the manifest recorded them, ready for its catalogue's Load.</summary>
    internal static (string Name, ModelSettings Settings) ModelOf(JsonObject manifest, string directory)
    {
        var name = (string?)manifest["model"] ?? throw new ShopcastInputException($"model bundle '{directory}': {ManifestFile} names no model");
        var settings = new Dictionary<string, string>();
        if (manifest["params"] is JsonObject ps)
            foreach (var kv in ps) settings[kv.Key] = kv.Value?.ToString() ?? "";
        return (name, new ModelSettings(name, settings));
    }

    public static ModelBundle Load(string directory)
    {
        string Where() => $"model bundle '{directory}'";
        var manifest = ReadManifest(directory);
        if ((string?)manifest["task"] != "next-item")
            throw new ShopcastInputException($"{Where()}: holds a '{manifest["task"]}' model, not a next-item model");
        var (name, settings) = ModelOf(manifest, directory);
        var entry = ModelCatalog.Find(name);
        var itemsPath = Path.Combine(directory, ItemsFile);
        if (!File.Exists(itemsPath)) throw new ShopcastInputException($"{Where()}: id map {ItemsFile} is missing");
        var items = ItemIndex.Load(itemsPath);
        int count = (int?)manifest["item_count"] ?? -1;
        if (count != items.Count)
            throw new ShopcastInputException($"{Where()}: {ItemsFile} has {items.Count} items but the manifest says {count}");
        var model = entry.Load(directory, items.Count, settings);
        return new ModelBundle { Model = model, Items = items, Manifest = manifest, Directory = directory };
    }

    /// <summary>Top-k external item ids for a history of external ids; unknown ids in the history are ignored.</summary>
    public IReadOnlyList<(string Item, float Score)> Recommend(IEnumerable<string> history, int k, bool excludeSeen = true)
    {
        var h = new List<int>();
        foreach (var id in history) if (Items.TryGet(id, out var i)) h.Add(i);
        var scores = new float[Model.ItemCount];
        Model.Score(h.ToArray(), scores);
        if (excludeSeen) foreach (var i in h) scores[i] = float.NegativeInfinity;
        return TopK.Select(scores, k).Select(i => (Items[i], scores[i])).ToList();
    }
}
