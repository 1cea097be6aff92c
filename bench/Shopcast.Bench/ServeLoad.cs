using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Shopcast.Bench;

/// <summary>
/// Load against a running <c>shopcast serve</c> (it does not start one; bench/serve/run.sh does).
/// <list type="bullet">
/// <item><c>recs</c>: open-loop GET /v1/users/{id}/recommendations at fixed rates. Request i is due at
/// start + i/rate whatever the server does, and its latency runs from that due time to the end of its body, so a
/// stalled server shows up in the latencies instead of slowing the generator down (no coordinated omission).</item>
/// <item><c>events</c>: closed-loop POST /v1/events, <c>concurrency</c> workers sending batches back to back, with a
/// zero-loss check: the events the server acknowledged against the growth of its state (/health "events").</item>
/// </list>
/// Each phase prints a table row and one JSON line (starting with <c>{</c>, for scripts). The generator runs on the
/// same cores as the server; its own CPU use (and the server's, with <c>--pid</c>) is printed per phase.
/// </summary>
internal static class ServeLoad
{
    private const string Usage = """
        usage: Shopcast.Bench serve-load recs   --url URL [--rates 200,500,1000] [--seconds 20] [--users 22363] [--warmup 5] [--k 10]
                                                [--timeout 5] [--seed 42] [--pid SERVER_PID]
               SHOPCAST_API_KEY=KEY Shopcast.Bench serve-load events --url URL [--seconds 20] [--batch 1,100] [--concurrency 8]
                                                [--users 22363] [--items 12101] [--warmup 2] [--timeout 5] [--seed 42] [--pid SERVER_PID]
        """;

    private static readonly double TicksPerMs = Stopwatch.Frequency / 1000.0;

