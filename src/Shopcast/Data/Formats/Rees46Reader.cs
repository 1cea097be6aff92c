namespace Shopcast.Data.Formats;

/// <summary>
/// REES46 / Open CDP "eCommerce behavior data from multi category store" (Kaggle, 2019-Oct.csv and later months):
/// <c>event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session</c>.
/// Category is the numeric <c>category_id</c> (always present, kept as a string: it is a 64-bit id that a double
/// would round); the dotted <c>category_code</c> is often empty and is not stored.
/// </summary>
public sealed class Rees46Reader : IEventReader
{
    public const string Header = "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session";

    public string Format => "rees46";
    public string Description => $"REES46 multi-category store CSV with header {Header}";

    internal static bool Detects(IReadOnlyList<string> firstLines) =>
        firstLines.Count > 0 && IsHeader(firstLines[0]);

    private static bool IsHeader(string line) => string.Equals(line.Trim(), Header, StringComparison.OrdinalIgnoreCase);

    public IEnumerable<ReadOutcome> Read(TextReader text, string sourceName)
    {
        var f = new List<string>(9);
        long line = 0;
        string? s;
        while ((s = text.ReadLine()) != null)
        {
            line++;
            if (line == 1)
            {
                if (!IsHeader(s))
                    throw new DataFormatException(sourceName, 1, $"expected the REES46 header '{Header}', found '{FormatText.Clip(s)}'");
                continue;
            }
            yield return ParseRow(line, s, f);
        }
    }

    private static ReadOutcome ParseRow(long line, string s, List<string> f)
    {
        if (s.Length == 0) return ReadOutcome.Reject(line, RejectReasons.EmptyLine);
        if (!FormatText.TrySplit(s, ',', f)) return ReadOutcome.Reject(line, FormatText.BadQuoting);
        if (f.Count != 9) return ReadOutcome.Reject(line, RejectReasons.WrongColumnCount);
        string item = f[2], category = f[3], user = f[7];
        if (user.Length == 0) return ReadOutcome.Reject(line, RejectReasons.MissingUser);
        if (item.Length == 0) return ReadOutcome.Reject(line, RejectReasons.MissingItem);
        if (!FormatText.IsDigits(user) || !FormatText.IsDigits(item) || (category.Length > 0 && !FormatText.IsDigits(category)))
            return ReadOutcome.Reject(line, RejectReasons.BadId);
        var type = EventTypes.Parse(f[1]);
        if (type is null) return ReadOutcome.Reject(line, RejectReasons.UnknownEventType);
        var ms = TimeParser.ParseChecked(f[0], out var timeReject);
        if (ms is null) return ReadOutcome.Reject(line, timeReject!);
        double? price = null;
        if (f[6].Length > 0)
        {
            if (!FormatText.TryNumber(f[6], out var p)) return ReadOutcome.Reject(line, RejectReasons.BadNumber);
            price = p;
        }
        return ReadOutcome.Accept(line, new Event(user, item, ms.Value, type.Value,
            Session: FormatText.NullIfEmpty(f[8]), Category: FormatText.NullIfEmpty(category),
            Brand: FormatText.NullIfEmpty(f[5]), Price: price));
    }
}
