namespace Shopcast.Server;

// The JSON shapes of requests and answers (snake_case on the wire), for the OpenAPI document and the handlers.
// Requests are read by hand (LiveEventReader, PredictionEndpoints) so that a fault names its field; these records
// describe them. Recommendations and similar items answer with the library's records (Serving/Recommender).

/// <summary>One event: user, item and type are required; time is ISO 8601 text or whole Unix milliseconds (default: now).</summary>
public sealed record EventDocument(string User, string Item, string Type, System.Text.Json.Nodes.JsonNode? Time = null, string? Session = null,
    string? Category = null, string? Brand = null, double? Price = null, double? Value = null, string? Text = null);

public sealed record EventBatchDocument(IReadOnlyList<EventDocument> Events);

public sealed record EventsAccepted(int Accepted, long StateEvents);

public sealed record UserStateAnswer(string User, long Events, IReadOnlyDictionary<string, long> ByType, DateTimeOffset? LastEventTime, IReadOnlyList<string> RecentItems);

public sealed record TextsDocument(IReadOnlyList<string> Texts);

public sealed record SentimentAnswer(
    [property: System.Text.Json.Serialization.JsonPropertyName("model_version")] string ModelVersion,
    [property: System.Text.Json.Serialization.JsonPropertyName("predictions")] IReadOnlyList<Shopcast.Models.SentimentPrediction> Predictions);

/// <summary>/health: "ok", or "degraded" with the reason (the event store cannot write, the state is behind it).</summary>
public sealed record HealthAnswer(string Status, string? Problem, IReadOnlyList<ServedModel> Models, long Events, int Users);

public sealed record ServedModel(string Task, string Model, string Version);

/// <summary>Either a session the server has events of, or a session's events (one user; not stored).</summary>
public sealed record SessionIntentDocument(string? Session = null, IReadOnlyList<EventDocument>? Events = null);

public sealed record PurchaseIntentAnswer(string ModelVersion, string User, string? Session, double Probability, bool WillBuy, double Threshold,
    int PrefixLength, bool AlreadyBought);

public sealed record ReloadDocument(IReadOnlyList<string>? Models = null);

public sealed record LoadedModel(string Task, string Model, string Version, string Directory);

public sealed record ReloadAnswer(IReadOnlyList<LoadedModel> Models, int Reloads);
