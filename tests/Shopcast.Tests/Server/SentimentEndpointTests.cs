using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Shopcast.Models;
using Shopcast.Reporting;
using Shopcast.Server;
using Shopcast.Tests.Text;

namespace Shopcast.Tests.Server;

/// <summary>
/// <c>shopcast serve</c> in process (ASP.NET Core's TestServer): /health, /v1/predict/sentiment with a linear bundle
/// trained here on the synthetic corpus (labelled synthetic), and each bad request's problem details.
/// </summary>
[Collection("console")] // one test runs the CLI, which redirects Console: never beside the other console tests
public sealed class SentimentEndpointTests : IDisposable
{
    private readonly TestData.TempDir _tmp = new();
    private readonly string _bundle;

    public SentimentEndpointTests() => _bundle = SaveBundle(_tmp["sentiment"]);

    /// <summary>A linear sentiment bundle trained on the synthetic corpus (labelled synthetic).</summary>
    internal static string SaveBundle(string directory)
    {
        var train = SentimentModelTests.Corpus(400, 1);
        using var model = SentimentCatalog.Find("linear").Create(new ModelSettings("linear"));
        model.Fit(train, train, train.ClassWeights(true), 1, ProgressReporter.Quiet);
        SentimentBundle.Save(model, new[] { "negative", "positive" }, "zh", directory, new System.Text.Json.Nodes.JsonObject());
        return directory;
    }

    public void Dispose() => _tmp.Dispose();

    private static Task<(WebApplication App, HttpClient Client)> Start(params string[] bundles) =>
        ServerHarness.InProcess(new ServerOptions { ModelDirectories = bundles });

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Health_lists_the_loaded_models_with_their_versions()
    {
        var (app, client) = await Start(_bundle);
        await using var _ = app;
        using var doc = JsonDocument.Parse(await client.GetStringAsync("/health"));
        Assert.Equal("ok", doc.RootElement.GetProperty("status").GetString());
        var m = doc.RootElement.GetProperty("models")[0];
        Assert.Equal("sentiment", m.GetProperty("task").GetString());
        Assert.StartsWith("linear@", m.GetProperty("version").GetString());
    }

    [Fact]
    public async Task Predicts_classes_and_probabilities_in_order_with_the_model_version()
    {
        var (app, client) = await Start(_bundle);
        await using var _ = app;
        var response = await client.PostAsync("/v1/predict/sentiment", Json("{\"texts\": [\"很好 great\", \"很差 terrible\", \"\"]}"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var version = response.Headers.GetValues(ShopcastServer.VersionHeader).Single();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(version, doc.RootElement.GetProperty("model_version").GetString());
        var p = doc.RootElement.GetProperty("predictions");
        Assert.Equal("positive", p[0].GetProperty("sentiment").GetString());
        Assert.Equal("negative", p[1].GetProperty("sentiment").GetString());
        Assert.Equal(1.0, p[0].GetProperty("probabilities").EnumerateObject().Sum(x => x.Value.GetDouble()), 3);
        Assert.Equal("empty text", p[2].GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("{bad", "not valid JSON", null)]
    [InlineData("[\"a\"]", "must be a JSON object", "body")]
    [InlineData("{\"text\": [\"a\"]}", "Unknown field 'text'", "text")]
    [InlineData("{}", "Missing field 'texts'", "texts")]
    [InlineData("{\"texts\": \"a\"}", "must be an array", "texts")]
    [InlineData("{\"texts\": []}", "1 to 1000 texts", "texts")]
    [InlineData("{\"texts\": [\"a\", 3]}", "texts[1] must be a string", "texts[1]")]
    [InlineData("{\"texts\": [\"\\ud83d\"]}", "texts[0] is not valid text", "texts[0]")]
    public async Task A_bad_request_gets_400_problem_details_naming_the_field(string body, string title, string? field)
    {
        var (app, client) = await Start(_bundle);
        await using var _ = app;
        var response = await client.PostAsync("/v1/predict/sentiment", Json(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(title, doc.RootElement.GetProperty("title").GetString());
        if (field is not null) Assert.Equal(field, doc.RootElement.GetProperty("field").GetString());
    }

    [Fact]
    public async Task A_text_over_the_limit_is_a_400_naming_it()
    {
        var (app, client) = await Start(_bundle);
        await using var _ = app;
        var response = await client.PostAsync("/v1/predict/sentiment", Json($$"""{"texts": ["ok", "{{new string('好', 50_001)}}"]}"""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("texts[1]", doc.RootElement.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Without_a_sentiment_bundle_the_endpoint_is_a_404_naming_what_is_missing()
    {
        var log = _tmp.File("log.txt", string.Join("\n", Enumerable.Range(0, 30).Select(u => $"{u + 1} {u % 5 + 1} {(u + 1) % 5 + 1} {(u + 2) % 5 + 1}")) + "\n");
        var nextItem = _tmp["next"];
        var (code, _, err) = Shopcast.Tests.Cli.CliRunner.Run("run", "--data", log, "--format", "sequences", "--models", "pop", "--out", nextItem, "--quiet");
        Assert.True(code == 0, err);
        var (app, client) = await Start(Path.Combine(nextItem, "models", "pop"));
        await using var _ = app;
        var response = await client.PostAsync("/v1/predict/sentiment", Json("{\"texts\": [\"a\"]}"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("No sentiment model", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public void Two_bundles_of_one_task_and_a_missing_folder_are_refused_at_start()
    {
        Assert.Contains("already loaded", Assert.Throws<Shopcast.Data.ShopcastInputException>(() => ShopcastServer.Build(new ServerOptions { ModelDirectories = new[] { _bundle, _bundle } })).Message);
        Assert.Contains("folder not found", Assert.Throws<Shopcast.Data.ShopcastInputException>(() => ShopcastServer.Build(new ServerOptions { ModelDirectories = new[] { _tmp["none"] } })).Message);
    }
}
