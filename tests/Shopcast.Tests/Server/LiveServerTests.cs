using System.Net;
using static Shopcast.Tests.Server.ServerHarness;

namespace Shopcast.Tests.Server;

/// <summary>
/// The live routes in process: events in, the shopper's state, recommendations on the live history (cold start
/// marked), similar items, the API key, each bad input's problem details, nothing half-applied, metrics, OpenAPI.
/// </summary>
public sealed class LiveServerTests : IDisposable
{
    private readonly TestData.TempDir _tmp = new();
    private readonly string _bundle;

    public LiveServerTests() => _bundle = NextItemBundle(_tmp["itemknn"]);

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public async Task An_event_updates_the_users_state_and_the_next_recommendation_reads_it()
    {
        var (app, client) = await InProcess(Options(_bundle));
        await using var _ = app;
        var before = await Body(await client.GetAsync("/v1/users/alice/recommendations?k=3"));
        Assert.True(before.GetProperty("cold_start").GetBoolean());
        Assert.Contains("no events are known yet", before.GetProperty("note").GetString()); // why the list is empty

        var r = await client.SendAsync(Post("/v1/events", """{"user": "alice", "item": "i7", "type": "view", "session": "s1", "time": "2026-01-02T10:00:00Z"}"""));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal(1, (await Body(r)).GetProperty("accepted").GetInt32());

        var after = await client.GetAsync("/v1/users/alice/recommendations?k=3");
        var body = await Body(after);
        Assert.False(body.GetProperty("cold_start").GetBoolean());
        Assert.Equal(new[] { "i6", "i8" }, ItemsOf(body).Take(2).Order()); // item-kNN: the chains' neighbours of i7
        Assert.DoesNotContain("i7", ItemsOf(body)); // seen
        Assert.StartsWith("itemknn@", body.GetProperty("model_version").GetString());
        Assert.Equal(body.GetProperty("model_version").GetString(), after.Headers.GetValues("X-Model-Version").Single());

        var withSeen = await Body(await client.GetAsync("/v1/users/alice/recommendations?k=30&exclude_seen=false"));
        Assert.Contains("i7", ItemsOf(withSeen));

        var state = await Body(await client.SendAsync(Get("/v1/users/alice/state")));
        Assert.Equal(1, state.GetProperty("events").GetInt64());
        Assert.Equal(1, state.GetProperty("by_type").GetProperty("view").GetInt64());
        Assert.Equal("i7", state.GetProperty("recent_items")[0].GetString());
    }

