using Microsoft.ML;
using Shopcast.Features;
using Shopcast.Reporting;
using Shopcast.Tasks.Tabular;

namespace Shopcast.Models.Tabular;

/// <summary>
/// L2-regularised least squares (ML.NET's SDCA regression) on standardised features: the linear baseline of the
/// browsing regressions, beside the median.
/// </summary>
public sealed class LinearRegressor : IRegressor
{
    public const string CatalogName = "linear";
    public const string ModelFile = "model.zip";

    private readonly float _l2;
    private readonly MLContext _ml = new(seed: 0);
    private ITransformer? _model;

    public LinearRegressor(ModelSettings s)
    {
        _l2 = (float)s.Double("l2", 0.01);
        s.RejectUnknown();
        if (_l2 < 0) throw new Data.ShopcastInputException("--set linear.l2 must be 0 or more");
    }

    public string Name => CatalogName;
    public IReadOnlyDictionary<string, object> Params => new Dictionary<string, object> { ["l2"] = _l2 };

    public void Fit(FeatureTable train, FeatureTable validation, int seed, ProgressReporter progress)
    {
        var ml = new MLContext(seed);
        var pipeline = ml.Transforms.NormalizeMeanVariance("Features")
            .Append(ml.Regression.Trainers.Sdca(l2Regularization: _l2, maximumNumberOfIterations: 50));
        _model = pipeline.Fit(MlNetTables.ToRegressionDataView(ml, train));
    }

    public float[] Predict(FeatureTable rows) =>
        MlNetTables.Scores(_model ?? throw new InvalidOperationException("linear is not fitted"), _ml, rows);

    public void Save(string directory) => MlNetModelFile.Save(_ml, _model, Name, directory, ModelFile);

    public static LinearRegressor Load(string directory, ModelSettings s)
    {
        var m = new LinearRegressor(s);
        m._model = MlNetModelFile.Load(m._ml, directory, ModelFile);
        return m;
    }
}
