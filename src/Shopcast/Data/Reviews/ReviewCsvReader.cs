namespace Shopcast.Data.Reviews;

/// <summary>
/// Any review table: CSV/TSV with a header (delimiter sniffed), or JSON Lines (.jsonl, .ndjson: one object per line),
/// optionally .gz or inside a .zip, read through <c>--columns</c> (see <see cref="ReviewColumns"/>). Labels follow
/// <see cref="LabelRule.Words"/>; ratings are 1-5 stars classed by <see cref="StarMapping"/>.
/// </summary>
internal static class ReviewCsvReader
{
    public const string Name = "csv";
    public const string Description =
        "any review table: CSV/TSV (delimiter sniffed from the header) or JSON Lines (.jsonl/.ndjson), optionally .gz or " +
        "in a .zip, read through --columns text=COL,label=COL or text=COL,rating=COL [,category=COL][,title=COL]. " +
        "Labels: negative/neutral/positive or neg/neu/pos (any case), or integers: 1 positive, -1 negative, and 0 " +
        "negative, except in a file where some label is -1, where 0 is neutral. Ratings: whole stars 1-5 (\"4.0\" too), classed by --stars";

    public static void Read(ReviewSource source, ReviewColumns columns, StarMapping stars, ReviewCollector into) =>
        ReviewTable.Read(source, columns, LabelRule.Words, stars, into);
}
