using Shopcast.Data;
using Shopcast.Data.Formats;

namespace Shopcast.Tests.Data;

/// <summary>File content echoed in error messages is clipped and shows no raw control or invisible characters.</summary>
public sealed class ClipTests
{
    [Theory]
    [InlineData("user,item,time", "user,item,time")]
    [InlineData("a\tb", "a<TAB>b")]
    [InlineData("a\rb\nc\0d", "a\\rb\\nc\\0d")]
    [InlineData("x\u001b[31mred", "x\\u001B[31mred")]      // a terminal escape sequence is shown, not obeyed
    [InlineData("evil\u202Etxt.exe", "evil\\u202Etxt.exe")] // a bidirectional override is shown, not obeyed
    [InlineData("caf\u00e9 \U0001F6D2", "caf\u00e9 \U0001F6D2")] // printable text, astral characters included, stays
    public void Escapes_what_a_terminal_would_not_show_faithfully(string raw, string shown) =>
        Assert.Equal(shown, FormatText.Clip(raw));

    [Fact]
    public void A_lone_surrogate_is_escaped()
    {
        // Built at run time: an attribute argument cannot carry a lone surrogate through metadata.
        var raw = "lone" + (char)0xD800 + "x";
        Assert.Equal("lone\\uD800x", FormatText.Clip(raw));
    }

    [Fact]
    public void Clips_at_80_characters_without_cutting_a_surrogate_pair()
    {
        Assert.Equal(new string('a', 80) + "…", FormatText.Clip(new string('a', 200)));
        var s = new string('a', 79) + "\U0001F6D2" + "tail";
        Assert.Equal(new string('a', 79) + "…", FormatText.Clip(s));
    }

    [Fact]
    public void A_reader_error_about_a_binary_looking_header_is_printable()
    {
        var e = Assert.Throws<DataFormatException>(() =>
            FormatCatalog.Create("taobao").Read(new StringReader("us\u0007er,it\u001bem,cat,type,ts\n"), "log.csv").ToList());
        Assert.Contains("us\\u0007er,it\\u001Bem", e.Message);
        Assert.DoesNotContain('\u001b', e.Message);
    }
}
