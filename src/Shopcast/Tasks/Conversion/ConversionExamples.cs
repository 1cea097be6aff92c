using Shopcast.Data;
using Shopcast.Features;

namespace Shopcast.Tasks.Conversion;

/// <summary>
/// Next-day conversion (the Tianchi set-up): at a cutoff, every (user, item) the user touched before it is a
/// candidate, described by point-in-time features from events before the cutoff; its label is whether the user buys
/// that item within the next 24 hours. At category level the candidates are (user, category) pairs instead.
/// Examples are grouped by user, so a validation holdout never splits one user's candidates.
/// </summary>
public static class ConversionExamples
{
    public const long DayMs = 86_400_000L;
    /// <summary>Events of the shopper's recent behaviour kept per example (for DIN).</summary>
    public const int HistoryLength = 50;

    /// <summary>The test cutoff: 24 h before the end of the log, the end rounded up to a whole hour.</summary>
    public static long TestCutoff(BehaviourLog log)
    {
        long end = (log.EndMs / 3_600_000L + 1) * 3_600_000L;
        return end - DayMs;
    }

    public static FeatureTable Build(BehaviourLog log, PointInTimeFeatures features, IReadOnlyList<long> cutoffs, bool categoryLevel)
    {
        var rows = new List<float[]>(); var labels = new List<float>(); var groups = new List<int>();
        var behaviour = new BehaviourSequences.Builder(log, HistoryLength);
        foreach (long cutoff in cutoffs)
        {
            // Candidates and each item's latest category, from events before the cutoff only.
            var candidates = new Dictionary<(int User, int Key), int>(); // -> category of the item (or the category itself)
            var bought = new HashSet<(int, int)>();
            for (int e = 0; e < log.Count; e++)
            {
                long t = log.TimeMs[e];
                if (t < cutoff)
                {
                    if (categoryLevel && log.Category[e] < 0) continue;
                    candidates[(log.User[e], categoryLevel ? log.Category[e] : log.Item[e])] = log.Category[e];
                }
                else if (t < cutoff + DayMs && log.Type[e] == EventType.Purchase)
                    bought.Add((log.User[e], categoryLevel ? log.Category[e] : log.Item[e]));
            }
            foreach (var ((user, key), category) in candidates.OrderBy(kv => kv.Key.User).ThenBy(kv => kv.Key.Key))
            {
                var row = new float[features.Columns.Count];
                features.Compute(user, categoryLevel ? -1 : key, category, cutoff, row);
                rows.Add(row);
                behaviour.Add(user, categoryLevel ? -1 : key, category, cutoff);
                labels.Add(bought.Contains((user, key)) ? 1 : 0);
                groups.Add(user);
            }
        }
        var values = new float[rows.Count * features.Columns.Count];
        for (int r = 0; r < rows.Count; r++) rows[r].CopyTo(values, r * features.Columns.Count);
        return new FeatureTable { Columns = features.Columns, Values = values, Labels = labels.ToArray(), Groups = groups.ToArray(), Behaviour = behaviour.Build() };
    }
}
