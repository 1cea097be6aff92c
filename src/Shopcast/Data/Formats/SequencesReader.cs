namespace Shopcast.Data.Formats;

/// <summary>
/// One user per line, <c>user item1 item2 ...</c>, whitespace-separated integer ids, items in time order
/// (the SASRec / S3-Rec Amazon files, e.g. Beauty.txt). The SASRec layout with one <c>user item</c> pair per line
/// (Video.txt) is the same syntax: a user's position counter carries on wherever the user appears again.
/// There is no clock: time is the position in the user's sequence (1, 2, 3, ...).
/// Each item is one row of the account (a line of 9 items is 9 rows); a malformed line is one rejected row.
/// Events are <see cref="EventType.Other"/>: these files are interactions of unstated kind (Amazon reviews,
/// MovieLens ratings, Steam plays), so no kind is claimed.
/// </summary>
public sealed class SequencesReader : IEventReader
{
    private static readonly char[] Blanks = { ' ', '\t' };

    public string Format => "sequences";
    public string Description => "one user per line: 'user item1 item2 ...' (space-separated integer ids, items in time order), or one 'user item' pair per line";
    public bool OrdinalTime => true;

    /// <summary>
    /// A heuristic, since sequences and sessions files look alike: every first line is integer tokens (at least
    /// two), and the first token counts users in order, each line's user equal to the previous one or one more
    /// (1, 2, 3, ... or 1, 1, 1, 2, ... in the pair layout). In a sessions file the first token is just an item.
    /// </summary>
    internal static bool Detects(IReadOnlyList<string> firstLines)
    {
        long? previous = null;
        int lines = 0;
        foreach (var l in firstLines)
        {
            if (l.Trim().Length == 0) continue;
            var t = l.Split(Blanks, StringSplitOptions.RemoveEmptyEntries);
            if (t.Length < 2 || !t.All(FormatText.IsDigits) || !long.TryParse(t[0], out var user)) return false;
            if (previous is { } p && user != p && user != p + 1) return false;
            previous = user;
            lines++;
        }
        return lines > 0;
    }

    public IEnumerable<ReadOutcome> Read(TextReader text, string sourceName)
    {
        // Next position per user: small (one entry per user) and it keeps the pair layout's order across lines.
        var nextPosition = new Dictionary<string, long>();
        long line = 0;
        string? s;
        while ((s = text.ReadLine()) != null)
        {
            line++;
            var t = s.Split(Blanks, StringSplitOptions.RemoveEmptyEntries);
            if (line == 1 && t.Length > 0 && t.All(x => !FormatText.IsDigits(x)))
                throw new DataFormatException(sourceName, 1,
                    $"expected a line of integer ids 'user item1 item2 ...' with no header, found '{FormatText.Clip(s)}'");
            if (t.Length == 0) { yield return ReadOutcome.Reject(line, RejectReasons.EmptyLine); continue; }
            if (!t.All(FormatText.IsDigits)) { yield return ReadOutcome.Reject(line, RejectReasons.BadId); continue; }
            if (t.Length == 1) { yield return ReadOutcome.Reject(line, RejectReasons.TooShort); continue; }
            var user = t[0];
            long position = nextPosition.GetValueOrDefault(user, 1);
            for (int i = 1; i < t.Length; i++)
                yield return ReadOutcome.Accept(line, new Event(user, t[i], position++, EventType.Other));
            nextPosition[user] = position;
        }
    }
}
