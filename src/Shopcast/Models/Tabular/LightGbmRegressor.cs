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

    private readonly LightGbmSettings _s;
    private readonly MLContext _ml = new(seed: 0);
    private ITransformer? _model;

    public LightGbmRegressor(ModelSettings s) => _s = LightGbmSettings.Read(s, leaves: 31, lr: 0.05);

    public string Name => CatalogName;
    public IReadOnlyDictionary<string, object> Params => _s.Params;

    public void Fit(FeatureTable train, FeatureTable validation, int seed, ProgressReporter progress)
    {
        var ml = new MLContext(seed);
        var trainer = ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
        {
            NumberOfIterations = _s.Trees,
            NumberOfLeaves = _s.Leaves,
            MinimumExampleCountPerLeaf = _s.MinLeaf,
            LearningRate = _s.Lr,
            EarlyStoppingRound = validation.Rows > 0 ? _s.EarlyStop : 0,
            Seed = seed,
            Verbose = false,
            Silent = true,
            NumberOfThreads = Environment.ProcessorCount,
            Booster = new GradientBooster.Options { L2Regularization = _s.L2 },
        });
        _model = validation.Rows > 0
            ? trainer.Fit(MlNetTables.ToRegressionDataView(ml, train), MlNetTables.ToRegressionDataView(ml, validation))
            : trainer.Fit(MlNetTables.ToRegressionDataView(ml, train));
    }

    public float[] Predict(FeatureTable rows) =>
        MlNetTables.Scores(_model ?? throw new InvalidOperationException("lgbm is not fitted"), _ml, rows);

    public void Save(string directory) => MlNetModelFile.Save(_ml, _model, Name, directory, ModelFile);

    public static LightGbmRegressor Load(string directory, ModelSettings s)
    {
        var m = new LightGbmRegressor(s);
        m._model = MlNetModelFile.Load(m._ml, directory, ModelFile);
        return m;
    }
}
