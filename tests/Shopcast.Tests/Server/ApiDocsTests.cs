using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Shopcast.Data.Synthetic;
using static Shopcast.Tests.Server.ServerHarness;

namespace Shopcast.Tests.Server;

/// <summary>
/// Every <c>curl</c> in docs/api.md, in the page's order, against a real server (127.0.0.1) with small bundles: an
/// item-kNN next-item bundle (items "0".."29"), a purchase-intent lr bundle and a linear sentiment bundle, all trained
/// here on SYNTHETIC data. Each answer must have the status the page shows (<c># HTTP 400 ...</c>; else a 2xx) and
/// every field name the page's example answer shows. The curl lines are read, not run through a shell, so the test
/// needs no curl binary.
/// </summary>
[Collection("console")] // trains the purchase-intent bundle through the CLI, which redirects Console
public sealed partial class ApiDocsTests : IDisposable
{
    private readonly TestData.TempDir _tmp = new();
    public void Dispose() => _tmp.Dispose();

    private static string Page()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Shopcast.sln"))) dir = dir.Parent;
        return File.ReadAllText(Path.Combine(dir?.FullName ?? throw new InvalidOperationException("Shopcast.sln not found above the test binaries"), "docs", "api.md"));
    }

    /// <summary>A curl command of the page and what the page says it answers.</summary>
    internal sealed record Example(string Command, string Method, string Url, Dictionary<string, string> Headers, string? Body, int? Status, string Shown);

    /// <summary>The page's curl commands (continued lines joined), each with the comment lines that follow it.</summary>
    internal static List<Example> Examples(string page)
    {
        var examples = new List<Example>();
        foreach (Match block in Regex.Matches(page, "```bash\n(.*?)```", RegexOptions.Singleline))
        {
            var lines = block.Groups[1].Value.Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                if (!lines[i].StartsWith("curl ")) continue;
                var cmd = new StringBuilder(lines[i]);
                while (cmd[^1] == '\\' || cmd.ToString().Count(c => c == '\'') % 2 == 1)
                {
                    if (cmd[^1] == '\\') { cmd.Length--; cmd.Append(' '); } else cmd.Append('\n');
                    cmd.Append(lines[++i]);
                }
                var shown = new StringBuilder();
                while (i + 1 < lines.Length && lines[i + 1].StartsWith('#')) shown.Append(lines[++i].TrimStart('#').Trim()).Append(' ');
                examples.Add(Parse(cmd.ToString(), shown.ToString().Trim()));
            }
        }
        return examples;
    }

    private static Example Parse(string command, string shown)
    {
        var words = ShellWords(command);
        string method = "GET", url = ""; string? body = null;
        var headers = new Dictionary<string, string>();
        for (int i = 1; i < words.Count; i++)
        {
            switch (words[i])
            {
                case "-s": break;
                case "-X": method = words[++i]; break;
                case "-H": var h = words[++i]; headers[h[..h.IndexOf(':')].Trim()] = h[(h.IndexOf(':') + 1)..].Trim(); break;
                case "-d": body = words[++i]; if (method == "GET") method = "POST"; break;
                default:
                    if (words[i].StartsWith("http")) url = words[i];
                    else throw new InvalidOperationException($"docs/api.md: the test does not know curl's '{words[i]}' in: {command}");
                    break;
            }
        }
        var status = Regex.Match(shown, @"^HTTP (\d{3})");
        return new Example(command, method, url, headers, body, status.Success ? int.Parse(status.Groups[1].Value) : null, shown);
    }

    /// <summary>Splits a command line as bash would for these examples: quotes, and $SHOPCAST_API_KEY inside double quotes.</summary>
    private static List<string> ShellWords(string s)
    {
        var words = new List<string>(); var w = new StringBuilder(); bool any = false;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '\'') { int j = s.IndexOf('\'', i + 1); w.Append(s, i + 1, j - i - 1); i = j; any = true; }
            else if (c == '"') { int j = s.IndexOf('"', i + 1); w.Append(s[(i + 1)..j].Replace("$SHOPCAST_API_KEY", Key)); i = j; any = true; }
            else if (char.IsWhiteSpace(c)) { if (any) { words.Add(w.ToString()); w.Clear(); any = false; } }
            else { w.Append(c); any = true; }
        }
        if (any) words.Add(w.ToString());
        return words;
    }

    private static void Names(JsonElement e, HashSet<string> into)
    {
        if (e.ValueKind == JsonValueKind.Object)
            foreach (var p in e.EnumerateObject()) { into.Add(p.Name); Names(p.Value, into); }
        else if (e.ValueKind == JsonValueKind.Array)
            foreach (var x in e.EnumerateArray()) Names(x, into);
    }

    [Fact]
    public void The_page_has_an_example_of_every_route()
    {
        var urls = Examples(Page()).Select(e => new Uri(e.Url).AbsolutePath).ToList();
        foreach (var route in new[] { "/v1/events", "/v1/users/alice/state", "/v1/users/alice/recommendations", "/v1/items/4/similar",
                     "/v1/predict/purchase-intent", "/v1/predict/sentiment", "/health", "/metrics", "/v1/admin/models/reload" })
            Assert.Contains(route, urls);
    }

    [Fact]
    public async Task Every_curl_on_the_page_answers_as_the_page_shows()
    {
        var shop = _tmp["shop.csv"];
        SimulatedShop.WriteCsv(shop, new SimulatedShopOptions { Users = 300, Days = 5, Seed = 5 });
        var (code, _, err) = Cli.CliRunner.Run("run", "--task", "purchase-intent", "--data", shop, "--format", "csv", "--columns", SimulatedShop.Columns,
            "--models", "lr", "--out", _tmp["intent"], "--quiet");
        Assert.True(code == 0, err);
        var bundles = new[]
        {
            NextItemBundle(_tmp["itemknn"], prefix: ""), Path.Combine(_tmp["intent"], "models", "lr"), SentimentEndpointTests.SaveBundle(_tmp["sentiment"]),
        };
        var (app, client) = await OverHttp(Options(bundles) with { StorePath = _tmp["events.duckdb"] });
        await using var _ = app;
        using var __ = client;
        var examples = Examples(Page());
        Assert.True(examples.Count >= 12, $"only {examples.Count} curl examples found");
        foreach (var ex in examples)
        {
            var url = ex.Url.Replace("http://127.0.0.1:8080", client.BaseAddress!.ToString().TrimEnd('/'));
            var request = new HttpRequestMessage(new HttpMethod(ex.Method), url);
            foreach (var (k, v) in ex.Headers.Where(h => h.Key != "Content-Type")) request.Headers.Add(k, v);
            if (ex.Body is not null)
                request.Content = new StringContent(ex.Body, Encoding.UTF8, ex.Headers.GetValueOrDefault("Content-Type") ?? "application/x-www-form-urlencoded");
            var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if (ex.Status is { } status) Assert.True((int)response.StatusCode == status, $"{ex.Command}\nanswered {(int)response.StatusCode}, the page shows {status}: {text}");
            else Assert.True(response.IsSuccessStatusCode, $"{ex.Command}\nanswered {(int)response.StatusCode}: {text}");
            var shownNames = Regex.Matches(ex.Shown, "\"([a-z_]+)\":").Select(m => m.Groups[1].Value).ToHashSet();
            if (shownNames.Count == 0) continue;
            var actual = new HashSet<string>();
            Names(JsonDocument.Parse(text).RootElement, actual);
            var missing = shownNames.Where(n => !actual.Contains(n)).ToList();
            Assert.True(missing.Count == 0, $"{ex.Command}\nthe page shows fields the answer lacks: {string.Join(", ", missing)}; answer: {text}");
        }
    }
}
