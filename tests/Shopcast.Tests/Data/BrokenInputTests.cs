using Shopcast.Data;
using Shopcast.Data.Formats;

namespace Shopcast.Tests.Data;

/// <summary>
/// Broken input to every reader: each case ends in counted rejects or a <see cref="ShopcastInputException"/>
/// that names the file (and the line, when one is to blame); never any other exception.
/// </summary>
public sealed class BrokenInputTests : IDisposable
{
    /// <summary>
    /// A small valid log in one format, plus one bad row of each kind (null where the format cannot have it) and the
    /// reason it must be rejected with (null: the row is still valid, e.g. a truncated session is a shorter session).
    /// </summary>
    public sealed record Fixture(
        string Format, string? Header, string[] Good, int GoodEvents,
        (string Row, string? Reason) Truncated,
        (string Row, string Reason)? WrongColumns,
        (string Row, string Reason) BadId,
        (string Row, string Reason)? BadTime,
        string WrongHeader,
        string? Columns = null);

    public static readonly Dictionary<string, Fixture> Fixtures = new[]
    {
        new Fixture("taobao", null,
            new[] { "1,10,100,pv,1511600000", "1,11,100,buy,1511600100", "2,10,100,cart,1511600200" }, 3,
            ("2,12,100,pv", RejectReasons.WrongColumnCount),
            ("3,10,100,pv,1511600000,9", RejectReasons.WrongColumnCount),
            ("3x,10,100,pv,1511600000", RejectReasons.BadId),
            ("3,10,100,pv,later", RejectReasons.BadTime),
            "user_id,item_id,category_id,behavior_type,timestamp"),
        new Fixture("rees46", Rees46Reader.Header,
            new[]
            {
                "2019-10-01 00:00:00 UTC,view,44600062,2103807459595387724,,shiseido,35.79,541312140,72d76fde-8bb3-4e00-8c23-a032dfed738c",
                "2019-10-01 00:00:05 UTC,cart,3900821,2053013552326770905,appliances.environment.water_heater,aqua,33.20,554748717,9333dfbd",
                "2019-10-01 00:00:09 UTC,purchase,3900821,2053013552326770905,,,,554748717,",
            }, 3,
            ("2019-10-01 00:00:10 UTC,view,4460", RejectReasons.WrongColumnCount),
            ("2019-10-01 00:00:10 UTC,view,44600062,2103807459595387724,shiseido,35.79,541312140,72d76fde", RejectReasons.WrongColumnCount),
            ("2019-10-01 00:00:10 UTC,view,SKU-1,2103807459595387724,,shiseido,35.79,541312140,72d76fde", RejectReasons.BadId),
            ("2019-13-45 99:00:00 UTC,view,44600062,2103807459595387724,,shiseido,35.79,541312140,72d76fde", RejectReasons.BadTime),
            "time,type,product,category,code,brand,price,user,session"),
        new Fixture("yoochoose", YoochooseReader.PreparedHeader,
            new[] { "1\t214536502\t1396860669.277", "1\t214536506\t1396860886.998", "3\t214716935\t1396437466.94" }, 3,
            ("3\t2148", RejectReasons.WrongColumnCount),
            ("3\t214832672\t1396438212.318\t7", RejectReasons.WrongColumnCount),
            ("3\titem-9\t1396438212.318", RejectReasons.BadId),
            ("3\t214832672\tsoon", RejectReasons.BadTime),
            "Session\tItem\tTimestamp"),
        new Fixture("yoochoose-clicks", null,
            new[] { "1,2014-04-07T10:51:09.277Z,214536502,0", "1,2014-04-07T10:54:09.868Z,214536500,S", "2,2014-04-07T13:56:37.614Z,214662742,0" }, 3,
            ("2,2014-04-07T13:5", RejectReasons.WrongColumnCount),
            ("2,2014-04-07T13:57:19.373Z,214662742,0,1", RejectReasons.WrongColumnCount),
            ("2,2014-04-07T13:57:19.373Z,x214662742,0", RejectReasons.BadId),
            ("2,2014-04-07T25:99:19.373Z,214662742,0", RejectReasons.BadTime),
            "session,timestamp,item,category"),
        new Fixture("yoochoose-buys", null,
            new[] { "420374,2014-04-06T18:44:58.314Z,214537888,12462,1", "420374,2014-04-06T18:44:58.325Z,214537850,10471,1", "281626,2014-04-06T09:40:13.032Z,214535653,0,0" }, 3,
            ("281626,2014-04-06T09:40:13.032Z,21453", RejectReasons.WrongColumnCount),
            ("281626,2014-04-06T09:40:13.032Z,214535653,1046", RejectReasons.WrongColumnCount),
            ("281626,2014-04-06T09:40:13.032Z,214535653a,1046,1", RejectReasons.BadId),
            ("281626,1800-04-06T09:40:13.032Z,214535653,1046,1", RejectReasons.TimeOutOfRange),
            "session,timestamp,item,price,quantity"),
        new Fixture("diginetica", DigineticaReader.Header,
            new[] { "1;NA;81766;526309;2016-05-09", "1;NA;31331;1031018;2016-05-09", "2;17143;32118;243569;2016-05-09" }, 3,
            ("3;NA;8176", RejectReasons.WrongColumnCount),
            ("3;NA;81766;526309", RejectReasons.WrongColumnCount),
            ("3;NA;item81766;526309;2016-05-09", RejectReasons.BadId),
            ("3;NA;81766;526309;2016-99-09", RejectReasons.BadTime),
            "sessionid;userid;itemid;time;date"),
        new Fixture("sequences", null,
            new[] { "1 1 2 3 4", "2 5 6 1", "3 7 2" }, 9,
            ("4", RejectReasons.TooShort),
            null,
            ("4 8 b9 10", RejectReasons.BadId),
            null,
            "user_id item_ids"),
        new Fixture("sessions", null,
            new[] { "1 2", "3 4 5", "6 7" }, 7,
            ("8 9 1", null),
            null,
            ("8 nine 10", RejectReasons.BadId),
            null,
            "session items"),
        new Fixture("recbole", "user_id:token\titem_id:token\trating:float\ttimestamp:float",
            new[] { "196\t242\t3\t881250949", "186\t302\t3\t891717742", "22\t377\t1\t878887116" }, 3,
            ("244\t51\t2\t8806", RejectReasons.TimeOutOfRange),
            ("244\t51\t2", RejectReasons.WrongColumnCount),
            ("\t51\t2\t880606923", RejectReasons.MissingUser),
            ("244\t51\t2\tyesterday", RejectReasons.BadTime),
            "user_id\titem_id\trating\ttimestamp"),
        new Fixture("personalize", "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE",
            new[] { "u1,i1,1600000000,click,", "u1,i2,1600000100,purchase,19.99", "u2,i1,1600000200,watch,0.5" }, 3,
            ("u3,i3,160", RejectReasons.WrongColumnCount),
            ("u3,i3,1600000300,click", RejectReasons.WrongColumnCount),
            (",i3,1600000300,click,", RejectReasons.MissingUser),
            ("u3,i3,not-a-time,click,", RejectReasons.BadTime),
            "user,item,time,event,value"),
        new Fixture("csv", "uid,sku,ts,event",
            new[] { "u1,s1,2020-01-01T00:00:00Z,view", "u1,\"s2,large\",2020-01-01T00:01:00Z,purchase", "u2,s1,1577836920,cart" }, 3,
            ("u3,s3,2020-01", RejectReasons.WrongColumnCount),
            ("u3,s3,2020-01-01T00:03:00Z", RejectReasons.WrongColumnCount),
            ("u3,,2020-01-01T00:03:00Z,view", RejectReasons.MissingItem),
            ("u3,s3,2020-02-31T00:00:00Z,view", RejectReasons.BadTime),
            "user,item,time,event",
            Columns: "user=uid,item=sku,time=ts,type=event"),
    }.ToDictionary(f => f.Format + (f.Format == "yoochoose" ? "-prepared" : ""));

