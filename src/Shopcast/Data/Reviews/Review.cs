using System.Text.Json.Serialization;

namespace Shopcast.Data.Reviews;

/// <summary>The sentiment classes, in the order every model's probabilities use.</summary>
public enum Sentiment { Negative = 0, Neutral = 1, Positive = 2 }

/// <summary>
/// One labelled review as a reader hands it to the sentiment task: its text (not yet normalised), its class, and where
/// known the product category (online_shopping_10_cats's <c>cat</c>, Blitzer's domain, the clothing shop's department)
/// and the star rating the class came from.
/// </summary>
public sealed record Review(string Text, Sentiment Label, string? Category = null, int? Stars = null);

/// <summary>How 1-5 stars become classes. Default: 1-2 negative, 3 neutral, 4-5 positive.</summary>
public sealed record StarMapping(int NegativeUpTo = 2, int PositiveFrom = 4)
{
    public static readonly StarMapping Default = new();

    public Sentiment Classify(int stars) =>
        stars <= NegativeUpTo ? Sentiment.Negative : stars >= PositiveFrom ? Sentiment.Positive : Sentiment.Neutral;

    /// <summary>Parses "negative=1-2,neutral=3,positive=4-5" (the --stars option); any gap or overlap is refused.</summary>
    public static StarMapping Parse(string text)
    {
        int neg = -1, pos = -1;
        int? neutralFrom = null, neutralTo = null;
        var seen = new HashSet<string>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var kv = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (kv.Length != 2) throw new ShopcastInputException($"--stars '{text}': expected class=stars pairs, e.g. negative=1-2,neutral=3,positive=4-5");
            var range = kv[1].Split('-', 2, StringSplitOptions.TrimEntries);
            if (!int.TryParse(range[0], out int from) || !int.TryParse(range.Length == 2 ? range[1] : range[0], out int to) || from > to || from < 1 || to > 5)
                throw new ShopcastInputException($"--stars '{text}': '{kv[1]}' is not a star range within 1-5, e.g. 1-2 or 3");
            var name = kv[0].ToLowerInvariant();
            if (!seen.Add(name)) throw new ShopcastInputException($"--stars '{text}': {name} is given twice");
            switch (name)
            {
                case "negative": if (from != 1) throw new ShopcastInputException($"--stars '{text}': negative must start at 1 star"); neg = to; break;
                case "positive": if (to != 5) throw new ShopcastInputException($"--stars '{text}': positive must end at 5 stars"); pos = from; break;
                case "neutral": neutralFrom = from; neutralTo = to; break;
                default: throw new ShopcastInputException($"--stars '{text}': unknown class '{kv[0]}'; the classes are negative, neutral, positive");
            }
        }
        if (neg < 0 || pos < 0) throw new ShopcastInputException($"--stars '{text}': name both negative and positive ranges");
        if (pos <= neg) throw new ShopcastInputException($"--stars '{text}': the negative and positive ranges overlap");
        bool hasGap = pos - neg > 1;
        var gap = neg + 1 == pos - 1 ? $"{neg + 1}" : $"{neg + 1}-{pos - 1}";
        if (hasGap && neutralFrom is null)
            throw new ShopcastInputException($"--stars '{text}': {(gap.Contains('-') ? $"ratings of {gap} stars are" : $"{gap}-star ratings are")} in no class; give them to neutral={gap}");
        // A neutral range that is not exactly the gap either overlaps another class or leaves stars out.
        if (hasGap && (neutralFrom != neg + 1 || neutralTo != pos - 1))
            throw new ShopcastInputException($"--stars '{text}': neutral must be the stars between negative and positive, neutral={gap}");
        if (!hasGap && neutralFrom is not null) throw new ShopcastInputException($"--stars '{text}': neutral overlaps the negative or positive range");
        return new StarMapping(neg, pos);
    }

    public override string ToString() =>
        $"negative=1-{NegativeUpTo}" + (PositiveFrom - NegativeUpTo > 1 ? $",neutral={(PositiveFrom - 1 == NegativeUpTo + 1 ? $"{NegativeUpTo + 1}" : $"{NegativeUpTo + 1}-{PositiveFrom - 1}")}" : "") + $",positive={PositiveFrom}-5";
}

/// <summary>
/// What reading a review file did: rows read, reviews kept, and every row not kept counted by reason (empty text,
/// over-long text, undecodable text, no label, a label or rating out of range, a malformed row). Read = kept + rejected.
/// </summary>
public sealed class ReviewAccount
{
    [JsonPropertyName("source")] public string Source { get; init; } = "";
    [JsonPropertyName("format")] public string Format { get; init; } = "";
    [JsonPropertyName("rows_read")] public long Read { get; set; }
    [JsonPropertyName("kept")] public long Kept { get; set; }
    [JsonPropertyName("rejected")] public SortedDictionary<string, long> Rejected { get; init; } = new();
    /// <summary>A few rejected rows per reason (where, what), for the error report.</summary>
    [JsonPropertyName("examples")] public SortedDictionary<string, List<string>> Examples { get; init; } = new();
    [JsonPropertyName("star_mapping")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? StarMapping { get; set; }

    public void Reject(string reason, string where)
    {
        Rejected[reason] = Rejected.GetValueOrDefault(reason) + 1;
        if (!Examples.TryGetValue(reason, out var list)) Examples[reason] = list = new List<string>();
        if (list.Count < 3) list.Add(where);
    }
}

/// <summary>The reviews a reader kept, in file order, with its account.</summary>
public sealed record ReviewSet(IReadOnlyList<Review> Reviews, ReviewAccount Account);
