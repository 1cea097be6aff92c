using Shopcast.Data;
using Shopcast.Data.Formats;

namespace Shopcast.Tests.Data;

/// <summary>
/// Each reader on its real public file (../shared/data), checked against the counts in that folder's SOURCE.md
/// (and, where SOURCE.md is silent or off by one, against counts measured independently from the raw file).
/// </summary>
public sealed class RealFormatTests
{
    private sealed record Ingested(IngestAccount Account, Dictionary<string, long> Types, bool Ordinal, long EventsWithSession);

    private static Ingested Ingest(string relativePath, string format)
    {
        using var store = EventStore.Open(":memory:");
        var account = Ingestor.Ingest(RealData.Path(relativePath), store, new IngestOptions { Format = format });
        Assert.True(account.Balanced);
        Assert.Equal(format, account.Format);
        var types = new Dictionary<string, long>();
        foreach (var r in store.Query("SELECT type, count(*) FROM events GROUP BY type")) types[r.GetString(0)] = r.GetInt64(1);
        return new Ingested(account, types, store.OrdinalTime,
            store.Scalar<long>("SELECT count(*) FROM events WHERE session_id IS NOT NULL"));
    }

    private const string Taobao = "taobao-userbehavior-815users/UserBehavior.csv";

    [RealDataFact(Taobao)]
    public void Taobao_account_matches_the_file()
    {
        var (a, types, ordinal, _) = Ingest(Taobao, "taobao");
        Assert.Equal(84_476, a.RowsRead);
        // The last line is truncated (no timestamp); 35 rows fall outside 2017-11-25..2017-12-03.
        Assert.Equal(new SortedDictionary<string, long>
        {
            [RejectReasons.WrongColumnCount] = 1,
            [RejectReasons.TimeOutOfRange] = 35,
        }, a.Rejected);
        Assert.Equal(84_476, a.FirstRejectLine[RejectReasons.WrongColumnCount]);
        Assert.Equal(0, a.Duplicates);
        Assert.Equal(84_440, a.Events);
        Assert.Equal(a.RowsRead, a.RejectedTotal + a.Duplicates + a.KCoreRemoved + a.Events);
        Assert.Equal(815, a.Users);
        Assert.Equal(55_344, a.Items);
        // SOURCE.md's pv 75,872 counts the 35 out-of-window rows, which are all page views.
        Assert.Equal(75_837, types["view"]);
        Assert.Equal(4_497, types["cart"]);
        Assert.Equal(2_356, types["favourite"]);
        Assert.Equal(1_750, types["purchase"]);
        Assert.False(ordinal);
    }

    private const string Rees46 = "rees46-multicategory-sample/2019-Oct-sample.csv";

    [RealDataFact(Rees46)]
    public void Rees46_sample_matches_source_counts()
    {
        var (a, types, _, withSession) = Ingest(Rees46, "rees46");
        Assert.Equal(1_000, a.RowsRead);
        Assert.Empty(a.Rejected);
        Assert.Equal(0, a.Duplicates);
        Assert.Equal(1_000, a.Events);
        Assert.Equal(987, types["view"]);
        Assert.Equal(3, types["cart"]);
        Assert.Equal(10, types["purchase"]);
        Assert.Equal(330, a.Users);
        Assert.Equal(372, a.Sessions);
        Assert.Equal(534, a.Items);
        Assert.Equal("log", a.SessionsFrom);
        Assert.Equal(1_000, withSession);
    }

    [RealDataFact(Rees46)]
    public void Rees46_keeps_the_64_bit_category_id_and_brand_and_price_exactly()
    {
        using var store = EventStore.Open(":memory:");
        Ingestor.Ingest(RealData.Path(Rees46), store, new IngestOptions { Format = "rees46" });
        // First row: 2019-10-01 00:00:00 UTC,view,44600062,2103807459595387724,,shiseido,35.79,541312140,72d76fde-...
        var row = store.Query("SELECT category, brand, price, ts FROM events WHERE row_no = 2").Select(r =>
            (r.GetString(0), r.GetString(1), r.GetDouble(2), r.GetInt64(3))).Single();
        Assert.Equal("2103807459595387724", row.Item1);
        Assert.Equal("shiseido", row.Item2);
        Assert.Equal(35.79, row.Item3);
        Assert.Equal(new DateTimeOffset(2019, 10, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), row.Item4);
    }

