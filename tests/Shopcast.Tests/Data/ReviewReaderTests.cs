using System.IO.Compression;
using System.Text;
using Shopcast.Data;
using Shopcast.Data.Reviews;

namespace Shopcast.Tests.Data;

/// <summary>The review readers on small hand-written files: each format, the rejects by reason, the errors, detection.</summary>
public sealed class ReviewReaderTests : IDisposable
{
    private readonly TempLogs _tmp = new();

    public void Dispose() => _tmp.Dispose();

    /// <summary>Reads and checks the account balances: every row read is kept or rejected.</summary>
    internal static ReviewSet Read(string path, string? format = null, string? columns = null, StarMapping? stars = null, int maxChars = 5000)
    {
        var set = ReviewReaders.Read(path, format, columns, stars ?? StarMapping.Default, maxChars);
        var a = set.Account;
        Assert.Equal(a.Read, a.Kept + a.Rejected.Values.Sum());
        Assert.Equal(a.Kept, set.Reviews.Count);
        return set;
    }

    private static Dictionary<Sentiment, int> Classes(ReviewSet set) =>
        set.Reviews.GroupBy(r => r.Label).ToDictionary(g => g.Key, g => g.Count());

    private string Zip(string name, string entry, string text, string? macMetadata = null)
    {
        var path = Path.Combine(_tmp.Dir, name);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        if (macMetadata is not null) Write(zip, "__MACOSX/._" + entry, macMetadata);
        Write(zip, entry, text);
        return path;

        static void Write(ZipArchive zip, string entry, string text)
        {
            using var w = new StreamWriter(zip.CreateEntry(entry).Open(), new UTF8Encoding(true));
            w.Write(text);
        }
    }

    private static ShopcastInputException Fails(Action read) => Assert.ThrowsAny<ShopcastInputException>(read);

    // ---- online-shopping-10cats

    private const string TenCats = "cat,label,review\n书籍,1,\"好书,值得一读\"\n水果,0,\"不新鲜\n第二行\"\n手机,1,   \n酒店,2,还行\n衣服,,没标签\n";

    [Fact]
    public void Ten_cats_reads_quoted_multiline_reviews_from_a_zip_and_counts_rejects()
    {
        var set = Read(Zip("shop.zip", "online_shopping_10_cats.csv", TenCats));
        Assert.Equal(OnlineShopping10CatsReader.Name, set.Account.Format);
        Assert.Equal(5, set.Account.Read);
        Assert.Equal(new[] { new Review("好书,值得一读", Sentiment.Positive, "书籍"), new Review("不新鲜\n第二行", Sentiment.Negative, "水果") }, set.Reviews);
        Assert.Equal(new SortedDictionary<string, long> { ["empty text"] = 1, ["label out of range"] = 1, ["no label"] = 1 }, set.Account.Rejected);
        Assert.Equal("line 6: '2'", set.Account.Examples["label out of range"][0]);
    }

    [Fact]
    public void Ten_cats_reads_the_unzipped_csv_with_a_bom_and_crlf()
    {
        var path = _tmp.WriteBytes("s.csv", new UTF8Encoding(true).GetBytes(TenCats.Replace("\n", "\r\n")));
        var set = Read(path, "online-shopping-10cats");
        Assert.Equal("不新鲜\r\n第二行", set.Reviews[1].Text);
        Assert.Equal(5, set.Account.Read);
    }

    [Fact]
    public void Ten_cats_refuses_another_header()
    {
        var path = _tmp.Write("s.csv", "cat,label,text\n书籍,1,好\n");
        var e = Fails(() => Read(path, "online-shopping-10cats"));
        Assert.Contains("line 1", e.Message);
        Assert.Contains("cat,label,review", e.Message);
    }

    // ---- blitzer

    private static string BlitzerReview(string title, string text, string rating = "5.0") =>
        $"<review>\n<unique_id>\nid:{title}\n</unique_id>\n<rating>\n{rating}\n</rating>\n<title>\n{title}\n</title>\n<review_text>\n{text}\n</review_text>\n</review>\n";

