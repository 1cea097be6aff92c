using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Shopcast.Data;
using static Shopcast.Tests.Server.ServerHarness;

namespace Shopcast.Tests.Server;

/// <summary>
/// Durability: a `shopcast serve` process (the real command, its own process) takes a stream of events, is killed
/// with SIGKILL mid-stream, and is started again on the same store: every event it acknowledged must be in the store
/// and in the users' state.
/// </summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private readonly TestData.TempDir _tmp = new();
    public void Dispose() => _tmp.Dispose();

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static Process StartServer(string bundle, string store, int port)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "Shopcast.Cli.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { cli, "serve", "--model", bundle, "--store", store, "--history", "none", "--urls", $"http://127.0.0.1:{port}" }) psi.ArgumentList.Add(a);
        psi.Environment["SHOPCAST_API_KEY"] = Key;
        var p = Process.Start(psi)!;
        p.BeginOutputReadLine(); p.BeginErrorReadLine();
        return p;
    }

    private static async Task WaitForHealth(HttpClient client, Process p)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (p.HasExited) throw new Xunit.Sdk.XunitException($"the server exited with code {p.ExitCode} before answering /health");
            try { if ((await client.GetAsync("/health")).IsSuccessStatusCode) return; }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException("the server did not answer /health within 60 s");
    }

    [Fact]
    public async Task Every_acknowledged_event_survives_a_sigkill_of_the_server()
    {
        var bundle = NextItemBundle(_tmp["itemknn"]);
        var store = _tmp["events.duckdb"];
        int port = FreePort();
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        var server = StartServer(bundle, store, port);
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<(string User, string Item)>();
        try
        {
            await WaitForHealth(client, server);
            using var stop = new CancellationTokenSource();
            int sent = 0;
            async Task Stream(int worker)
            {
                for (int b = 0; !stop.IsCancellationRequested; b++)
                {
                    var events = Enumerable.Range(0, 5).Select(k => ($"w{worker}", $"i{(b * 5 + k) % Items}", $"b{b}k{k}")).ToArray();
                    var body = "{\"events\": [" + string.Join(",", events.Select(e => $$"""{"user": "{{e.Item1}}", "item": "{{e.Item2}}", "type": "view", "session": "{{e.Item3}}"}""")) + "]}";
                    Interlocked.Add(ref sent, events.Length);
                    try
                    {
                        var r = await client.SendAsync(Post("/v1/events", body));
                        if (r.StatusCode == HttpStatusCode.OK)
                            foreach (var e in events) acknowledged.Add((e.Item1, e.Item3));
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { return; } // the server is gone
                }
            }
            var workers = Enumerable.Range(0, 4).Select(w => Task.Run(() => Stream(w))).ToArray();
            while (acknowledged.Count < 300) await Task.Delay(20);
            server.Kill(); // SIGKILL: no shutdown, no flush
            server.WaitForExit();
            stop.Cancel();
            await Task.WhenAll(workers);
            Assert.True(acknowledged.Count >= 300 && sent >= acknowledged.Count, $"{acknowledged.Count} acknowledged of {sent} sent");
        }
        finally { if (!server.HasExited) server.Kill(); }

        // Restarted on the same store, the state holds every acknowledged event.
        var again = StartServer(bundle, store, port);
        try
        {
            await WaitForHealth(client, again);
            foreach (var user in acknowledged.Select(a => a.User).Distinct())
            {
                var state = await Body(await client.SendAsync(Get($"/v1/users/{user}/state")));
                long acked = acknowledged.Count(a => a.User == user);
                Assert.True(state.GetProperty("events").GetInt64() >= acked, $"{user}: {state.GetProperty("events").GetInt64()} events in the state, {acked} acknowledged");
            }
        }
        finally
        {
            again.Kill();
            again.WaitForExit();
        }

        // And the store holds each of them (every acknowledged event had its own session id).
        using var s = EventStore.OpenReadOnly(store, "store");
        var stored = new HashSet<(string, string)>();
        foreach (var e in Shopcast.Serving.EventJournal.ReadEvents(s, "ORDER BY row_no").SelectMany(b => b)) stored.Add((e.User, e.Session!));
        var lost = acknowledged.Where(a => !stored.Contains(a)).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} of {acknowledged.Count} acknowledged events are missing from the store, e.g. {lost.FirstOrDefault()}");
    }
}
