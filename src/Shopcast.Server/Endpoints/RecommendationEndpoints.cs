using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Shopcast.Serving;
using static Shopcast.Server.HttpProblems;

namespace Shopcast.Server.Endpoints;

/// <summary>GET /v1/users/{id}/recommendations and GET /v1/items/{id}/similar, from the next-item bundle on the live state.</summary>
internal static class RecommendationEndpoints
{
    public const int MaxK = 1000;

    public static void Map(WebApplication app, LiveService service)
    {
        // The query parameters are in the signature for the OpenAPI document; they are read (and checked) from the query.
        app.MapGet("/v1/users/{id}/recommendations", async (string id, string? k, string? exclude_seen, string? category, HttpContext http) =>
        {
            if ((RouteId(id, "user") ?? UnknownQuery(http, "k", "exclude_seen", "category")) is { } p) return p;
            id = RouteValue(id);
            var (top, kp) = IntQuery(http, "k", 10, 1, MaxK);
            var (excludeSeen, ep) = BoolQuery(http, "exclude_seen", true);
            var (inCategory, cp) = IdQuery(http, "category");
            if ((kp ?? ep ?? cp) is { } q) return q;
            using var lease = service.Models.Acquire();
            if (lease.Models.NextItem is null) return NoModel("next-item", "/v1/users/{id}/recommendations");
            var r = await Recommender.ForUserAsync(lease.Models, service.State, id, top, excludeSeen, inCategory, http.RequestAborted);
            ShopcastServer.Versioned(http, r.ModelVersion);
            return Results.Json(r, Recommender.JsonOptions);
        })
        .WithSummary("Top-k items for a user from the next-item model on their live history; unknown users get what is popular now (cold_start: true)")
        .WithTags("recommendations")
        .Produces<Recommendations>().ProducesProblem(400).ProducesProblem(404);

        app.MapGet("/v1/items/{id}/similar", async (string id, string? k, string? category, HttpContext http) =>
        {
            if ((RouteId(id, "item") ?? UnknownQuery(http, "k", "category")) is { } p) return p;
            id = RouteValue(id);
            var (top, kp) = IntQuery(http, "k", 10, 1, MaxK);
            var (inCategory, cp) = IdQuery(http, "category");
            if ((kp ?? cp) is { } q) return q;
            using var lease = service.Models.Acquire();
            if (lease.Models.NextItem is null) return NoModel("next-item", "/v1/items/{id}/similar");
            var similar = await Recommender.SimilarAsync(lease.Models, service.State, id, top, inCategory, http.RequestAborted);
            if (similar is null)
                return Problem(StatusCodes.Status404NotFound, $"Item '{id}' is not in the model's catalogue",
                    $"the next-item model ({lease.Models.NextItemVersion}) was trained without it; retrain to include new items", "item");
            ShopcastServer.Versioned(http, similar.ModelVersion);
            return Results.Json(similar, Recommender.JsonOptions);
        })
        .WithSummary("Items the next-item model expects after this one (its scores for a one-item history)")
        .WithTags("recommendations")
        .Produces<SimilarItems>().ProducesProblem(400).ProducesProblem(404);
    }
}
