using System.Diagnostics;
using System.Globalization;
using Shopcast.Data;
using Shopcast.Evaluation;
using Shopcast.Models;
using Shopcast.Models.Sequential;
using Shopcast.Reporting;
using Shopcast.Splits;
using Shopcast.Tasks.NextItem;
using Shopcast.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Shopcast.Bench;

/// <summary>
/// Benchmarks that need more than `shopcast run` prints: quality over training time (test NDCG@10 after every epoch,
/// recorded for the curve only: the model is still chosen on validation) and the speed of a training step against
/// this machine's dense matrix-multiply rate; and load on a running server (<see cref="ServeLoad"/>).
/// </summary>
internal static class BenchMain
{
    private static readonly string Data = Environment.GetEnvironmentVariable("SHOPCAST_DATA") ?? FindData();

    public static int Run(string[] args)
    {
        if (args.Length == 0)
        {
            Console.WriteLine("usage: Shopcast.Bench curve <model> <dataset: beauty|sports|games> [sampled=N] [key=value ...]\n       Shopcast.Bench speed [key=value ...]" +
                              "\n       Shopcast.Bench serve-load recs|events --url URL [--name value ...] (load on a running `shopcast serve`)");
            return 2;
        }
        // Its options are --name value, not key=value.
        if (args[0] == "serve-load") return ServeLoad.Run(args[1..]);
        var settings = args.Skip(args[0] == "curve" ? 3 : 1).Select(a => a.Split('=', 2)).ToDictionary(a => a[0], a => a[1]);
        return args[0] switch
        {
            "curve" => Curve(args[1], args[2], settings),
            "speed" => Speed(settings),
            _ => 2,
        };
    }

