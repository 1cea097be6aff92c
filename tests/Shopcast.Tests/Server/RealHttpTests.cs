using System.Net;
using static Shopcast.Tests.Server.ServerHarness;

namespace Shopcast.Tests.Server;

/// <summary>The server on a real 127.0.0.1 socket (Kestrel): the happy path end to end; a failed reload. (Reload under load: ReloadUnderLoadTests.)</summary>
public sealed class RealHttpTests : IDisposable
{
    private readonly TestData.TempDir _tmp = new();
    public void Dispose() => _tmp.Dispose();

    [Fact]
    public async Task Events_recommendations_similar_items_health_and_metrics_over_http()
    {
        var bundle = NextItemBundle(_tmp["itemknn"]);
        var (app, client) = await OverHttp(Options(bundle) with { StorePath = _tmp["events.duckdb"] });
        await using var _ = app;
        using var __ = client;
        Assert.StartsWith("http://127.0.0.1:", client.BaseAddress!.ToString());
        var r = await client.SendAsync(Post("/v1/events", """{"events": [{"user": "carol", "item": "i10", "type": "view"}, {"user": "carol", "item": "i11", "type": "cart"}]}"""));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var recs = await Body(await client.GetAsync("/v1/users/carol/recommendations?k=5"));
        Assert.False(recs.GetProperty("cold_start").GetBoolean());
        Assert.Contains("i12", ItemsOf(recs));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/items/i10/similar")).StatusCode);
        Assert.Equal(2, (await Body(await client.GetAsync("/health"))).GetProperty("events").GetInt64());
        Assert.Contains("shopcast_events_accepted_total 2", await client.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task A_reload_that_fails_keeps_the_current_models()
    {
        var a = NextItemBundle(_tmp["a"]);
        var (app, client) = await InProcess(Options(a));
        await using var _ = app;
        var before = (await Body(await client.GetAsync("/health"))).GetProperty("models")[0].GetProperty("version").GetString();
        var r = await client.SendAsync(Post("/v1/admin/models/reload", $$"""{"models": ["{{_tmp["missing"]}}"]}"""));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, r.StatusCode);
        Assert.Contains("folder not found", (await Body(r)).GetProperty("detail").GetString());
        Assert.Equal(before, (await Body(await client.GetAsync("/health"))).GetProperty("models")[0].GetProperty("version").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/users/x/recommendations")).StatusCode);
    }
}
