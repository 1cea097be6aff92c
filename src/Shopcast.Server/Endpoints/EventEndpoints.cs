using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Shopcast.Serving;
using static Shopcast.Server.HttpProblems;

namespace Shopcast.Server.Endpoints;

/// <summary>POST /v1/events (events in: durable, then live) and GET /v1/users/{id}/state (what the state holds of a user).</summary>
internal static class EventEndpoints
{
    public static void Map(WebApplication app, LiveService service, ServerOptions options, ApiKeyFilter auth, ServerMetrics metrics)
    {
        app.MapPost("/v1/events", async (HttpContext http) =>
        {
            if (UnknownQuery(http) is { } q) { metrics.BatchesRejected.WithLabels("query").Inc(); return q; }
            var (doc, problem) = await ReadJson(http);
            if (problem is not null) { metrics.BatchesRejected.WithLabels("body").Inc(); return problem; }
            IReadOnlyList<LiveEvent> events;
            using (doc)
            {
                var (read, fault) = LiveEventReader.Read(doc!.RootElement, DateTimeOffset.UtcNow, options.MaxBatch);
                if (fault is not null) { metrics.BatchesRejected.WithLabels("field").Inc(); return Bad(fault); }
                events = read!;
            }
            try { await service.IngestAsync(events); }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                metrics.BatchesRejected.WithLabels("store").Inc();
                return Problem(StatusCodes.Status503ServiceUnavailable, "The events could not be stored",
                    $"none of them was accepted; retry later ({e.GetType().Name}: {e.Message.Split('\n')[0]})");
            }
            metrics.EventsAccepted.Inc(events.Count);
            return Results.Json(new EventsAccepted(events.Count, service.State.Events), ShopcastServer.Json);
        })
        .AddEndpointFilter(auth).WithMetadata(new ApiKeyFilter.Required())
        .WithSummary("Send one event or a batch; each is durably stored before the answer and updates its user's and session's state")
        .WithTags("events")
        .Accepts<EventBatchDocument>("application/json")
        .Produces<EventsAccepted>()
        .ProducesProblem(400).ProducesProblem(401).ProducesProblem(413).ProducesProblem(503);

        app.MapGet("/v1/users/{id}/state", (string id, HttpContext http) =>
        {
            if ((RouteId(id, "user") ?? UnknownQuery(http)) is { } p) return p;
            id = RouteValue(id);
            if (service.State.Summary(id) is not { } s)
                return Problem(StatusCodes.Status404NotFound, $"No events of user '{id}'", "the server has seen no event of this user (history, journal or live)", "user");
            var recent = service.State.History(id, 20)!;
            return Results.Json(new UserStateAnswer(s.User, s.Events, s.ByType,
                // Before 2000 is no clock time: a history without clock times (Beauty.txt) holds positions, not times.
                s.LastEventMs < LiveEventReader.Earliest.ToUnixTimeMilliseconds() ? null : DateTimeOffset.FromUnixTimeMilliseconds(s.LastEventMs), recent),
                ShopcastServer.Json);
        })
        .AddEndpointFilter(auth).WithMetadata(new ApiKeyFilter.Required()) // a shopper's activity: not for anyone who can reach the port
        .WithSummary("What the online state holds of a user (needs the API key): event counts by type, last event time, the 20 most recent items")
        .WithTags("events")
        .Produces<UserStateAnswer>().ProducesProblem(400).ProducesProblem(401).ProducesProblem(404);
    }
}
