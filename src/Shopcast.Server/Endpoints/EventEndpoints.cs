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
        .AddEndpointFilter(auth)
        .WithSummary("Send one event or a batch; each is durably stored before the answer and updates its user's and session's state")
        .WithTags("events")
        .Accepts<EventBatchDocument>("application/json")
        .Produces<EventsAccepted>()
        .ProducesProblem(400).ProducesProblem(401).ProducesProblem(413).ProducesProblem(503);

        app.MapGet("/v1/users/{id}/state", (string id, HttpContext http) =>
        {
            if ((RouteId(id, "user") ?? UnknownQuery(http)) is { } p) return p;
            if (service.State.Summary(id) is not { } s)
                return Problem(StatusCodes.Status404NotFound, $"No events of user '{id}'", "the server has seen no event of this user (history, journal or live)", "id");
            var (recent, _) = service.State.History(id, 20)!.Value;
            return Results.Json(new UserStateAnswer(s.User, s.Events, s.ByType,
                s.LastEventMs == long.MinValue ? null : DateTimeOffset.FromUnixTimeMilliseconds(s.LastEventMs), recent), ShopcastServer.Json);
        })
        .WithSummary("What the online state holds of a user: event counts by type, last event time, the 20 most recent items")
        .WithTags("events")
        .Produces<UserStateAnswer>().ProducesProblem(400).ProducesProblem(404);
    }
}
