using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Shopcast.Data;
using Shopcast.Serving;
using static Shopcast.Server.HttpProblems;

namespace Shopcast.Server.Endpoints;

/// <summary>POST /v1/admin/models/reload: load new bundle versions without dropping a request.</summary>
internal static class AdminEndpoints
{
    public static void Map(WebApplication app, LiveService service, ApiKeyFilter auth, ServerMetrics metrics)
    {
        app.MapPost("/v1/admin/models/reload", async (HttpContext http) =>
        {
            if (UnknownQuery(http) is { } q) return q;
            IReadOnlyList<string>? dirs = null;
            if (http.Request.ContentLength is > 0 || http.Request.Headers.TransferEncoding.Count > 0)
            {
                var (doc, problem) = await ReadJson(http);
                if (problem is not null) return problem;
                using (doc)
                try
                {
                    var root = doc!.RootElement;
                    if (root.ValueKind != JsonValueKind.Object) return Problem(400, "The body must be a JSON object", "send {} or {\"models\": [\"DIR\", ...]}", "body");
                    if (LiveEventReader.UnknownField(root, "the only field is models", "models") is { } unknown) return Bad(unknown);
                    if (root.TryGetProperty("models", out var arr))
                    {
                        if (arr.ValueKind != JsonValueKind.Array || arr.GetArrayLength() == 0 || arr.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
                            return Problem(400, "Field 'models' must be a non-empty array of bundle folders", "e.g. [\"runs/beauty/models/sasrec\"]", "models");
                        dirs = arr.EnumerateArray().Select(e => e.GetString()!).ToList();
                    }
                }
                catch (InvalidOperationException) // a string with a lone surrogate escape
                {
                    return Bad(LiveEventReader.NotText);
                }
            }
            try
            {
                var loaded = service.Models.Reload(dirs);
                metrics.Reloads.WithLabels("ok").Inc();
                return Results.Json(new ReloadAnswer(loaded.Loaded.Select(m => new LoadedModel(m.Task, m.Model, m.Version, m.Directory)).ToList(),
                    service.Models.Reloads), ShopcastServer.Json);
            }
            catch (Exception e) when (e is not ObjectDisposedException)
            {
                // Any failure to load (a bundle half-written by a retraining, a corrupt weight file) keeps the current set.
                metrics.Reloads.WithLabels("failed").Inc();
                var why = e is ShopcastInputException ? e.Message : $"{e.GetType().Name}: {e.Message.Split('\n')[0]}";
                return Problem(StatusCodes.Status422UnprocessableEntity, "The bundles could not be loaded; the current models stay", why, "models");
            }
        })
        .AddEndpointFilter(auth).WithMetadata(new ApiKeyFilter.Required())
        .WithSummary("Load the bundles again and swap them in (the same folders; the ones given replace the bundles of their tasks); requests in flight finish on the old ones")
        .WithTags("admin")
        .Accepts(typeof(ReloadDocument), isOptional: true, "application/json")
        .Produces<ReloadAnswer>().ProducesProblem(400).ProducesProblem(401).ProducesProblem(422);
    }
}