    /// <summary>The --format name for a fixture key (the YOOCHOOSE layouts are all one format).</summary>
    private static string FormatOf(Fixture f) => f.Format.StartsWith("yoochoose") ? "yoochoose" : f.Format;

    public static TheoryData<string> FixtureNames => new(Fixtures.Keys);

    private readonly TempLogs temp = new();

    public void Dispose() => temp.Dispose();

    private static string Lines(IEnumerable<string?> lines) => string.Join("\n", lines.Where(l => l is not null));

    private static string Body(Fixture f, string? badRow = null, bool badLast = false)
    {
        var rows = new List<string?> { f.Header, f.Good[0] };
        if (!badLast) rows.Add(badRow);
        rows.AddRange(f.Good.Skip(1));
        if (badLast) rows.Add(badRow);
        return Lines(rows) + (badLast ? "" : "\n");
    }

    private IngestAccount IngestOk(Fixture f, string text, string name)
    {
        var path = temp.Write(name, text);
        return TempLogs.Ingest(path, FormatOf(f), f.Columns);
    }

    /// <summary>Ingestion must fail with a ShopcastInputException naming the file (and "line N" when given).</summary>
    private void ExpectInputError(Fixture f, string path, long? line = null, string? mentions = null)
    {
        var e = Record.Exception(() => TempLogs.Ingest(path, FormatOf(f), f.Columns));
        Assert.NotNull(e);
        Assert.IsAssignableFrom<ShopcastInputException>(e);
        Assert.Contains(path, e.Message);
        if (line is { } l) Assert.Contains($"line {l}:", e.Message);
        if (mentions is not null) Assert.Contains(mentions, e.Message);
    }

