using System.Text.Json.Nodes;
using Shopcast.Data;
using Shopcast.Models;

namespace Shopcast.Serving;

/// <summary>
/// The bundles a server answers with, loaded from the folders <c>shopcast run</c> wrote, one per task (a second bundle
/// for the same task is refused). Each has a version: its model name and the time it was trained
/// (manifest.json's created_utc), sent with every answer so a client knows which model spoke.
/// </summary>
public sealed class ModelSet : IDisposable
{
    public SentimentBundle? Sentiment { get; private init; }
    /// <summary>The next-item bundle: recommendations and similar items.</summary>
    public ModelBundle? NextItem { get; private init; }
    public string? SentimentVersion { get; private init; }
    public string? NextItemVersion { get; private init; }
    /// <summary>What history the next-item model reads: the one it was trained on (user or session sequences, which event types).</summary>
    public HistorySpec NextItemHistory { get; private init; } = new(false, null);
    /// <summary>Batches the next-item model's scoring across concurrent requests.</summary>
    public ScoreBatcher? NextItemScorer { get; private init; }
    /// <summary>The purchase-intent bundle (of an event log): a session's probability to buy.</summary>
    public PurchaseIntentScorer? PurchaseIntent { get; private init; }
    public string? PurchaseIntentVersion { get; private init; }

    /// <summary>Every loaded bundle: task, model, version, folder (for /health and /metrics).</summary>
    public IReadOnlyList<(string Task, string Model, string Version, string Directory)> Loaded { get; private init; } = Array.Empty<(string, string, string, string)>();

    public static ModelSet Load(IReadOnlyList<string> directories)
    {
        if (directories.Count == 0) throw new ShopcastInputException("--model: give at least one bundle folder (OUT/models/<model> of a `shopcast run`)");
        SentimentBundle? sentiment = null; string? sentimentVersion = null; ModelBundle? nextItem = null; string? nextItemVersion = null;
        PurchaseIntentScorer? intent = null; string? intentVersion = null; var history = new HistorySpec(false, null);
        var loaded = new List<(string, string, string, string)>();
        try
        {
            foreach (var dir in directories)
            {
                var manifest = ModelBundle.ReadManifest(dir);
                var task = (string?)manifest["task"] ?? "";
                if (loaded.Any(l => l.Item1 == task))
                    throw new ShopcastInputException($"--model {dir}: a '{task}' bundle is already loaded ({loaded.First(l => l.Item1 == task).Item4}); give one bundle per task");
                string version = Version(manifest);
                switch (task)
                {
                    case SentimentBundle.Task:
                        sentiment = SentimentBundle.Load(dir);
                        sentimentVersion = version;
                        break;
                    case "next-item":
                        history = HistoryOf(manifest, dir);
                        nextItem = ModelBundle.Load(dir);
                        nextItemVersion = version;
                        break;
                    case PurchaseIntentScorer.Task:
                        intent = PurchaseIntentScorer.Load(dir);
                        intentVersion = version;
                        break;
                    default:
                        throw new ShopcastInputException($"--model {dir}: a '{task}' bundle cannot be served (this Shopcast serves: next-item, {PurchaseIntentScorer.Task}, {SentimentBundle.Task})");
                }
                loaded.Add((task, (string?)manifest["model"] ?? "", version, dir));
            }
        }
        catch
        {
            sentiment?.Dispose();
            intent?.Dispose();
            (nextItem?.Model as IDisposable)?.Dispose();
            throw;
        }
        return new ModelSet { Sentiment = sentiment, SentimentVersion = sentimentVersion, NextItem = nextItem, NextItemVersion = nextItemVersion,
            NextItemHistory = history,
            NextItemScorer = nextItem is null ? null : new ScoreBatcher(nextItem.Model),
            PurchaseIntent = intent, PurchaseIntentVersion = intentVersion, Loaded = loaded };
    }

    /// <summary>The history a next-item bundle was trained on, from its manifest (bundles before these fields: users, all types).</summary>
    private static HistorySpec HistoryOf(JsonObject manifest, string dir)
    {
        var of = (string?)manifest["sequence_of"] ?? "item";
        if (of != "item")
            throw new ShopcastInputException($"--model {dir}: predicts the next {of} (a `--task preference` bundle), not the next item; serve a next-item bundle");
        HashSet<EventType>? types = null;
        if (manifest["event_types"] is JsonArray a)
            types = a.Select(t => EventTypes.Parse((string?)t ?? "") ?? EventType.Other).ToHashSet();
        return new HistorySpec((string?)manifest["sequences"] == "session", types);
    }

    /// <summary>"linear@2026-12-04T05:20:01.123Z": the model and when it was trained (to the millisecond, so two trainings differ).</summary>
    private static string Version(JsonObject manifest)
    {
        var created = DateTime.TryParse((string?)manifest["created_utc"], null, System.Globalization.DateTimeStyles.RoundtripKind, out var t)
            ? t.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ") : "unknown";
        return $"{manifest["model"]}@{created}";
    }

    public void Dispose()
    {
        Sentiment?.Dispose();
        PurchaseIntent?.Dispose();
        NextItemScorer?.Dispose(); // finishes what is queued before the model goes
        (NextItem?.Model as IDisposable)?.Dispose();
    }
}

/// <summary>
/// The history a next-item model reads: the user's latest session only (a model trained on sessions), and only
/// events of <see cref="Types"/> (a model trained with --events), or everything.
/// </summary>
public sealed record HistorySpec(bool LatestSession, IReadOnlySet<EventType>? Types);
