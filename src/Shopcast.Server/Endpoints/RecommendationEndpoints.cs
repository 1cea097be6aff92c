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
        app.MapGet("/v1/users/{id}/recommendations", async (string id, HttpContext http) =>
        {
            if ((RouteId(id, "user") ?? UnknownQuery(http, "k", "exclude_seen", "category")) is { } p) return p;
            var (k, kp) = IntQuery(http, "k", 10, 1, MaxK);
            var (excludeSeen, ep) = BoolQuery(http, "exclude_seen", true);
            var (category, cp) = IdQuery(http, "category");
            if ((kp ?? ep ?? cp) is { } q) return q;
            using var lease = service.Models.Acquire();
            var models = lease.Models;
            if (models.NextItem is null) return NoModel("next-item", "/v1/users/{id}/recommendations");
            var r = await Recommender.ForUserAsync(models.NextItem, models.NextItemScorer!, service.State, id, k, excludeSeen, category, http.RequestAborted);
            return Results.Json(new RecommendationsAnswer(r.User, ShopcastServer.Versioned(http, models.NextItemVersion!), r.ColdStart, r.Source,
                r.HistoryLength, r.Items.Select(i => new ScoredItem(i.Item, i.Score)).ToList()), ShopcastServer.Json);
        })
        .WithSummary("Top-k items for a user from the next-item model on their live history; unknown users get what is popular now (cold_start: true)")
        .WithTags("recommendations")
        .Produces<RecommendationsAnswer>().ProducesProblem(400).ProducesProblem(404);

        app.MapGet("/v1/items/{id}/similar", async (string id, HttpContext http) =>
        {
            if ((RouteId(id, "item") ?? UnknownQuery(http, "k", "category")) is { } p) return p;
            var (k, kp) = IntQuery(http, "k", 10, 1, MaxK);
            var (category, cp) = IdQuery(http, "category");
            if ((kp ?? cp) is { } q) return q;
            using var lease = service.Models.Acquire();
            var models = lease.Models;
            if (models.NextItem is null) return NoModel("next-item", "/v1/items/{id}/similar");
            var items = await Recommender.SimilarAsync(models.NextItem, models.NextItemScorer!, service.State, id, k, category, http.RequestAborted);
            if (items is null)
                return Problem(StatusCodes.Status404NotFound, $"Item '{id}' is not in the model's catalogue",
                    $"the next-item model ({models.NextItemVersion}) was trained without it; retrain to include new items", "id");
            return Results.Json(new SimilarItemsAnswer(id, ShopcastServer.Versioned(http, models.NextItemVersion!),
                items.Select(i => new ScoredItem(i.Item, i.Score)).ToList()), ShopcastServer.Json);
        })
        .WithSummary("Items the next-item model expects after this one (its scores for a one-item history)")
        .WithTags("recommendations")
        .Produces<SimilarItemsAnswer>().ProducesProblem(400).ProducesProblem(404);
    }
}
