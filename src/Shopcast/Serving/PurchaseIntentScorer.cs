using Shopcast.Data;
using Shopcast.Features;
using Shopcast.Jobs;
using Shopcast.Tasks.PurchaseIntent;
using Shopcast.Tasks.Tabular;

namespace Shopcast.Serving;

/// <summary>A session's purchase intent: P(the session goes on to buy), against the bundle's own threshold.</summary>
public sealed record PurchaseIntent(string User, string? Session, double Probability, bool WillBuy, double Threshold, int PrefixLength, bool AlreadyBought);

/// <summary>
/// Purchase intent from a bundle of <c>shopcast run --task purchase-intent</c> on an event log: the features it was
/// trained on (<see cref="SessionIntentExamples"/>: the session prefix's counts, and the point-in-time counts of the
/// shopper, the current item and its category before the prefix's last event) are computed from the session's events
/// and the live state, in the bundle's column order. Bundles trained on the UCI session table have other columns and
/// are refused at load.
/// </summary>
public sealed class PurchaseIntentScorer : IDisposable
{
    public const string Task = ClassificationJob.PurchaseIntent;

    private readonly IBinaryClassifier _model;
    private readonly string[] _columns;
    private readonly int[] _source; // bundle column -> index in (prefix columns ++ point-in-time columns)
    private readonly object _gate = new();
    public double Threshold { get; }
    /// <summary>Longest first-to-last span of a session sent as events.</summary>
    public const long MaxSessionSpanMs = 86_400_000;

    private PurchaseIntentScorer(IBinaryClassifier model, string[] columns, int[] source, double threshold)
    {
        _model = model; _columns = columns; _source = source; Threshold = threshold;
    }

    public static PurchaseIntentScorer Load(string directory)
    {
        var (model, columns, threshold) = ClassificationJob.LoadBundle(directory);
        var known = SessionIntentExamples.PrefixColumns.Concat(new PointInTimeFeatures(clock: true).Columns).ToList();
        var source = new int[columns.Count];
        for (int i = 0; i < columns.Count; i++)
        {
            source[i] = known.IndexOf(columns[i]);
            if (source[i] < 0)
            {
                (model as IDisposable)?.Dispose();
                throw new ShopcastInputException(
                    $"model bundle '{directory}': its feature '{columns[i]}' is not one the server computes from events; only purchase-intent bundles " +
                    "trained on an event log (not the UCI session table) can be served");
            }
        }
        if (model.Name == "din")
        {
            (model as IDisposable)?.Dispose();
            throw new ShopcastInputException($"model bundle '{directory}': din reads the training log's item ids, which its bundle does not carry; serve lr, lgbm, mlp, deepfm or dcnv2");
        }
        return new PurchaseIntentScorer(model, columns.ToArray(), source, threshold);
    }

    /// <summary>
    /// Scores a session the state holds (its events, time order): the prefix is cut before the first purchase and after
    /// <see cref="ClassificationJob.MaxPrefix"/> events, as in training.
    /// </summary>
    public PurchaseIntent Score(ShopperState state, string user, string? session, IReadOnlyList<SessionEvent> events) =>
        Score(state, user, session, events, stored: true);

    /// <summary>
    /// Scores a session sent as events (not stored): they must share one user; the state's counts are taken with the
    /// session's own earlier events added, as training counted them. The fault names the field otherwise.
    /// </summary>
    public (PurchaseIntent? Intent, RequestFault? Fault) ScoreEvents(ShopperState state, IReadOnlyList<LiveEvent> events)
    {
        var user = events[0].User;
        for (int i = 1; i < events.Count; i++)
        {
            if (events[i].User != user)
                return (null, new RequestFault($"events[{i}].user", "A session's events must share one user", $"events[0] is user '{user}', events[{i}] is '{events[i].User}'"));
            if (events[i].Session != events[0].Session)
                return (null, new RequestFault($"events[{i}].session", "A session's events must share one session", $"events[0] is in session '{events[0].Session}', events[{i}] in '{events[i].Session}'"));
        }
        var ordered = events.OrderBy(e => e.TimeMs).Select(e => new SessionEvent(e.Item, e.Type, e.TimeMs, e.Category)).ToList();
        // Training sessions are visits (cut after 30 minutes without events): a day-long span is no session the model knows.
        if (ordered[^1].TimeMs - ordered[0].TimeMs > MaxSessionSpanMs)
            return (null, new RequestFault("events", "The events span more than a day", "a session is one visit; send the events of one session"));
        return (Score(state, user, events[0].Session, ordered, stored: false), null);
    }

    private PurchaseIntent Score(ShopperState state, string user, string? session, IReadOnlyList<SessionEvent> events, bool stored)
    {
        if (events.Count == 0) throw new ArgumentException("a session needs at least one event", nameof(events));
        int firstBuy = -1;
        for (int i = 0; i < events.Count; i++) if (events[i].Type == EventType.Purchase) { firstBuy = i; break; }
        // A session that opens with a purchase has no prefix before it: its first event stands in (already_bought says so).
        int n = Math.Max(1, Math.Min(ClassificationJob.MaxPrefix, firstBuy < 0 ? events.Count : firstBuy));
        var prefix = events.Take(n).ToArray();
        var last = prefix[^1];

        var known = new float[SessionIntentExamples.PrefixColumns.Length + state.PointInTimeColumns.Count];
        known[0] = n;
        known[1] = (last.TimeMs - prefix[0].TimeMs) / 60_000f;
        known[2] = prefix.Select(e => e.Item).Distinct().Count();
        known[3] = prefix.Count(e => e.Type == EventType.View);
        known[4] = prefix.Count(e => e.Type == EventType.Cart);
        known[5] = prefix.Count(e => e.Type == EventType.Favourite);
        state.IntentFeatures(user, last.Item, last.Category, last.TimeMs, known.AsSpan(SessionIntentExamples.PrefixColumns.Length),
            stored ? null : prefix.Select(e => (user, e)).ToList());

        var row = new float[_columns.Length];
        for (int i = 0; i < row.Length; i++) row[i] = known[_source[i]];
        var table = new FeatureTable { Columns = _columns, Values = row, Labels = new float[1] };
        float p;
        lock (_gate) p = _model.Predict(table)[0]; // one at a time: LightGBM's native booster and TorchSharp nets are not checked for concurrent use
        return new PurchaseIntent(user, session, p, p >= Threshold, Threshold, n, firstBuy >= 0);
    }

    public void Dispose() => (_model as IDisposable)?.Dispose();
}
