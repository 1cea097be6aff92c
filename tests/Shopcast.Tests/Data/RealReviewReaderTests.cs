using Shopcast.Data.Reviews;

namespace Shopcast.Tests.Data;

/// <summary>
/// The review readers on the four real data sets (../shared/data), against their SOURCE.md counts and counts
/// measured independently with Python's csv module.
/// </summary>
public sealed class RealReviewReaderTests
{
    private static ReviewSet Read(string relativePath, string? format = null, int maxChars = ReviewReaders.DefaultMaxChars) =>
        ReviewReaderTests.Read(RealData.Path(relativePath), format, maxChars: maxChars);

    private static long Count(ReviewSet set, Sentiment label) => set.Reviews.LongCount(r => r.Label == label);

    private const string TenCats = "zh-sentiment-online-shopping-10cats/online_shopping_10_cats.zip";

    [RealDataFact(TenCats)]
    public void Online_shopping_10cats_keeps_all_but_one_empty_review()
    {
        var set = Read(TenCats);
        Assert.Equal(OnlineShopping10CatsReader.Name, set.Account.Format);
        // SOURCE.md's 62,774 rows (31,728 positive) include one positive row whose review is empty.
        Assert.Equal(62_774, set.Account.Read);
        Assert.Equal(new SortedDictionary<string, long> { ["empty text"] = 1 }, set.Account.Rejected);
        Assert.Equal(31_727, Count(set, Sentiment.Positive));
        Assert.Equal(31_046, Count(set, Sentiment.Negative));
        var byCategory = set.Reviews.GroupBy(r => r.Category!).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(10, byCategory.Count);
        Assert.Equal(574, byCategory["热水器"]); // the empty review is a 热水器 positive
        Assert.Equal(10_000, byCategory["酒店"]);
    }

    private const string Blitzer = "en-sentiment-amazon-multidomain-blitzer/sorted_data_acl";

    [RealDataFact(Blitzer)]
    public void Blitzer_keeps_all_4000_reviews_under_the_default_limit_and_counts_the_52_over_5000_characters()
    {
        var all = ReviewReaders.Read(RealData.Path(Blitzer), null, null, StarMapping.Default);
        Assert.Equal(4_000, all.Account.Kept);
        Assert.Empty(all.Account.Rejected);
        var set = Read(Blitzer, maxChars: 5000);
        Assert.Equal(BlitzerReader.Name, set.Account.Format);
        Assert.Equal(4_000, set.Account.Read);
        // Counted independently (Python, title + ". " + review_text trimmed): 10 + 16 in books, 15 + 11 in dvd.
        Assert.Equal(new SortedDictionary<string, long> { ["text over 5000 characters"] = 52 }, set.Account.Rejected);
        Assert.Equal(990, set.Reviews.Count(r => r.Category == "books" && r.Label == Sentiment.Positive));
        Assert.Equal(984, set.Reviews.Count(r => r.Category == "books" && r.Label == Sentiment.Negative));
        Assert.Equal(985, set.Reviews.Count(r => r.Category == "dvd" && r.Label == Sentiment.Positive));
        Assert.Equal(989, set.Reviews.Count(r => r.Category == "dvd" && r.Label == Sentiment.Negative));
        Assert.StartsWith("One of the best Crichton novels. Sphere by Michael Crichton",
            set.Reviews.First(r => r.Category == "books" && r.Label == Sentiment.Positive).Text);
        // The files are valid UTF-8 that carries U+FFFD from the corpus's own earlier conversion: kept as written.
        Assert.Equal(18, set.Reviews.Count(r => r.Text.Contains('\uFFFD')));
    }

    [RealDataFact(Blitzer + "/dvd")]
    public void Blitzer_reads_one_domain_folder_with_all_1000_per_file()
    {
        var set = ReviewReaders.Read(RealData.Path(Blitzer + "/dvd"), null, null, StarMapping.Default);
        Assert.Empty(set.Account.Rejected);
        Assert.Equal(1_000, Count(set, Sentiment.Positive));
        Assert.Equal(1_000, Count(set, Sentiment.Negative));
        Assert.All(set.Reviews, r => Assert.Equal("dvd", r.Category));
    }

    private const string Uci = "en-sentiment-uci-amazon-cells/amazon_cells_labelled.txt";

    [RealDataFact(Uci)]
    public void Uci_amazon_cells_has_500_of_each_class()
    {
        var set = Read(Uci);
        Assert.Equal(UciSentencesReader.Name, set.Account.Format);
        Assert.Equal(1_000, set.Account.Read);
        Assert.Empty(set.Account.Rejected);
        Assert.Equal(500, Count(set, Sentiment.Positive));
        Assert.Equal(500, Count(set, Sentiment.Negative));
    }

    private const string Clothing = "en-reviews-womens-clothing-ecommerce/Womens Clothing E-Commerce Reviews.csv.zip";

    [RealDataFact(Clothing)]
    public void Womens_clothing_matches_source_counts_on_rows_with_text()
    {
        var set = Read(Clothing);
        Assert.Equal(WomensClothingReader.Name, set.Account.Format);
        Assert.Equal(23_486, set.Account.Read);
        Assert.Equal(new SortedDictionary<string, long> { ["empty text"] = 845 }, set.Account.Rejected);
        Assert.Equal(17_448, Count(set, Sentiment.Positive));
        Assert.Equal(2_823, Count(set, Sentiment.Neutral));
        Assert.Equal(2_370, Count(set, Sentiment.Negative));
        // Department Name is empty on 13 of the rows with text (14 in all).
        Assert.Equal(13, set.Reviews.Count(r => r.Category is null));
        Assert.Equal(10_048, set.Reviews.Count(r => r.Category == "Tops"));
    }
}
