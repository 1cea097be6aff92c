namespace Shopcast.Splits;

/// <summary>
/// A seeded split into training, validation and test shares (80/10/10 by default), stratified: within every stratum
/// (e.g. class and product category) the rows are shuffled and cut in the same proportions, so each part has the
/// class and category mix of the whole. Assigns 0 = training, 1 = validation, 2 = test per row.
/// </summary>
public static class StratifiedShares
{
    public const int Train = 0, Validation = 1, Test = 2;

    public static int[] Assign(IReadOnlyList<string> strata, double validationShare, double testShare, int seed)
    {
        if (validationShare < 0 || testShare <= 0 || validationShare + testShare >= 1)
            throw new ArgumentOutOfRangeException(nameof(testShare), "shares must leave rows for training");
        var part = new int[strata.Count];
        var rng = new Random(seed);
        foreach (var group in Enumerable.Range(0, strata.Count).GroupBy(i => strata[i]).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var rows = group.ToArray();
            Training.SeededShuffle.Shuffle(rows, rng);
            int test = (int)Math.Round(rows.Length * testShare), valid = (int)Math.Round(rows.Length * validationShare);
            for (int k = 0; k < rows.Length; k++) part[rows[k]] = k < test ? Test : k < test + valid ? Validation : Train;
        }
        return part;
    }
}
