using System.Globalization;
using Shopcast.Data;
using Shopcast.Features;
using Shopcast.Reporting;
using Shopcast.Tasks.Tabular;

namespace Shopcast.Models.Tabular;

/// <summary>
/// Gradient-boosted trees: LightGBM through its own C API (<see cref="LightGbmNative"/>), early-stopped on the
/// validation rows' log loss and cut back to the best round. Unweighted, so its probabilities stay calibrated; class
/// imbalance is handled by choosing the decision threshold on validation. Feature importance is LightGBM's split
/// gain; per-row SHAP contributions are LightGBM's own (TreeSHAP), turned into log-odds. The bundle is LightGBM's
/// text model, so Python's lightgbm reads it too.
/// </summary>
public sealed class LightGbm : IBinaryClassifier, IHasFeatureImportance, IExplainsPredictions, IDisposable
{
    public const string CatalogName = "lgbm";
    public const string ModelFile = "model.txt";

    private readonly LightGbmSettings _s;
    private LightGbmNative.Booster? _booster;

    /// <summary>ML.NET's LightGBM defaults, kept so that results match the lgbm trained through ML.NET before: LightGBM's
    /// binary objective with p = 1 / (1 + exp(-sigmoid * raw score)), and at least this much hessian per leaf. With a
    /// sigmoid of 0.5 the raw score is twice the log-odds, so the contributions are scaled by it.</summary>
    private const double TrainingSigmoid = 0.5, MinLeafHessian = 0.1;
    private double _sigmoid = TrainingSigmoid;

    public LightGbm(ModelSettings s) => _s = LightGbmSettings.Read(s, leaves: 15, lr: 0.03);

    public string Name => CatalogName;
    public IReadOnlyDictionary<string, object> Params => _s.Params;

    /// <summary>LightGBM's parameter string. deterministic with a forced histogram layout makes the same seed give the
    /// same trees on any thread count.</summary>
    private string Parameters(int seed) => string.Create(CultureInfo.InvariantCulture,
        $"objective=binary sigmoid={TrainingSigmoid} metric=binary_logloss num_leaves={_s.Leaves} min_data_in_leaf={_s.MinLeaf} " +
        $"min_sum_hessian_in_leaf={MinLeafHessian} learning_rate={_s.Lr} lambda_l2={_s.L2} " +
        $"seed={seed} deterministic=true force_col_wise=true num_threads={Environment.ProcessorCount} verbosity=-1");

    public void Fit(FeatureTable train, FeatureTable validation, int seed, ProgressReporter progress)
    {
        var kept = _s.Train(train, validation, Parameters(seed));
        _booster?.Dispose();
        _booster = kept;
        _sigmoid = TrainingSigmoid;
    }

    private LightGbmNative.Booster Fitted => _booster ?? throw new InvalidOperationException("lgbm is not fitted");

    public float[] Predict(FeatureTable rows)
    {
        var p = Fitted.Predict(rows.Values, rows.Rows, CheckWidth(rows), LightGbmNative.PredictNormal);
        return Array.ConvertAll(p, v => (float)v);
    }

    /// <summary>LightGBM's TreeSHAP values in log-odds: one column per feature, then the expected value (bias); each
    /// row sums to the logit of <see cref="Predict"/>.</summary>
    public float[,] Contributions(FeatureTable rows)
    {
        int width = CheckWidth(rows);
        var flat = Fitted.Predict(rows.Values, rows.Rows, width, LightGbmNative.PredictContrib);
        var result = new float[rows.Rows, width + 1];
        for (int r = 0; r < rows.Rows; r++)
            for (int c = 0; c <= width; c++) result[r, c] = (float)(_sigmoid * flat[(long)r * (width + 1) + c]);
        return result;
    }

    /// <summary>The log-odds of each row in double precision (the raw score times the sigmoid), for tests of the contributions.</summary>
    internal double[] LogOdds(FeatureTable rows) =>
        Array.ConvertAll(Fitted.Predict(rows.Values, rows.Rows, CheckWidth(rows), LightGbmNative.PredictRawScore), raw => _sigmoid * raw);

    private int CheckWidth(FeatureTable rows)
    {
        int expected = Fitted.FeatureCount;
        if (rows.Width != expected) throw new ShopcastInputException($"lgbm was trained on {expected} feature columns, and these rows have {rows.Width}");
        return rows.Width;
    }

    /// <summary>Total split gain per feature, scaled as ML.NET scaled it before: sqrt(gain / largest gain), so the top feature is 1.</summary>
    public float[] FeatureImportance()
    {
        var gain = Fitted.FeatureImportance(LightGbmNative.ImportanceGain);
        double max = gain.Length == 0 ? 0 : gain.Max();
        return Array.ConvertAll(gain, g => max > 0 ? (float)Math.Sqrt(g / max) : 0f);
    }

    public void Save(string directory) => Fitted.SaveModel(Path.Combine(directory, ModelFile));

    public static LightGbm Load(string directory, IReadOnlyList<string> columns, ModelSettings s)
    {
        var m = new LightGbm(s);
        var path = Path.Combine(directory, ModelFile);
        if (!File.Exists(path)) throw new ShopcastInputException($"model bundle '{directory}': {ModelFile} is missing");
        try { m._booster = LightGbmNative.Booster.FromModelFile(path); }
        catch (LightGbmException e)
        {
            throw new ShopcastInputException($"model bundle '{directory}': {ModelFile} is not a readable LightGBM model ({e.Message.Split('\n')[0]})");
        }
        try
        {
            int n = m._booster.FeatureCount;
            if (n != columns.Count) throw new ShopcastInputException($"model bundle '{directory}': {ModelFile} has {n} features but columns.txt lists {columns.Count}");
            m._sigmoid = BinarySigmoid(path) ?? throw new ShopcastInputException($"model bundle '{directory}': {ModelFile} is not a binary classifier (its objective line is not 'objective=binary ...')");
        }
        catch
        {
            m.Dispose();
            throw;
        }
        return m;
    }

    /// <summary>The sigmoid of the model file's "objective=binary sigmoid:0.5" line (LightGBM's default 1 when it names
    /// none), or null when the objective is not binary. The line sits in the header, before the first tree.</summary>
    private static double? BinarySigmoid(string path)
    {
        var objective = File.ReadLines(path).TakeWhile(l => !l.StartsWith("Tree=", StringComparison.Ordinal))
            .FirstOrDefault(l => l.StartsWith("objective=", StringComparison.Ordinal))?["objective=".Length..].Split(' ');
        if (objective is null || objective[0] != "binary") return null;
        var sigmoid = objective.FirstOrDefault(t => t.StartsWith("sigmoid:", StringComparison.Ordinal));
        return sigmoid is null ? 1.0 : double.Parse(sigmoid["sigmoid:".Length..], CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        _booster?.Dispose();
        _booster = null;
    }
}
