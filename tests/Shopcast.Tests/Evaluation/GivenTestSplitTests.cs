using Shopcast.Data;
using Shopcast.Splits;
using Shopcast.Tests.Models;

namespace Shopcast.Tests.Evaluation;

public sealed class GivenTestSplitTests
{
    // Catalogue i0..i4 (synthetic); three training sequences.
    private static SequenceDataset Train() => TestData.Sequences(5, new[] { 0, 1, 2 }, new[] { 2, 3 }, new[] { 4, 0, 4 });

    private static string[] Ids(SequenceDataset d, ArraySegment<int> h) => h.Select(i => d.Items[i]).ToArray();

    [Fact]
    public void PrefixTargetFile_IsUsedAsGiven_WithUnknownsCountedByReason()
    {
        using var dir = new TestData.TempDir();
        var path = dir.File("test.tsv", "target\tprefix\n" +
            "i2\ti0 i1\n" +         // a case as given
            "i3\ti2 i2 zz i1\n" +   // an unknown prefix item is dropped; the repeat is kept
            "zz\ti0\n" +            // unknown target: skipped
            "i1\tyy zz\n" +         // prefix empty once unknowns are dropped: skipped
            "\n" +
            "i0\ti4\n");
        var train = Train();
        var s = GivenTestSplit.Load(path, train);
        Assert.Equal("given-test", s.Name);
        Assert.True(s.SessionBased);
        Assert.Empty(s.Validation);
        Assert.Equal(3, s.Train.Count);
        Assert.Equal(train.Sequences[2].Items, s.Train[2]);
        Assert.Equal(3, s.Test.Count);
        Assert.Equal(new[] { "i0", "i1" }, Ids(train, s.Test[0].History));
        Assert.Equal("i2", train.Items[s.Test[0].Target]);
        Assert.Equal(new[] { "i2", "i2", "i1" }, Ids(train, s.Test[1].History));
        Assert.Equal("i3", train.Items[s.Test[1].Target]);
        Assert.Equal(new[] { "i4" }, Ids(train, s.Test[2].History));
        Assert.All(s.Test, c => Assert.Equal(-1, c.Sequence));
        Assert.Equal(1, s.Skipped[GivenTestSplit.SkipUnknownTarget]);
        Assert.Equal(3, s.Skipped[GivenTestSplit.SkipUnknownPrefixItem]); // zz, yy, zz (the unknown-target row is not looked into)
        Assert.Equal(1, s.Skipped[GivenTestSplit.SkipEmptyPrefix]);
        Assert.Equal(1, s.Skipped[GivenTestSplit.SkipBlankLine]);
    }

    [Fact]
    public void SessionsFile_ExpandsEveryPrefixToTheNextItem()
    {
        using var dir = new TestData.TempDir();
        var path = dir.File("test.txt", "i0 i1 i2\ni3\ni0 zz i2\nzz i1\n");
        var train = Train();
        var s = GivenTestSplit.Load(path, train);
        Assert.Equal(3, s.Test.Count);
        Assert.Equal(new[] { "i0" }, Ids(train, s.Test[0].History));
        Assert.Equal("i1", train.Items[s.Test[0].Target]);
        Assert.Equal(new[] { "i0", "i1" }, Ids(train, s.Test[1].History));
        Assert.Equal("i2", train.Items[s.Test[1].Target]);
        Assert.Equal(new[] { "i0" }, Ids(train, s.Test[2].History)); // zz dropped from the prefix of i2
        Assert.Equal("i2", train.Items[s.Test[2].Target]);
        Assert.Equal(1, s.Skipped[GivenTestSplit.SkipSingleEventSession]);
        Assert.Equal(1, s.Skipped[GivenTestSplit.SkipUnknownTarget]);       // zz as the target after i0
        Assert.Equal(2, s.Skipped[GivenTestSplit.SkipUnknownPrefixItem]);   // zz before i2, zz before i1
        Assert.Equal(1, s.Skipped[GivenTestSplit.SkipEmptyPrefix]);         // i1 after an unknown only
    }

    [Theory]
    [InlineData("target\tprefix\ni1 i0\n", 2, "two tab-separated fields")]
    [InlineData("target\tprefix\ni1\ti0\ti2\n", 2, "two tab-separated fields")]
    [InlineData("target\tprefix\ni1\ti0\n\ti0\n", 3, "one target item id")]
    [InlineData("target\tprefix\ni1 i2\ti0\n", 2, "one target item id")]
    [InlineData("target\tprefix\ni1\t \n", 2, "at least one prefix item")]
    [InlineData("i0 i1\ni1\ti0\n", 2, "one session per line")]
    [InlineData("i0,i1,i2\n", 1, "one session per line")]
    [InlineData("i0 i1\n\0\0\x01garbage\n", 2, "binary data")]
    public void MalformedLine_IsADataFormatException_NamingFileAndLine(string content, int line, string expected)
    {
        using var dir = new TestData.TempDir();
        var path = dir.File("bad.tsv", content);
        var e = Assert.Throws<DataFormatException>(() => GivenTestSplit.Load(path, Train()));
        Assert.Equal(path, e.File);
        Assert.Equal(line, e.Line);
        Assert.Contains(expected, e.Message);
        Assert.Contains($"line {line}", e.Message);
    }

    [Fact]
    public void StatedFormat_IsHeldTo()
    {
        using var dir = new TestData.TempDir();
        var path = dir.File("t.tsv", "i0 i1\n");
        var e = Assert.Throws<DataFormatException>(() => GivenTestSplit.Load(path, Train(), GivenTestFormat.PrefixTarget));
        Assert.Contains("expected the header", e.Message);
        var header = dir.File("h.tsv", "target\tprefix\n");
        Assert.Throws<DataFormatException>(() => GivenTestSplit.Load(header, Train(), GivenTestFormat.Sessions));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("target\tprefix\n", "no test cases")]
    [InlineData("target\tprefix\n\n\n", "no test cases")]
    public void EmptyFileOrHeaderOnly_IsAClearError(string content, string expected)
    {
        using var dir = new TestData.TempDir();
        var e = Assert.Throws<DataFormatException>(() => GivenTestSplit.Load(dir.File("e.tsv", content), Train()));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void NoCaseInTheCatalogue_SaysTheIdsMayNotMatch()
    {
        using var dir = new TestData.TempDir();
        var e = Assert.Throws<ShopcastInputException>(() => GivenTestSplit.Load(dir.File("t.tsv", "target\tprefix\n7\t8 9\n"), Train()));
        Assert.Contains("ids match", e.Message);
        Assert.Throws<ShopcastInputException>(() => GivenTestSplit.Load(dir["missing.tsv"], Train()));
    }

    [RealDataFact("diginetica-gcegnn/test_prefix_target.tsv")]
    public void Diginetica_TestFile_Gives60858Cases_NothingSkipped()
    {
        var train = SessionFiles.Load(RealData.Path("diginetica-gcegnn/train_sessions.txt"));
        Assert.Equal(186670, train.Sequences.Count);
        Assert.Equal(43097, train.Items.Count);
        var s = GivenTestSplit.Load(RealData.Path("diginetica-gcegnn/test_prefix_target.tsv"), train);
        Assert.Equal(60858, s.Test.Count); // every test item also appears in training (SOURCE.md)
        Assert.Empty(s.Skipped);
        Assert.Equal(186670, s.Train.Count);
        // First row: "21566<TAB>21553 20071 8762 21566 6381".
        Assert.Equal("21566", train.Items[s.Test[0].Target]);
        Assert.Equal(new[] { "21553", "20071", "8762", "21566", "6381" }, Ids(train, s.Test[0].History));
    }
}
