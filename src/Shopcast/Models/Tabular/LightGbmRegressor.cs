using System.Globalization;
using Shopcast.Data;
using Shopcast.Features;
using Shopcast.Reporting;
using Shopcast.Tasks.Tabular;

namespace Shopcast.Models.Tabular;

/// <summary>
/// Gradient-boosted regression trees through LightGBM's C API (the same boosting loop as the classifier
/// <see cref="LightGbm"/>), early-stopped on the validation rows. The objective is absolute error by default
/// (<c>objective=l1</c>): its best prediction is the conditional median, the counterpart of the median baseline the
/// browsing tasks are judged against by MAE; <c>objective=l2</c> fits the conditional mean instead (for RMSE).
/// The bundle is LightGBM's text model.
/// </summary>
public sealed class LightGbmRegressor : IRegressor, IDisposable
{
    public const string CatalogName = "lgbm";
    public const string ModelFile = "model.txt";

    private readonly LightGbmSettings _s;
    private readonly string _objective;
    private LightGbmNative.Booster? _booster;

    public LightGbmRegressor(ModelSettings s)
    {
        _objective = s.String("objective", "l1");
        if (_objective is not ("l1" or "l2"))
            throw new ShopcastInputException($"--set lgbm.objective={_objective}: the regressor's objective is l1 (absolute error, the median) or l2 (squared error, the mean)");
        _s = LightGbmSettings.Read(s, leaves: 31, lr: 0.05);
    }

    public string Name => CatalogName;
    public IReadOnlyDictionary<string, object> Params => new Dictionary<string, object>(_s.Params) { ["objective"] = _objective };

    private string Parameters(int seed) => string.Create(CultureInfo.InvariantCulture,
        $"objective={(_objective == "l1" ? "regression_l1" : "regression")} metric={_objective} num_leaves={_s.Leaves} min_data_in_leaf={_s.MinLeaf} " +
        $"learning_rate={_s.Lr} lambda_l2={_s.L2} " +
        $"seed={seed} deterministic=true force_col_wise=true num_threads={Environment.ProcessorCount} verbosity=-1");

    public void Fit(FeatureTable train, FeatureTable validation, int seed, ProgressReporter progress)
    {
        var kept = _s.Train(train, validation, Parameters(seed));
        _booster?.Dispose();
        _booster = kept;
    }

    private LightGbmNative.Booster Fitted => _booster ?? throw new InvalidOperationException("lgbm is not fitted");

    public float[] Predict(FeatureTable rows)
    {
        if (rows.Width != Fitted.FeatureCount) throw new ShopcastInputException($"lgbm was trained on {Fitted.FeatureCount} feature columns, and these rows have {rows.Width}");
        return Array.ConvertAll(Fitted.Predict(rows.Values, rows.Rows, rows.Width, LightGbmNative.PredictNormal), v => (float)v);
    }

    public void Save(string directory) => Fitted.SaveModel(Path.Combine(directory, ModelFile));

    public static LightGbmRegressor Load(string directory, ModelSettings s)
    {
        var m = new LightGbmRegressor(s);
        var path = Path.Combine(directory, ModelFile);
        if (!File.Exists(path)) throw new ShopcastInputException($"model bundle '{directory}': {ModelFile} is missing");
        try { m._booster = LightGbmNative.Booster.FromModelFile(path); }
        catch (LightGbmException e)
        {
            throw new ShopcastInputException($"model bundle '{directory}': {ModelFile} is not a readable LightGBM model ({e.Message.Split('\n')[0]})");
        }
        return m;
    }

    public void Dispose()
    {
        _booster?.Dispose();
        _booster = null;
    }
}