    private string BlitzerDomain(string domain, string positive, string negative)
    {
        var dir = Path.Combine(_tmp.Dir, "sorted", domain);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "positive.review"), positive);
        File.WriteAllText(Path.Combine(dir, "negative.review"), negative);
        return dir;
    }

    [Fact]
    public void Blitzer_reads_a_domain_folder_title_dot_text_with_bare_ampersands()
    {
        var dir = BlitzerDomain("books",
            "<data>\n" + BlitzerReview("Great book", "Tom & Jerry &quot;rocks&quot;\n\nsecond paragraph") + "</data>\n",
            BlitzerReview("", "No title here", "1.0") + BlitzerReview("Only a title", ""));
        var set = Read(dir);
        Assert.Equal(BlitzerReader.Name, set.Account.Format);
        Assert.Equal(new Review("Great book. Tom & Jerry &quot;rocks&quot;\n\nsecond paragraph", Sentiment.Positive, "books"), set.Reviews[0]);
        Assert.Equal(new Review("No title here", Sentiment.Negative, "books"), set.Reviews[1]);
        Assert.Equal(3, set.Account.Read);
        Assert.Equal(1, set.Account.Rejected["empty text"]);
        Assert.Equal("books/negative.review, line 15", set.Account.Examples["empty text"][0]);
    }

    [Fact]
    public void Blitzer_reads_the_parent_of_domain_folders_in_name_order()
    {
        BlitzerDomain("dvd", BlitzerReview("a", "dvd good"), BlitzerReview("b", "dvd bad"));
        BlitzerDomain("books", BlitzerReview("c", "book good"), BlitzerReview("d", "book bad"));
        var set = Read(Path.Combine(_tmp.Dir, "sorted"));
        Assert.Equal(new[] { "books", "books", "dvd", "dvd" }, set.Reviews.Select(r => r.Category));
        Assert.Equal(new[] { Sentiment.Positive, Sentiment.Negative, Sentiment.Positive, Sentiment.Negative }, set.Reviews.Select(r => r.Label));
    }

    [Fact]
    public void Blitzer_counts_an_unclosed_review_as_malformed_and_keeps_the_next()
    {
        var dir = BlitzerDomain("books",
            "<review>\n<title>\nlost\n</title>\n<review_text>\nnever closed\n" + BlitzerReview("kept", "fine"), BlitzerReview("x", "bad"));
        var set = Read(dir);
        Assert.Equal(new[] { "kept. fine", "x. bad" }, set.Reviews.Select(r => r.Text));
        Assert.Equal(3, set.Account.Read);
        Assert.Equal(1, set.Account.Rejected["malformed row"]);
    }

    [Fact]
    public void A_folder_without_review_files_is_not_detected_and_says_what_was_tried()
    {
        Directory.CreateDirectory(Path.Combine(_tmp.Dir, "empty"));
        var e = Fails(() => Read(Path.Combine(_tmp.Dir, "empty")));
        Assert.Contains("positive.review", e.Message);
        Assert.Contains("--format", e.Message);
    }

    // ---- uci-sentences

    [Fact]
    public void Uci_sentences_are_read_by_the_last_tab()
    {
        var path = _tmp.Write("amazon_cells_labelled.txt", "Great phone.\t1\nA\ttab inside, bad.\t0\n\t1\nno tab here\nMeh.\t5\nHmm.\t\n");
        var set = Read(path);
        Assert.Equal(UciSentencesReader.Name, set.Account.Format);
        Assert.Equal(new[] { new Review("Great phone.", Sentiment.Positive), new Review("A\ttab inside, bad.", Sentiment.Negative) }, set.Reviews);
        Assert.Equal(new SortedDictionary<string, long>
        {
            ["empty text"] = 1, ["malformed row"] = 1, ["label out of range"] = 1, ["no label"] = 1,
        }, set.Account.Rejected);
    }

    // ---- womens-clothing

    private const string Clothing =
        ",Clothing ID,Age,Title,Review Text,Rating,Recommended IND,Positive Feedback Count,Division Name,Department Name,Class Name\n" +
        "0,767,33,,\"Silky, \"\"sexy\"\" and comfortable\",4,1,0,Initmates,Intimate,Intimates\n" +
        "1,1080,34,Love it,\"Fits well.\nWould buy again\",5,1,4,General,Dresses,Dresses\n" +
        "2,1077,60,Some major design flaws,,3,0,0,General,Dresses,Dresses\n" +
        "3,1049,50,Meh,It is ok,3,1,0,General Petite,,\n" +
        "4,847,47,Bad,Fell apart,1,0,6,General,Tops,Blouses\n" +
        "5,847,47,Odd,Six stars,6,0,6,General,Tops,Blouses\n";

    [Fact]
    public void Womens_clothing_is_read_in_place_from_its_zip_past_the_macosx_entry()
    {
        var path = Zip("Womens Clothing E-Commerce Reviews.csv.zip", "Womens Clothing E-Commerce Reviews.csv", Clothing, macMetadata: "\0\u0005\u0016\u0007 junk");
        var set = Read(path);
        Assert.Equal(WomensClothingReader.Name, set.Account.Format);
        Assert.Equal(new[]
        {
            new Review("Silky, \"sexy\" and comfortable", Sentiment.Positive, "Intimate", 4),
            new Review("Love it. Fits well.\nWould buy again", Sentiment.Positive, "Dresses", 5),
            new Review("Meh. It is ok", Sentiment.Neutral, null, 3),
            new Review("Bad. Fell apart", Sentiment.Negative, "Tops", 1),
        }, set.Reviews);
        Assert.Equal(new SortedDictionary<string, long> { ["empty text"] = 1, ["label out of range"] = 1 }, set.Account.Rejected);
        Assert.Equal("negative=1-2,neutral=3,positive=4-5", set.Account.StarMapping);
        Assert.Equal(6, set.Account.Read);
    }

    [Fact]
    public void Womens_clothing_classes_stars_through_the_mapping()
    {
        var path = _tmp.Write("c.csv", Clothing);
        var set = Read(path, "womens-clothing", stars: StarMapping.Parse("negative=1-3,positive=4-5"));
        Assert.Equal(Sentiment.Negative, set.Reviews[2].Label);
    }

    // ---- generic csv / jsonl

    [Fact]
    public void Csv_reads_words_and_zero_one_labels_as_binary()
    {
        var path = _tmp.Write("r.tsv", "id\tbody\tsentiment\tcat\n1\tgood\t1\tA\n2\tbad\t0\tB\n3\tfine\tNeutral\t\n4\tugh\tneg\tA\n5\twhat\t2\tA\n6\thuh\tmaybe\tA\n");
        var set = Read(path, "csv", "text=body,label=sentiment,category=cat");
        Assert.Equal(new[] { Sentiment.Positive, Sentiment.Negative, Sentiment.Neutral, Sentiment.Negative }, set.Reviews.Select(r => r.Label));
        Assert.Equal(new string?[] { "A", "B", null, "A" }, set.Reviews.Select(r => r.Category));
        Assert.Equal(2, set.Account.Rejected["label out of range"]);
    }

    [Fact]
    public void Csv_zero_is_neutral_only_when_minus_one_appears()
    {
        var path = _tmp.Write("r.csv", "text;label\ngood;1\nso so;0\nbad;-1\n");
        var set = Read(path, null, "text=text,label=label");
        Assert.Equal(ReviewCsvReader.Name, set.Account.Format);
        Assert.Equal(new[] { Sentiment.Positive, Sentiment.Neutral, Sentiment.Negative }, set.Reviews.Select(r => r.Label));
    }

    [Fact]
    public void Csv_ratings_accept_whole_stars_written_as_decimals()
    {
        var path = _tmp.Write("r.csv", "review,stars\nlovely,5\nfine,4.0\nok,3\nawful,1\nhalf,4.5\nzero,0\nnone,\n");
        var set = Read(path, "csv", "text=review,rating=stars");
        Assert.Equal(new int?[] { 5, 4, 3, 1 }, set.Reviews.Select(r => r.Stars));
        Assert.Equal(new[] { Sentiment.Positive, Sentiment.Positive, Sentiment.Neutral, Sentiment.Negative }, set.Reviews.Select(r => r.Label));
        Assert.Equal(new SortedDictionary<string, long> { ["label out of range"] = 2, ["no label"] = 1 }, set.Account.Rejected);
    }

    [Fact]
    public void Csv_rejects_a_row_with_the_wrong_field_count_or_a_stray_quote_and_keeps_the_rest()
    {
        var path = _tmp.Write("r.csv", "text,label\ngood,1\ntoo,many,1\nthe 5\" and 6\" screens,0\nbad,0\n\nfine,1\n");
        var set = Read(path, "csv", "text=text,label=label");
        Assert.Equal(new[] { "good", "bad", "fine" }, set.Reviews.Select(r => r.Text));
        Assert.Equal(2, set.Account.Rejected["malformed row"]);
        Assert.Equal(1, set.Account.Rejected["empty text"]);
    }

    [Fact]
    public void Csv_with_a_quote_that_never_closes_is_an_error_naming_its_line()
    {
        var path = _tmp.Write("r.csv", "text,label\ngood,1\n\"open,0\nbad,0\n");
        var e = Assert.Throws<DataFormatException>(() => Read(path, "csv", "text=text,label=label"));
        Assert.Equal(3, e.Line);
        Assert.Contains("never closes", e.Message);
    }

    [Fact]
    public void Csv_rejects_text_over_the_limit_after_trimming_without_truncating()
    {
        var path = _tmp.Write("r.csv", "text,label\n  12345  ,1\n123456,0\n");
        var set = Read(path, "csv", "text=text,label=label", maxChars: 5);
        Assert.Equal("12345", Assert.Single(set.Reviews).Text);
        Assert.Equal(1, set.Account.Rejected["text over 5 characters"]);
    }

    [Fact]
    public void Invalid_utf8_bytes_reject_only_their_row_as_undecodable()
    {
        var bytes = Encoding.UTF8.GetBytes("text,label\ngood,1\n").Concat(new byte[] { 0xC3, 0x28, 0xFF, (byte)',', (byte)'0', (byte)'\n' })
            .Concat(Encoding.UTF8.GetBytes("bad,0\n")).ToArray();
        var set = Read(_tmp.WriteBytes("r.csv", bytes), "csv", "text=text,label=label");
        Assert.Equal(new[] { "good", "bad" }, set.Reviews.Select(r => r.Text));
        Assert.Equal(1, set.Account.Rejected["undecodable text"]);
    }

    [Fact]
    public void A_bom_is_skipped_and_a_u_fffd_written_in_valid_utf8_is_kept_while_bad_bytes_are_not()
    {
        var bytes = new UTF8Encoding(true).GetPreamble().Concat(Encoding.UTF8.GetBytes("text,label\nPar\uFFFD ok,1\n"))
            .Concat(new byte[] { (byte)'x', 0xE2, 0x82, (byte)',', (byte)'0', (byte)'\n' }).Concat(Encoding.UTF8.GetBytes("bad,0\n")).ToArray();
        var set = Read(_tmp.WriteBytes("r.csv", bytes), null, "text=text,label=label");
        Assert.Equal(new[] { "Par\uFFFD ok", "bad" }, set.Reviews.Select(r => r.Text));
        Assert.Equal("line 3: 'x\\uFFFF'", set.Account.Examples["undecodable text"][0]);
    }

    [Fact]
    public void Csv_reads_gzip_and_jsonl()
    {
        var path = Path.Combine(_tmp.Dir, "r.jsonl.gz");
        using (var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest))
            gz.Write(Encoding.UTF8.GetBytes("{\"review\":\"great\",\"stars\":5,\"cat\":\"x\"}\n{\"review\":\"meh\",\"stars\":\"3\"}\nnot json\n[1]\n{\"review\":{\"a\":1},\"stars\":1}\n{\"stars\":2}\n"));
        var set = Read(path, "csv", "text=review,rating=stars,category=cat");
        Assert.Equal(new[] { new Review("great", Sentiment.Positive, "x", 5), new Review("meh", Sentiment.Neutral, null, 3) }, set.Reviews);
        Assert.Equal(new SortedDictionary<string, long> { ["empty text"] = 1, ["malformed row"] = 3 }, set.Account.Rejected);
    }

    [Fact]
    public void Jsonl_whose_first_object_lacks_a_mapped_key_is_one_error_listing_its_keys()
    {
        var path = _tmp.Write("r.ndjson", "{\"body\":\"great\",\"label\":1}\n");
        var e = Fails(() => Read(path, "csv", "text=review,label=label"));
        Assert.Contains("'review'", e.Message);
        Assert.Contains("body, label", e.Message);
    }

    [Fact]
    public void An_unknown_column_is_one_error_naming_it_and_the_header()
    {
        var path = _tmp.Write("r.csv", "text,label\ngood,1\n");
        var e = Assert.Throws<DataFormatException>(() => Read(path, "csv", "text=review,label=label"));
        Assert.Equal(1, e.Line);
        Assert.Contains("'review'", e.Message);
        Assert.Contains("text, label", e.Message);
    }

    [Theory]
    [InlineData(null, "needs --columns")]
    [InlineData("text=review", "label= (class labels) or rating=")]
    [InlineData("text=review,label=l,rating=r", "both label= and rating=")]
    [InlineData("text=review,label=l,stars=s", "unknown field 'stars'")]
    [InlineData("review,label=l", "not field=column")]
    [InlineData("label=l", "lacks text=")]
    public void A_bad_column_mapping_is_refused_before_reading(string? columns, string expected)
    {
        var path = _tmp.Write("r.csv", "review,l\ngood,1\n");
        Assert.Contains(expected, Fails(() => Read(path, "csv", columns)).Message);
    }

    [Fact]
    public void Columns_are_refused_for_a_preset_format()
    {
        var path = _tmp.Write("r.csv", TenCats);
        Assert.Contains("only by --format csv", Fails(() => Read(path, "online-shopping-10cats", "text=review,label=label")).Message);
    }

    // ---- whole-file errors

    [Fact]
    public void A_missing_file_says_file_not_found()
    {
        var missing = Path.Combine(_tmp.Dir, "nope.csv");
        Assert.Equal($"--data {missing}: file not found", Fails(() => Read(missing)).Message);
    }

    [Fact]
    public void A_zip_that_is_not_a_zip_is_a_clear_error()
    {
        var path = _tmp.Write("r.zip", "cat,label,review\n");
        var e = Assert.Throws<DataFormatException>(() => Read(path, "online-shopping-10cats"));
        Assert.Contains("is not a zip archive", e.Message);
    }

    [Fact]
    public void A_zip_with_no_entries_but_macos_metadata_is_a_clear_error()
    {
        var path = Path.Combine(_tmp.Dir, "e.zip");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create)) zip.CreateEntry("__MACOSX/._r.csv");
        Assert.Contains("holds no file", Fails(() => Read(path, "csv", "text=a,label=b")).Message);
    }

    [Fact]
    public void A_file_of_only_rejected_rows_is_an_error_saying_why()
    {
        var path = _tmp.Write("r.csv", "text,label\n,1\n");
        var e = Assert.Throws<DataFormatException>(() => Read(path, "csv", "text=text,label=label"));
        Assert.Contains("no review kept", e.Message);
        Assert.Contains("1 empty text", e.Message);
    }

    [Fact]
    public void An_unknown_format_lists_the_formats()
    {
        var path = _tmp.Write("r.csv", TenCats);
        var e = Fails(() => Read(path, "amazon"));
        foreach (var (name, _) in ReviewReaders.Formats) Assert.Contains(name, e.Message);
    }

    [Fact]
    public void An_undetectable_file_says_what_was_tried_and_asks_for_format_or_columns()
    {
        var path = _tmp.Write("r.csv", "body,score\ngood,1\n");
        var e = Fails(() => Read(path));
        Assert.Contains("online-shopping-10cats", e.Message);
        Assert.Contains("uci-sentences", e.Message);
        Assert.Contains("--columns", e.Message);
        Assert.Contains("body,score", e.Message);
    }

    [Fact]
    public void A_txt_of_other_lines_is_not_taken_for_uci_sentences()
    {
        var path = _tmp.Write("r.txt", "Great phone.\tgood\n");
        Fails(() => Read(path));
    }

    [Fact]
    public void Every_format_has_a_description()
    {
        Assert.Equal(new[] { "online-shopping-10cats", "blitzer", "uci-sentences", "womens-clothing", "csv" }, ReviewReaders.Formats.Select(f => f.Name));
        Assert.All(ReviewReaders.Formats, f => Assert.False(string.IsNullOrWhiteSpace(f.Description)));
    }
}
