using Shopcast.Data.Formats;

namespace Shopcast.Data.Reviews;

/// <summary>
/// Which columns of a review table hold what: <c>text</c>, then <c>label</c> or <c>rating</c> (one of them), and
/// optionally <c>title</c> (joined before the text as "title. text") and <c>category</c>. Parsed from
/// <c>--columns text=review,label=label[,category=cat][,title=summary]</c>.
/// </summary>
internal sealed record ReviewColumns(string Text, string? Label, string? Rating, string? Title = null, string? Category = null)
{
    public const string Example = "text=review,label=label (or rating=stars)[,category=cat][,title=summary]";

    private static readonly string[] Fields = { "text", "label", "rating", "title", "category" };

    public static ReviewColumns Parse(string? columns)
    {
        if (string.IsNullOrWhiteSpace(columns))
            throw new ShopcastInputException($"the csv review format needs --columns naming the text and label (or rating) columns, e.g. {Example}");
        var map = FormatText.ParseMapping(columns, Fields, Example, "--columns");
        if (!map.ContainsKey("text")) throw new ShopcastInputException($"--columns lacks text= (the review text column); e.g. {Example}");
        bool label = map.ContainsKey("label"), rating = map.ContainsKey("rating");
        if (label == rating)
            throw new ShopcastInputException(label
                ? "--columns names both label= and rating=; give one: label= for class labels, rating= for 1-5 stars (mapped by --stars)"
                : $"--columns needs label= (class labels) or rating= (1-5 stars); e.g. {Example}");
        return new ReviewColumns(map["text"], map.GetValueOrDefault("label"), map.GetValueOrDefault("rating"),
            map.GetValueOrDefault("title"), map.GetValueOrDefault("category"));
    }

    /// <summary>The mapping as --columns would write it (for messages).</summary>
    public override string ToString() =>
        string.Join(",", new[] { ("text", Text), ("title", Title), ("label", Label), ("rating", Rating), ("category", Category) }
            .Where(p => p.Item2 is not null).Select(p => $"{p.Item1}={p.Item2}"));
}
