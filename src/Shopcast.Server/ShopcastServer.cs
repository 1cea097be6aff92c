using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;
using Scalar.AspNetCore;
using Shopcast.Serving;
using Shopcast.Server.Endpoints;

namespace Shopcast.Server;

/// <summary>Options of <c>shopcast serve</c>.</summary>
public sealed record ServerOptions
{
    public required IReadOnlyList<string> ModelDirectories { get; init; }
    public string Urls { get; init; } = "http://127.0.0.1:8080";
    /// <summary>The event journal (DuckDB file; `shopcast serve` defaults to <see cref="DefaultStore"/>); null keeps accepted events in memory only.</summary>
    public string? StorePath { get; init; }
    /// <summary>Past events read at start (a run's OUT/events.duckdb); null: none.</summary>
    public string? HistoryPath { get; init; }
    /// <summary>The key write and admin routes require (X-Api-Key); null or empty refuses them.</summary>
    public string? ApiKey { get; init; }
    /// <summary>Most texts or events one request may carry.</summary>
    public int MaxBatch { get; init; } = 1000;
    /// <summary>Largest request body, in bytes.</summary>
    public long MaxRequestBytes { get; init; } = 4 << 20;

    public const string DefaultStore = "serve-events.duckdb";
}

/// <summary>
/// The HTTP service: routes, request validation, API keys, metrics and the OpenAPI document; every answer comes from
/// the library (<see cref="LiveService"/>: models, online state, event journal). The routes live in
/// <c>Endpoints/</c>, one file per concern; docs/api.md describes them.
/// </summary>
public static class ShopcastServer
{
    public const string VersionHeader = "X-Model-Version";

    /// <summary>Answers' JSON: snake_case names, as docs/api.md shows them.</summary>
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Starts the service and blocks until it is stopped (Ctrl+C, SIGTERM); <paramref name="listening"/> gets the app once it listens.</summary>
    public static void Run(ServerOptions options, Action<WebApplication> listening)
    {
        var app = Build(options);
        try { app.Start(); }
        catch (IOException e)
        {
            (app as IDisposable).Dispose();
            throw new Data.ShopcastInputException($"--urls {options.Urls}: cannot listen there ({e.Message.Split('\n')[0]})");
        }
        listening(app);
        app.WaitForShutdown();
    }

    /// <summary>The library side of a built app, for tests and the CLI's start-up message.</summary>
    public static LiveService Service(WebApplication app) => app.Services.GetRequiredService<LiveService>();

    /// <summary>Builds the app (not started). <paramref name="configure"/> lets tests swap the server (TestServer).</summary>
    public static WebApplication Build(ServerOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        var service = new LiveService(new LiveServiceOptions
        {
            ModelDirectories = options.ModelDirectories, StorePath = options.StorePath, HistoryPath = options.HistoryPath,
        });
        try
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls(options.Urls);
            builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.MaxRequestBytes);
            // Warnings only, and never request headers: the API key must not reach a log.
            builder.Logging.ClearProviders().AddSimpleConsole(c => c.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
            builder.Services.AddProblemDetails();
            builder.Services.ConfigureHttpJsonOptions(j => j.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
            builder.Services.AddOpenApi(o => o.AddDocumentTransformer((doc, _, _) =>
            {
                doc.Info.Title = "Shopcast";
                doc.Info.Description = "Events in, predictions out: recommendations, similar items, purchase intent and review sentiment from the bundles `shopcast run` writes. See docs/api.md.";
                return Task.CompletedTask;
            }));
            builder.Services.AddSingleton(service);
            configure?.Invoke(builder);
            var app = builder.Build();
            app.Lifetime.ApplicationStopped.Register(service.Dispose);

            // Answers the framework gives without a body (no such route, wrong method, not JSON) get problem details too.
            app.UseStatusCodePages(async ctx =>
            {
                var http = ctx.HttpContext;
                var (title, detail) = http.Response.StatusCode switch
                {
                    404 => ("No such route", $"{http.Request.Path} is not a route of this server; the routes are listed at /openapi/v1.json and /docs"),
                    405 => ("Method not allowed", $"{http.Request.Path} does not take {http.Request.Method}"),
                    415 => ("The body must be JSON", "send it with the header Content-Type: application/json"),
                    var c => (ReasonPhrases.GetReasonPhrase(c), ""),
                };
                await HttpProblems.Problem(http.Response.StatusCode, title, detail).ExecuteAsync(http);
            });
            var metrics = new ServerMetrics(service);
            app.UseHttpMetrics(o => o.SetMetricFactory(metrics.Factory));
            var auth = new ApiKeyFilter(options.ApiKey);

            app.MapGet("/health", () =>
            {
                using var lease = service.Models.Acquire();
                return Results.Json(new
                {
                    status = "ok",
                    models = lease.Models.Loaded.Select(m => new { task = m.Task, model = m.Model, version = m.Version }),
                    events = service.State.Events,
                    users = service.State.Users,
                });
            }).WithSummary("Liveness, the loaded models and the size of the online state").WithTags("operations");
            app.MapMetrics("/metrics", metrics.Registry).WithSummary("Prometheus text: requests, latency, events, model versions, memory").WithTags("operations");
            app.MapOpenApi("/openapi/{documentName}.json");
            app.MapScalarApiReference("/docs", o => o.WithTitle("Shopcast API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));

            EventEndpoints.Map(app, service, options, auth, metrics);
            RecommendationEndpoints.Map(app, service);
            PredictionEndpoints.Map(app, service, options);
            AdminEndpoints.Map(app, service, auth, metrics);
            return app;
        }
        catch
        {
            service.Dispose();
            throw;
        }
    }

    /// <summary>Sets <see cref="VersionHeader"/> and returns the version, for answers that came from a model.</summary>
    internal static string Versioned(HttpContext http, string version)
    {
        http.Response.Headers[VersionHeader] = version;
        return version;
    }
}