    public static int Run(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("recs" or "events")) { Console.Error.WriteLine(Usage); return 2; }
        Dictionary<string, string> o;
        try { o = Options(args.Skip(1).ToArray()); }
        catch (ArgumentException e) { Console.Error.WriteLine($"serve-load: {e.Message}\n{Usage}"); return 2; }
        if (!o.TryGetValue("url", out var url)) { Console.Error.WriteLine($"serve-load: --url is required\n{Usage}"); return 2; }
        var baseUri = new Uri(url.TrimEnd('/') + "/");
        double timeoutS = Num(o, "timeout", 5.0);
        int? pid = o.TryGetValue("pid", out var p) ? int.Parse(p, CultureInfo.InvariantCulture) : null;
        using var http = NewClient();
        try
        {
            HealthEvents(http, baseUri); // fails fast when nothing listens there
            Header(args[0], baseUri, pid);
            return args[0] == "recs"
                ? Recs(http, baseUri, o, timeoutS, pid)
                : Events(http, baseUri, o, timeoutS, pid);
        }
        catch (HttpRequestException e)
        {
            Console.Error.WriteLine($"serve-load: cannot reach {baseUri} ({e.Message}); start the server first (bench/serve/run.sh does)");
            return 1;
        }
    }

    private static Dictionary<string, string> Options(string[] args)
    {
        var o = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                throw new ArgumentException($"expected --name value, found '{args[i]}'");
            o[args[i][2..]] = args[++i];
        }
        return o;
    }

    private static double Num(Dictionary<string, string> o, string name, double fallback) =>
        o.TryGetValue(name, out var s) ? double.Parse(s, CultureInfo.InvariantCulture) : fallback;

    private static int[] Ints(Dictionary<string, string> o, string name, string fallback) =>
        (o.GetValueOrDefault(name) ?? fallback).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();

    /// <summary>One client for the whole run: pooled keep-alive connections, as many as the load needs.</summary>
    private static HttpClient NewClient() => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = 4096,
        PooledConnectionLifetime = TimeSpan.FromHours(1),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        UseProxy = false,
    })
    { Timeout = Timeout.InfiniteTimeSpan };

    private static void Header(string mode, Uri url, int? pid)
    {
        Console.WriteLine($"# serve-load {mode} against {url} at {DateTimeOffset.Now:yyyy-MM-dd HH:mm:ss zzz}");
        Console.WriteLine($"# NOTE: this load generator runs on the same machine as the server ({Environment.ProcessorCount} cores shared, " +
                          "plus whatever else runs there); its CPU use is printed per phase" + (pid is null ? "" : $", and the server's (pid {pid})") + ".");
    }

    // ---- recommendations: open loop ----------------------------------------------------------------------

    private static int Recs(HttpClient http, Uri url, Dictionary<string, string> o, double timeoutS, int? pid)
    {
        var rates = Ints(o, "rates", "200,500,1000");
        double seconds = Num(o, "seconds", 20), warmup = Num(o, "warmup", 5);
        int users = (int)Num(o, "users", 22363), k = (int)Num(o, "k", 10);
        var rng = new Random((int)Num(o, "seed", 42));
        Console.WriteLine($"# open loop: GET /v1/users/{{id}}/recommendations?k={k}, ids uniform in 1..{users} (seed {Num(o, "seed", 42)}); " +
                          $"latency from each request's scheduled send time to the end of its body; timeout {timeoutS:0.#} s (an error); " +
                          "percentiles are exact (nearest rank) over the OK answers");
        if (warmup > 0)
        {
            Console.WriteLine($"# warmup: {warmup:0.#} s at {rates[0]} rps (not reported)");
            OpenLoop(http, url, rates[0], warmup, users, k, rng, timeoutS, pid);
        }
        Console.WriteLine($"{"rate",6} {"sent",7} {"ok",7} {"errors",6} {"ok/s",8} {"p50",8} {"p90",8} {"p99",8} {"p99.9",8} {"max",8} {"lag p99",8} {"gen cpu",7} {"srv cpu",7} {"srv RSS",8}");
        Console.WriteLine($"{"rps",6} {"",7} {"",7} {"",6} {"",8} {"ms",8} {"ms",8} {"ms",8} {"ms",8} {"ms",8} {"ms",8} {"cores",7} {"cores",7} {"MiB",8}");
        var lines = new List<string>();
        foreach (var rate in rates)
        {
            var r = OpenLoop(http, url, rate, seconds, users, k, rng, timeoutS, pid);
            var ws = WorkingSet(http, url);
            Console.WriteLine($"{rate,6} {r.Sent,7} {r.Ok,7} {r.ErrorCount,6} {r.OkPerSecond,8:0.0} {Ms(r.Lat.P(0.5)),8} {Ms(r.Lat.P(0.9)),8} {Ms(r.Lat.P(0.99)),8} " +
                              $"{Ms(r.Lat.P(0.999)),8} {Ms(r.Lat.Max),8} {Ms(r.Lag.P(0.99)),8} {r.GenCores,7:0.00} {Cores(r.SrvCores),7} {Mib(ws),8}");
            if (r.ErrorCount > 0)
                Console.WriteLine($"       errors: {string.Join(", ", r.Errors.OrderByDescending(e => e.Value).Select(e => $"{e.Key} x{e.Value}"))} (not in the percentiles)");
            if (r.ColdStart > 0 || r.Short > 0)
                Console.WriteLine($"       note: {r.ColdStart} answers were cold_start, {r.Short} had fewer than {k} items");
            lines.Add(Json(new Dictionary<string, object?>
            {
                ["phase"] = "recs", ["rate_rps"] = rate, ["seconds"] = seconds, ["k"] = k, ["users"] = users,
                ["sent"] = r.Sent, ["ok"] = r.Ok, ["errors"] = r.ErrorCount, ["errors_by_kind"] = r.Errors,
                ["ok_per_s"] = Round(r.OkPerSecond), ["window_s"] = Round(r.WindowSeconds),
                ["latency_ms"] = r.Lat.Summary(), ["send_lag_ms"] = new Dictionary<string, double?> { ["p99"] = Round(r.Lag.P(0.99)), ["max"] = Round(r.Lag.Max) },
                ["cold_start"] = r.ColdStart, ["short_answers"] = r.Short,
                ["generator_cpu_cores"] = Round(r.GenCores), ["server_cpu_cores"] = r.SrvCores is { } c ? Round(c) : null,
                ["server_working_set_bytes"] = ws, ["time"] = DateTimeOffset.UtcNow.ToString("o"),
            }));
        }
        foreach (var l in lines) Console.WriteLine(l);
        return 0;
    }

    private sealed record OpenLoopResult(long Sent, long Ok, Dictionary<string, long> Errors, double WindowSeconds, Sample Lat, Sample Lag,
        long ColdStart, long Short, double GenCores, double? SrvCores)
    {
        public long ErrorCount => Errors.Values.Sum();
        public double OkPerSecond => Ok / WindowSeconds;
    }

    /// <summary>
    /// Sends rate x seconds requests, request i due at start + i/rate. A dedicated thread sleeps until each due time
    /// (about 1 ms resolution) and starts every request that is due, without waiting for earlier ones; when it wakes
    /// late, the late requests go out at once and their latency still counts from their due time. The send lag
    /// (actual start - due) is reported so generator-side delay can be told apart from the server's.
    /// </summary>
    private static OpenLoopResult OpenLoop(HttpClient http, Uri url, int rate, double seconds, int users, int k, Random rng, double timeoutS, int? pid)
    {
        int n = (int)Math.Round(rate * seconds);
        var ids = new int[n];
        for (int i = 0; i < n; i++) ids[i] = rng.Next(1, users + 1);
        var latency = new double[n];
        var lag = new double[n];
        Array.Fill(latency, double.NaN);
        var errors = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var tasks = new Task[n];
        long coldStart = 0, shortAnswers = 0, lastEnd = 0;
        double intervalTicks = Stopwatch.Frequency / (double)rate;
        long timeoutTicks = (long)(timeoutS * Stopwatch.Frequency);

        async Task One(int i, long due)
        {
            lag[i] = (Stopwatch.GetTimestamp() - due) / TicksPerMs;
            // The timeout counts from the due time too: a request that is not answered timeout seconds after it was due is an error.
            using var cts = new CancellationTokenSource(TimeSpan.FromTicks(Math.Max(1, (timeoutTicks - (Stopwatch.GetTimestamp() - due)) * TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
            try
            {
                using var req = new HttpRequestMessage(HttpMethod.Get, new Uri(url, $"v1/users/{ids[i]}/recommendations?k={k}"));
                using var resp = await http.SendAsync(req, HttpCompletionOption.ResponseHeadersRead, cts.Token).ConfigureAwait(false);
                var body = await resp.Content.ReadAsByteArrayAsync(cts.Token).ConfigureAwait(false);
                long end = Stopwatch.GetTimestamp();
                if (!resp.IsSuccessStatusCode) { Count(errors, $"http {(int)resp.StatusCode}"); return; }
                latency[i] = (end - due) / TicksPerMs;
                InterlockedMax(ref lastEnd, end);
                var (cold, items) = ReadRecs(body);
                if (cold) Interlocked.Increment(ref coldStart);
                if (items < k) Interlocked.Increment(ref shortAnswers);
            }
            catch (Exception e) { Count(errors, Kind(e, cts.IsCancellationRequested)); }
        }

        var (gen0, srv0) = (Process.GetCurrentProcess().TotalProcessorTime, ServerCpu(pid));
        long start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 20; // 50 ms to get the thread going
        var scheduler = new Thread(() =>
        {
            for (int i = 0; i < n; i++)
            {
                long due = start + (long)(i * intervalTicks);
                long wait;
                // Sleep, never spin: the cores are shared with the server. Thread.Sleep(1) wakes ~1.1 ms later on Linux.
                while ((wait = due - Stopwatch.GetTimestamp()) > 0)
                    Thread.Sleep(Math.Max(1, (int)(wait / TicksPerMs) - 1));
                int j = i;
                tasks[j] = Task.Run(() => One(j, due));
            }
        }) { IsBackground = true, Priority = ThreadPriority.AboveNormal, Name = "serve-load scheduler" };
        scheduler.Start();
        scheduler.Join();
        Task.WaitAll(tasks);
        long stop = Math.Max(Interlocked.Read(ref lastEnd), start + (long)(n * intervalTicks));
        double wall = (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency;
        double genCores = (Process.GetCurrentProcess().TotalProcessorTime - gen0).TotalSeconds / wall;
        double? srvCores = srv0 is { } s0 && ServerCpu(pid) is { } s1 ? (s1 - s0) / wall : null;
        var ok = latency.Where(x => !double.IsNaN(x)).ToArray();
        return new OpenLoopResult(n, ok.Length, new Dictionary<string, long>(errors), (stop - start) / (double)Stopwatch.Frequency,
            new Sample(ok), new Sample(lag), coldStart, shortAnswers, genCores, srvCores);
    }

    private static (bool ColdStart, int Items) ReadRecs(byte[] body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            return (root.TryGetProperty("cold_start", out var c) && c.ValueKind == JsonValueKind.True,
                root.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array ? items.GetArrayLength() : 0);
        }
        catch (JsonException) { return (false, 0); }
    }

    // ---- events: closed loop -----------------------------------------------------------------------------

    private static int Events(HttpClient http, Uri url, Dictionary<string, string> o, double timeoutS, int? pid)
    {
        // The key comes from the environment, as the server's does: on the command line, `ps` would show it.
        var key = Environment.GetEnvironmentVariable("SHOPCAST_API_KEY");
        if (string.IsNullOrEmpty(key)) { Console.Error.WriteLine($"serve-load events: set SHOPCAST_API_KEY to the server's key\n{Usage}"); return 2; }
        var batches = Ints(o, "batch", "1,100");
        double seconds = Num(o, "seconds", 20), warmup = Num(o, "warmup", 2);
        int concurrency = (int)Num(o, "concurrency", 8), users = (int)Num(o, "users", 22363), items = (int)Num(o, "items", 12101);
        int seed = (int)Num(o, "seed", 42);
        Console.WriteLine($"# closed loop: {concurrency} workers, each POSTs /v1/events batches back to back; users uniform in 1..{users}, items in 1..{items}, " +
                          $"type view, no time (the server's clock); latency per request from send to the end of the answer; timeout {timeoutS:0.#} s (an error)");
        Console.WriteLine("# zero-loss check: events acknowledged (sum of 'accepted') against the growth of the server's state (/health 'events') over the phase");
        if (warmup > 0)
        {
            Console.WriteLine($"# warmup: {warmup:0.#} s with batch {batches[0]} (not reported)");
            ClosedLoop(http, url, key, batches[0], concurrency, warmup, users, items, seed - 1, timeoutS, pid);
        }
        Console.WriteLine($"{"batch",6} {"requests",8} {"errors",6} {"req/s",8} {"events/s",9} {"p50",8} {"p90",8} {"p99",8} {"max",8} {"acked",9} {"state +",9} {"loss",5} {"gen cpu",7} {"srv cpu",7} {"srv RSS",8}");
        Console.WriteLine($"{"",6} {"ok",8} {"",6} {"",8} {"accepted",9} {"ms",8} {"ms",8} {"ms",8} {"ms",8} {"events",9} {"events",9} {"",5} {"cores",7} {"cores",7} {"MiB",8}");
        var lines = new List<string>();
        foreach (var batch in batches)
        {
            var r = ClosedLoop(http, url, key, batch, concurrency, seconds, users, items, seed + batch, timeoutS, pid);
            var ws = WorkingSet(http, url);
            long growth = r.StateAfter - r.StateBefore;
            // Lost: acknowledged but not in the state. Requests that failed (timeouts) may still have been committed,
            // so the state may grow by more than was acknowledged, never by less.
            string loss = growth == r.Acked ? "none" : growth < r.Acked ? "LOST" : "more";
            Console.WriteLine($"{batch,6} {r.Ok,8} {r.ErrorCount,6} {r.Ok / r.WindowSeconds,8:0.0} {r.Acked / r.WindowSeconds,9:0.0} {Ms(r.Lat.P(0.5)),8} {Ms(r.Lat.P(0.9)),8} {Ms(r.Lat.P(0.99)),8} " +
                              $"{Ms(r.Lat.Max),8} {r.Acked,9} {growth,9} {loss,5} {r.GenCores,7:0.00} {Cores(r.SrvCores),7} {Mib(ws),8}");
            if (r.ErrorCount > 0)
                Console.WriteLine($"       errors: {string.Join(", ", r.Errors.OrderByDescending(e => e.Value).Select(e => $"{e.Key} x{e.Value}"))} ({r.ErrorCount * batch} events unacknowledged)");
            if (loss != "none")
                Console.WriteLine($"       acknowledged {r.Acked} events, the state grew by {growth}: " + (loss == "LOST" ? $"{r.Acked - growth} acknowledged events are missing" : "failed requests were committed after all, or another client sent events"));
            lines.Add(Json(new Dictionary<string, object?>
            {
                ["phase"] = "events", ["batch"] = batch, ["concurrency"] = concurrency, ["seconds"] = seconds,
                ["requests_ok"] = r.Ok, ["errors"] = r.ErrorCount, ["errors_by_kind"] = r.Errors, ["window_s"] = Round(r.WindowSeconds),
                ["requests_per_s"] = Round(r.Ok / r.WindowSeconds), ["events_per_s"] = Round(r.Acked / r.WindowSeconds),
                ["latency_ms"] = r.Lat.Summary(),
                ["events_acknowledged"] = r.Acked, ["state_events_before"] = r.StateBefore, ["state_events_after"] = r.StateAfter,
                ["state_events_growth"] = growth, ["metrics_events_accepted_growth"] = r.CounterAfter - r.CounterBefore, ["loss"] = loss,
                ["generator_cpu_cores"] = Round(r.GenCores), ["server_cpu_cores"] = r.SrvCores is { } c ? Round(c) : null,
                ["server_working_set_bytes"] = ws, ["time"] = DateTimeOffset.UtcNow.ToString("o"),
            }));
        }
        foreach (var l in lines) Console.WriteLine(l);
        return 0;
    }

    private sealed record ClosedLoopResult(long Ok, long Acked, Dictionary<string, long> Errors, double WindowSeconds, Sample Lat,
        long StateBefore, long StateAfter, double? CounterBefore, double? CounterAfter, double GenCores, double? SrvCores)
    {
        public long ErrorCount => Errors.Values.Sum();
    }

    private static ClosedLoopResult ClosedLoop(HttpClient http, Uri url, string key, int batch, int concurrency, double seconds,
        int users, int items, int seed, double timeoutS, int? pid)
    {
        var eventsUri = new Uri(url, "v1/events");
        long stateBefore = HealthEvents(http, url);
        double? counterBefore = Metric(http, url, "shopcast_events_accepted_total");
        var errors = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var perWorker = new List<double>[concurrency];
        long ok = 0, acked = 0;
        var (gen0, srv0) = (Process.GetCurrentProcess().TotalProcessorTime, ServerCpu(pid));
        long start = Stopwatch.GetTimestamp(), deadline = start + (long)(seconds * Stopwatch.Frequency);

        async Task Worker(int w)
        {
            var rng = new Random(seed * 1000 + w);
            var lat = perWorker[w] = new List<double>(4096);
            var sb = new StringBuilder(batch * 48 + 16);
            while (Stopwatch.GetTimestamp() < deadline)
            {
                sb.Clear().Append("{\"events\":[");
                for (int e = 0; e < batch; e++)
                    sb.Append(e == 0 ? "" : ",").Append("{\"user\":\"").Append(rng.Next(1, users + 1)).Append("\",\"item\":\"").Append(rng.Next(1, items + 1)).Append("\",\"type\":\"view\"}");
                sb.Append("]}");
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutS));
                long t0 = Stopwatch.GetTimestamp();
                try
                {
                    using var req = new HttpRequestMessage(HttpMethod.Post, eventsUri) { Content = new StringContent(sb.ToString(), Encoding.UTF8, "application/json") };
                    req.Headers.Add("X-Api-Key", key);
                    using var resp = await http.SendAsync(req, HttpCompletionOption.ResponseHeadersRead, cts.Token).ConfigureAwait(false);
                    var body = await resp.Content.ReadAsByteArrayAsync(cts.Token).ConfigureAwait(false);
                    long t1 = Stopwatch.GetTimestamp();
                    if (!resp.IsSuccessStatusCode) { Count(errors, $"http {(int)resp.StatusCode}"); continue; }
                    int accepted = Accepted(body);
                    if (accepted != batch) Count(errors, $"accepted {accepted} of {batch}");
                    if (accepted > 0) { Interlocked.Add(ref acked, accepted); Interlocked.Increment(ref ok); lat.Add((t1 - t0) / TicksPerMs); }
                }
                catch (Exception e) { Count(errors, Kind(e, cts.IsCancellationRequested)); }
            }
        }

        Task.WaitAll(Enumerable.Range(0, concurrency).Select(w => Task.Run(() => Worker(w))).ToArray());
        double wall = (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency;
        double genCores = (Process.GetCurrentProcess().TotalProcessorTime - gen0).TotalSeconds / wall;
        double? srvCores = srv0 is { } s0 && ServerCpu(pid) is { } s1 ? (s1 - s0) / wall : null;
        // Every acknowledged request is committed and applied before its answer, so the state is final here.
        long stateAfter = HealthEvents(http, url);
        double? counterAfter = Metric(http, url, "shopcast_events_accepted_total");
        return new ClosedLoopResult(ok, acked, new Dictionary<string, long>(errors), wall, new Sample(perWorker.SelectMany(l => l).ToArray()),
            stateBefore, stateAfter, counterBefore, counterAfter, genCores, srvCores);
    }

    private static int Accepted(byte[] body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.TryGetProperty("accepted", out var a) && a.TryGetInt32(out var n) ? n : 0;
        }
        catch (JsonException) { return 0; }
    }

    // ---- the server's side --------------------------------------------------------------------------------

    private static long HealthEvents(HttpClient http, Uri url)
    {
        using var doc = JsonDocument.Parse(http.GetStringAsync(new Uri(url, "health")).GetAwaiter().GetResult());
        return doc.RootElement.GetProperty("events").GetInt64();
    }

    /// <summary>A metric without labels from /metrics (Prometheus text); null when absent.</summary>
    private static double? Metric(HttpClient http, Uri url, string name)
    {
        var text = http.GetStringAsync(new Uri(url, "metrics")).GetAwaiter().GetResult();
        foreach (var line in text.Split('\n'))
            if (line.StartsWith(name + " ", StringComparison.Ordinal)
                && double.TryParse(line.AsSpan(name.Length + 1).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
                return v;
        return null;
    }

    private static long? WorkingSet(HttpClient http, Uri url) =>
        Metric(http, url, "shopcast_process_working_set_bytes") is { } v ? (long)v : null;

    /// <summary>
    /// CPU seconds (user + system, all threads) the server process has used so far, from /proc/PID/stat (fields 14
    /// and 15, in clock ticks of 1/100 s, USER_HZ on Linux); null without --pid or off Linux.
    /// </summary>
    private static double? ServerCpu(int? pid)
    {
        if (pid is null) return null;
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) is in parentheses and may hold spaces: count fields after its ')'.
            var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException) { return null; }
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private static string Kind(Exception e, bool timedOut) => e switch
    {
        OperationCanceledException when timedOut => "timeout",
        HttpRequestException { InnerException: SocketException s } => $"socket {s.SocketErrorCode}",
        HttpRequestException h => $"http error {h.HttpRequestError}",
        _ => e.GetType().Name,
    };

    private static void Count(ConcurrentDictionary<string, long> errors, string kind) => errors.AddOrUpdate(kind, 1, (_, c) => c + 1);

    private static void InterlockedMax(ref long target, long value)
    {
        long seen;
        while ((seen = Interlocked.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }

    private static string Ms(double ms) => double.IsNaN(ms) ? "-" : ms.ToString("0.00", CultureInfo.InvariantCulture);
    private static string Mib(long? bytes) => bytes is { } b ? (b / (1024.0 * 1024.0)).ToString("0", CultureInfo.InvariantCulture) : "-";
    private static string Cores(double? c) => c is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) : "-";
    private static double? Round(double x) => double.IsNaN(x) ? null : Math.Round(x, 3);

    private static readonly JsonSerializerOptions JsonLine = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static string Json(Dictionary<string, object?> d) => JsonSerializer.Serialize(d, JsonLine);

    /// <summary>A sorted sample; quantiles by nearest rank (the smallest value with at least q of the sample at or below it).</summary>
    private sealed class Sample
    {
        private readonly double[] _sorted;
        public Sample(double[] values) { _sorted = values; Array.Sort(_sorted); }
        public int Count => _sorted.Length;
        public double Max => Count == 0 ? double.NaN : _sorted[^1];
        public double P(double q) => Count == 0 ? double.NaN : _sorted[Math.Clamp((int)Math.Ceiling(q * Count) - 1, 0, Count - 1)];
        public Dictionary<string, double?> Summary() => new()
        {
            ["n"] = Count, ["p50"] = Round(P(0.5)), ["p90"] = Round(P(0.9)), ["p99"] = Round(P(0.99)), ["p99_9"] = Round(P(0.999)), ["max"] = Round(Max),
            ["mean"] = Count == 0 ? null : Round(_sorted.Average()),
        };
    }
}
