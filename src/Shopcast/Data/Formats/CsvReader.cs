namespace Shopcast.Data.Formats;

/// <summary>
/// Any delimited log with a header row, read through a column mapping such as
/// <c>user=uid,item=sku,time=ts,type=event,session=sid,category=cat,brand=brand,price=price,value=rating</c>.
/// The delimiter (comma, tab or semicolon) is sniffed from the header; fields may be quoted (RFC 4180).
/// user, item and time are required; without a type column every row is a view.
/// </summary>
public sealed class CsvReader : IEventReader
{
    /// <summary>The schema fields a mapping may name, in the order they are listed in messages.</summary>
    public static readonly string[] Fields = { "user", "item", "time", "type", "session", "category", "brand", "price", "value" };

    private static readonly string[] Required = { "user", "item", "time" };

    private readonly Dictionary<string, string> mapping;

    public string Format => "csv";
    public string Description => $"a delimited file with a header, read through the column mapping {MappingText}";

    private string MappingText => string.Join(",", Fields.Where(mapping.ContainsKey).Select(k => $"{k}={mapping[k]}"));

    /// <param name="columns">The mapping <c>field=column,...</c>; throws <see cref="ShopcastInputException"/> when it
    /// is missing, names an unknown field, or lacks user, item or time.</param>
    public CsvReader(string? columns)
    {
        const string example = "user=uid,item=sku,time=ts[,type=event][,session=sid][,category=cat][,brand=brand][,price=price][,value=rating]";
        if (string.IsNullOrWhiteSpace(columns))
            throw new ShopcastInputException($"the csv format needs a column mapping (--columns), e.g. {example}");
        mapping = FormatText.ParseMapping(columns, Fields, example, "column mapping");
        var missing = Required.Where(k => !mapping.ContainsKey(k)).ToList();
        if (missing.Count > 0)
            throw new ShopcastInputException(
                $"column mapping lacks {string.Join(", ", missing.Select(k => k + "="))} (user, item and time are required); e.g. {example}");
    }

    public IEnumerable<ReadOutcome> Read(TextReader text, string sourceName)
    {
        string? s = text.ReadLine();
        if (s is null) yield break;
        var delimiter = FormatText.SniffDelimiter(s)
            ?? throw new DataFormatException(sourceName, 1,
                $"expected a header row separated by commas, tabs or semicolons, found '{FormatText.Clip(s)}'");
        var header = new List<string>();
        if (!FormatText.TrySplit(s, delimiter, header))
            throw new DataFormatException(sourceName, 1, $"the header row has unbalanced quotes: '{FormatText.Clip(s)}'");
        var index = FormatText.HeaderIndex(header);
        var at = new Dictionary<string, int>();
        foreach (var (field, column) in mapping)
        {
            if (!index.TryGetValue(column, out var i))
                throw new DataFormatException(sourceName, 1,
                    $"column '{column}' (mapped to {field}) is not in the header; the header's columns are: {FormatText.Clip(string.Join(", ", header.Select(h => h.Trim())), 400)}");
            at[field] = i;
        }
        int Col(string field) => at.GetValueOrDefault(field, -1);
        int user = Col("user"), item = Col("item"), time = Col("time"), type = Col("type"), session = Col("session"),
            category = Col("category"), brand = Col("brand"), price = Col("price"), value = Col("value");

        var f = new List<string>(header.Count);
        long line = 1;
        while ((s = text.ReadLine()) != null)
        {
            line++;
            if (s.Length == 0) { yield return ReadOutcome.Reject(line, RejectReasons.EmptyLine); continue; }
            if (!FormatText.TrySplit(s, delimiter, f)) { yield return ReadOutcome.Reject(line, FormatText.BadQuoting); continue; }
            if (f.Count != header.Count) { yield return ReadOutcome.Reject(line, RejectReasons.WrongColumnCount); continue; }
            yield return ParseRow(line, f, user, item, time, type, session, category, brand, price, value);
        }
    }

    private static ReadOutcome ParseRow(long line, List<string> f, int user, int item, int time, int type,
        int session, int category, int brand, int price, int value)
    {
        string? Text(int i) => i < 0 ? null : FormatText.NullIfEmpty(f[i].Trim());
        var userId = Text(user);
        var itemId = Text(item);
        if (userId is null) return ReadOutcome.Reject(line, RejectReasons.MissingUser);
        if (itemId is null) return ReadOutcome.Reject(line, RejectReasons.MissingItem);
        var ms = TimeParser.ParseChecked(f[time], out var timeReject);
        if (ms is null) return ReadOutcome.Reject(line, timeReject!);
        var eventType = EventType.View;
        if (type >= 0)
        {
            if (EventTypes.Parse(f[type]) is not { } parsed) return ReadOutcome.Reject(line, RejectReasons.UnknownEventType);
            eventType = parsed;
        }
        double? priceValue = null, numericValue = null;
        if (Text(price) is { } p)
        {
            if (!FormatText.TryNumber(p, out var x)) return ReadOutcome.Reject(line, RejectReasons.BadNumber);
            priceValue = x;
        }
        if (Text(value) is { } v)
        {
            if (!FormatText.TryNumber(v, out var x)) return ReadOutcome.Reject(line, RejectReasons.BadNumber);
            numericValue = x;
        }
        return ReadOutcome.Accept(line, new Event(userId, itemId, ms.Value, eventType,
            Session: Text(session), Category: Text(category), Brand: Text(brand), Price: priceValue, Value: numericValue));
    }
}
