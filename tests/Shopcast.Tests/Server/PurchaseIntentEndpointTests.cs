using System.Net;
using Shopcast.Data;
using Shopcast.Data.Synthetic;
using Shopcast.Features;
using Shopcast.Jobs;
using Shopcast.Tasks.PurchaseIntent;
using static Shopcast.Tests.Server.ServerHarness;

namespace Shopcast.Tests.Server;

/// <summary>
/// POST /v1/predict/purchase-intent with an lr bundle trained by the main job on the SYNTHETIC simulated shop: the
/// served probability of a session prefix equals the offline model's on the same prefix (no train/serve skew), a
/// session sent as events and then named by id answers, and the bad cases get problem details.
/// </summary>
[Collection("console")] // runs the CLI, which redirects Console
public sealed class PurchaseIntentEndpointTests : IDisposable
{
    private readonly TestData.TempDir _tmp = new();
    private readonly string _run;

    public PurchaseIntentEndpointTests()
    {
        var log = _tmp["shop.csv"];
        SimulatedShop.WriteCsv(log, new SimulatedShopOptions { Users = 400, Days = 6, Seed = 3 });
        _run = _tmp["run"];
        var (code, _, err) = Cli.CliRunner.Run("run", "--task", "purchase-intent", "--data", log, "--format", "csv", "--columns", SimulatedShop.Columns,
            "--models", "lr", "--out", _run, "--quiet");
        Assert.True(code == 0, err);
    }

    public void Dispose() => _tmp.Dispose();

    private string Bundle => Path.Combine(_run, "models", "lr");

    /// <summary>The job's examples rebuilt from its store, the bundle's model, and each log session's name (as BehaviourLog numbers them).</summary>
    private (BehaviourLog Log, FeatureTable Table, int[] Prefix, Tasks.Tabular.IBinaryClassifier Model, List<string> SessionNames) Offline()
    {
        using var store = EventStore.OpenReadOnly(Path.Combine(_run, "events.duckdb"), "store");
        var log = BehaviourLog.Load(store, "purchase-intent");
        var (table, prefix, _, _) = SessionIntentExamples.Build(log, new PointInTimeFeatures(log), ClassificationJob.MaxPrefix);
        var (model, columns, _) = ClassificationJob.LoadBundle(Bundle);
        Assert.Equal(table.Columns, columns);
        var names = new List<string>(); var seen = new HashSet<string>();
        foreach (var r in store.Query("SELECT coalesce(session_id, user_id) FROM events ORDER BY ts, row_no"))
            if (seen.Add(r.GetString(0))) names.Add(r.GetString(0));
        return (log, table, prefix, model, names);
    }

    [Fact]
    public async Task A_stored_session_scores_as_the_offline_model_scores_its_prefix()
    {
        var (log, table, prefix, model, names) = Offline();
        var bySession = log.EventsBySession();
        var (app, client) = await InProcess(Options(Bundle) with { HistoryPath = Path.Combine(_run, "events.duckdb") });
        await using var _ = app;
        // Rows that are a session's whole prefix (what the server scores for a session id): up to 20 events, before a purchase.
        int Whole(int session)
        {
            var events = bySession[session];
            int buy = events.FindIndex(e => log.Type[e] == EventType.Purchase);
            return Math.Min(ClassificationJob.MaxPrefix, buy < 0 ? events.Count : buy);
        }
        var rows = Enumerable.Range(0, table.Rows).Where(r => prefix[r] >= 2 && prefix[r] == Whole(table.Groups![r])).Where((_, k) => k % 23 == 0).Take(12).ToArray();
        Assert.True(rows.Length >= 5, $"{rows.Length} rows");
        foreach (var r in rows)
        {
            var response = await client.PostAsync("/v1/predict/purchase-intent", Json($$"""{"session": "{{names[table.Groups![r]]}}"}"""));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var answer = await Body(response);
            Assert.Equal(prefix[r], answer.GetProperty("prefix_length").GetInt32());
            Assert.Equal(model.Predict(table.Subset(new[] { r }))[0], answer.GetProperty("probability").GetDouble(), tolerance: 2e-6); // answers carry 6 decimals
        }
    }