    [RealDataFact("yoochoose-rsc15-100k/yoochoose-clicks-100k_train_full.txt")]
    public void Yoochoose_train_full() => CheckYoochoose("train_full", 70_278, 17_794, 2_933, duplicates: 1);

    [RealDataFact("yoochoose-rsc15-100k/yoochoose-clicks-100k_test.txt")]
    public void Yoochoose_test() => CheckYoochoose("test", 13_568, 3_416, 1_771, duplicates: 0);

    [RealDataFact("yoochoose-rsc15-100k/yoochoose-clicks-100k_train_tr.txt")]
    public void Yoochoose_train_tr() => CheckYoochoose("train_tr", 53_254, 13_629, 2_873, duplicates: 0);

    [RealDataFact("yoochoose-rsc15-100k/yoochoose-clicks-100k_train_valid.txt")]
    public void Yoochoose_train_valid() => CheckYoochoose("train_valid", 16_539, 4_084, 2_029, duplicates: 1);

    private static void CheckYoochoose(string part, long rows, long sessions, long items, long duplicates)
    {
        var (a, types, _, _) = Ingest($"yoochoose-rsc15-100k/yoochoose-clicks-100k_{part}.txt", "yoochoose");
        Assert.Equal(rows, a.RowsRead);
        Assert.Empty(a.Rejected);
        // One click appears twice, identical to the millisecond, in train_full (and so in train_valid).
        Assert.Equal(duplicates, a.Duplicates);
        Assert.Equal(rows - duplicates, a.Events);
        Assert.Equal(sessions, a.Sessions);
        Assert.Equal(sessions, a.Users); // no users in YOOCHOOSE: a session is its own user
        Assert.Equal(items, a.Items);
        Assert.Equal(rows - duplicates, types["view"]);
        Assert.Equal("log", a.SessionsFrom);
    }

    private const string Diginetica = "diginetica-srgnn-sample/sample_train-item-views.csv";

    [RealDataFact(Diginetica)]
    public void Diginetica_sample_matches_source_counts()
    {
        var (a, types, _, _) = Ingest(Diginetica, "diginetica");
        // SOURCE.md says 12,390 rows, but the file has 12,391 after its header: the last line has no newline, so wc -l undercounts.
        Assert.Equal(12_391, a.RowsRead);
        Assert.Empty(a.Rejected);
        Assert.Equal(0, a.Duplicates);
        Assert.Equal(12_391, a.Events);
        Assert.Equal(2_986, a.Sessions);
        Assert.Equal(7_139, a.Items);
        // 1,270 logged-in users plus 1,724 anonymous sessions (8 sessions mix NA and a user id, so they count under both).
        Assert.Equal(2_994, a.Users);
        Assert.Equal(12_391, types["view"]);
    }

