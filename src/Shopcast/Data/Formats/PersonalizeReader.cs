namespace Shopcast.Data.Formats;

/// <summary>
/// Amazon Personalize interactions CSV: header <c>USER_ID,ITEM_ID,TIMESTAMP[,EVENT_TYPE][,EVENT_VALUE][,...]</c>
/// (names case-insensitive, any order, extra columns such as IMPRESSION ignored), TIMESTAMP in Unix seconds.
/// EVENT_TYPE is free text in Personalize (each customer names its own events), so a word Shopcast does not know
/// becomes <see cref="EventType.Other"/> instead of a reject; without the column every row is a view.
/// EVENT_VALUE goes to Value.
/// </summary>
public sealed class PersonalizeReader : IEventReader
{
    public string Format => "personalize";
    public string Description => "Amazon Personalize interactions CSV with header USER_ID,ITEM_ID,TIMESTAMP[,EVENT_TYPE][,EVENT_VALUE]";

    /// <summary>The field names of Personalize's interactions schema: the required three and the reserved keywords.</summary>
    internal static readonly string[] SchemaFields =
    {
        "USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE", "EVENT_VALUE", "IMPRESSION", "RECOMMENDATION_ID", "EVENT_ATTRIBUTION_SOURCE",
    };

    /// <summary>
    /// Line 1 has USER_ID, ITEM_ID and TIMESTAMP and no column outside <see cref="SchemaFields"/> (any case). Stricter
    /// than reading, which ignores extra columns: a generic log such as <c>user_id,session_id,item_id,...,timestamp</c>
    /// has those three names too and must not be taken for Personalize (its session ids would be dropped).
    /// </summary>
    internal static bool Detects(IReadOnlyList<string> firstLines)
    {
        if (firstLines.Count == 0) return false;
        var f = new List<string>();
        return FormatText.TrySplit(firstLines[0], ',', f) && Columns(f) is not null
            && f.All(c => SchemaFields.Contains(c.Trim(), StringComparer.OrdinalIgnoreCase));
    }

    private static (int User, int Item, int Time, int Type, int Value)? Columns(List<string> header)
    {
        var index = FormatText.HeaderIndex(header);
        if (!index.TryGetValue("USER_ID", out var user) || !index.TryGetValue("ITEM_ID", out var item)
            || !index.TryGetValue("TIMESTAMP", out var time)) return null;
        return (user, item, time, index.GetValueOrDefault("EVENT_TYPE", -1), index.GetValueOrDefault("EVENT_VALUE", -1));
    }

    public IEnumerable<ReadOutcome> Read(TextReader text, string sourceName)
    {
        string? s = text.ReadLine();
        if (s is null) yield break;
        var f = new List<string>();
        var c = FormatText.TrySplit(s, ',', f) ? Columns(f) : null;
        if (c is null)
            throw new DataFormatException(sourceName, 1,
                $"expected an Amazon Personalize header 'USER_ID,ITEM_ID,TIMESTAMP[,EVENT_TYPE][,EVENT_VALUE]', found '{FormatText.Clip(s)}'");
        var (user, item, time, type, value) = c.Value;
        int columns = f.Count;
        long line = 1;
        while ((s = text.ReadLine()) != null)
        {
            line++;
            if (s.Length == 0) { yield return ReadOutcome.Reject(line, RejectReasons.EmptyLine); continue; }
            if (!FormatText.TrySplit(s, ',', f)) { yield return ReadOutcome.Reject(line, FormatText.BadQuoting); continue; }
            if (f.Count != columns) { yield return ReadOutcome.Reject(line, RejectReasons.WrongColumnCount); continue; }
            if (f[user].Length == 0) { yield return ReadOutcome.Reject(line, RejectReasons.MissingUser); continue; }
            if (f[item].Length == 0) { yield return ReadOutcome.Reject(line, RejectReasons.MissingItem); continue; }
            var ms = TimeParser.ParseChecked(f[time], out var timeReject);
            if (ms is null) { yield return ReadOutcome.Reject(line, timeReject!); continue; }
            double? eventValue = null;
            if (value >= 0 && f[value].Length > 0)
            {
                if (!FormatText.TryNumber(f[value], out var v)) { yield return ReadOutcome.Reject(line, RejectReasons.BadNumber); continue; }
                eventValue = v;
            }
            var eventType = type < 0 ? EventType.View : EventTypes.Parse(f[type]) ?? EventType.Other;
            yield return ReadOutcome.Accept(line, new Event(f[user], f[item], ms.Value, eventType, Value: eventValue));
        }
    }
}
