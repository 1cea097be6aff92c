namespace Shopcast.Features;

/// <summary>
/// Per example of a <see cref="FeatureTable"/>: the candidate item and category and the shopper's most recent items
/// and categories before the example's time (oldest first), as dense ids of the log (-1 = none). Models that attend
/// over behaviour (DIN) read these; the others ignore them.
/// </summary>
public sealed class BehaviourSequences
{
    public required int[] CandidateItem { get; init; }
    public required int[] CandidateCategory { get; init; }
    public required int[][] HistoryItems { get; init; }
    public required int[][] HistoryCategories { get; init; }
    public required int ItemCount { get; init; }
    public required int CategoryCount { get; init; }
    public required int MaxLength { get; init; }

    public BehaviourSequences Subset(IReadOnlyList<int> rows) => new()
    {
        CandidateItem = rows.Select(r => CandidateItem[r]).ToArray(),
        CandidateCategory = rows.Select(r => CandidateCategory[r]).ToArray(),
        HistoryItems = rows.Select(r => HistoryItems[r]).ToArray(),
        HistoryCategories = rows.Select(r => HistoryCategories[r]).ToArray(),
        ItemCount = ItemCount, CategoryCount = CategoryCount, MaxLength = MaxLength,
    };

    /// <summary>Builds rows from a log: for each (user, candidate, time), the user's last <paramref name="maxLength"/> events strictly before the time.</summary>
    public sealed class Builder(BehaviourLog log, int maxLength)
    {
        private readonly Dictionary<int, List<int>> _eventsOfUser = Index(log);
        private readonly List<int> _items = new(), _cats = new();
        private readonly List<int[]> _histItems = new(), _histCats = new();

        private static Dictionary<int, List<int>> Index(BehaviourLog log)
        {
            var d = new Dictionary<int, List<int>>();
            for (int e = 0; e < log.Count; e++)
            {
                if (!d.TryGetValue(log.User[e], out var list)) d[log.User[e]] = list = new List<int>();
                list.Add(e); // ascending time: the log is in time order
            }
            return d;
        }

        public void Add(int user, int item, int category, long timeMs)
        {
            _items.Add(item); _cats.Add(category);
            var events = _eventsOfUser.GetValueOrDefault(user) ?? new List<int>();
            int lo = 0, hi = events.Count; // first event at or after timeMs
            while (lo < hi) { int mid = (lo + hi) >>> 1; if (log.TimeMs[events[mid]] < timeMs) lo = mid + 1; else hi = mid; }
            int from = Math.Max(0, lo - maxLength);
            _histItems.Add(Enumerable.Range(from, lo - from).Select(k => log.Item[events[k]]).ToArray());
            _histCats.Add(Enumerable.Range(from, lo - from).Select(k => log.Category[events[k]]).ToArray());
        }

        public BehaviourSequences Build() => new()
        {
            CandidateItem = _items.ToArray(), CandidateCategory = _cats.ToArray(),
            HistoryItems = _histItems.ToArray(), HistoryCategories = _histCats.ToArray(),
            ItemCount = log.Items.Count, CategoryCount = log.Categories.Count, MaxLength = maxLength,
        };
    }
}
