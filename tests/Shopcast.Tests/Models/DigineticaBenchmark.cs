using System.Diagnostics;
using System.Globalization;
using Shopcast.Evaluation;
using Shopcast.Models;
using Shopcast.Reporting;
using Shopcast.Splits;
using Shopcast.Tasks.NextItem;
using Xunit.Abstractions;

namespace Shopcast.Tests.Models;

/// <summary>
/// Runs only when SHOPCAST_BENCH=1 (it takes minutes) and the Diginetica files are present: the measurements and the
/// sknn tuning behind bench/diginetica/README.md. Tuning uses a validation set carved from the training sessions only
/// (the last 10% of train_sessions.txt, in file order = time order); the shipped test file is never looked at.
/// Results go to the test output and, when SHOPCAST_BENCH_OUT names a file, are appended to it.
/// </summary>
public sealed class DigineticaBenchmark
{
    public const string Train = "diginetica-gcegnn/train_sessions.txt";
    public const string Test = "diginetica-gcegnn/test_prefix_target.tsv";
    private readonly ITestOutputHelper _out;

    public DigineticaBenchmark(ITestOutputHelper output) => _out = output;

    private void Log(string line)
    {
        _out.WriteLine(line);
        var path = Environment.GetEnvironmentVariable("SHOPCAST_BENCH_OUT");
        if (!string.IsNullOrEmpty(path)) File.AppendAllText(path, line + Environment.NewLine);
    }

    /// <summary>Settings for one model from SHOPCAST_BENCH_SET_&lt;MODEL&gt; ("k=100,sample_size=500"), else defaults.</summary>
    private static Dictionary<string, string> EnvSettings(string model) => Parse(Environment.GetEnvironmentVariable($"SHOPCAST_BENCH_SET_{model.ToUpperInvariant()}"));

    private static Dictionary<string, string> Parse(string? s) =>
        string.IsNullOrWhiteSpace(s) ? new() : s.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(a => a.Split('=', 2)).ToDictionary(a => a[0].Trim(), a => a[1].Trim());

    [BenchFact(Test)]
    public void TestSplit_AllModels()
    {
        var sw = Stopwatch.StartNew();
        var data = SessionFiles.Load(RealData.Path(Train));
        var split = GivenTestSplit.Load(RealData.Path(Test), data);
        Log($"# given test split: {split.Train.Count:N0} train sessions, {data.Items.Count:N0} items, {split.Test.Count:N0} test cases, " +
            $"skipped [{string.Join("; ", split.Skipped.Select(k => $"{k.Key}: {k.Value}"))}], load {sw.Elapsed.TotalSeconds:F1} s");
        var models = (Environment.GetEnvironmentVariable("SHOPCAST_BENCH_MODELS") ?? "pop,itemknn,sknn").Split(',');
        var protocol = new RankingProtocol { ExcludeSeen = false, SessionMetrics = true };
        foreach (var name in models)
            Log(Measure(name, EnvSettings(name), split.Train, data.Items.Count, split.Test, protocol, "test"));
    }

    [BenchFact(Train)]
    public void Tune_SessionKnn_OnTrainValidation()
    {
        var data = SessionFiles.Load(RealData.Path(Train));
        var (train, valid) = CarveValidation(data.Sequences.Select(s => s.Items).ToList(), data.Items.Count, 0.1);
        Log($"# validation carved from train: first {train.Count:N0} sessions train, {valid.Count:N0} cases from the last 10%");
        var protocol = new RankingProtocol { ExcludeSeen = false, SessionMetrics = true };
        var grid = Environment.GetEnvironmentVariable("SHOPCAST_TUNE_GRID");
        var configs = string.IsNullOrWhiteSpace(grid) ? new[] { "" } : grid.Split('|');
        foreach (var name in (Environment.GetEnvironmentVariable("SHOPCAST_BENCH_MODELS") ?? "sknn").Split(','))
            foreach (var cfg in configs)
                Log(Measure(name, Parse(cfg), train, data.Items.Count, valid, protocol, "valid"));
    }

    /// <summary>
    /// The last <paramref name="fraction"/> of the sessions become validation cases (every prefix -> next item, as the
    /// benchmark's test file was built); as in the benchmark's preprocessing, targets unseen in the remaining training
    /// sessions are dropped and unseen prefix items are removed.
    /// </summary>
    internal static (List<int[]> Train, List<RankingCase> Valid) CarveValidation(List<int[]> sessions, int itemCount, double fraction)
    {
        int nTrain = sessions.Count - (int)Math.Round(sessions.Count * fraction);
        var train = sessions.Take(nTrain).ToList();
        var known = new bool[itemCount];
        foreach (var s in train) foreach (var i in s) known[i] = true;
        var valid = new List<RankingCase>();
        for (int s = nTrain; s < sessions.Count; s++)
        {
            var kept = sessions[s].Where(i => known[i]).ToArray();
            for (int p = 1; p < kept.Length; p++) valid.Add(new RankingCase(new ArraySegment<int>(kept, 0, p), kept[p], s));
        }
        return (train, valid);
    }

    private static string Measure(string name, Dictionary<string, string> settings, IReadOnlyList<int[]> train, int items,
        IReadOnlyList<RankingCase> cases, RankingProtocol protocol, string on)
    {
        var model = ModelCatalog.Find(name).Create(new ModelSettings(name, settings));
        var sw = Stopwatch.StartNew();
        model.Fit(new NextItemTrainingData { ItemCount = items, Sequences = train }, ProgressReporter.Quiet);
        double fit = sw.Elapsed.TotalSeconds;
        var r = RankingEvaluator.Evaluate(model, cases, protocol);
        var m = r.Metrics;
        string F(string k) => m[k].ToString("F4", CultureInfo.InvariantCulture);
        var ps = string.Join(",", model.Params.OrderBy(k => k.Key).Select(k => $"{k.Key}={Convert.ToString(k.Value, CultureInfo.InvariantCulture)}"));
        return $"{on}\t{name}\tP@20={F("P@20")}\tMRR@20={F("MRR@20")}\tHR@10={F("HR@10")}\tNDCG@10={F("NDCG@10")}\t" +
               $"fit={fit:F1}s\teval={r.Seconds:F1}s\tcases={r.Cases}\t{ps}";
    }
}

/// <summary>A fact that runs only with SHOPCAST_BENCH=1 and the real data file present.</summary>
public sealed class BenchFactAttribute : FactAttribute
{
    public BenchFactAttribute(string relativePath)
    {
        if (Environment.GetEnvironmentVariable("SHOPCAST_BENCH") != "1")
            Skip = "benchmark (minutes): set SHOPCAST_BENCH=1 to run it";
        else if (!RealData.Has(relativePath))
            Skip = $"real data file missing: {RealData.Path(relativePath)}";
    }
}
