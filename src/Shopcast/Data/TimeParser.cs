using System.Globalization;

namespace Shopcast.Data;

/// <summary>
/// Normalises the time stamps public logs use to UTC Unix milliseconds:
/// Unix seconds (with or without a fraction), Unix milliseconds (13 digits), ISO 8601 with or without a zone
/// (no zone means UTC), "yyyy-MM-dd HH:mm:ss UTC" (REES46) and a bare date.
/// </summary>
public static class TimeParser
{
    /// <summary>Times outside this window are rejected as out of range: before the web shop existed, or in the future.</summary>
    public static readonly long MinMs = new DateTimeOffset(1995, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    public static long MaxMs => DateTimeOffset.UtcNow.AddDays(2).ToUnixTimeMilliseconds();

    private static readonly string[] Layouts =
    {
        "yyyy-MM-dd HH:mm:ss 'UTC'",
        "yyyy-MM-dd HH:mm:ss.FFFFFFF 'UTC'",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd'T'HH:mm:ss",
        "yyyy-MM-dd HH:mm:ss",
        "yyyy-MM-dd'T'HH:mm",
        "yyyy-MM-dd HH:mm",
        "yyyy-MM-dd",
        "yyyy/MM/dd HH:mm:ss",
        "yyyy/MM/dd",
    };

    /// <summary>Parses <paramref name="text"/>; false when it is not a time in any known layout.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out long unixMs)
    {
        text = text.Trim();
        unixMs = 0;
        if (text.IsEmpty) return false;

        if (IsNumeric(text))
        {
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || double.IsNaN(number))
                return false;
            // 13+ integer digits is milliseconds (1e12 ms is 2001; 1e12 s is year 33658).
            int dot = text.IndexOf('.');
            int integerDigits = (dot < 0 ? text.Length : dot) - (text[0] == '-' ? 1 : 0);
            double ms = integerDigits >= 12 ? number : number * 1000.0;
            if (ms > long.MaxValue / 2 || ms < long.MinValue / 2) return false;
            unixMs = (long)Math.Round(ms);
            return true;
        }

        if (DateTimeOffset.TryParseExact(text, Layouts, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var dto)
            || DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out dto))
        {
            unixMs = dto.ToUnixTimeMilliseconds();
            return true;
        }
        return false;
    }

    /// <summary>Parses and range-checks a time; returns null and the reject reason when it fails.</summary>
    public static long? ParseChecked(ReadOnlySpan<char> text, out string? rejectReason)
    {
        if (!TryParse(text, out var ms)) { rejectReason = Formats.RejectReasons.BadTime; return null; }
        if (ms < MinMs || ms > MaxMs) { rejectReason = Formats.RejectReasons.TimeOutOfRange; return null; }
        rejectReason = null;
        return ms;
    }

    /// <summary>A plain number (optional sign, digits, one dot, optional exponent): "2016-05-09" is not one.</summary>
    private static bool IsNumeric(ReadOnlySpan<char> s)
    {
        int i = s[0] is '-' or '+' ? 1 : 0;
        bool digit = false, dot = false;
        for (; i < s.Length; i++)
        {
            char c = s[i];
            if (c is >= '0' and <= '9') digit = true;
            else if (c == '.' && !dot) dot = true;
            else if (c is 'e' or 'E' && digit)
            {
                int j = i + 1;
                if (j < s.Length && s[j] is '-' or '+') j++;
                if (j >= s.Length) return false;
                for (; j < s.Length; j++) if (s[j] is < '0' or > '9') return false;
                return true;
            }
            else return false;
        }
        return digit;
    }

    public static DateTime ToUtc(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime;
}
