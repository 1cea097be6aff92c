using System.Text.Json.Nodes;
using Shopcast.Data;
using Shopcast.Evaluation;
using Shopcast.Tasks.Sentiment;

namespace Shopcast.Models;

/// <summary>
/// A sentiment model folder: manifest.json (task "sentiment", model, params, the classes in probability order, the
/// language it was trained on) and the model's own files. Loaded by <c>shopcast predict sentiment</c> and the server.
/// </summary>
public sealed class SentimentBundle : IDisposable
{
    public const string Task = "sentiment";

    public required ISentimentModel Model { get; init; }
    public required IReadOnlyList<string> Classes { get; init; }
    public required JsonObject Manifest { get; init; }
    public string Language => (string?)Manifest["language"] ?? "";

    public static void Save(ISentimentModel model, IReadOnlyList<string> classes, string language, string directory, JsonObject extra)
    {
        Directory.CreateDirectory(directory);
        model.Save(directory);
        var manifest = ModelBundle.NewManifest(Task, model.Name, model.Params);
        manifest["classes"] = new JsonArray(classes.Select(c => (JsonNode)c).ToArray());
        manifest["language"] = language;
        ModelBundle.WriteManifest(directory, manifest, extra);
    }

    public static SentimentBundle Load(string directory)
    {
        var manifest = ModelBundle.ReadManifest(directory);
        if ((string?)manifest["task"] != Task)
            throw new ShopcastInputException($"model bundle '{directory}': holds a '{manifest["task"]}' model, not a sentiment model (train one with `shopcast run --task sentiment`)");
        var classes = (manifest["classes"] as JsonArray)?.Select(c => (string?)c ?? "").ToArray();
        if (classes is null || classes.Length < 2 || classes.Any(c => c.Length == 0))
            throw new ShopcastInputException($"model bundle '{directory}': manifest.json lists no classes");
        var (name, settings) = ModelBundle.ModelOf(manifest, directory);
        var model = SentimentCatalog.Find(name).Load(directory, settings, classes.Length);
        return new SentimentBundle { Model = model, Classes = classes, Manifest = manifest };
    }

    /// <summary>Each text's most probable class and every class's probability.</summary>
    public IReadOnlyList<(string Label, IReadOnlyDictionary<string, float> Probabilities)> Predict(IReadOnlyList<string> texts) =>
        Model.Predict(texts).Select(p => (Classes[MulticlassMetrics.ArgMax(p)],
            (IReadOnlyDictionary<string, float>)Classes.Select((c, i) => (c, p[i])).ToDictionary(x => x.c, x => x.Item2))).ToList();

    public void Dispose() => Model.Dispose();
}