    [Fact]
    public async Task Events_sent_to_be_scored_count_as_training_counted_them()
    {
        // A server without history scores a session sent as events; offline, the same events alone are the log.
        var (log, table, prefix, model, _) = Offline();
        var bySession = log.EventsBySession();
        var (app, client) = await InProcess(Options(Bundle));
        await using var _ = app;
        var rows = Enumerable.Range(0, table.Rows).Where(r => prefix[r] >= 3).Where((_, k) => k % 97 == 0).Take(10).ToArray();
        Assert.True(rows.Length >= 5);
        foreach (var r in rows)
        {
            var events = bySession[table.Groups![r]].Take(prefix[r]).ToArray();
            var alone = new BehaviourLog
            {
                User = events.Select(_ => 0).ToArray(), Session = events.Select(_ => 0).ToArray(),
                Item = events.Select(e => log.Item[e]).ToArray(), Category = events.Select(e => log.Category[e]).ToArray(),
                Type = events.Select(e => log.Type[e]).ToArray(), TimeMs = events.Select(e => log.TimeMs[e]).ToArray(),
                Users = new[] { log.Users[log.User[events[0]]] }, Items = log.Items, Categories = log.Categories,
            };
            var (own, ownPrefix, _, _) = SessionIntentExamples.Build(alone, new PointInTimeFeatures(alone), ClassificationJob.MaxPrefix);
            int last = Array.IndexOf(ownPrefix, prefix[r]);
            double offline = model.Predict(own.Subset(new[] { last }))[0];

            var body = "{\"events\": [" + string.Join(",", events.Select(e =>
                $$"""{"user": "{{log.Users[log.User[e]]}}", "item": "{{log.Items[log.Item[e]]}}", "type": "{{EventTypes.Name(log.Type[e])}}", "time": {{log.TimeMs[e]}}{{(log.Category[e] >= 0 ? $", \"category\": \"{log.Categories[log.Category[e]]}\"" : "")}}}""")) + "]}";
            var response = await client.PostAsync("/v1/predict/purchase-intent", Json(body));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var answer = await Body(response);
            Assert.Equal(prefix[r], answer.GetProperty("prefix_length").GetInt32());
            Assert.Equal(offline, answer.GetProperty("probability").GetDouble(), tolerance: 2e-6); // answers carry 6 decimals
        }
        Assert.Equal(0, (await Body(await client.GetAsync("/health"))).GetProperty("events").GetInt64()); // scored, not stored
    }

    [Fact]
    public async Task A_session_sent_as_events_is_scored_by_its_id_and_bad_requests_get_problem_details()
    {
        var (app, client) = await InProcess(Options(Bundle));
        await using var _ = app;
        var t = DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeMilliseconds();
        var events = $$"""{"events": [{"user": "dora", "item": "42", "type": "view", "session": "s9", "time": {{t}}}, {"user": "dora", "item": "42", "type": "cart", "session": "s9", "time": {{t + 60_000}}}]}""";
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Post("/v1/events", events))).StatusCode);
        var r = await client.PostAsync("/v1/predict/purchase-intent", Json("""{"session": "s9"}"""));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var a = await Body(r);
        Assert.Equal("dora", a.GetProperty("user").GetString());
        Assert.Equal(2, a.GetProperty("prefix_length").GetInt32());
        var p = a.GetProperty("probability").GetDouble();
        Assert.InRange(p, 0, 1);
        Assert.Equal(p >= a.GetProperty("threshold").GetDouble(), a.GetProperty("will_buy").GetBoolean());
        Assert.StartsWith("lr@", r.Headers.GetValues("X-Model-Version").Single());

        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/v1/predict/purchase-intent", Json("""{"session": "nope"}"""))).StatusCode);
        foreach (var (body, field) in new[]
        {
            ("""{"session": "s9", "user": "dora"}""", "user"),
            ("""{"session": 5}""", "session"),
            ("""{}""", "session"),
            ("""{"events": [{"user": "a", "item": "1", "type": "view"}, {"user": "b", "item": "1", "type": "view"}]}""", "events[1].user"),
            ("""{"events": [{"user": "a", "item": "1", "type": "peek"}]}""", "events[0].type"),
            ("""{"events": [{"user": "a", "item": "1", "type": "view", "session": "s"}, {"user": "a", "item": "2", "type": "view", "session": "t"}]}""", "events[1].session"),
            ("""{"events": [{"user": "a", "item": "1", "type": "view", "time": "2020-01-01T00:00:00Z"}, {"user": "a", "item": "2", "type": "view"}]}""", "events"),
        })
        {
            var bad = await client.PostAsync("/v1/predict/purchase-intent", Json(body));
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal(field, (await Body(bad)).GetProperty("field").GetString());
        }
    }

    [Fact]
    public async Task Without_a_purchase_intent_bundle_the_route_is_a_404_naming_the_model()
    {
        var (app, client) = await InProcess(Options(NextItemBundle(_tmp["itemknn"])));
        await using var _ = app;
        var r = await client.PostAsync("/v1/predict/purchase-intent", Json("""{"session": "s1"}"""));
        Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        Assert.Equal("No purchase-intent model is loaded", (await Body(r)).GetProperty("title").GetString());
        // A server started without one keeps no point-in-time counts, so a reload cannot add one.
        var reload = await client.SendAsync(Post("/v1/admin/models/reload", $$"""{"models": ["{{_tmp["itemknn"]}}", "{{Bundle}}"]}"""));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reload.StatusCode);
        Assert.Contains("restart", (await Body(reload)).GetProperty("detail").GetString());
    }
}
