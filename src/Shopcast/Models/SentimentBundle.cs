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
        int width = model.Predict(new[] { "ok" })[0].Length;
        if (width != classes.Length)
        {
            model.Dispose();
            throw new ShopcastInputException($"model bundle '{directory}': the model scores {width} classes but manifest.json lists {classes.Length} ({string.Join(", ", classes)})");
        }
        return new SentimentBundle { Model = model, Classes = classes, Manifest = manifest };
    }

    /// <summary>Each text's most probable class and every class's probability; an empty (or all-space) text gets no
    /// class (Label null, Error "empty text"), as training never sees one, and keeps its place in the output.</summary>
    public IReadOnlyList<SentimentPrediction> Predict(IReadOnlyList<string> texts)
    {
        var scored = Enumerable.Range(0, texts.Count).Where(i => !string.IsNullOrWhiteSpace(texts[i])).ToArray();
        var p = Model.Predict(scored.Select(i => texts[i]).ToArray());
        var result = new SentimentPrediction[texts.Count];
        for (int i = 0; i < texts.Count; i++) result[i] = new SentimentPrediction(texts[i], null, null, Model.Name, "empty text");
        for (int k = 0; k < scored.Length; k++)
            result[scored[k]] = new SentimentPrediction(texts[scored[k]], Classes[MulticlassMetrics.ArgMax(p[k])],
                Classes.Select((c, j) => (c, Math.Round((double)p[k][j], 4))).ToDictionary(x => x.c, x => x.Item2), Model.Name, null);
        return result;
    }

    /// <summary>How predictions are written (CLI lines and server answers alike).</summary>
    public static readonly System.Text.Json.JsonSerializerOptions JsonLineOptions = new()
    {
        // Chinese and emoji printed as themselves, not \u escapes: the lines are for people and scripts alike.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>One JSON line: {"text", "sentiment", "probabilities", "model"} (or "error" instead of the class).</summary>
    public static string JsonLine(SentimentPrediction p) => System.Text.Json.JsonSerializer.Serialize(p, JsonLineOptions);

    public void Dispose() => Model.Dispose();
}

/// <summary>One review's prediction: its most probable class (null for an empty text, with the reason in Error) and
/// the probability of every class, rounded to 4 decimals.</summary>
public sealed record SentimentPrediction(
    [property: System.Text.Json.Serialization.JsonPropertyName("text")] string Text,
    [property: System.Text.Json.Serialization.JsonPropertyName("sentiment")] string? Label,
    [property: System.Text.Json.Serialization.JsonPropertyName("probabilities")] IReadOnlyDictionary<string, double>? Probabilities,
    [property: System.Text.Json.Serialization.JsonPropertyName("model")] string Model,
    [property: System.Text.Json.Serialization.JsonPropertyName("error")] string? Error);
