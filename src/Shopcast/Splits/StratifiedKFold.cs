namespace Shopcast.Splits;

/// <summary>
/// Stratified k-fold over groups: every group (a session, or a row when there are no groups) lands in exactly one
/// fold, and groups with a positive label are spread over the folds separately from the rest, so each fold keeps the
/// overall positive rate. Seeded; the same seed gives the same folds.
/// </summary>
public static class StratifiedKFold
{
    /// <returns>The fold (0..k-1) of each row.</returns>
    public static int[] Assign(IReadOnlyList<float> labels, IReadOnlyList<int>? groups, int k, int seed)
    {
        if (k < 2) throw new Data.ShopcastInputException($"--folds {k}: need at least 2 folds");
        int n = labels.Count;
        var groupOf = groups ?? Enumerable.Range(0, n).ToArray();
        // A group is positive when any of its rows is.
        var positive = new Dictionary<int, bool>();
        for (int i = 0; i < n; i++) positive[groupOf[i]] = positive.GetValueOrDefault(groupOf[i]) || labels[i] > 0.5f;
        if (positive.Count < k) throw new Data.ShopcastInputException($"--folds {k}: only {positive.Count} groups to spread over the folds");
        var rng = new Random(seed);
        var foldOfGroup = new Dictionary<int, int>();
        foreach (var cls in new[] { true, false })
        {
            var members = positive.Where(kv => kv.Value == cls).Select(kv => kv.Key).Order().ToArray();
            Training.SeededShuffle.Shuffle(members, rng);
            for (int i = 0; i < members.Length; i++) foldOfGroup[members[i]] = i % k;
        }
        var folds = new int[n];
        for (int i = 0; i < n; i++) folds[i] = foldOfGroup[groupOf[i]];
        return folds;
    }

    /// <summary>A stratified, group-respecting holdout of about <paramref name="share"/> of the rows (for validation).</summary>
    public static (int[] Keep, int[] Holdout) Holdout(IReadOnlyList<float> labels, IReadOnlyList<int>? groups, double share, int seed)
    {
        int k = Math.Max(2, (int)Math.Round(1 / share));
        var groupOf = groups ?? Enumerable.Range(0, labels.Count).ToArray();
        var positive = new Dictionary<int, bool>();
        for (int i = 0; i < labels.Count; i++) positive[groupOf[i]] = positive.GetValueOrDefault(groupOf[i]) || labels[i] > 0.5f;
        int pos = positive.Values.Count(v => v), neg = positive.Count - pos;
        if (pos < k || neg < k)
            throw new Data.ShopcastInputException(
                $"the training rows have {pos:N0} positive and {neg:N0} negative {(groups is null ? "examples" : "groups (sessions or users)")}; " +
                $"holding out a validation share needs at least {k} of each: the data is too small for this task");
        var folds = Assign(labels, groups, k, seed);
        var keep = Enumerable.Range(0, labels.Count).Where(i => folds[i] != 0).ToArray();
        var holdout = Enumerable.Range(0, labels.Count).Where(i => folds[i] == 0).ToArray();
        return (keep, holdout);
    }
}
