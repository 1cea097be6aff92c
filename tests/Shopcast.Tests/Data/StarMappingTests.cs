using Shopcast.Data;
using Shopcast.Data.Reviews;

namespace Shopcast.Tests.Data;

public sealed class StarMappingTests
{
    [Theory]
    [InlineData("negative=1-2,neutral=3,positive=4-5", 2, 4)]
    [InlineData(" Positive = 4-5 , NEGATIVE=1-2, neutral=3-3", 2, 4)]
    [InlineData("negative=1-2,positive=3-5", 2, 3)]
    [InlineData("negative=1,neutral=2-4,positive=5", 1, 5)]
    [InlineData("negative=1-3,positive=4-5", 3, 4)]
    public void Parses_ranges_that_cover_1_to_5_once(string text, int negativeUpTo, int positiveFrom)
    {
        var m = StarMapping.Parse(text);
        Assert.Equal(new StarMapping(negativeUpTo, positiveFrom), m);
        Assert.Equal(m, StarMapping.Parse(m.ToString())); // ToString writes what Parse reads
    }

    [Theory]
    [InlineData("negative=1-2,positive=4-5", "3-star ratings are in no class; give them to neutral=3")]
    [InlineData("negative=1-2,neutral=2-3,positive=4-5", "neutral must be the stars between negative and positive, neutral=3")]
    [InlineData("negative=1,neutral=2-3,positive=5", "neutral=2-4")]
    [InlineData("negative=1-3,positive=3-5", "overlap")]
    [InlineData("negative=1-2,neutral=3,positive=3-5", "neutral overlaps")]
    [InlineData("negative=2,positive=4-5", "negative must start at 1")]
    [InlineData("negative=1-2,positive=4", "positive must end at 5")]
    [InlineData("negative=1-2,neutral=3,positive=4-6", "not a star range within 1-5")]
    [InlineData("negative=2-1,positive=4-5", "not a star range")]
    [InlineData("negative=1-2,good=3,positive=4-5", "unknown class 'good'")]
    [InlineData("negative=1-2,positive=4-5,negative=1-3", "negative is given twice")]
    [InlineData("negative 1-2", "expected class=stars pairs")]
    [InlineData("positive=4-5", "name both")]
    [InlineData("", "name both")]
    public void Refuses_gaps_overlaps_and_bad_ranges(string text, string expected)
    {
        var e = Assert.Throws<ShopcastInputException>(() => StarMapping.Parse(text));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith($"--stars '{text}'", e.Message);
    }

    [Fact]
    public void The_default_classes_1_2_negative_3_neutral_4_5_positive()
    {
        Assert.Equal(new[] { Sentiment.Negative, Sentiment.Negative, Sentiment.Neutral, Sentiment.Positive, Sentiment.Positive },
            Enumerable.Range(1, 5).Select(StarMapping.Default.Classify));
        Assert.Equal("negative=1-2,neutral=3,positive=4-5", StarMapping.Default.ToString());
        Assert.Equal("negative=1-2,positive=3-5", new StarMapping(2, 3).ToString());
    }
}
