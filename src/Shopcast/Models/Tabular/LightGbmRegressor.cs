using Microsoft.ML;
using Microsoft.ML.Trainers.LightGbm;
using Shopcast.Features;
using Shopcast.Reporting;
using Shopcast.Tasks.Tabular;

namespace Shopcast.Models.Tabular;

/// <summary>
/// Gradient-boosted regression trees: LightGBM through ML.NET (Microsoft.ML.LightGbm), least squares, early-stopped
/// on the validation rows. The same settings as the classifier <see cref="LightGbm"/>.
/// </summary>
public sealed class LightGbmRegressor : IRegressor
{
    public const string CatalogName = "lgbm";
    public const string ModelFile = "model.zip";

    private readonly int _trees, _leaves, _minLeaf, _earlyStop;
    private readonly double _lr, _l2;
    private readonly MLContext _ml = new(seed: 0);
    private ITransformer? _model;

    public LightGbmRegressor(ModelSettings s)
    {
        _trees = s.Int("trees", 1000);
        _leaves = s.Int("leaves", 31);
        _minLeaf = s.Int("min_leaf", 20);
        _lr = s.Double("lr", 0.05);
        _l2 = s.Double("l2", 1.0);
        _earlyStop = s.Int("early_stop", 50);
        s.RejectUnknown();
        if (_trees < 1 || _leaves < 2 || _minLeaf < 1 || _earlyStop < 0 || _lr <= 0 || _l2 < 0)
            throw new Data.ShopcastInputException("--set lgbm: trees >= 1, leaves >= 2, min_leaf >= 1, early_stop >= 0, lr > 0 and l2 >= 0 are required");
    }

    public string Name => CatalogName;
    public IReadOnlyDictionary<string, object> Params => new Dictionary<string, object>
    {
        ["trees"] = _trees, ["leaves"] = _leaves, ["min_leaf"] = _minLeaf, ["lr"] = _lr, ["l2"] = _l2, ["early_stop"] = _earlyStop,
    };

    public void Fit(FeatureTable train, FeatureTable validation, int seed, ProgressReporter progress)
    {
        var ml = new MLContext(seed);
        var trainer = ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
        {
            NumberOfIterations = _trees,
            NumberOfLeaves = _leaves,
            MinimumExampleCountPerLeaf = _minLeaf,
            LearningRate = _lr,
            EarlyStoppingRound = validation.Rows > 0 ? _earlyStop : 0,
            Seed = seed,
            Verbose = false,
            Silent = true,
            NumberOfThreads = Environment.ProcessorCount,
            Booster = new GradientBooster.Options { L2Regularization = _l2 },
        });
        _model = validation.Rows > 0
            ? trainer.Fit(MlNetTables.ToRegressionDataView(ml, train), MlNetTables.ToRegressionDataView(ml, validation))
            : trainer.Fit(MlNetTables.ToRegressionDataView(ml, train));
    }

    public float[] Predict(FeatureTable rows) =>
        MlNetTables.Scores(_model ?? throw new InvalidOperationException("lgbm is not fitted"), _ml, rows);

    public void Save(string directory)
    {
        if (_model is null) throw new InvalidOperationException("lgbm is not fitted");
        _ml.Model.Save(_model, null, Path.Combine(directory, ModelFile));
    }

    public static LightGbmRegressor Load(string directory, ModelSettings s)
    {
        var m = new LightGbmRegressor(s);
        m._model = MlNetModelFile.Load(m._ml, directory, ModelFile);
        return m;
    }
}
