namespace Shopcast.Data.Formats;

/// <summary>
/// Tianchi "User Behavior Data from Taobao" (UserBehavior.csv): no header,
/// <c>user_id,item_id,category_id,behavior_type,timestamp</c>, behaviour pv/cart/fav/buy, Unix seconds.
/// Rows outside the dataset's official window (2017-11-25 .. 2017-12-03, China time) are rejected, as is usual for this data.
/// </summary>
public sealed class TaobaoReader : IEventReader
{
    public const long WindowStartSeconds = 1511539200; // 2017-11-25 00:00:00 China time (UTC+8)
    public const long WindowEndSeconds = 1512316799;   // 2017-12-03 23:59:59 China time (UTC+8)

    public string Format => "taobao";
    public string Description => "Tianchi Taobao UserBehavior.csv: user,item,category,pv|cart|fav|buy,unix seconds (no header)";

    public IEnumerable<ReadOutcome> Read(TextReader text, string sourceName)
    {
        long line = 0;
        string? s;
        while ((s = text.ReadLine()) != null)
        {
            line++;
            if (s.Length == 0) { yield return ReadOutcome.Reject(line, RejectReasons.EmptyLine); continue; }
            var f = s.Split(',');
            if (line == 1 && f.Length >= 4 && !FormatText.IsDigits(f[0]) && !FormatText.IsDigits(f[1]))
                throw new DataFormatException(sourceName, line,
                    $"expected the Taobao layout user_id,item_id,category_id,behavior_type,timestamp with no header, found '{FormatText.Clip(s)}'");
            if (f.Length != 5) { yield return ReadOutcome.Reject(line, RejectReasons.WrongColumnCount); continue; }
            if (f[0].Length == 0) { yield return ReadOutcome.Reject(line, RejectReasons.MissingUser); continue; }
            if (f[1].Length == 0) { yield return ReadOutcome.Reject(line, RejectReasons.MissingItem); continue; }
            if (!FormatText.IsDigits(f[0]) || !FormatText.IsDigits(f[1]) || (f[2].Length > 0 && !FormatText.IsDigits(f[2])))
            { yield return ReadOutcome.Reject(line, RejectReasons.BadId); continue; }
            var type = EventTypes.Parse(f[3]);
            if (type is null) { yield return ReadOutcome.Reject(line, RejectReasons.UnknownEventType); continue; }
            if (!long.TryParse(f[4], out var seconds)) { yield return ReadOutcome.Reject(line, RejectReasons.BadTime); continue; }
            if (seconds < WindowStartSeconds || seconds > WindowEndSeconds)
            { yield return ReadOutcome.Reject(line, RejectReasons.TimeOutOfRange); continue; }
            yield return ReadOutcome.Accept(line, new Event(f[0], f[1], seconds * 1000, type.Value,
                Category: f[2].Length > 0 ? f[2] : null));
        }
    }
}
