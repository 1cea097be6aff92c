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
    internal static readonly JsonSerializerOptions Json = Recommender.JsonOptions;

    /// <summary>Starts the service and blocks until it is stopped (Ctrl+C, SIGTERM); <paramref name="listening"/> gets the app once it listens.</summary>
    public static void Run(ServerOptions options, Action<WebApplication> listening)
    {
        CheckUrls(options.Urls);
        var app = Build(options);
        try { app.Start(); }
        catch (Exception e) when (e is IOException or FormatException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            Service(app).Dispose(); // the container did not create it, so it does not dispose it
            (app as IDisposable).Dispose();
            throw new Data.ShopcastInputException($"--urls {options.Urls}: cannot listen there ({e.Message.Split('\n')[0]})");
        }
        listening(app);
        app.WaitForShutdown();
    }

    /// <summary>--urls: one or more http://HOST:PORT separated by ';' (https needs a certificate this command does not take).</summary>
    public static void CheckUrls(string urls)
    {
        var list = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (list.Length == 0) throw new Data.ShopcastInputException("--urls: empty; give an address such as http://127.0.0.1:8080");
        foreach (var url in list)
        {
            if (!Uri.TryCreate(url.Replace("://*", "://localhost").Replace("://+", "://localhost"), UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https"))
                throw new Data.ShopcastInputException($"--urls {url}: not an address to listen on; expected e.g. http://127.0.0.1:8080");
            if (u.Scheme == "https")
                throw new Data.ShopcastInputException($"--urls {url}: https needs a certificate, which shopcast serve does not take; listen on http behind a TLS proxy");
            if (u.IsDefaultPort && !url.Contains(":80", StringComparison.Ordinal))
                throw new Data.ShopcastInputException($"--urls {url}: give the port, e.g. http://127.0.0.1:8080");
            if (u.AbsolutePath != "/")
                throw new Data.ShopcastInputException($"--urls {url}: an address has no path; the routes are under /v1 of http://HOST:PORT");
            // Kestrel listens on every interface for a host name it cannot take as an address: refuse rather than expose.
            bool any = url.Contains("://*", StringComparison.Ordinal) || url.Contains("://+", StringComparison.Ordinal);
            if (!any && u.Host != "localhost" && !System.Net.IPAddress.TryParse(u.Host.Trim('[', ']'), out _))
                throw new Data.ShopcastInputException($"--urls {url}: '{u.Host}' is not an IP address; listen on one (127.0.0.1, or 0.0.0.0 for every interface) or localhost");
        }
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
            builder.Logging.ClearProviders().AddSimpleConsole(c => c.SingleLine = true).SetMinimumLevel(LogLevel.Warning)
                // A failed start is reported by the CLI as one error line; the host's own report would be a stack trace.
                .AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
            builder.Services.AddProblemDetails();
            builder.Services.ConfigureHttpJsonOptions(j => j.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
            builder.Services.AddOpenApi(o =>
            {
                o.AddDocumentTransformer((doc, _, _) =>
                {
                    doc.Info.Title = "Shopcast";
                    doc.Info.Description = "Events in, predictions out: recommendations, similar items, purchase intent and review sentiment from the bundles `shopcast run` writes. " +
                                           "Errors are RFC 7807 problem details with a `field` naming what is wrong. See docs/api.md.";
                    doc.Components ??= new Microsoft.OpenApi.OpenApiComponents();
                    doc.Components.SecuritySchemes ??= new Dictionary<string, Microsoft.OpenApi.IOpenApiSecurityScheme>();
                    doc.Components.SecuritySchemes["ApiKey"] = new Microsoft.OpenApi.OpenApiSecurityScheme
                    {
                        Type = Microsoft.OpenApi.SecuritySchemeType.ApiKey, In = Microsoft.OpenApi.ParameterLocation.Header, Name = ApiKeyFilter.Header,
                        Description = $"The key the server was started with ({ApiKeyFilter.EnvironmentVariable}); write and admin routes need it.",
                    };
                    return Task.CompletedTask;
                });
                o.AddSchemaTransformer((schema, ctx, _) =>
                {
                    // An event's time is ISO 8601 text or whole Unix milliseconds.
                    if (ctx.JsonTypeInfo.Type == typeof(EventDocument) && schema.Properties is { } props && props.ContainsKey("time"))
                        props["time"] = new Microsoft.OpenApi.OpenApiSchema
                        {
                            Description = "ISO 8601 (UTC when it has no offset) or whole Unix milliseconds; default: the server's clock",
                            OneOf = new List<Microsoft.OpenApi.IOpenApiSchema>
                            {
                                new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String, Format = "date-time" },
                                new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.Integer, Format = "int64" },
                            },
                        };
                    return Task.CompletedTask;
                });
                o.AddOperationTransformer((op, ctx, _) =>
                {
                    // The query parameters are read by hand (so a bad one is a 400 naming it); say what they take.
                    foreach (var p in op.Parameters?.OfType<Microsoft.OpenApi.OpenApiParameter>() ?? Enumerable.Empty<Microsoft.OpenApi.OpenApiParameter>())
                    {
                        if (p.Name == "k")
                            p.Schema = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.Integer, Minimum = "1", Maximum = "1000", Default = System.Text.Json.Nodes.JsonValue.Create(10) };
                        else if (p.Name == "exclude_seen")
                            p.Schema = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.Boolean, Default = System.Text.Json.Nodes.JsonValue.Create(true) };
                    }
                    if (ctx.Description.ActionDescriptor.EndpointMetadata.OfType<ApiKeyFilter.Required>().Any())
                        op.Security = new List<Microsoft.OpenApi.OpenApiSecurityRequirement>
                        {
                            new() { [new Microsoft.OpenApi.OpenApiSecuritySchemeReference("ApiKey", ctx.Document)] = new List<string>() },
                        };
                    return Task.CompletedTask;
                });
            });
            builder.Services.AddSingleton(service);
            configure?.Invoke(builder);
            var app = builder.Build();
            app.Lifetime.ApplicationStopped.Register(service.Dispose);

            // An unexpected failure is a 500 with problem details (no stack trace: that goes to the log).
            app.UseExceptionHandler();
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

            app.MapMethods("/health", new[] { "GET", "HEAD" }, (HttpContext http) =>
            {
                if (HttpProblems.UnknownQuery(http) is { } q) return q;
                using var lease = service.Models.Acquire();
                var fault = service.Journal?.Fault;
                var answer = new HealthAnswer(fault is null ? "ok" : "degraded", fault,
                    lease.Models.Loaded.Select(m => new ServedModel(m.Task, m.Model, m.Version)).ToList(), service.State.Events, service.State.Users);
                return Results.Json(answer, Json, statusCode: fault is null ? 200 : 503);
            }).WithSummary("Liveness (503 \"degraded\" when the event store cannot write), the loaded models and the size of the online state")
              .WithTags("operations").Produces<HealthAnswer>().Produces<HealthAnswer>(503);
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
