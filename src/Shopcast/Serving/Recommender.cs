using System.Buffers;
using Shopcast.Evaluation;
using Shopcast.Models;

namespace Shopcast.Serving;

/// <summary>One recommended item and its score (the model's score, or a count for "popular now").</summary>
public sealed record RecommendedItem(string Item, float Score);

/// <summary>
/// A user's recommendations. <see cref="ColdStart"/> is true when the model had nothing of the user to read (unknown
/// user, or none of their items in its catalogue): <see cref="Source"/> then says what answered ("popular-now": the
/// most frequent items of the server's recent events).
/// </summary>
public sealed record Recommendations(string User, bool ColdStart, string Source, int HistoryLength, IReadOnlyList<RecommendedItem> Items);

/// <summary>
/// Recommendations and similar items from a next-item bundle on the live state: the model scores the whole catalogue
/// for the user's recent items (oldest first, as it was trained), the items they already touched are left out when
/// asked, a category filter keeps the items last seen in that category, and the top k are returned.
/// </summary>
public static class Recommender
{
    public const string PopularNow = "popular-now";

    private static readonly System.Text.Json.JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>One JSON line with the fields the server's recommendations answer has (`shopcast predict recommendations` prints these).</summary>
    public static string JsonLine(Recommendations r, string modelVersion) => System.Text.Json.JsonSerializer.Serialize(new
    {
        user = r.User, model_version = modelVersion, cold_start = r.ColdStart, source = r.Source, history_length = r.HistoryLength,
        items = r.Items.Select(i => new { item = i.Item, score = i.Score }),
    }, JsonOptions);

    /// <summary>A user's top <paramref name="k"/>; <paramref name="scorer"/> batches the model's scoring with other requests'.</summary>
    public static async Task<Recommendations> ForUserAsync(ModelBundle bundle, ScoreBatcher scorer, ShopperState state, string user, int k,
        bool excludeSeen, string? category, CancellationToken cancel = default)
    {
        var history = state.History(user);
        bool[]? inCategory = category is null ? null : state.InCategory(bundle.Items.Ids, category);
        if (history is { } h)
        {
            var known = h.Recent.Where(i => bundle.Items.TryGet(i, out _)).ToArray();
            if (known.Length > 0)
            {
                var items = await RankAsync(bundle, scorer, known, excludeSeen ? h.Seen : null, inCategory, k, cancel);
                return new Recommendations(user, false, (string?)bundle.Manifest["model"] ?? "model", known.Length, items);
            }
        }
        return ColdStart(state, user, k, excludeSeen ? history?.Seen : null, category);
    }

    /// <summary>Items the model expects next after a history of just <paramref name="item"/>; null when the item is not in its catalogue.</summary>
    public static async Task<IReadOnlyList<RecommendedItem>?> SimilarAsync(ModelBundle bundle, ScoreBatcher scorer, ShopperState state, string item, int k,
        string? category, CancellationToken cancel = default)
    {
        if (!bundle.Items.TryGet(item, out _)) return null;
        bool[]? inCategory = category is null ? null : state.InCategory(bundle.Items.Ids, category);
        return await RankAsync(bundle, scorer, new[] { item }, new HashSet<string>(StringComparer.Ordinal) { item }, inCategory, k, cancel);
    }

    private static async Task<IReadOnlyList<RecommendedItem>> RankAsync(ModelBundle bundle, ScoreBatcher scorer, IReadOnlyList<string> history,
        HashSet<string>? exclude, bool[]? keep, int k, CancellationToken cancel)
    {
        int n = bundle.Model.ItemCount;
        var h = new int[history.Count];
        for (int i = 0; i < h.Length; i++) bundle.Items.TryGet(history[i], out h[i]);
        var scores = ArrayPool<float>.Shared.Rent(n);
        try
        {
            await scorer.ScoreAsync(h, scores, cancel);
            return Select(bundle, scores, exclude, keep, k);
        }
        finally { ArrayPool<float>.Shared.Return(scores); }
    }

    private static RecommendedItem[] Select(ModelBundle bundle, float[] scores, HashSet<string>? exclude, bool[]? keep, int k)
    {
        int n = bundle.Model.ItemCount;
        {
            var span = scores.AsSpan(0, n);
            if (exclude is not null)
                foreach (var id in exclude)
                    if (bundle.Items.TryGet(id, out var i)) span[i] = float.NegativeInfinity;
            if (keep is not null)
                for (int i = 0; i < n; i++) if (!keep[i]) span[i] = float.NegativeInfinity;
            var top = TopK.Select(span, k);
            var result = new RecommendedItem[top.Length];
            for (int r = 0; r < top.Length; r++) result[r] = new RecommendedItem(bundle.Items[top[r]], span[top[r]]);
            return result;
        }
    }

    private static Recommendations ColdStart(ShopperState state, string user, int k, HashSet<string>? exclude, string? category)
    {
        var popular = state.PopularNow(k, item => (exclude is null || !exclude.Contains(item)) && (category is null || state.CategoryOf(item) == category));
        return new Recommendations(user, true, PopularNow, 0, popular.Select(p => new RecommendedItem(p.Item, p.Count)).ToList());
    }
}
