namespace Shopcast.Data.Formats;

/// <summary>
/// One session per line, item ids space-separated in click order (e.g. the SR-GNN / GCE-GNN Diginetica
/// training sessions). The session id is the line number and is also the user (the files carry no users);
/// there is no clock, so time is the position in the line (1, 2, 3, ...). Items are clicks, so events are views.
/// Each item is one row of the account; a malformed line is one rejected row.
/// </summary>
public sealed class SessionsReader : IEventReader
{
    private static readonly char[] Blanks = { ' ', '\t' };

    public string Format => "sessions";
    public string Description => "one session per line: 'item1 item2 ...' (space-separated integer item ids in click order)";
    public bool OrdinalTime => true;

    /// <summary>Every first line is integer tokens. Checked after <see cref="SequencesReader.Detects"/>, which claims
    /// such files when the first token numbers the lines.</summary>
    internal static bool Detects(IReadOnlyList<string> firstLines)
    {
        int lines = 0;
        foreach (var l in firstLines)
        {
            var t = l.Split(Blanks, StringSplitOptions.RemoveEmptyEntries);
            if (t.Length == 0) continue;
            if (!t.All(FormatText.IsDigits)) return false;
            lines++;
        }
        return lines > 0;
    }

    public IEnumerable<ReadOutcome> Read(TextReader text, string sourceName)
    {
        long line = 0;
        string? s;
        while ((s = text.ReadLine()) != null)
        {
            line++;
            var t = s.Split(Blanks, StringSplitOptions.RemoveEmptyEntries);
            if (line == 1 && t.Length > 0 && t.All(x => !FormatText.IsDigits(x)))
                throw new DataFormatException(sourceName, 1,
                    $"expected a line of integer item ids 'item1 item2 ...' with no header, found '{FormatText.Clip(s)}'");
            if (t.Length == 0) { yield return ReadOutcome.Reject(line, RejectReasons.EmptyLine); continue; }
            if (!t.All(FormatText.IsDigits)) { yield return ReadOutcome.Reject(line, RejectReasons.BadId); continue; }
            var session = line.ToString(System.Globalization.CultureInfo.InvariantCulture);
            for (int i = 0; i < t.Length; i++)
                yield return ReadOutcome.Accept(line, new Event(session, t[i], i + 1, EventType.View, Session: session));
        }
    }
}
