using Shopcast.Data;
using Shopcast.Data.Formats;

namespace Shopcast.Tests.Data;

/// <summary>How each reader maps its columns, the generic csv mapping, quoted fields, and detection on small files.</summary>
public sealed class FormatReaderTests : IDisposable
{
    private readonly TempLogs temp = new();

    public void Dispose() => temp.Dispose();

    private static List<ReadOutcome> Read(string format, string text, string? columns = null) =>
        FormatCatalog.Create(format, columns).Read(new StringReader(text), "test.log").ToList();

    private static List<Event> Events(string format, string text, string? columns = null)
    {
        var outcomes = Read(format, text, columns);
        Assert.All(outcomes, o => Assert.Null(o.RejectReason));
        return outcomes.Select(o => o.Event!).ToList();
    }

    [Fact]
    public void Names_list_every_format_and_each_can_be_created()
    {
        Assert.Equal(new[] { "taobao", "rees46", "yoochoose", "diginetica", "sequences", "sessions", "recbole", "personalize", "csv" },
            FormatCatalog.Names);
        foreach (var name in FormatCatalog.Names)
            Assert.Equal(name, FormatCatalog.Create(name, name == "csv" ? "user=u,item=i,time=t" : null).Format);
    }

    // ---- generic csv ----

    [Fact]
    public void Csv_maps_every_field_and_keeps_quoted_commas()
    {
        var text = """
            uid,sku,ts,event,sid,cat,brand,price,rating
            u1,"SKU-1, large",2020-01-01T10:00:00+02:00,purchase,s1,"shoes, men","Smith ""&"" Co",1299.5,4
            u2,SKU-2,1577872800,,s2,,,,
            """;
        var outcomes = Read("csv", text, "user=uid,item=sku,time=ts,type=event,session=sid,category=cat,brand=brand,price=price,value=rating");
        var e = outcomes[0].Event!;
        Assert.Equal(new Event("u1", "SKU-1, large", new DateTimeOffset(2020, 1, 1, 8, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(),
            EventType.Purchase, "s1", "shoes, men", "Smith \"&\" Co", 1299.5, 4), e);
        // An empty type cell is not a known event type: counted, not guessed.
        Assert.Equal(RejectReasons.UnknownEventType, outcomes[1].RejectReason);
    }

    [Fact]
    public void Csv_without_type_column_reads_views_and_sniffs_tab_and_semicolon()
    {
        foreach (var d in new[] { "\t", ";" })
        {
            var events = Events("csv", $"Customer{d}Product{d}When\nc1{d}p1{d}2021-03-04 05:06:07\nc2{d}\"p;2\"{d}1614834367000\n",
                "user=customer, item=product, time=when");
            Assert.Equal(2, events.Count);
            Assert.All(events, e => Assert.Equal(EventType.View, e.Type));
            Assert.Equal(1614834367000, events[1].TimeMs);
            Assert.Equal("p;2", events[1].Item);
        }
    }

    [Fact]
    public void Csv_rejects_bad_quoting_and_bad_numbers_row_by_row()
    {
        var outcomes = Read("csv", "u,i,t,p\nu1,\"open,1600000000,1\nu1,i1,1600000000,cheap\nu1,i1,1600000000,1.5\n",
            "user=u,item=i,time=t,price=p");
        Assert.Equal(new[] { FormatText.BadQuoting, RejectReasons.BadNumber, null }, outcomes.Select(o => o.RejectReason));
        Assert.Equal(new long[] { 2, 3, 4 }, outcomes.Select(o => o.Line));
    }

    [Theory]
    [InlineData(null, "needs a column mapping")]
    [InlineData("", "needs a column mapping")]
    [InlineData("user=uid,item=sku", "lacks time=")]
    [InlineData("item=sku", "lacks user=, time=")]
    [InlineData("user=uid,item=sku,time=ts,colour=c", "unknown field 'colour'")]
    [InlineData("user=uid,item,time=ts", "'item' is not field=column")]
    [InlineData("user=uid,item=sku,time=ts,user=u2", "names field 'user' twice")]
    public void Csv_mapping_errors_are_clear(string? columns, string message)
    {
        var e = Assert.Throws<ShopcastInputException>(() => FormatCatalog.Create("csv", columns));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Csv_mapped_column_missing_from_header_lists_the_header()
    {
        var path = temp.Write("shop.csv", "uid,product,ts\nu1,p1,1600000000\n");
        var e = Assert.Throws<DataFormatException>(() => TempLogs.Ingest(path, "csv", "user=uid,item=sku,time=ts"));
        Assert.Equal(1, e.Line);
        Assert.Contains("column 'sku' (mapped to item) is not in the header", e.Message);
        Assert.Contains("uid, product, ts", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Csv_through_the_ingestor_with_a_mapping()
    {
        var path = temp.Write("orders.csv", "Order,Customer,Item,Time,Kind\n1,a,x,2020-01-01T00:00:00Z,view\n2,a,\"y, z\",2020-01-01T00:05:00Z,add_to_cart\n3,b,x,2020-01-01T00:06:00Z,buy\n4,b,x,2020-01-01T00:06:00Z,buy\n");
        var a = TempLogs.Ingest(path, "csv", "user=Customer,item=Item,time=Time,type=Kind");
        Assert.Equal(4, a.RowsRead);
        Assert.Equal(1, a.Duplicates);
        Assert.Equal(3, a.Events);
        Assert.Equal(2, a.Users);
        Assert.Equal(2, a.Items);
    }

    [Theory]
    [InlineData("a,b,c", new[] { "a", "b", "c" })]
    [InlineData("a,,c,", new[] { "a", "", "c", "" })]
    [InlineData("\"a,b\",c", new[] { "a,b", "c" })]
    [InlineData("\"say \"\"hi\"\"\",x", new[] { "say \"hi\"", "x" })]
    [InlineData("\"\",x,\"\"", new[] { "", "x", "" })]
    [InlineData("in\"side,x", new[] { "in\"side", "x" })]
    [InlineData("", new[] { "" })]
    public void Field_splitter_follows_rfc4180(string line, string[] expected)
    {
        var fields = new List<string>();
        Assert.True(FormatText.TrySplit(line, ',', fields));
        Assert.Equal(expected, fields);
    }

    [Theory]
    [InlineData("\"open,x")]
    [InlineData("\"closed\"junk,x")]
    public void Field_splitter_refuses_broken_quotes(string line) => Assert.False(FormatText.TrySplit(line, ',', new List<string>()));

    // ---- per-format mappings ----

    [Fact]
    public void Yoochoose_raw_clicks_and_buys()
    {
        var clicks = Events("yoochoose", "1,2014-04-07T10:51:09.277Z,214536502,0\n1,2014-04-07T10:54:09.868Z,214536500,S\n");
        Assert.Equal(new Event("1", "214536502", new DateTimeOffset(2014, 4, 7, 10, 51, 9, 277, TimeSpan.Zero).ToUnixTimeMilliseconds(),
            EventType.View, Session: "1"), clicks[0]);
        Assert.Equal("S", clicks[1].Category);

        var buys = Events("yoochoose", "420374,2014-04-06T18:44:58.314Z,214537888,12462,1\n281626,2014-04-06T09:40:13.032Z,214535653,0,0\n");
        Assert.Equal(EventType.Purchase, buys[0].Type);
        Assert.Equal(12462, buys[0].Price);
        Assert.Equal(1, buys[0].Value);
        Assert.Null(buys[1].Price); // 0 = not recorded
        Assert.Null(buys[1].Value);
        Assert.Equal("281626", buys[1].User);
    }

    [Fact]
    public void Yoochoose_prepared_columns_are_found_by_name()
    {
        var e = Events("yoochoose", "Time\tItemId\tSessionId\n1396860669.277\t214536502\t1\n").Single();
        Assert.Equal(("1", "214536502", 1396860669277L), (e.User, e.Item, e.TimeMs));
    }

    [Fact]
    public void Diginetica_anonymous_sessions_become_their_own_users()
    {
        var events = Events("diginetica", "sessionId;userId;itemId;timeframe;eventdate\n5;NA;10;0;2016-05-09\n6;5;11;1000;2016-05-09\n");
        Assert.Equal("s5", events[0].User);     // anonymous session 5 ...
        Assert.Equal("5", events[1].User);      // ... is not logged-in user 5
        Assert.Equal("6", events[1].Session);
        Assert.Equal(events[0].TimeMs + 1000, events[1].TimeMs);
    }

    [Fact]
    public void Sequences_count_positions_per_user_in_both_layouts()
    {
        var lines = Events("sequences", "1 10 11 12\n2 10\n");
        Assert.Equal(new long[] { 1, 2, 3, 1 }, lines.Select(e => e.TimeMs));
        Assert.All(lines, e => Assert.Equal(EventType.Other, e.Type));
        var pairs = Events("sequences", "1 10\n1 11\n2 10\n1 12\n");
        Assert.Equal(new long[] { 1, 2, 1, 3 }, pairs.Select(e => e.TimeMs));
        Assert.True(FormatCatalog.Create("sequences").OrdinalTime);
    }

    [Fact]
    public void Sequences_malformed_line_is_one_reject_however_long()
    {
        var outcomes = Read("sequences", "1 10 11\n2 10 x 12 13 14\n3\n");
        Assert.Equal(new[] { null, null, RejectReasons.BadId, RejectReasons.TooShort }, outcomes.Select(o => o.RejectReason));
        Assert.Equal(new long[] { 1, 1, 2, 3 }, outcomes.Select(o => o.Line));
    }

    [Fact]
    public void Sessions_are_numbered_by_line()
    {
        var events = Events("sessions", "5 6\n7\n");
        Assert.Equal(new[] { ("1", "5", 1L), ("1", "6", 2L), ("2", "7", 1L) }, events.Select(e => (e.Session!, e.Item, e.TimeMs)));
        Assert.All(events, e => Assert.Equal(e.Session, e.User));
    }

    [Fact]
    public void RecBole_reads_typed_header_rating_and_session_only_files()
    {
        var rated = Events("recbole", "user_id:token\titem_id:token\trating:float\ttimestamp:float\n196\t242\t3\t881250949\n").Single();
        Assert.Equal(new Event("196", "242", 881250949000, EventType.Other, Value: 3), rated);

        var reader = FormatCatalog.Create("recbole");
        var sessions = reader.Read(new StringReader("session_id:token\titem_id:token\titem_id_list:token_seq\n9\t1\t1 2 3\n9\t2\t2 3\n"), "s.inter")
            .Select(o => o.Event!).ToList();
        Assert.Equal(new[] { ("9", "1", 2L), ("9", "2", 3L) }, sessions.Select(e => (e.User, e.Item, e.TimeMs)));
        Assert.True(reader.OrdinalTime); // no timestamp field: time is the line number

        var typed = Read("recbole", "user_id:token\titem_id:token\ttimestamp:float\tbehavior_type:token\n1\t2\t1511600000\tbuy\n1\t2\t1511600000\tteleport\n");
        Assert.Equal(EventType.Purchase, typed[0].Event!.Type);
        Assert.Equal(RejectReasons.UnknownEventType, typed[1].RejectReason);
    }

    [Fact]
    public void Personalize_maps_event_words_and_values_case_insensitively()
    {
        var events = Events("personalize", "user_id,Item_Id,timestamp,Event_Type,EVENT_VALUE,IMPRESSION\n" +
            "u1,i1,1600000000,click,,\"i1|i2\"\nu1,i2,1600000100,Purchase,19.99,\nu2,i1,1600000200,watch,0.5,\n");
        Assert.Equal(new[] { EventType.View, EventType.Purchase, EventType.Other }, events.Select(e => e.Type));
        Assert.Equal(new double?[] { null, 19.99, 0.5 }, events.Select(e => e.Value));
        Assert.Equal(1600000000000, events[0].TimeMs);

        var noType = Events("personalize", "USER_ID,ITEM_ID,TIMESTAMP\nu1,i1,1600000000\n").Single();
        Assert.Equal(EventType.View, noType.Type);
    }

    // ---- detection on small files ----

    [Theory]
    [InlineData("rees46", Rees46Reader.Header, "2019-10-01 00:00:00 UTC,view,1,2,,b,1.0,3,s")]
    [InlineData("yoochoose", "SessionId\tItemId\tTime", "1\t2\t1396860669.277")]
    [InlineData("yoochoose", "1,2014-04-07T10:51:09.277Z,214536502,0", "1,2014-04-07T10:54:09.868Z,214536500,0")]
    [InlineData("yoochoose", "420374,2014-04-06T18:44:58.314Z,214537888,12462,1", "420374,2014-04-06T18:44:58.325Z,214537850,10471,1")]
    [InlineData("diginetica", "session_id;user_id;item_id;timeframe;eventdate", "1;NA;81766;526309;2016-05-09")]
    [InlineData("diginetica", "sessionId;userId;itemId;timeframe;eventdate", "1;NA;81766;526309;2016-05-09")]
    [InlineData("recbole", "user_id:token\titem_id:token\trating:float\ttimestamp:float", "1\t2\t3\t881250949")]
    [InlineData("recbole", "session_id:token\titem_id:token\ttimestamp:float", "1\t2\t881250949")]
    [InlineData("personalize", "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE", "u1,i1,1600000000,click")]
    [InlineData("personalize", "user_id,item_id,timestamp", "u1,i1,1600000000")]
    [InlineData("taobao", "1,2268318,2520377,pv,1511544070", "1,2333346,2520771,pv,1511561733")]
    [InlineData("sequences", "1 5 6 7", "2 8 9")]
    [InlineData("sequences", "1 5", "1 6")]
    [InlineData("sessions", "1 2", "3 4 5")]
    [InlineData("sessions", "7 2 9", "8")]
    [InlineData("personalize", "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE,IMPRESSION,RECOMMENDATION_ID", "u1,i1,1600000000,click,1,,")]
    [InlineData(null, "user_id,session_id,item_id,category,price,event_type,timestamp", "u0,u0-s0,i247,c4,26.62,view,2026-01-09T16:51:42Z")]
    [InlineData(null, "USER_ID,ITEM_ID,TIMESTAMP,DEVICE", "u1,i1,1600000000,phone")]
    [InlineData(null, "uid,sku,ts", "u1,s1,2020-01-01")]
    [InlineData(null, "target\tprefix", "5\t1 2 3")]
    public void Detects_from_first_lines(string? format, string first, string second) =>
        Assert.Equal(format, FormatCatalog.Detect("x", new[] { first, second }));

    [Fact]
    public void Detects_nothing_from_no_lines() => Assert.Null(FormatCatalog.Detect("x", Array.Empty<string>()));
}
