using System.Globalization;
using Shopcast.Data.Formats;

namespace Shopcast.Data.Reviews;

/// <summary>How label and rating cells become classes; each returns the reject reason when the cell is not one.</summary>
internal static class ReviewLabels
{
    /// <summary>0 negative, 1 positive, nothing else (online_shopping_10_cats, the UCI sentences).</summary>
    public static Sentiment? ZeroOne(string cell, out string? reject)
    {
        reject = null;
        switch (cell.Trim())
        {
            case "0": return Sentiment.Negative;
            case "1": return Sentiment.Positive;
            case "": reject = ReviewRejects.NoLabel; return null;
            default: reject = ReviewRejects.LabelOutOfRange; return null;
        }
    }

    /// <summary>
    /// The generic csv rule: the words negative/neg, neutral/neu, positive/pos (any case) name their class; the integers
    /// -1 and 1 are negative and positive; 0 is returned as null with <paramref name="zero"/> set, because it is
    /// negative in a 0/1 file and neutral in a -1/0/1 file, which only the whole file tells (see <see cref="ReviewTable"/>).
    /// </summary>
    public static Sentiment? Word(string cell, out bool zero, out string? reject)
    {
        zero = false;
        reject = null;
        var s = cell.Trim();
        switch (s.ToLowerInvariant())
        {
            case "negative" or "neg": return Sentiment.Negative;
            case "neutral" or "neu": return Sentiment.Neutral;
            case "positive" or "pos": return Sentiment.Positive;
            case "": reject = ReviewRejects.NoLabel; return null;
        }
        if (int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n))
            switch (n)
            {
                case -1: return Sentiment.Negative;
                case 1: return Sentiment.Positive;
                case 0: zero = true; return null;
            }
        reject = ReviewRejects.LabelOutOfRange;
        return null;
    }

    /// <summary>A star rating: a whole number 1-5, also written "4.0" (as exports from float columns do).</summary>
    public static int? Stars(string cell, out string? reject)
    {
        reject = null;
        var s = cell.Trim();
        if (s.Length == 0) { reject = ReviewRejects.NoLabel; return null; }
        if (FormatText.TryNumber(s, out var x) && x == Math.Floor(x) && x is >= 1 and <= 5) return (int)x;
        reject = ReviewRejects.LabelOutOfRange;
        return null;
    }
}