    [Theory, MemberData(nameof(FixtureNames))]
    public void Good_rows_are_all_accepted(string fixture)
    {
        var f = Fixtures[fixture];
        var a = IngestOk(f, Lines(f.Good.Prepend(f.Header)) + "\n", "good.log");
        Assert.Empty(a.Rejected);
        Assert.Equal(f.GoodEvents, a.RowsRead);
        Assert.Equal(f.GoodEvents, a.Events);
    }

    [Theory, MemberData(nameof(FixtureNames))]
    public void Truncated_last_line_is_a_counted_reject(string fixture)
    {
        var f = Fixtures[fixture];
        var a = IngestOk(f, Body(f, f.Truncated.Row, badLast: true), "truncated.log");
        if (f.Truncated.Reason is null) { Assert.Empty(a.Rejected); return; }
        Assert.Equal(1, a.Rejected[f.Truncated.Reason]);
        Assert.Equal(1, a.RejectedTotal);
        Assert.Equal(f.GoodEvents, a.Events);
        Assert.Equal(f.GoodEvents + 1, a.RowsRead);
        Assert.Equal(f.Good.Length + 1 + (f.Header is null ? 0 : 1), a.FirstRejectLine[f.Truncated.Reason]);
    }

    [Theory, MemberData(nameof(FixtureNames))]
    public void Wrong_column_count_is_a_counted_reject(string fixture)
    {
        var f = Fixtures[fixture];
        if (f.WrongColumns is not { } bad) return; // a whitespace list has no fixed column count
        CheckOneReject(f, bad.Row, bad.Reason);
    }

    [Theory, MemberData(nameof(FixtureNames))]
    public void Bad_id_is_a_counted_reject(string fixture)
    {
        var f = Fixtures[fixture];
        CheckOneReject(f, f.BadId.Row, f.BadId.Reason);
    }

    [Theory, MemberData(nameof(FixtureNames))]
    public void Bad_timestamp_is_a_counted_reject(string fixture)
    {
        var f = Fixtures[fixture];
        if (f.BadTime is not { } bad) return; // sequences and sessions carry no clock
        CheckOneReject(f, bad.Row, bad.Reason);
    }

    private void CheckOneReject(Fixture f, string row, string reason)
    {
        var a = IngestOk(f, Body(f, row), "one-bad.log");
        Assert.Equal(new SortedDictionary<string, long> { [reason] = 1 }, a.Rejected);
        Assert.Equal(f.Header is null ? 2 : 3, a.FirstRejectLine[reason]);
        Assert.Equal(f.GoodEvents, a.Events);
    }

