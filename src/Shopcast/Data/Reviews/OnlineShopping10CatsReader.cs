using Shopcast.Data.Formats;

namespace Shopcast.Data.Reviews;

/// <summary>
/// online_shopping_10_cats (SophonPlus ChineseNlpCorpus): a CSV with the header <c>cat,label,review</c>, label 1
/// positive and 0 negative, the category in Chinese. Read from its .zip in place, or from the unzipped .csv.
/// </summary>
internal static class OnlineShopping10CatsReader
{
    public const string Name = "online-shopping-10cats";
    public const string Description =
        "online_shopping_10_cats (Chinese reviews): a CSV, or the .zip holding it, with the header cat,label,review; " +
        "label 1 positive, 0 negative; the category is cat";

    private static readonly string[] Header = { "cat", "label", "review" };
    private static readonly ReviewColumns Columns = new(Text: "review", Label: "label", Rating: null, Category: "cat");

    public static bool Detects(IReadOnlyList<string> header) => header.SequenceEqual(Header, StringComparer.OrdinalIgnoreCase);

    public static void Read(ReviewSource source, ReviewCollector into) =>
        ReviewTable.Read(source, Columns, LabelRule.ZeroOne, StarMapping.Default, into, csv =>
        {
            if (!Detects(csv.Header))
                throw new DataFormatException(source.Name, 1,
                    $"expected the header cat,label,review, found '{FormatText.Clip(string.Join(",", csv.Header))}'");
        });
}