    [RealDataFact(Diginetica)]
    public void Diginetica_time_is_event_date_plus_timeframe()
    {
        using var store = EventStore.Open(":memory:");
        Ingestor.Ingest(RealData.Path(Diginetica), store, new IngestOptions { Format = "diginetica" });
        // Line 2: 1;NA;81766;526309;2016-05-09
        var (user, ts) = store.Query("SELECT user_id, ts FROM events WHERE row_no = 2").Select(r => (r.GetString(0), r.GetInt64(1))).Single();
        Assert.Equal("s1", user);
        Assert.Equal(new DateTimeOffset(2016, 5, 9, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() + 526_309, ts);
    }

    [RealDataFact("amazon-beauty-sports-s3rec/Beauty.txt")]
    public void Sequences_beauty() => CheckSequences("amazon-beauty-sports-s3rec/Beauty.txt", 22_363, 12_101, 198_502);

    [RealDataFact("amazon-beauty-sports-s3rec/Sports_and_Outdoors.txt")]
    public void Sequences_sports() => CheckSequences("amazon-beauty-sports-s3rec/Sports_and_Outdoors.txt", 35_598, 18_357, 296_337);

    /// <summary>Video.txt is the SASRec layout: one "user item" pair per line, a user's lines in time order.</summary>
    [RealDataFact("amazon-games-sasrec/Video.txt")]
    public void Sequences_video_games_pair_layout() => CheckSequences("amazon-games-sasrec/Video.txt", 31_013, 23_715, 287_107);

    private static void CheckSequences(string path, long users, long items, long interactions)
    {
        var (a, types, ordinal, _) = Ingest(path, "sequences");
        Assert.Equal(interactions, a.RowsRead); // a row is one (user, item) interaction
        Assert.Empty(a.Rejected);
        Assert.Equal(0, a.Duplicates);
        Assert.Equal(interactions, a.Events);
        Assert.Equal(users, a.Users);
        Assert.Equal(users, a.Sessions);
        Assert.Equal(items, a.Items);
        Assert.Equal(interactions, types["other"]);
        Assert.True(ordinal);
        Assert.Equal("one per sequence", a.SessionsFrom);
    }

    [RealDataFact("amazon-games-sasrec/Video.txt")]
    public void Sequences_pair_layout_numbers_positions_per_user_across_lines()
    {
        using var store = EventStore.Open(":memory:");
        Ingestor.Ingest(RealData.Path("amazon-games-sasrec/Video.txt"), store, new IngestOptions { Format = "sequences" });
        // Every user's positions are exactly 1..n, in line order.
        Assert.Equal(0, store.Scalar<long>("""
            SELECT count(*) FROM (SELECT user_id, ts, row_number() OVER (PARTITION BY user_id ORDER BY row_no) AS k FROM events) WHERE ts <> k
            """));
    }

    private const string Sessions = "diginetica-gcegnn/train_sessions.txt";

    [RealDataFact(Sessions)]
    public void Sessions_diginetica_gcegnn_training_sessions()
    {
        var (a, types, ordinal, _) = Ingest(Sessions, "sessions");
        Assert.Equal(906_140, a.RowsRead);
        Assert.Empty(a.Rejected);
        Assert.Equal(0, a.Duplicates);
        Assert.Equal(906_140, a.Events);
        Assert.Equal(186_670, a.Sessions);
        Assert.Equal(186_670, a.Users);
        Assert.Equal(43_097, a.Items);
        Assert.Equal(906_140, types["view"]);
        Assert.True(ordinal);
        Assert.Equal("log", a.SessionsFrom);
    }

    // Detection: every real file is recognised as its format with no --format.
    [RealDataFact(Taobao)] public void Detects_taobao() => CheckDetect(Taobao, "taobao");
    [RealDataFact(Rees46)] public void Detects_rees46() => CheckDetect(Rees46, "rees46");
    [RealDataFact("yoochoose-rsc15-100k/yoochoose-clicks-100k_train_full.txt")]
    public void Detects_yoochoose() => CheckDetect("yoochoose-rsc15-100k/yoochoose-clicks-100k_train_full.txt", "yoochoose");
    [RealDataFact("yoochoose-rsc15-100k/yoochoose-clicks-100k_test.txt")]
    public void Detects_yoochoose_test() => CheckDetect("yoochoose-rsc15-100k/yoochoose-clicks-100k_test.txt", "yoochoose");
    [RealDataFact(Diginetica)] public void Detects_diginetica() => CheckDetect(Diginetica, "diginetica");
    [RealDataFact("amazon-beauty-sports-s3rec/Beauty.txt")]
    public void Detects_sequences_beauty() => CheckDetect("amazon-beauty-sports-s3rec/Beauty.txt", "sequences");
    [RealDataFact("amazon-beauty-sports-s3rec/Sports_and_Outdoors.txt")]
    public void Detects_sequences_sports() => CheckDetect("amazon-beauty-sports-s3rec/Sports_and_Outdoors.txt", "sequences");
    [RealDataFact("amazon-games-sasrec/Video.txt")]
    public void Detects_sequences_video_pairs() => CheckDetect("amazon-games-sasrec/Video.txt", "sequences");
    [RealDataFact(Sessions)] public void Detects_sessions() => CheckDetect(Sessions, "sessions");

    [RealDataFact("diginetica-gcegnn/test_prefix_target.tsv")]
    public void The_benchmark_test_split_is_not_mistaken_for_an_event_log() =>
        Assert.Null(FormatCatalog.Detect("x", Ingestor.PeekLines(RealData.Path("diginetica-gcegnn/test_prefix_target.tsv"), 20)));

    private static void CheckDetect(string relativePath, string format)
    {
        var path = RealData.Path(relativePath);
        Assert.Equal(format, FormatCatalog.Detect(path, Ingestor.PeekLines(path, 20)));
        // And ingestion with no --format picks the same reader.
        using var store = EventStore.Open(":memory:");
        Assert.Equal(format, Ingestor.Ingest(path, store, new IngestOptions()).Format);
    }
}
