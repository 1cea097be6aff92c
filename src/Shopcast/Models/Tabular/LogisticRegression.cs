using Microsoft.ML;
using Shopcast.Features;
using Shopcast.Reporting;
using Shopcast.Tasks.Tabular;

namespace Shopcast.Models.Tabular;

/// <summary>
/// L2-regularised logistic regression (ML.NET's L-BFGS trainer) on standardised features: the linear baseline every
/// other classifier must beat. Its probabilities are calibrated by construction (it minimises the log loss).
/// </summary>
public sealed class LogisticRegression : IBinaryClassifier
{
    public const string CatalogName = "lr";
    public const string ModelFile = "model.zip";

    private readonly float _l2;
    private readonly MLContext _ml = new(seed: 0);
    private ITransformer? _model;

    public LogisticRegression(ModelSettings s)
    {
        _l2 = (float)s.Double("l2", 1.0);
        s.RejectUnknown();
        if (_l2 < 0) throw new Data.ShopcastInputException("--set lr.l2 must be 0 or more");
    }

    public string Name => CatalogName;
    public IReadOnlyDictionary<string, object> Params => new Dictionary<string, object> { ["l2"] = _l2 };

    public void Fit(FeatureTable train, FeatureTable validation, int seed, ProgressReporter progress)
    {
        var ml = new MLContext(seed);
        var pipeline = ml.Transforms.NormalizeMeanVariance("Features")
            .Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(l2Regularization: _l2));
        _model = pipeline.Fit(MlNetTables.ToDataView(ml, train));
    }

    public float[] Predict(FeatureTable rows) =>
        MlNetTables.Probabilities(_model ?? throw new InvalidOperationException("lr is not fitted"), _ml, rows);

    public void Save(string directory) => MlNetModelFile.Save(_ml, _model, Name, directory, ModelFile);

    public static LogisticRegression Load(string directory, ModelSettings s)
    {
        var m = new LogisticRegression(s);
        m._model = MlNetModelFile.Load(m._ml, directory, ModelFile);
        return m;
    }
}
