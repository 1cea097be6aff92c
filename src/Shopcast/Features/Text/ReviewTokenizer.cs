using System.Globalization;
using System.Net;
using System.Text;

namespace Shopcast.Features.Text;

/// <summary>
/// Normalisation and tokens for Chinese and English reviews, with no word segmenter and no pretrained vocabulary.
/// Normalising: HTML entities decoded and tags dropped, full-width letters, digits and punctuation made half-width
/// ("ＡＢＣ１２３！" -> "abc123!"), lower case, whitespace collapsed. Tokens: every Han character is a token
/// (Chinese n-grams of characters then stand in for words), a run of letters or digits is a word (with inner
/// apostrophes: "don't"), each emoji (a whole grapheme cluster, skin tones and ZWJ sequences included) and each
/// punctuation mark is a token; spaces separate.
/// </summary>
/// <remarks>
/// Written by hand because no served library does this split: Microsoft.ML.Tokenizers' pre-tokenisers and BERT's
/// basic tokeniser need a model vocabulary, and Chinese-aware ones need a segmenter dictionary. The minilm model keeps
/// its own WordPiece tokeniser, which its pretrained weights expect.
/// </remarks>
public static class ReviewTokenizer
{
    public static string Normalize(string text)
    {
        text = DecodeMarkup(text).ToLowerInvariant();
        var sb = new StringBuilder(text.Length);
        bool space = false;
        foreach (var raw in text)
        {
            var c = HalfWidth(raw);
            if (char.IsWhiteSpace(c) || char.IsControl(c)) { space = sb.Length > 0; continue; }
            if (space) { sb.Append(' '); space = false; }
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>HTML entities decoded ("&amp;quot;" -> '"') and tags ("&lt;br /&gt;") replaced by a space: the part of
    /// normalising the pretrained models' own tokeniser needs too.</summary>
    public static string DecodeMarkup(string text)
    {
        if (text.Contains('&')) text = WebUtility.HtmlDecode(text);
        if (text.Contains('<')) text = StripTags(text);
        return text;
    }

    /// <summary>
    /// Full-width ASCII (U+FF01-U+FF5E: "ＡＢＣ１２３！，") to its half-width form and the ideographic space to a space:
    /// the part of NFKC that matters for shop reviews. By hand because Shopcast runs with invariant globalization
    /// (no ICU needed on a fresh machine), where string.Normalize leaves non-ASCII text unchanged.
    /// </summary>
    private static char HalfWidth(char c) => c switch
    {
        >= '\uFF01' and <= '\uFF5E' => (char)(c - 0xFEE0),
        '\u3000' => ' ',
        _ => c,
    };

    /// <summary>Tokens of a normalised text (see <see cref="Normalize"/>), in order.</summary>
    public static List<string> Tokens(string normalized)
    {
        var tokens = new List<string>();
        var e = StringInfo.GetTextElementEnumerator(normalized);
        var word = new StringBuilder();
        void Flush() { if (word.Length > 0) { tokens.Add(word.ToString().TrimEnd('\'')); word.Clear(); } }
        while (e.MoveNext())
        {
            var element = (string)e.Current;
            // A lone surrogate (a cut emoji in scraped text) is not a rune: it becomes a symbol token of its own.
            int rune = Rune.TryGetRuneAt(element, 0, out var r) ? r.Value : 0xFFFD;
            var category = CharUnicodeInfo.GetUnicodeCategory(rune);
            if (IsHan(rune)) { Flush(); tokens.Add(element); }
            else if (category is UnicodeCategory.LowercaseLetter or UnicodeCategory.UppercaseLetter or UnicodeCategory.TitlecaseLetter
                     or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.DecimalDigitNumber
                     or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark)
                word.Append(element);
            else if (rune == '\'' && word.Length > 0) word.Append('\''); // inner apostrophe: don't, it's
            else if (rune == ' ') Flush();
            else { Flush(); tokens.Add(element); } // punctuation, symbols, emoji: one token each
        }
        Flush();
        tokens.RemoveAll(t => t.Length == 0);
        return tokens;
    }

    /// <summary>All n-grams of 1 to <paramref name="maxN"/> tokens, joined by a space (a token never holds one).</summary>
    public static IEnumerable<string> NGrams(IReadOnlyList<string> tokens, int maxN)
    {
        for (int i = 0; i < tokens.Count; i++)
        {
            yield return tokens[i];
            var sb = new StringBuilder(tokens[i]);
            for (int n = 2; n <= maxN && i + n <= tokens.Count; n++)
            {
                sb.Append(' ').Append(tokens[i + n - 1]);
                yield return sb.ToString();
            }
        }
    }

    /// <summary>CJK unified ideographs (basic, extensions A to G) and compatibility ideographs.</summary>
    internal static bool IsHan(int rune) =>
        rune is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF or >= 0xF900 and <= 0xFAFF or >= 0x20000 and <= 0x3134F;

    private static string StripTags(string text)
    {
        var sb = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            // A tag is "<" then a letter or "/" up to the next ">": "<br />", "</p>". A lone "<" ("a < b", "<3") stays.
            if (text[i] == '<' && i + 1 < text.Length && (char.IsAsciiLetter(text[i + 1]) || text[i + 1] == '/'))
            {
                int end = text.IndexOf('>', i + 1);
                if (end > 0) { sb.Append(' '); i = end; continue; }
            }
            sb.Append(text[i]);
        }
        return sb.ToString();
    }
}
