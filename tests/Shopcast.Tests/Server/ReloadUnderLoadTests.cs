using System.Collections.Concurrent;
using System.Net;
using static Shopcast.Tests.Server.ServerHarness;

namespace Shopcast.Tests.Server;

/// <summary>
/// Reload under load with models that hold native memory (tiny SASRec bundles, TorchSharp: a use after dispose would
/// fail or crash), over real HTTP: every request answers 200 while the bundles are swapped back and forth.
/// </summary>
[Collection("torch")] // trains TorchSharp models: libtorch's seed is process-wide
public sealed class ReloadUnderLoadTests : IDisposable
{
    private readonly TestData.TempDir _tmp = new();
    public void Dispose() => _tmp.Dispose();

    [Fact]
    public async Task Swapping_sasrec_bundles_under_load_fails_no_request()
    {
        var small = new Dictionary<string, string> { ["hidden"] = "16", ["epochs"] = "1", ["max_len"] = "10", ["batch_size"] = "64" };
        var a = NextItemBundle(_tmp["a"], seed: 1, model: "sasrec", settings: small);
        await Task.Delay(5); // versions are the training time to the millisecond
        var b = NextItemBundle(_tmp["b"], seed: 2, model: "sasrec", settings: small);
        var sentiment = SentimentEndpointTests.SaveBundle(_tmp["sentiment"]);
        var (app, client) = await OverHttp(Options(a, sentiment));
        await using var _ = app;
        using var __ = client;
        await client.SendAsync(Post("/v1/events", """{"events": [{"user": "w0", "item": "i3", "type": "view"}, {"user": "w1", "item": "i5", "type": "view"}]}"""));
        var versions = new ConcurrentDictionary<string, int>();
        var failures = new ConcurrentBag<string>();
        int requests = 0;
        using var stop = new CancellationTokenSource();
        async Task Load(int worker)
        {
            while (!stop.IsCancellationRequested)
            {
                var r = await client.GetAsync($"/v1/users/w{worker % 2}/recommendations?k=5");
                Interlocked.Increment(ref requests);
                if (r.StatusCode != HttpStatusCode.OK) failures.Add($"{(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
                else versions.AddOrUpdate(r.Headers.GetValues("X-Model-Version").Single(), 1, (_, n) => n + 1);
            }
        }
        var workers = Enumerable.Range(0, 4).Select(w => Task.Run(() => Load(w))).ToArray();
        for (int i = 0; i < 6; i++)
        {
            await Task.Delay(150);
            var r = await client.SendAsync(Post("/v1/admin/models/reload", $$"""{"models": ["{{(i % 2 == 0 ? b : a)}}"]}"""));
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }
        await Task.Delay(150);
        stop.Cancel();
        await Task.WhenAll(workers);
        Assert.Empty(failures);
        Assert.True(requests > 50, $"only {requests} requests ran beside the reloads");
        Assert.Equal(2, versions.Count); // both bundles answered
        // A reload that names a next-item bundle keeps the sentiment bundle.
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/predict/sentiment", Json("""{"texts": ["好"]}"""))).StatusCode);
    }
}
