using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Shopcast.Data;
using Shopcast.Models;
using Shopcast.Reporting;
using Shopcast.Server;
using Shopcast.Tasks.NextItem;

namespace Shopcast.Tests.Server;

/// <summary>
/// What the server tests share: a small next-item bundle (item-kNN on synthetic successor chains, labelled synthetic:
/// item iK's neighbours are i(K-1) and i(K+1)), and ways to run the server in process (TestServer, the host WebApplicationFactory
/// wraps; the server is a library without an entry point of its own) or on a real 127.0.0.1 port.
/// </summary>
internal static class ServerHarness
{
    public const int Items = 30;
    public const string Key = "test-key-5f1c";

    /// <summary>Writes an item-kNN bundle trained on chains i0 → i1 → ... (synthetic); categories are not in a bundle.</summary>
    public static string NextItemBundle(string directory, int seed = 1, string prefix = "i", string model = "itemknn", Dictionary<string, string>? settings = null)
    {
        var rng = new Random(seed);
        var seqs = Enumerable.Range(0, 300).Select(_ =>
        {
            int start = rng.Next(Items - 8), len = rng.Next(4, 8);
            return Enumerable.Range(start, len).ToArray();
        }).ToList();
        var items = new ItemIndex(Enumerable.Range(0, Items).Select(i => $"{prefix}{i}"));
        var m = ModelCatalog.Find(model).Create(new ModelSettings(model, settings ?? new()));
        m.Fit(new NextItemTrainingData { ItemCount = Items, Sequences = seqs, Seed = seed }, ProgressReporter.Quiet);
        ModelBundle.Save(m, items, directory);
        (m as IDisposable)?.Dispose();
        return directory;
    }

    public static ServerOptions Options(params string[] bundles) => new() { ModelDirectories = bundles, ApiKey = Key };

    /// <summary>The server in process (TestServer).</summary>
    public static async Task<(WebApplication App, HttpClient Client)> InProcess(ServerOptions options)
    {
        var app = ShopcastServer.Build(options, b => b.WebHost.UseTestServer());
        await app.StartAsync();
        return (app, app.GetTestClient());
    }

    /// <summary>The server on a free port of 127.0.0.1 (Kestrel, real sockets).</summary>
    public static async Task<(WebApplication App, HttpClient Client)> OverHttp(ServerOptions options)
    {
        var app = ShopcastServer.Build(options with { Urls = "http://127.0.0.1:0" });
        await app.StartAsync();
        return (app, new HttpClient { BaseAddress = new Uri(app.Urls.First()) });
    }

    public static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    public static HttpRequestMessage Post(string path, string body, string? key = Key)
    {
        var m = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json(body) };
        if (key is not null) m.Headers.Add("X-Api-Key", key);
        return m;
    }

    public static HttpRequestMessage Get(string path, string? key = Key)
    {
        var m = new HttpRequestMessage(HttpMethod.Get, path);
        if (key is not null) m.Headers.Add("X-Api-Key", key);
        return m;
    }

    public static async Task<JsonElement> Body(HttpResponseMessage r)
    {
        using var doc = JsonDocument.Parse(await r.Content.ReadAsStringAsync());
        return doc.RootElement.Clone();
    }

    public static string[] ItemsOf(JsonElement answer) => answer.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("item").GetString()!).ToArray();
}