    [Fact]
    public async Task Unknown_users_get_what_is_popular_now_marked_as_cold_start_and_a_category_filter_applies()
    {
        var (app, client) = await InProcess(Options(_bundle));
        await using var _ = app;
        var batch = """
            {"events": [
              {"user": "u1", "item": "i3", "type": "view", "category": "shoes"},
              {"user": "u2", "item": "i3", "type": "cart", "category": "shoes"},
              {"user": "u3", "item": "i9", "type": "view", "category": "hats"},
              {"user": "u3", "item": "i4", "type": "view", "category": "shoes"}]}
            """;
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Post("/v1/events", batch))).StatusCode);
        var cold = await Body(await client.GetAsync("/v1/users/nobody/recommendations?k=2"));
        Assert.True(cold.GetProperty("cold_start").GetBoolean());
        Assert.Equal("popular-now", cold.GetProperty("source").GetString());
        Assert.Equal("i3", ItemsOf(cold)[0]);

        var hats = await Body(await client.GetAsync("/v1/users/nobody/recommendations?k=5&category=hats"));
        Assert.Equal(new[] { "i9" }, ItemsOf(hats));
        // A known user's model answer filtered to a category: only items last seen in it.
        var shoes = await Body(await client.GetAsync("/v1/users/u3/recommendations?k=5&category=shoes&exclude_seen=false"));
        Assert.All(ItemsOf(shoes), i => Assert.Contains(i, new[] { "i3", "i4" }));
    }

    [Fact]
    public async Task Similar_items_follow_the_model_and_an_unknown_item_is_a_404_naming_it()
    {
        var (app, client) = await InProcess(Options(_bundle));
        await using var _ = app;
        var r = await client.GetAsync("/v1/items/i4/similar?k=3");
        var body = await Body(r);
        Assert.Equal(new[] { "i3", "i5" }, ItemsOf(body).Take(2).Order());
        Assert.DoesNotContain("i4", ItemsOf(body));
        Assert.Equal(3, ItemsOf(body).Length);
        var missing = await client.GetAsync("/v1/items/nope/similar");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("nope", (await Body(missing)).GetProperty("title").GetString());
    }

    [Theory]
    [InlineData(null, "Missing X-Api-Key header")]
    [InlineData("wrong", "Wrong X-Api-Key")]
    public async Task Writes_and_reloads_need_the_api_key(string? key, string title)
    {
        var (app, client) = await InProcess(Options(_bundle));
        await using var _ = app;
        foreach (var path in new[] { "/v1/events", "/v1/admin/models/reload" })
        {
            var r = await client.SendAsync(Post(path, """{"user": "a", "item": "i1", "type": "view"}""", key));
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
            var body = await Body(r);
            Assert.Equal(title, body.GetProperty("title").GetString());
            Assert.DoesNotContain(Key, body.ToString());
        }
        Assert.Equal(0, (await Body(await client.GetAsync("/health"))).GetProperty("events").GetInt64());
        // Reads need no key.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/users/a/recommendations")).StatusCode);
    }

    [Fact]
    public async Task A_server_started_without_a_key_refuses_writes()
    {
        var (app, client) = await InProcess(Options(_bundle) with { ApiKey = null });
        await using var _ = app;
        var r = await client.SendAsync(Post("/v1/events", """{"user": "a", "item": "i1", "type": "view"}""", "anything"));
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        Assert.Contains("SHOPCAST_API_KEY", (await Body(r)).GetProperty("detail").GetString());
    }

    public static TheoryData<string, string> BadEvents()
    {
        var big = new string('x', 257);
        var many = "{\"events\": [" + string.Join(",", Enumerable.Repeat("""{"user": "a", "item": "i1", "type": "view"}""", 1001)) + "]}";
        var future = DateTimeOffset.UtcNow.AddHours(2).ToUnixTimeMilliseconds();
        return new()
        {
            { "{not json", "body" },
            { "[1, 2]", "body" },
            { """{"user": "a", "item": "i1", "type": "view", "colour": "red"}""", "colour" },
            { """{"item": "i1", "type": "view"}""", "user" },
            { """{"user": ["a"], "item": "i1", "type": "view"}""", "user" },
            { $$"""{"user": "{{big}}", "item": "i1", "type": "view"}""", "user" },
            { """{"user": "a", "item": "", "type": "view"}""", "item" },
            { """{"user": "a", "item": "i1", "type": "teleport"}""", "type" },
            { """{"user": "a", "item": "i1", "type": "view", "time": "yesterday"}""", "time" },
            { """{"user": "a", "item": "i1", "type": "view", "time": 1700000000}""", "time" }, // seconds, read as ms: 1970
            { $$"""{"user": "a", "item": "i1", "type": "view", "time": {{future}}}""", "time" },
            { """{"user": "a", "item": "i1", "type": "view", "price": "9.99"}""", "price" },
            { """{"user": "a", "item": "i1", "type": "view", "price": -1}""", "price" },
            { """{"events": []}""", "events" },
            { many, "events" },
            { """{"events": {"user": "a"}}""", "events" },
            { """{"events": [], "extra": 1}""", "extra" },
            { """{"events": [{"user": "a", "item": "i1", "type": "view"}, {"user": "b", "item": "i2", "type": "view", "time": "2099-01-01T00:00:00Z"}]}""", "events[1].time" },
            { """{"user": "a", "item": "i1", "type": "\ud800"}""", "body" },
            { """{"user": "a", "item": "i1", "type": "view", "\ud800": 1}""", "body" },
            { """{"user": "a", "user": "b", "item": "i1", "type": "view"}""", "body" },
            { """{"user": 1.5, "item": "i1", "type": "view"}""", "user" },
            { """{"user": "a", "item": "i1", "type": "view", "time": 1.7e12}""", "time" },
            { """{"user": "a\nb", "item": "i1", "type": "view"}""", "user" },
        };
    }

    [Theory]
    [MemberData(nameof(BadEvents))]
    public async Task A_bad_event_batch_is_a_400_naming_the_field_and_nothing_of_it_is_applied(string body, string field)
    {
        var (app, client) = await InProcess(Options(_bundle));
        await using var _ = app;
        var r = await client.SendAsync(Post("/v1/events", body));
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        Assert.Equal(field, (await Body(r)).GetProperty("field").GetString());
        Assert.Equal(0, (await Body(await client.GetAsync("/health"))).GetProperty("events").GetInt64());
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(Get("/v1/users/a/state"))).StatusCode);
    }

    [Fact]
    public async Task A_whole_number_id_is_its_digits_and_post_query_parameters_are_refused()
    {
        var (app, client) = await InProcess(Options(_bundle));
        await using var _ = app;
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Post("/v1/events", """{"user": 42, "item": "i1", "type": "view"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Get("/v1/users/42/state"))).StatusCode);
        var r = await client.SendAsync(Post("/v1/events?dry_run=true", """{"user": "a", "item": "i1", "type": "view"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Equal("dry_run", (await Body(r)).GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(Get("/v1/users/42/state", key: null))).StatusCode);
    }

    [Fact]
    public void A_store_that_is_the_history_or_a_runs_store_is_refused()
    {
        var run = _tmp["run"];
        var log = _tmp.File("log.txt", string.Join("\n", Enumerable.Range(0, 30).Select(u => $"{u + 1} {u % 5 + 1} {(u + 1) % 5 + 1} {(u + 2) % 5 + 1}")) + "\n");
        Shopcast.Jobs.RunJob.Run(new Shopcast.Jobs.RunOptions { DataPath = log, Format = "sequences", Models = new[] { "pop" }, OutDir = run }, Shopcast.Reporting.ProgressReporter.Quiet);
        var store = Path.Combine(run, "events.duckdb");
        var e = Assert.Throws<Shopcast.Data.ShopcastInputException>(() => Shopcast.Server.ShopcastServer.Build(Options(_bundle) with { StorePath = store, HistoryPath = store }));
        Assert.Contains("is also --history", e.Message);
        e = Assert.Throws<Shopcast.Data.ShopcastInputException>(() => Shopcast.Server.ShopcastServer.Build(Options(_bundle) with { StorePath = store }));
        Assert.Contains("event store of a `shopcast run`", e.Message);
    }

    [Fact]
    public void A_disposed_model_host_refuses_leases_instead_of_spinning()
    {
        var host = new Shopcast.Serving.ModelHost(new[] { _bundle });
        var lease = host.Acquire();
        host.Dispose();
        Assert.NotNull(lease.Models.NextItem); // a lease taken before keeps its set until it ends
        lease.Dispose();
        lease.Dispose(); // twice is harmless
        Assert.Throws<ObjectDisposedException>(() => host.Acquire());
    }

    [Theory]
    [InlineData("/v1/users/a/recommendations?k=0", "k")]
    [InlineData("/v1/users/a/recommendations?k=ten", "k")]
    [InlineData("/v1/users/a/recommendations?k=1001", "k")]
    [InlineData("/v1/users/a/recommendations?exclude_seen=maybe", "exclude_seen")]
    [InlineData("/v1/users/a/recommendations?limit=5", "limit")]
    [InlineData("/v1/items/i1/similar?k=-3", "k")]
    [InlineData("/v1/users/a/recommendations?k=2&k=3", "k")]
    [InlineData("/health?verbose=1", "verbose")]
    public async Task A_bad_query_is_a_400_naming_the_parameter(string url, string field)
    {
        var (app, client) = await InProcess(Options(_bundle));
        await using var _ = app;
        var r = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Equal(field, (await Body(r)).GetProperty("field").GetString());
    }

    [Fact]
    public async Task An_id_with_a_slash_is_read_back_through_an_encoded_path()
    {
        var (app, client) = await InProcess(Options(_bundle));
        await using var _ = app;
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Post("/v1/events", """{"user": "shop/7", "item": "i2", "type": "view"}"""))).StatusCode);
        var state = await client.SendAsync(Get("/v1/users/shop%2F7/state"));
        Assert.Equal(HttpStatusCode.OK, state.StatusCode);
        Assert.Equal("shop/7", (await Body(state)).GetProperty("user").GetString());
        Assert.False((await Body(await client.GetAsync("/v1/users/shop%2F7/recommendations"))).GetProperty("cold_start").GetBoolean());
    }

    [Fact]
    public async Task A_huge_user_id_in_the_path_is_a_400()
    {
        var (app, client) = await InProcess(Options(_bundle));
        await using var _ = app;
        var r = await client.GetAsync($"/v1/users/{new string('u', 300)}/recommendations");
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Equal("user", (await Body(r)).GetProperty("field").GetString());
    }

    [Fact]
    public async Task Routes_without_their_model_are_a_404_naming_the_missing_model()
    {
        var sentiment = _tmp["sentiment"];
        SentimentEndpointTests.SaveBundle(sentiment);
        var (app, client) = await InProcess(Options(sentiment));
        await using var _ = app;
        var r = await client.GetAsync("/v1/users/a/recommendations");
        Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        Assert.Equal("No next-item model is loaded", (await Body(r)).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/v1/items/i1/similar")).StatusCode);
    }

    [Fact]
    public async Task Metrics_count_requests_events_and_name_the_model_version()
    {
        var (app, client) = await InProcess(Options(_bundle));
        await using var _ = app;
        await client.SendAsync(Post("/v1/events", """{"events": [{"user": "a", "item": "i1", "type": "view"}, {"user": "a", "item": "i2", "type": "cart"}]}"""));
        await client.GetAsync("/v1/users/a/recommendations");
        await client.SendAsync(Post("/v1/events", "{bad"));
        var text = await client.GetStringAsync("/metrics");
        Assert.Contains("shopcast_events_accepted_total 2", text);
        Assert.Contains("shopcast_event_batches_rejected_total{reason=\"body\"} 1", text);
        Assert.Matches("shopcast_model_info\\{task=\"next-item\",model=\"itemknn\",version=\"itemknn@[^\"]+\"\\} 1", text);
        Assert.Contains("http_request_duration_seconds_bucket", text);
        Assert.Contains("endpoint=\"/v1/users/{id}/recommendations\"", text);
        Assert.Contains("shopcast_process_working_set_bytes", text);
    }

    [Fact]
    public async Task The_openapi_document_describes_every_route_and_the_interactive_page_is_served()
    {
        var (app, client) = await InProcess(Options(_bundle));
        await using var _ = app;
        var doc = await Body(await client.GetAsync("/openapi/v1.json"));
        var paths = doc.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        foreach (var p in new[] { "/v1/events", "/v1/users/{id}/recommendations", "/v1/items/{id}/similar", "/v1/predict/sentiment", "/v1/admin/models/reload", "/health" })
            Assert.Contains(p, paths);
        var time = doc.GetProperty("components").GetProperty("schemas").GetProperty("EventDocument").GetProperty("properties").GetProperty("time");
        Assert.Equal(2, time.GetProperty("oneOf").GetArrayLength()); // text or Unix milliseconds
        var k = doc.GetProperty("paths").GetProperty("/v1/users/{id}/recommendations").GetProperty("get").GetProperty("parameters")
            .EnumerateArray().Single(p => p.GetProperty("name").GetString() == "k");
        Assert.Equal("integer", k.GetProperty("schema").GetProperty("type").GetString());
        Assert.Contains("ApiKey", doc.GetProperty("paths").GetProperty("/v1/events").GetProperty("post").GetProperty("security")[0].EnumerateObject().Select(x => x.Name));
        var page = await client.GetAsync("/docs/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<html", (await page.Content.ReadAsStringAsync()).ToLowerInvariant());
    }

    [Fact]
    public async Task Unknown_routes_and_non_json_bodies_get_problem_details()
    {
        var (app, client) = await InProcess(Options(_bundle));
        await using var _ = app;
        var r = await client.GetAsync("/v1/nothing");
        Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        Assert.Equal("No such route", (await Body(r)).GetProperty("title").GetString());
        var m = new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = new StringContent("user=a", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded") };
        m.Headers.Add("X-Api-Key", Key);
        var f = await client.SendAsync(m);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, f.StatusCode);
        Assert.Contains("application/json", (await Body(f)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_restarted_server_reads_its_journal_back()
    {
        var store = _tmp["events.duckdb"];
        var (app, client) = await InProcess(Options(_bundle) with { StorePath = store });
        await using (app)
        {
            for (int i = 0; i < 5; i++)
                Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Post("/v1/events", $$"""{"user": "bob", "item": "i{{i}}", "type": "view"}"""))).StatusCode);
        }
        var (again, client2) = await InProcess(Options(_bundle) with { StorePath = store });
        await using var _ = again;
        var state = await Body(await client2.SendAsync(Get("/v1/users/bob/state")));
        Assert.Equal(5, state.GetProperty("events").GetInt64());
        Assert.Equal("i5", ItemsOf(await Body(await client2.GetAsync("/v1/users/bob/recommendations?k=1")))[0]); // after i0..i4, seen left out
    }
}
