using Shopcast.Data;

namespace Shopcast.Tests.Cleaning;

public class TimeParserTests
{
    [Theory]
    [InlineData("1511544070", 1511544070000L)]                 // Unix seconds
    [InlineData("1396437466.94", 1396437466940L)]              // seconds with a fraction (YOOCHOOSE)
    [InlineData("1511544070123", 1511544070123L)]              // milliseconds
    [InlineData("2019-10-01 00:00:00 UTC", 1569888000000L)]    // REES46
    [InlineData("2014-04-07T10:51:09.277Z", 1396867869277L)]   // ISO 8601, Z
    [InlineData("2014-04-07T12:51:09.277+02:00", 1396867869277L)] // ISO 8601 with an offset
    [InlineData("2016-05-09", 1462752000000L)]                 // a bare date is UTC midnight
    [InlineData("2016-05-09 10:00:00", 1462788000000L)]        // no zone means UTC
    public void Known_layouts_normalise_to_utc_milliseconds(string text, long expected)
    {
        Assert.True(TimeParser.TryParse(text, out var ms), text);
        Assert.Equal(expected, ms);
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("12-34-56-78")]
    [InlineData("1e")]
    public void Garbage_is_not_a_time(string text) => Assert.False(TimeParser.TryParse(text, out _));

    [Fact]
    public void Out_of_range_times_are_rejected_with_a_reason()
    {
        Assert.Null(TimeParser.ParseChecked("100", out var reason));
        Assert.Equal("time out of range", reason);
        Assert.Null(TimeParser.ParseChecked("4102444800", out reason)); // 2100
        Assert.Equal("time out of range", reason);
        Assert.NotNull(TimeParser.ParseChecked("1511544070", out reason));
    }
}
