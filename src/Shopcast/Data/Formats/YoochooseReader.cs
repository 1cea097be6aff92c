namespace Shopcast.Data.Formats;

/// <summary>
/// YOOCHOOSE (RecSys Challenge 2015) session logs, in the three layouts they circulate in; the first line decides which:
/// <list type="bullet">
/// <item>session-rec "prepared" TSV with header <c>SessionId\tItemId\tTime</c> (Unix seconds with a fraction): views;</item>
/// <item>raw <c>yoochoose-clicks.dat</c>, no header, <c>session,ISO time,item,category</c> (category "0" = none): views;</item>
/// <item>raw <c>yoochoose-buys.dat</c>, no header, <c>session,ISO time,item,price,quantity</c>: purchases.</item>
/// </list>
/// The logs have no users, so the session id is both user and session.
/// </summary>
public sealed class YoochooseReader : IEventReader
{
    public const string PreparedHeader = "SessionId\tItemId\tTime";

    public string Format => "yoochoose";
    public string Description =>
        "YOOCHOOSE: a TSV with header SessionId<TAB>ItemId<TAB>Time, or raw clicks (session,time,item,category) / buys (session,time,item,price,quantity) with no header";

    private enum Layout { Prepared, Clicks, Buys }

    internal static bool Detects(IReadOnlyList<string> firstLines)
    {
        if (firstLines.Count == 0) return false;
        var first = firstLines[0];
        if (PreparedColumns(first) is not null) return true;
        // Raw rows: numeric session and item around an ISO time (the clock field is what sets them apart from Taobao).
        var f = first.Split(',');
        return f.Length is 4 or 5 && FormatText.IsDigits(f[0]) && FormatText.IsDigits(f[2])
               && f[1].Contains('T') && TimeParser.TryParse(f[1], out _);
    }

    /// <summary>Positions of SessionId, ItemId and Time when <paramref name="header"/> is a prepared header, else null.</summary>
    private static (int Session, int Item, int Time, int Columns)? PreparedColumns(string header)
    {
        var names = header.Split('\t');
        var index = FormatText.HeaderIndex(names);
        if (index.TryGetValue("SessionId", out var s) && index.TryGetValue("ItemId", out var i) && index.TryGetValue("Time", out var t))
            return (s, i, t, names.Length);
        return null;
    }

    public IEnumerable<ReadOutcome> Read(TextReader text, string sourceName)
    {
        string? s = text.ReadLine();
        if (s is null) yield break;
        long line = 1;
        Layout layout;
        var prepared = PreparedColumns(s);
        if (prepared is not null) layout = Layout.Prepared;
        else
        {
            var f = s.Split(',');
            if (!(f.Length is 4 or 5 && FormatText.IsDigits(f[0]) && FormatText.IsDigits(f[2])))
                throw new DataFormatException(sourceName, 1,
                    $"expected the YOOCHOOSE header '{PreparedHeader.Replace("\t", "<TAB>")}', or a raw clicks row 'session,time,item,category' " +
                    $"or buys row 'session,time,item,price,quantity', found '{FormatText.Clip(s)}'");
            layout = f.Length == 4 ? Layout.Clicks : Layout.Buys;
            yield return layout == Layout.Clicks ? Click(line, f) : Buy(line, f);
        }
        while ((s = text.ReadLine()) != null)
        {
            line++;
            if (s.Length == 0) { yield return ReadOutcome.Reject(line, RejectReasons.EmptyLine); continue; }
            yield return layout switch
            {
                Layout.Prepared => PreparedRow(line, s.Split('\t'), prepared!.Value),
                Layout.Clicks => Click(line, s.Split(',')),
                _ => Buy(line, s.Split(',')),
            };
        }
    }

    private static ReadOutcome PreparedRow(long line, string[] f, (int Session, int Item, int Time, int Columns) c)
    {
        if (f.Length != c.Columns) return ReadOutcome.Reject(line, RejectReasons.WrongColumnCount);
        return Build(line, f[c.Session], f[c.Item], f[c.Time], EventType.View);
    }

    private static ReadOutcome Click(long line, string[] f)
    {
        if (f.Length != 4) return ReadOutcome.Reject(line, RejectReasons.WrongColumnCount);
        // "0" is the dataset's "no category"; other values (1-12, "S" for special offer, brand ids) are kept as given.
        var category = f[3].Length == 0 || f[3] == "0" ? null : f[3];
        return Build(line, f[0], f[2], f[1], EventType.View, category);
    }

    private static ReadOutcome Buy(long line, string[] f)
    {
        if (f.Length != 5) return ReadOutcome.Reject(line, RejectReasons.WrongColumnCount);
        if (!FormatText.TryNumber(f[3], out var price) || !FormatText.TryNumber(f[4], out var quantity))
            return ReadOutcome.Reject(line, RejectReasons.BadNumber);
        // The buys file writes 0 for price and quantity when they were not recorded, so 0 is stored as unknown.
        return Build(line, f[0], f[2], f[1], EventType.Purchase, null,
            price == 0 ? null : price, quantity == 0 ? null : quantity);
    }

    private static ReadOutcome Build(long line, string session, string item, string time, EventType type,
        string? category = null, double? price = null, double? quantity = null)
    {
        if (session.Length == 0) return ReadOutcome.Reject(line, RejectReasons.MissingSession);
        if (item.Length == 0) return ReadOutcome.Reject(line, RejectReasons.MissingItem);
        if (!FormatText.IsDigits(session) || !FormatText.IsDigits(item)) return ReadOutcome.Reject(line, RejectReasons.BadId);
        var ms = TimeParser.ParseChecked(time, out var timeReject);
        if (ms is null) return ReadOutcome.Reject(line, timeReject!);
        return ReadOutcome.Accept(line, new Event(session, item, ms.Value, type, Session: session,
            Category: category, Price: price, Value: quantity));
    }
}
