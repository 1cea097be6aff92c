namespace Shopcast.Server;

// The JSON shapes of requests and answers (snake_case on the wire), for the OpenAPI document and the handlers.
// Requests are read by hand (LiveEventReader, ShopcastServer.ReadTexts) so that a fault names its field; these
// records describe them.

/// <summary>One event: user, item and type are required; time is ISO 8601 or Unix milliseconds (default: now).</summary>
public sealed record EventDocument(string User, string Item, string Type, string? Time, string? Session, string? Category,
    string? Brand, double? Price, double? Value, string? Text);

public sealed record EventBatchDocument(IReadOnlyList<EventDocument> Events);

public sealed record EventsAccepted(int Accepted, long StateEvents);

public sealed record ScoredItem(string Item, float Score);

public sealed record RecommendationsAnswer(string User, string ModelVersion, bool ColdStart, string Source, int HistoryLength, IReadOnlyList<ScoredItem> Items);

public sealed record SimilarItemsAnswer(string Item, string ModelVersion, IReadOnlyList<ScoredItem> Items);

public sealed record UserStateAnswer(string User, long Events, IReadOnlyDictionary<string, long> ByType, DateTimeOffset? LastEventTime, IReadOnlyList<string> RecentItems);

public sealed record TextsDocument(IReadOnlyList<string> Texts);

/// <summary>Either a session the server has events of, or a session's events (one user; not stored).</summary>
public sealed record SessionIntentDocument(string? Session, IReadOnlyList<EventDocument>? Events);

public sealed record PurchaseIntentAnswer(string ModelVersion, string User, string? Session, double Probability, bool WillBuy, double Threshold,
    int PrefixLength, bool AlreadyBought);

public sealed record ReloadDocument(IReadOnlyList<string>? Models);

public sealed record LoadedModel(string Task, string Model, string Version, string Directory);

public sealed record ReloadAnswer(IReadOnlyList<LoadedModel> Models, int Reloads);
