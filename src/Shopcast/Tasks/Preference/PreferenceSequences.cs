using Shopcast.Data;

namespace Shopcast.Tasks.Preference;

/// <summary>
/// The preference task's data: each shopper's events as a sequence of categories (or brands) instead of items, so
/// "which category next?" is next-item prediction over the category vocabulary and every next-item model, split and
/// metric applies unchanged (HR@k is top-k accuracy). Labels come from the log's own category/brand column, or, when
/// the log has none, from an item-attributes file beside it (S3-Rec's <c>*_item2attributes.json</c>).
/// </summary>
public static class PreferenceSequences
{
    public const string Category = "category";
    public const string Brand = "brand";
    public static readonly string[] Levels = { Category, Brand };

    public sealed record Result(SequenceDataset Data, string LabelSource, SortedDictionary<string, long> EventsLeftOut);

    public static Result Load(EventStore store, string level, string groupBy, IReadOnlyCollection<EventType>? eventTypes, string? attributesPath)
    {
        if (!Levels.Contains(level))
            throw new ShopcastInputException($"--level {level}: preference predicts a category or a brand; use --level category or --level brand");
        long total = store.EventCount;
        long labelled = store.Scalar<long>($"SELECT count(*) FROM events WHERE {level} IS NOT NULL AND {level} <> ''");
        if (labelled > 0)
        {
            var data = SequenceDataset.Load(store, groupBy, eventTypes, level);
            var left = new SortedDictionary<string, long>();
            if (total > labelled) left[$"no {level} in the log"] = total - labelled;
            return new Result(data, $"the log's {level} column", left);
        }
        if (attributesPath is null)
            throw new TaskNotSupportedException(
                $"--task preference --level {level}: the log has no {level} column, and no item attributes were found " +
                "(give --item-attributes FILE, a JSON object {\"item_id\": [attribute ids]}, or a log with a category/brand column)");
        var items = SequenceDataset.Load(store, groupBy, eventTypes);
        var attributes = ItemAttributes.Load(attributesPath, items.Items);
        var labelOf = level == Category ? LeafCategories(attributes.ByItem) : Brands(attributes.ByItem);
        return Relabel(items, labelOf, level, attributes.Source);
    }

    /// <summary>
    /// S3-Rec's attribute lists hold an item's brand first, then its category path from general to specific; the ids
    /// are anonymised, so a brand is recognised as an id that only ever comes first (a category id also appears after
    /// a brand). An item's category is the last id of its list that is not a brand: its most specific category.
    /// </summary>
    public static int[] LeafCategories(IReadOnlyList<int[]> byItem)
    {
        var brands = BrandIds(byItem);
        return byItem.Select(a => a.LastOrDefault(id => !brands.Contains(id))).ToArray();
    }

    /// <summary>The brand of each item (0 when its first attribute is not a brand); see <see cref="LeafCategories"/>.</summary>
    public static int[] Brands(IReadOnlyList<int[]> byItem)
    {
        var brands = BrandIds(byItem);
        return byItem.Select(a => a.Length > 0 && brands.Contains(a[0]) ? a[0] : 0).ToArray();
    }

    private static HashSet<int> BrandIds(IReadOnlyList<int[]> byItem)
    {
        var later = byItem.SelectMany(a => a.Skip(1)).ToHashSet();
        return byItem.Where(a => a.Length > 1).Select(a => a[0]).Where(id => !later.Contains(id)).ToHashSet();
    }

    /// <summary>Replaces each item by its label (0 = none: the event is left out and counted).</summary>
    private static Result Relabel(SequenceDataset items, int[] labelOf, string level, string source)
    {
        var labels = new ItemIndex();
        long missing = 0;
        var sequences = new List<InteractionSequence>();
        foreach (var s in items.Sequences)
        {
            var keep = Enumerable.Range(0, s.Items.Length).Where(i => labelOf[s.Items[i]] != 0).ToArray();
            missing += s.Items.Length - keep.Length;
            if (keep.Length == 0) continue;
            sequences.Add(new InteractionSequence(s.Key,
                keep.Select(i => labels.GetOrAdd($"{level}:{labelOf[s.Items[i]]}")).ToArray(),
                keep.Select(i => s.TimesMs[i]).ToArray(), keep.Select(i => s.Types[i]).ToArray()));
        }
        var left = new SortedDictionary<string, long>();
        if (missing > 0) left[$"item has no {level} attribute"] = missing;
        return new Result(new SequenceDataset { Items = labels, Sequences = sequences, GroupedBy = items.GroupedBy, OrdinalTime = items.OrdinalTime },
            $"{source} ({(level == Category ? "most specific category" : "brand")} of each item, inferred from the attribute order)", left);
    }
}
