namespace Shopcast.Data.Formats;

/// <summary>
/// RecBole atomic interaction file (<c>.inter</c>): tab-separated, header of typed fields <c>name:type</c>
/// (type token, token_seq, float or float_seq), e.g. <c>user_id:token item_id:token rating:float timestamp:float</c>.
/// Read by RecBole's default field names: item_id, user_id and/or session_id (a session-only file uses the session
/// as the user), timestamp, rating (-> Value) and an optional event-type token column; other fields are ignored.
/// Without a timestamp field, time is the line number and is marked ordinal.
/// </summary>
public sealed class RecBoleReader : IEventReader
{
    private static readonly string[] FieldTypes = { "token", "token_seq", "float", "float_seq" };

    /// <summary>Names RecBole data sets use for the kind of interaction.</summary>
    private static readonly string[] TypeFields = { "event_type", "event", "behavior_type", "behaviour_type", "interaction_type", "type" };

    private bool ordinal;

    public string Format => "recbole";
    public string Description => "RecBole .inter file: tab-separated header of name:type fields with item_id:token and user_id:token or session_id:token";

    /// <summary>Set once the header is read: true when the file has no timestamp field.</summary>
    public bool OrdinalTime => ordinal;

    internal static bool Detects(IReadOnlyList<string> firstLines) =>
        firstLines.Count > 0 && ParseHeader(firstLines[0]) is { } names && names.Contains("item_id");

    /// <summary>Field names of a RecBole header (lower case), or null when any field is not <c>name:type</c>.</summary>
    private static List<string>? ParseHeader(string line)
    {
        var names = new List<string>();
        foreach (var field in line.Split('\t'))
        {
            int colon = field.LastIndexOf(':');
            if (colon <= 0 || !FieldTypes.Contains(field[(colon + 1)..].Trim().ToLowerInvariant())) return null;
            names.Add(field[..colon].Trim().ToLowerInvariant());
        }
        return names;
    }

    public IEnumerable<ReadOutcome> Read(TextReader text, string sourceName)
    {
        string? s = text.ReadLine();
        if (s is null) yield break;
        var names = ParseHeader(s);
        int item = names?.IndexOf("item_id") ?? -1;
        int user = names?.IndexOf("user_id") ?? -1, session = names?.IndexOf("session_id") ?? -1;
        if (names is null || item < 0 || (user < 0 && session < 0))
            throw new DataFormatException(sourceName, 1,
                "expected a RecBole .inter header of tab-separated name:type fields (token, token_seq, float, float_seq) " +
                $"with item_id:token and user_id:token or session_id:token, e.g. 'user_id:token<TAB>item_id:token<TAB>rating:float<TAB>timestamp:float'; found '{FormatText.Clip(s)}'");
        int time = names.IndexOf("timestamp"), rating = names.IndexOf("rating");
        int type = names.FindIndex(n => TypeFields.Contains(n));
        ordinal = time < 0;

        var f = new List<string>(names.Count);
        long line = 1;
        while ((s = text.ReadLine()) != null)
        {
            line++;
            if (s.Length == 0) { yield return ReadOutcome.Reject(line, RejectReasons.EmptyLine); continue; }
            if (!FormatText.TrySplit(s, '\t', f)) { yield return ReadOutcome.Reject(line, FormatText.BadQuoting); continue; }
            if (f.Count != names.Count) { yield return ReadOutcome.Reject(line, RejectReasons.WrongColumnCount); continue; }
            string? sessionId = session >= 0 ? FormatText.NullIfEmpty(f[session]) : null;
            string? userId = user >= 0 ? FormatText.NullIfEmpty(f[user]) : sessionId;
            if (userId is null) { yield return ReadOutcome.Reject(line, user >= 0 ? RejectReasons.MissingUser : RejectReasons.MissingSession); continue; }
            if (f[item].Length == 0) { yield return ReadOutcome.Reject(line, RejectReasons.MissingItem); continue; }
            long ms = line;
            if (time >= 0)
            {
                var t = TimeParser.ParseChecked(f[time], out var timeReject);
                if (t is null) { yield return ReadOutcome.Reject(line, timeReject!); continue; }
                ms = t.Value;
            }
            double? value = null;
            if (rating >= 0 && f[rating].Length > 0)
            {
                if (!FormatText.TryNumber(f[rating], out var r)) { yield return ReadOutcome.Reject(line, RejectReasons.BadNumber); continue; }
                value = r;
            }
            var eventType = EventType.Other;
            if (type >= 0)
            {
                if (EventTypes.Parse(f[type]) is not { } parsed) { yield return ReadOutcome.Reject(line, RejectReasons.UnknownEventType); continue; }
                eventType = parsed;
            }
            yield return ReadOutcome.Accept(line, new Event(userId, f[item], ms, eventType, Session: sessionId, Value: value));
        }
    }
}
