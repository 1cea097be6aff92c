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

        app.MapPost("/v1/predict/purchase-intent", (Func<HttpContext, Task<IResult>>)(http => PurchaseIntent(http, service, options)))
        .WithSummary("A session's probability to buy: {\"session\": \"ID\"} for a session the server has events of, or {\"events\": [...]}")
        .WithTags("predict")
        .Accepts<SessionIntentDocument>("application/json")
        .Produces<PurchaseIntentAnswer>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(413);
    }

    /// <summary>
    /// POST /v1/predict/purchase-intent: {"session": "ID"} scores a session the server has events of; {"events": [...]}
    /// scores the given events (one user's session, not stored) against the live state.
    /// </summary>
    private static async Task<IResult> PurchaseIntent(HttpContext http, LiveService service, ServerOptions options)
    {
        using var lease = service.Models.Acquire();
        var models = lease.Models;
        if (models.PurchaseIntent is null) return NoModel("purchase-intent", "/v1/predict/purchase-intent");
        var (doc, problem) = await ReadJson(http);
        if (problem is not null) return problem;
        string user; string? session; IReadOnlyList<SessionEvent> events;
        using (doc)
        {
            var root = doc!.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return Problem(400, "The body must be a JSON object", "send {\"session\": \"ID\"} or {\"events\": [ ... ]}", "body");
            if (root.TryGetProperty("session", out var s))
            {
                foreach (var p in root.EnumerateObject())
                    if (p.Name != "session") return Problem(400, $"Unknown field '{p.Name}'", "send {\"session\": \"ID\"} alone, or {\"events\": [ ... ]}", p.Name);
                if (s.ValueKind != JsonValueKind.String || LiveEventReader.IdProblem(s.GetString()!) is { } why)
                    return Problem(400, "Field 'session' must be a session id", s.ValueKind == JsonValueKind.String ? LiveEventReader.IdProblem(s.GetString()!)! : $"found {s.ValueKind.ToString().ToLowerInvariant()}", "session");
                session = s.GetString()!;
                if (service.State.Session(session) is not { } known)
                    return Problem(StatusCodes.Status404NotFound, $"No events of session '{session}'", "send its events to POST /v1/events first, or send them here as {\"events\": [ ... ]}", "session");
                (user, events) = (known.User, known.Events);
            }
            else if (root.TryGetProperty("events", out _))
            {
                var (read, fault) = LiveEventReader.Read(root, DateTimeOffset.UtcNow, options.MaxBatch);
                if (fault is not null) return Bad(fault);
                user = read![0].User;
                for (int i = 1; i < read.Count; i++)
                    if (read[i].User != user) return Problem(400, "A session's events must share one user", $"events[0] is user '{user}', events[{i}] is '{read[i].User}'", $"events[{i}].user");
                session = read[0].Session;
                events = read.OrderBy(e => e.TimeMs).Select(e => new SessionEvent(e.Item, e.Type, e.TimeMs, e.Category)).ToList();
            }
            else return Problem(400, "Missing field 'session' or 'events'", "send {\"session\": \"ID\"} or {\"events\": [ ... ]}", "session");
        }
        var r = models.PurchaseIntent.Score(service.State, user, session, events);
        return Results.Json(new PurchaseIntentAnswer(ShopcastServer.Versioned(http, models.PurchaseIntentVersion!), r.User, r.Session,
            Math.Round(r.Probability, 6), r.WillBuy, Math.Round(r.Threshold, 6), r.PrefixLength, r.AlreadyBought), ShopcastServer.Json);
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
