using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Shopcast.Models;
using Shopcast.Serving;
using static Shopcast.Server.HttpProblems;

namespace Shopcast.Server.Endpoints;

/// <summary>POST /v1/predict/sentiment (texts → classes and probabilities) and POST /v1/predict/purchase-intent.</summary>
internal static class PredictionEndpoints
{
    public static void Map(WebApplication app, LiveService service, ServerOptions options)
    {
        app.MapPost("/v1/predict/sentiment", async (HttpContext http) =>
        {
            using var lease = service.Models.Acquire();
            var models = lease.Models;
            if (models.Sentiment is null) return NoModel("sentiment", "/v1/predict/sentiment");
            var (texts, problem) = await ReadTexts(http, options.MaxBatch);
            if (problem is not null) return problem;
            IReadOnlyList<SentimentPrediction> predictions;
            // One prediction at a time per bundle: the text models have not been checked for concurrent use.
            lock (models.Sentiment) predictions = models.Sentiment.Predict(texts!);
            return Results.Json(new Dictionary<string, object?>
            {
                ["model_version"] = ShopcastServer.Versioned(http, models.SentimentVersion!), ["predictions"] = predictions,
            }, SentimentBundle.JsonLineOptions);
        })
        .WithSummary("Classify review texts: positive, neutral or negative, with probabilities")
        .WithTags("predict")
        .Accepts<TextsDocument>("application/json")
        .Produces<object>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(413);
    }

    /// <summary>Reads {"texts": ["...", ...]}: a 400 naming the field for anything else (unknown fields included).</summary>
    private static async Task<(string[]? Texts, IResult? Problem)> ReadTexts(HttpContext http, int maxBatch)
    {
        var (doc, problem) = await ReadJson(http);
        if (problem is not null) return (null, problem);
        using (doc)
        {
            var root = doc!.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return (null, Problem(400, "The body must be a JSON object", "expected {\"texts\": [\"...\"]}", "body"));
            foreach (var p in root.EnumerateObject())
                if (p.Name != "texts") return (null, Problem(400, $"Unknown field '{p.Name}'", "the only field is texts", p.Name));
            if (!root.TryGetProperty("texts", out var arr))
                return (null, Problem(400, "Missing field 'texts'", "expected {\"texts\": [\"...\"]}", "texts"));
            if (arr.ValueKind != JsonValueKind.Array)
                return (null, Problem(400, "Field 'texts' must be an array of strings", $"found {arr.ValueKind.ToString().ToLowerInvariant()}", "texts"));
            int n = arr.GetArrayLength();
            if (n == 0 || n > maxBatch)
                return (null, Problem(400, $"Field 'texts' must hold 1 to {maxBatch} texts", $"found {n}", "texts"));
            var texts = new string[n];
            int i = 0;
            foreach (var t in arr.EnumerateArray())
            {
                if (t.ValueKind != JsonValueKind.String)
                    return (null, Problem(400, $"texts[{i}] must be a string", $"found {t.ValueKind.ToString().ToLowerInvariant()}", $"texts[{i}]"));
                try { texts[i] = t.GetString()!; }
                catch (InvalidOperationException) { return (null, Problem(400, $"texts[{i}] is not valid text", "it holds a lone surrogate escape", $"texts[{i}]")); }
                i++;
            }
            return (texts, null);
        }
    }
}
