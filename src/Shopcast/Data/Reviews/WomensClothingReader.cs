namespace Shopcast.Data.Reviews;

/// <summary>
/// Women's E-Commerce Clothing Reviews (Kaggle): a CSV, usually read in place from its .zip, with Title, Review Text,
/// Rating (1-5 stars, classed by <see cref="StarMapping"/>) and Department Name (the category). The text is
/// "Title. Review Text", or the review text alone when the title is empty; a row without review text is rejected.
/// </summary>
internal static class WomensClothingReader
{
    public const string Name = "womens-clothing";
    public const string Description =
        "Women's E-Commerce Clothing Reviews: a CSV, or the .zip holding it, with Title, Review Text, Rating (1-5 stars, " +
        "classed by --stars) and Department Name (the category); the text is \"Title. Review Text\"";

    private static readonly ReviewColumns Columns = new(Text: "Review Text", Label: null, Rating: "Rating", Title: "Title", Category: "Department Name");

    public static bool Detects(IReadOnlyList<string> header) =>
        header.Contains("Review Text", StringComparer.OrdinalIgnoreCase) && header.Contains("Rating", StringComparer.OrdinalIgnoreCase);

    public static void Read(ReviewSource source, StarMapping stars, ReviewCollector into) =>
        ReviewTable.Read(source, Columns, LabelRule.ZeroOne, stars, into);
}
