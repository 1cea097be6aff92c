using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Shopcast.Evaluation;
using Shopcast.Models;

namespace Shopcast.Serving;

/// <summary>One recommended item and its score (the model's score, or a count for "popular now").</summary>
public sealed record RecommendedItem(string Item, float Score);

/// <summary>
/// A user's recommendations, as the server answers them and `shopcast predict recommendations` prints them.
/// <see cref="ColdStart"/> is true when the model had nothing of the user to read (unknown user, or none of their
/// items in its catalogue): <see cref="Source"/> then says what answered ("popular-now": the most frequent items of
/// the server's recent events).
/// </summary>
/// <param name="Note">Why <see cref="Items"/> is short or empty, when it is (no events yet, no item in the category).</param>
public sealed record Recommendations(string User, string ModelVersion, bool ColdStart, string Source, int HistoryLength, IReadOnlyList<RecommendedItem> Items,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Note = null);

/// <summary>Similar items, as the server answers them.</summary>
public sealed record SimilarItems(string Item, string ModelVersion, IReadOnlyList<RecommendedItem> Items,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Note = null);

/// <summary>
/// Recommendations and similar items from a next-item bundle on the live state: the model scores the whole catalogue
/// for the user's recent items (oldest first, the kind of history it was trained on), the items they already touched
/// are left out when asked, a category filter keeps the items last seen in that category, and the top k are returned.
/// </summary>
public static class Recommender
{
    public const string PopularNow = "popular-now";

    /// <summary>The answers' JSON: snake_case, non-ASCII ids as they are.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>One JSON line (`shopcast predict recommendations` prints these; the server answers the same object).</summary>
    public static string JsonLine(Recommendations r) => JsonSerializer.Serialize(r, JsonOptions);

    /// <summary>A user's top <paramref name="k"/> from the set's next-item model; its scorer batches the scoring with other requests'.</summary>
    public static async Task<Recommendations> ForUserAsync(ModelSet models, ShopperState state, string user, int k,
        bool excludeSeen, string? category, CancellationToken cancel = default)
    {
        var bundle = models.NextItem ?? throw new InvalidOperationException("no next-item model is loaded");
        var spec = models.NextItemHistory;
        var history = state.History(user, ShopperState.MaxHistory, spec.Types, spec.LatestSession);
        var known = new List<int>(history?.Length ?? 0); // the model's ids of the items it knows, oldest first
        foreach (var id in history ?? Array.Empty<string>()) if (bundle.Items.TryGet(id, out var i)) known.Add(i);
        if (known.Count > 0)
        {
            var items = await RankAsync(bundle, models.NextItemScorer!, known.ToArray(), excludeSeen ? user : null, null, state, category, k, cancel);
            return new Recommendations(user, models.NextItemVersion!, false, bundle.Model.Name, known.Count, items, items.Count == 0 ? NoneInCategory(category) : null);
        }
        var popular = state.PopularNow(k, item => (!excludeSeen || !state.HasSeen(user, item)) && (category is null || state.CategoryOf(item) == category));
        string? note = popular.Count > 0 ? null
            : state.Events == 0 ? "no events are known yet: popular-now fills as events arrive (or read a history: --history)"
            : category is not null ? $"no recently popular item is in category '{category}'" : null;
        return new Recommendations(user, models.NextItemVersion!, true, PopularNow, 0, popular.Select(p => new RecommendedItem(p.Item, p.Count)).ToList(), note);
    }

    /// <summary>Items the model expects next after a history of just <paramref name="item"/>; null when the item is not in its catalogue.</summary>
    public static async Task<SimilarItems?> SimilarAsync(ModelSet models, ShopperState state, string item, int k, string? category, CancellationToken cancel = default)
    {
        var bundle = models.NextItem ?? throw new InvalidOperationException("no next-item model is loaded");
        if (!bundle.Items.TryGet(item, out var index)) return null;
        var items = await RankAsync(bundle, models.NextItemScorer!, new[] { index }, null, index, state, category, k, cancel);
        return new SimilarItems(item, models.NextItemVersion!, items, items.Count == 0 ? NoneInCategory(category) : null);
    }

    private static string? NoneInCategory(string? category) => category is null ? null
        : $"no item of the model's catalogue was last seen in category '{category}' (categories come from the history and from events' category field)";

    /// <summary>The top k of the model's scores for <paramref name="history"/> (its own item ids), less what is excluded or outside the category.</summary>
    private static async Task<IReadOnlyList<RecommendedItem>> RankAsync(ModelBundle bundle, ScoreBatcher scorer, int[] history,
        string? excludeSeenOf, int? excludeItem, ShopperState state, string? category, int k, CancellationToken cancel)
    {
        int n = bundle.Model.ItemCount;
        var scores = ArrayPool<float>.Shared.Rent(n);
        try
        {
            await scorer.ScoreAsync(history, scores, cancel);
            var span = scores.AsSpan(0, n);
            if (excludeSeenOf is not null) state.ExcludeSeen(excludeSeenOf, bundle.Items, span);
            if (excludeItem is { } self) span[self] = float.NegativeInfinity;
            if (category is not null)
            {
                var keep = state.InCategory(bundle.Items.Ids, category);
                for (int i = 0; i < n; i++) if (!keep[i]) span[i] = float.NegativeInfinity;
            }
            var top = TopK.Select(span, k);
            var result = new RecommendedItem[top.Length];
            for (int r = 0; r < top.Length; r++) result[r] = new RecommendedItem(bundle.Items[top[r]], span[top[r]]);
            return result;
        }
        finally { ArrayPool<float>.Shared.Return(scores); }
    }
}
