using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shopcast.Models;
using Shopcast.Serving;

namespace Shopcast.Server;

/// <summary>Options of <c>shopcast serve</c>.</summary>
public sealed record ServerOptions
{
    public required IReadOnlyList<string> ModelDirectories { get; init; }
    public string Urls { get; init; } = "http://127.0.0.1:8080";
    /// <summary>Most texts one /v1/predict/sentiment request may carry.</summary>
    public int MaxBatch { get; init; } = 1000;
    /// <summary>Largest request body, in bytes.</summary>
    public long MaxRequestBytes { get; init; } = 4 << 20;
}

/// <summary>
/// The HTTP service: routes, request validation and RFC 7807 problem details; every answer comes from the library
/// (<see cref="ModelSet"/>, <see cref="SentimentBundle"/>). Endpoints so far: <c>GET /health</c> and
/// <c>POST /v1/predict/sentiment</c>; docs/api.md describes them.
/// </summary>
public static class ShopcastServer
{
    public const string VersionHeader = "X-Model-Version";

    /// <summary>Starts the service and blocks until it is stopped (Ctrl+C, SIGTERM); <paramref name="listening"/> gets the addresses.</summary>
    public static void Run(ServerOptions options, Action<IEnumerable<string>> listening)
    {
        var app = Build(options);
        try { app.Start(); }
        catch (IOException e) { throw new Data.ShopcastInputException($"--urls {options.Urls}: cannot listen there ({e.Message.Split('\n')[0]})"); }
        listening(app.Urls);
        app.WaitForShutdown();
    }

    /// <summary>Builds the app (not started). <paramref name="configure"/> lets tests swap the server (TestServer).</summary>
    public static WebApplication Build(ServerOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        var models = ModelSet.Load(options.ModelDirectories);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.MaxRequestBytes);
        builder.Logging.ClearProviders().AddSimpleConsole(c => c.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton(models);
        configure?.Invoke(builder);
        var app = builder.Build();
        app.Lifetime.ApplicationStopped.Register(models.Dispose);

        app.MapGet("/health", () => Results.Json(new
        {
            status = "ok",
            models = models.Loaded.Select(m => new { task = m.Task, model = m.Model, version = m.Version }),
        }));

        var predictLock = new object(); // one prediction at a time per process until the models are checked for concurrent use
        app.MapPost("/v1/predict/sentiment", async (HttpContext http) =>
        {
            if (models.Sentiment is null)
                return Problem(StatusCodes.Status404NotFound, "No sentiment model is loaded",
                    "start the server with --model OUT/models/<model> from a `shopcast run --task sentiment`");
            var (texts, problem) = await ReadTexts(http, options.MaxBatch);
            if (problem is not null) return problem;
            IReadOnlyList<SentimentPrediction> predictions;
            lock (predictLock) predictions = models.Sentiment.Predict(texts!);
            http.Response.Headers[VersionHeader] = models.SentimentVersion;
            return Results.Json(new Dictionary<string, object?> { ["model_version"] = models.SentimentVersion, ["predictions"] = predictions },
                SentimentBundle.JsonLineOptions);
        });
        return app;
    }

    /// <summary>Reads {"texts": ["...", ...]}: a 400 naming the field for anything else (unknown fields included).</summary>
    private static async Task<(string[]? Texts, IResult? Problem)> ReadTexts(HttpContext http, int maxBatch)
    {
        JsonDocument doc;
        try { doc = await JsonDocument.ParseAsync(http.Request.Body); }
        catch (JsonException e) { return (null, Problem(400, "The body is not valid JSON", e.Message)); }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Problem(413, "The request body is too large", e.Message));
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                return (null, Problem(400, "The body must be a JSON object", "expected {\"texts\": [\"...\"]}", "body"));
            foreach (var p in doc.RootElement.EnumerateObject())
                if (p.Name != "texts") return (null, Problem(400, $"Unknown field '{p.Name}'", "the only field is texts", p.Name));
            if (!doc.RootElement.TryGetProperty("texts", out var arr))
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

    private static IResult Problem(int status, string title, string detail, string? field = null) =>
        Results.Problem(title: title, detail: detail, statusCode: status,
            extensions: field is null ? null : new Dictionary<string, object?> { ["field"] = field });
}