    private static string FindData()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Shopcast.sln"))) dir = dir.Parent;
        var p = Path.GetFullPath(Path.Combine(dir?.FullName ?? ".", "..", "shared", "data"));
        return Directory.Exists(p) ? p : "/work/shared/data";
    }

    private static (SequenceDataset data, NextItemSplit split, ItemAttributes? attrs) Load(string dataset)
    {
        var file = dataset switch
        {
            "beauty" => "amazon-beauty-sports-s3rec/Beauty.txt",
            "sports" => "amazon-beauty-sports-s3rec/Sports_and_Outdoors.txt",
            "games" => "amazon-games-sasrec/Video.txt",
            _ => throw new ArgumentException($"unknown dataset {dataset}"),
        };
        var path = Path.Combine(Data, file);
        using var store = EventStore.Open(":memory:");
        Ingestor.Ingest(path, store, new IngestOptions());
        var data = SequenceDataset.Load(store);
        var attrPath = ItemAttributes.FindBeside(path);
        return (data, LeaveOneOutSplit.Split(data), attrPath is null ? null : ItemAttributes.Load(attrPath, data.Items));
    }

    /// <summary>
    /// Trains one model, printing per epoch: seconds so far, loss, validation and test NDCG@10. <c>sampled=N</c> ranks
    /// each target against N sampled negatives (validation and test alike) instead of the whole catalogue.
    /// </summary>
    private static int Curve(string model, string dataset, Dictionary<string, string> settings)
    {
        var (data, split, attrs) = Load(dataset);
        int sampled = settings.Remove("sampled", out var n) ? int.Parse(n, CultureInfo.InvariantCulture) : 0;
        var protocol = new RankingProtocol { SampledNegatives = sampled };
        var m = ModelCatalog.Find(model).Create(new ModelSettings(model, settings));
        double? timeToTarget = null;
        double trainingSeconds = 0;
        var secondsAt = new Dictionary<int, double>();
        // Published SASRec NDCG@10 on each file: Beauty and Sports from the S3-Rec repo (full ranking), Games from the
        // SASRec paper (100 sampled negatives).
        double target = (dataset, sampled) switch { ("beauty", 0) => 0.0318, ("sports", 0) => 0.0192, ("games", 100) => 0.5360, _ => double.NaN };
        Console.WriteLine($"# {model} on {dataset} ({(sampled > 0 ? $"{sampled} sampled negatives" : "full ranking")}): {string.Join(" ", settings.Select(kv => $"{kv.Key}={kv.Value}"))}");
        Console.WriteLine("epoch\tseconds\tloss\tvalid_NDCG@10\ttest_NDCG@10\ttest_HR@10");
        var sw = Stopwatch.StartNew();
        m.Fit(new NextItemTrainingData
        {
            ItemCount = data.Items.Count, Sequences = split.Train, Validation = split.Validation, Seed = 42,
            ValidationProtocol = protocol, ItemAttributes = attrs?.ByItem,
            OnEpoch = (fitted, epoch, seconds) =>
            {
                var h = ((IHasTrainingHistory)fitted).History[^1];
                var t = RankingEvaluator.Evaluate(fitted, split.Test, protocol).Metrics;
                trainingSeconds = seconds;
                secondsAt[epoch] = seconds;
                if (timeToTarget is null && t["NDCG@10"] >= target) timeToTarget = seconds;
                Console.WriteLine(string.Join('\t', epoch, seconds.ToString("0.0", CultureInfo.InvariantCulture),
                    h.Loss.ToString("0.0000", CultureInfo.InvariantCulture), h.Valid?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "",
                    t["NDCG@10"].ToString("0.0000", CultureInfo.InvariantCulture), t["HR@10"].ToString("0.0000", CultureInfo.InvariantCulture)));
            },
        }, ProgressReporter.Quiet);
        var fitSeconds = sw.Elapsed.TotalSeconds;
        var final = RankingEvaluator.Evaluate(m, split.Test, protocol).Metrics;
        var hist = (IHasTrainingHistory)m;
        Console.WriteLine($"# best epoch (by validation) {hist.BestEpoch}: test NDCG@10 {final["NDCG@10"]:0.0000} HR@10 {final["HR@10"]:0.0000} " +
                          $"NDCG@20 {final["NDCG@20"]:0.0000} HR@20 {final["HR@20"]:0.0000}, reached after {secondsAt.GetValueOrDefault(hist.BestEpoch):0} s of training");
        Console.WriteLine($"# training time incl. validation {trainingSeconds:0} s (wall time with the per-epoch test evaluations {fitSeconds:0} s); " +
                          (double.IsNaN(target) ? "no published SASRec figure for this protocol" : $"time to test NDCG@10 >= {target} (published SASRec): {(timeToTarget is { } s ? $"{s:0} s" : "not reached")}") + $"; peak RSS {ProcessMemory.PeakRssMiB():0} MiB");
        return 0;
    }

    /// <summary>Examples/s, s/epoch and achieved FLOP/s of a SASRec training step, beside this machine's matmul rate.</summary>
    private static int Speed(Dictionary<string, string> settings)
    {
        TorchRuntime.Start(42);
        double matmul = MatmulRate();
        Console.WriteLine($"dense float32 1024x1024 matmul through libtorch, {torch.get_num_threads()} threads: {matmul / 1e9:0.0} GFLOP/s");
        var (data, split, _) = Load("beauty");
        settings.TryAdd("epochs", "2");
        var s = SequentialSettings.Read(new ModelSettings("sasrec", settings), SasRec.Defaults);
        var m = new SasRec(new ModelSettings("sasrec", settings));
        m.Fit(new NextItemTrainingData { ItemCount = data.Items.Count, Sequences = split.Train, Seed = 42 }, ProgressReporter.Quiet);
        var last = ((IHasTrainingHistory)m).History[^1];
        // FLOPs of one epoch, counted from the shapes: every training position passes the embedding table lookup,
        // L layers of QKV/projection/feed-forward matmuls and attention over the batch's length, and the output
        // layer (full softmax: all N items; sampled: the target plus the shared negatives). Backward ~ 2x forward.
        long positions = split.Train.Where(t => t.Length >= 2).Sum(t => (long)Math.Min(t.Length - 1, s.MaxLen));
        double meanLen = split.Train.Where(t => t.Length >= 2).Average(t => Math.Min(t.Length - 1, s.MaxLen));
        double d = s.Hidden, perLayer = 2 * d * 3 * d + 2 * d * d + 2 * 2 * d * s.Inner + 2 * 2 * meanLen * d;
        double output = 2 * d * (s.Loss == "ce" ? data.Items.Count : s.Negatives + 1);
        double flops = 3 * positions * (s.Layers * perLayer + output);
        Console.WriteLine($"sasrec ({string.Join(" ", settings.Select(kv => $"{kv.Key}={kv.Value}"))}; loss {s.Loss}, negatives {s.Negatives}, hidden {s.Hidden}, layers {s.Layers}):");
        Console.WriteLine($"  {positions:N0} training positions per epoch (mean length {meanLen:0.0}); epoch {last.Seconds:0.0} s; {positions / last.Seconds:N0} positions/s; {last.ExamplesPerSecond:N0} examples/s");
        Console.WriteLine($"  ~{flops / 1e9:0} GFLOP per epoch -> {flops / last.Seconds / 1e9:0.0} GFLOP/s achieved = {flops / last.Seconds / matmul:P0} of the matmul rate");
        Console.WriteLine($"  peak RSS {ProcessMemory.PeakRssMiB():0} MiB");
        return 0;
    }

    private static double MatmulRate()
    {
        using var a = randn(1024, 1024); using var b = randn(1024, 1024);
        for (int i = 0; i < 5; i++) a.matmul(b).Dispose();
        var times = new List<double>();
        for (int i = 0; i < 30; i++) { var sw = Stopwatch.StartNew(); a.matmul(b).Dispose(); times.Add(sw.Elapsed.TotalSeconds); }
        times.Sort();
        return 2.0 * 1024 * 1024 * 1024 / times[times.Count / 2];
    }
}
