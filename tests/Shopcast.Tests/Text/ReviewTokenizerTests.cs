using Shopcast.Features.Text;
using Xunit;

namespace Shopcast.Tests.Text;

public class ReviewTokenizerTests
{
    private static List<string> Tok(string s) => ReviewTokenizer.Tokens(ReviewTokenizer.Normalize(s));

    [Fact]
    public void Chinese_is_split_into_characters_and_punctuation()
    {
        Assert.Equal(new[] { "这", "个", "手", "机", "很", "好", "用", "!" }, Tok("这个手机很好用！")); // full-width ！ made half-width
    }

    [Fact]
    public void Full_width_letters_digits_and_punctuation_become_half_width_and_lower_case()
    {
        Assert.Equal("abc123!", ReviewTokenizer.Normalize("ＡＢＣ１２３！"));
        Assert.Equal(new[] { "iphone", "12", "很", "好", "," }, Tok("ｉＰｈｏｎｅ　１２很好，"));
    }

    [Fact]
    public void Mixed_chinese_english_and_emoji()
    {
        Assert.Equal(new[] { "质", "量", "不", "错", "good", "quality", "👍", "😀", "😀" }, Tok("质量不错 Good quality👍😀😀"));
        // A ZWJ family and a skin-toned thumb are each one token, not their code points.
        Assert.Equal(new[] { "ok", "👨‍👩‍👧", "👍🏽" }, Tok("OK 👨‍👩‍👧👍🏽"));
    }

    [Fact]
    public void English_words_keep_inner_apostrophes_and_split_punctuation()
    {
        Assert.Equal(new[] { "don't", "buy", "it", "!", "!", "it's", "broken", "." }, Tok("Don't buy it!! It's   broken."));
    }

    [Fact]
    public void Html_entities_are_decoded_and_tags_dropped()
    {
        Assert.Equal("great & cheap - i <3 it", ReviewTokenizer.Normalize("Great &amp; cheap<br />- I &lt;3 it"));
        Assert.Equal("a < b", ReviewTokenizer.Normalize("a < b"));
    }

    [Fact]
    public void A_lone_surrogate_is_one_symbol_token_not_a_crash()
    {
        Assert.Equal(new[] { "cut", "\ud83d", "emoji" }, Tok("cut \ud83d emoji"));
    }

    [Fact]
    public void Empty_and_whitespace_texts_have_no_tokens()
    {
        Assert.Empty(Tok(""));
        Assert.Empty(Tok(" \t\n "));
    }

    [Fact]
    public void NGrams_run_from_one_to_n_tokens()
    {
        Assert.Equal(new[] { "很", "很 好", "很 好 用", "好", "好 用", "用" }, ReviewTokenizer.NGrams(new[] { "很", "好", "用" }, 3));
    }
}