    [Theory, MemberData(nameof(FixtureNames))]
    public void Blank_line_is_a_counted_reject(string fixture)
    {
        var f = Fixtures[fixture];
        var a = IngestOk(f, Body(f, ""), "blank.log");
        Assert.Equal(1, a.Rejected[RejectReasons.EmptyLine]);
        Assert.Equal(f.GoodEvents, a.Events);
    }

    [Theory, MemberData(nameof(FixtureNames))]
    public void Empty_file_is_an_input_error(string fixture) =>
        ExpectInputError(Fixtures[fixture], temp.Write("empty.log", ""), mentions: "empty");

    [Theory, MemberData(nameof(FixtureNames))]
    public void Binary_garbage_is_an_input_error(string fixture)
    {
        var bytes = new byte[4096];
        new Random(7).NextBytes(bytes);
        ExpectInputError(Fixtures[fixture], temp.WriteBytes("garbage.bin", bytes));
    }

    [Theory, MemberData(nameof(FixtureNames))]
    public void Text_garbage_is_an_input_error(string fixture)
    {
        // Printable but meaningless: no NUL bytes, so only the reader can tell.
        var rng = new Random(11);
        var lines = Enumerable.Range(0, 80).Select(_ => new string(Enumerable.Range(0, 40).Select(_ => (char)rng.Next('!', '~')).ToArray()));
        ExpectInputError(Fixtures[fixture], temp.Write("garbage.txt", string.Join("\n", lines)));
    }

    [Theory, MemberData(nameof(FixtureNames))]
    public void Header_only_is_an_input_error(string fixture)
    {
        var f = Fixtures[fixture];
        // A headerless format given just a header line refuses the header itself.
        ExpectInputError(f, temp.Write("header.log", (f.Header ?? f.WrongHeader) + "\n"));
    }

    [Theory, MemberData(nameof(FixtureNames))]
    public void Wrong_header_names_file_line_and_expectation(string fixture)
    {
        var f = Fixtures[fixture];
        var path = temp.Write("wrong-header.log", Lines(f.Good.Prepend(f.WrongHeader)) + "\n");
        var e = Assert.Throws<DataFormatException>(() => TempLogs.Ingest(path, FormatOf(f), f.Columns));
        Assert.Equal(1, e.Line);
        Assert.Equal(path, e.File);
        Assert.Contains($"{path}, line 1:", e.Message);
        Assert.Contains(f.Format == "csv" ? "is not in the header" : "expected", e.Message);
    }

    /// <summary>Straight to the reader, past the Ingestor's own checks: any text gives outcomes or an input error.</summary>
    [Theory, MemberData(nameof(FixtureNames))]
    public void Reader_survives_random_text(string fixture)
    {
        var f = Fixtures[fixture];
        var rng = new Random(fixture.Length);
        for (int trial = 0; trial < 20; trial++)
        {
            var chars = Enumerable.Range(0, 600).Select(_ => rng.Next(10) switch
            {
                0 => '\n', 1 => ',', 2 => '\t', 3 => ';', 4 => ' ', 5 => '"',
                6 => (char)rng.Next('0', '9' + 1), _ => (char)rng.Next(1, 0x3000),
            }).ToArray();
            var text = (trial % 2 == 0 && f.Header is not null ? f.Header + "\n" : "") + new string(chars);
            var reader = FormatCatalog.Create(FormatOf(f), f.Columns);
            try
            {
                foreach (var o in reader.Read(new StringReader(text), "random.txt"))
                    Assert.True((o.Event is null) != (o.RejectReason is null), "an outcome is exactly one of event or reject");
            }
            catch (ShopcastInputException e)
            {
                Assert.Contains("random.txt", e.Message);
            }
        }
    }

    [Fact]
    public void Unknown_format_is_an_input_error()
    {
        var e = Assert.Throws<ShopcastInputException>(() => FormatCatalog.Create("parquet-ish"));
        foreach (var name in FormatCatalog.Names) Assert.Contains(name, e.Message);
    }

    [Fact]
    public void Undetectable_file_asks_for_format()
    {
        var path = temp.Write("notes.txt", "hello there\nthis is not a log\n");
        var e = Assert.Throws<DataFormatException>(() => TempLogs.Ingest(path, null));
        Assert.Contains("--format", e.Message);
        Assert.Contains(path, e.Message);
    }
}
