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
            if (UnknownQuery(http) is { } q) return q;
            if (Missing(service, m => m.Sentiment, "sentiment", "/v1/predict/sentiment") is { } missing) return missing;
            var (texts, problem) = await ReadTexts(http, options.MaxBatch);
            if (problem is not null) return problem;
            using var lease = service.Models.Acquire();
            var models = lease.Models;
            if (models.Sentiment is null) return NoModel("sentiment", "/v1/predict/sentiment");
            IReadOnlyList<SentimentPrediction> predictions;
            // One prediction at a time per bundle: the text models have not been checked for concurrent use.
            lock (models.Sentiment) predictions = models.Sentiment.Predict(texts!);
            return Results.Json(new SentimentAnswer(ShopcastServer.Versioned(http, models.SentimentVersion!), predictions), SentimentBundle.JsonLineOptions);
        })
        .WithSummary("Classify review texts: positive, neutral or negative, with probabilities")
        .WithTags("predict")
        .Accepts<TextsDocument>("application/json")
        .Produces<SentimentAnswer>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(413);

        app.MapPost("/v1/predict/purchase-intent", (Func<HttpContext, Task<IResult>>)(http => PurchaseIntent(http, service, options)))
        .WithSummary("A session's probability to buy: {\"session\": \"ID\"} for a session the server has events of, or {\"events\": [...]}")
        .WithTags("predict")
        .Accepts<SessionIntentDocument>("application/json")
        .Produces<PurchaseIntentAnswer>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(413);
    }

    /// <summary>
    /// The 404 for a route whose model is not loaded, checked before the body is read; the route takes its lease only
    /// after reading it, so a slow upload does not hold a set that a reload has replaced.
    /// </summary>
    private static IResult? Missing(LiveService service, Func<ModelSet, object?> model, string task, string route)
    {
        using var lease = service.Models.Acquire();
        return model(lease.Models) is null ? NoModel(task, route) : null;
    }

    /// <summary>
    /// POST /v1/predict/purchase-intent: {"session": "ID"} scores a session the server has events of; {"events": [...]}
    /// scores the given events (one user's session, not stored) against the live state.
    /// </summary>
    private static async Task<IResult> PurchaseIntent(HttpContext http, LiveService service, ServerOptions options)
    {
        if (UnknownQuery(http) is { } q) return q;
        if (Missing(service, m => m.PurchaseIntent, "purchase-intent", "/v1/predict/purchase-intent") is { } missing) return missing;
        var (doc, problem) = await ReadJson(http);
        if (problem is not null) return problem;
        string? session = null;
        IReadOnlyList<LiveEvent>? events = null;
        using (doc)
        try
        {
            var root = doc!.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return Problem(400, "The body must be a JSON object", "send {\"session\": \"ID\"} or {\"events\": [ ... ]}", "body");
            if (root.TryGetProperty("session", out var s))
            {
                if (LiveEventReader.UnknownField(root, "send {\"session\": \"ID\"} alone, or {\"events\": [ ... ]}", "session") is { } unknown) return Bad(unknown);
                var id = s.ValueKind == JsonValueKind.String ? Text(s) : null;
                var why = s.ValueKind != JsonValueKind.String ? $"found {s.ValueKind.ToString().ToLowerInvariant()}"
                    : id is null ? "it holds a lone surrogate escape or invalid UTF-8" : LiveEventReader.IdProblem(id);
                if (why is not null) return Problem(400, "Field 'session' must be a session id", why, "session");
                session = id;
            }
            else if (root.TryGetProperty("events", out _))
            {
                var (read, fault) = LiveEventReader.Read(root, DateTimeOffset.UtcNow, options.MaxBatch);
                if (fault is not null) return Bad(fault);
                events = read;
            }
            else return Problem(400, "Missing field 'session' or 'events'", "send {\"session\": \"ID\"} or {\"events\": [ ... ]}", "session");
        }
        catch (InvalidOperationException) // a field name with a lone surrogate escape
        {
            return Bad(LiveEventReader.NotText);
        }
        using var lease = service.Models.Acquire();
        var models = lease.Models;
        if (models.PurchaseIntent is null) return NoModel("purchase-intent", "/v1/predict/purchase-intent");
        PurchaseIntent r;
        if (session is not null)
        {
            if (service.State.Session(session) is not { } known)
                return Problem(StatusCodes.Status404NotFound, $"No events of session '{session}'", "send its events to POST /v1/events first, or send them here as {\"events\": [ ... ]}", "session");
            r = models.PurchaseIntent.Score(service.State, known.User, session, known.Events);
        }
        else
        {
            var (scored, fault) = models.PurchaseIntent.ScoreEvents(service.State, events!);
            if (fault is not null) return Bad(fault);
            r = scored!;
        }
        return Results.Json(new PurchaseIntentAnswer(ShopcastServer.Versioned(http, models.PurchaseIntentVersion!), r.User, r.Session,
            Math.Round(r.Probability, 6), r.WillBuy, Math.Round(r.Threshold, 6), r.PrefixLength, r.AlreadyBought), ShopcastServer.Json);
    }

    /// <summary>Reads {"texts": ["...", ...]}: a 400 naming the field for anything else (unknown fields included).</summary>
    private static async Task<(string[]? Texts, IResult? Problem)> ReadTexts(HttpContext http, int maxBatch)
    {
        var (doc, problem) = await ReadJson(http);
        if (problem is not null) return (null, problem);
        try { return ReadTexts(doc!, maxBatch); }
        catch (InvalidOperationException) // a field name with a lone surrogate escape
        {
            doc!.Dispose();
            return (null, Bad(LiveEventReader.NotText));
        }
    }

    private static (string[]? Texts, IResult? Problem) ReadTexts(JsonDocument doc, int maxBatch)
    {
        using (doc)
        {
            var root = doc!.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return (null, Problem(400, "The body must be a JSON object", "expected {\"texts\": [\"...\"]}", "body"));
            if (LiveEventReader.UnknownField(root, "the only field is texts", "texts") is { } unknown) return (null, Bad(unknown));
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
                catch (InvalidOperationException) { return (null, Problem(400, $"texts[{i}] is not valid text", "it holds a lone surrogate escape or invalid UTF-8", $"texts[{i}]")); }
                if (texts[i].Length > LiveEventReader.MaxTextLength)
                    return (null, Problem(400, $"texts[{i}] is too long", $"{texts[i].Length:N0} characters; at most {LiveEventReader.MaxTextLength:N0}", $"texts[{i}]"));
                i++;
            }
            return (texts, null);
        }
    }
}
