using System.Globalization;

namespace Shopcast.Data.Formats;

/// <summary>
/// DIGINETICA (CIKM Cup 2016, track 2) raw <c>train-item-views.csv</c>: semicolon-separated,
/// <c>session_id;user_id;item_id;timeframe;eventdate</c> (the original file spells it sessionId;userId;itemId;...).
/// Time is <c>eventdate</c> (UTC midnight) plus <c>timeframe</c> milliseconds. Most rows have user_id "NA":
/// those shoppers are anonymous and each session is its own user, named "s" + session id so it cannot
/// collide with a real user id of the same number.
/// </summary>
public sealed class DigineticaReader : IEventReader
{
    public const string Header = "session_id;user_id;item_id;timeframe;eventdate";

    /// <summary>Prefix for the user of an anonymous session (user_id NA).</summary>
    public const string AnonymousUserPrefix = "s";

    public string Format => "diginetica";
    public string Description => $"DIGINETICA train-item-views.csv with header {Header}";

    internal static bool Detects(IReadOnlyList<string> firstLines) => firstLines.Count > 0 && IsHeader(firstLines[0]);

    // Both spellings of the header (session_id / sessionId) compare equal once underscores go and case is folded.
    private static bool IsHeader(string line) =>
        string.Equals(line.Trim().Replace("_", ""), Header.Replace("_", ""), StringComparison.OrdinalIgnoreCase);

    public IEnumerable<ReadOutcome> Read(TextReader text, string sourceName)
    {
        long line = 0;
        string? s;
        while ((s = text.ReadLine()) != null)
        {
            line++;
            if (line == 1)
            {
                if (!IsHeader(s))
                    throw new DataFormatException(sourceName, 1, $"expected the DIGINETICA header '{Header}', found '{FormatText.Clip(s)}'");
                continue;
            }
            yield return ParseRow(line, s);
        }
    }

    private static ReadOutcome ParseRow(long line, string s)
    {
        if (s.Length == 0) return ReadOutcome.Reject(line, RejectReasons.EmptyLine);
        var f = s.Split(';');
        if (f.Length != 5) return ReadOutcome.Reject(line, RejectReasons.WrongColumnCount);
        string session = f[0], user = f[1], item = f[2];
        if (session.Length == 0) return ReadOutcome.Reject(line, RejectReasons.MissingSession);
        if (item.Length == 0) return ReadOutcome.Reject(line, RejectReasons.MissingItem);
        bool anonymous = user.Length == 0 || user == "NA";
        if (!FormatText.IsDigits(session) || !FormatText.IsDigits(item) || (!anonymous && !FormatText.IsDigits(user)))
            return ReadOutcome.Reject(line, RejectReasons.BadId);
        if (!long.TryParse(f[3], out var offsetMs) || offsetMs < 0) return ReadOutcome.Reject(line, RejectReasons.BadTime);
        // eventdate is always a bare yyyy-MM-dd, so it is parsed exactly (TimeParser reads dashes as a number's sign).
        if (!DateTime.TryParseExact(f[4], "yyyy-MM-dd", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var day))
            return ReadOutcome.Reject(line, RejectReasons.BadTime);
        long ms = new DateTimeOffset(day, TimeSpan.Zero).ToUnixTimeMilliseconds() + offsetMs;
        if (ms < TimeParser.MinMs || ms > TimeParser.MaxMs) return ReadOutcome.Reject(line, RejectReasons.TimeOutOfRange);
        return ReadOutcome.Accept(line, new Event(anonymous ? AnonymousUserPrefix + session : user, item,
            ms, EventType.View, Session: session));
    }
}
