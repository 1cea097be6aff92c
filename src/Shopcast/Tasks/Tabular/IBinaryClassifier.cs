using Shopcast.Features;
using Shopcast.Reporting;

namespace Shopcast.Tasks.Tabular;

/// <summary>
/// The one contract of every model that predicts a yes/no outcome from a <see cref="FeatureTable"/>: purchase intent
/// of a session, next-day conversion of a user-item pair, a bounce. Fit on training rows, with validation rows for
/// early stopping; predict a calibrated probability of the positive class per row; save to a bundle folder.
/// The same seed and data give the same predictions.
/// </summary>
public interface IBinaryClassifier
{
    /// <summary>Catalogue name, as used with <c>--models</c> (e.g. "lr", "lgbm", "mlp").</summary>
    string Name { get; }
    IReadOnlyDictionary<string, object> Params { get; }

    void Fit(FeatureTable train, FeatureTable validation, int seed, ProgressReporter progress);

    /// <summary>P(label = 1) for each row of <paramref name="rows"/>, whose columns must be the training table's.</summary>
    float[] Predict(FeatureTable rows);

    /// <summary>Writes the model's own files into a bundle folder (the caller writes manifest.json and columns).</summary>
    void Save(string directory);
}

/// <summary>Models that can say which features mattered (LightGBM's split gain), for the report's importance chart.</summary>
public interface IHasFeatureImportance
{
    /// <summary>One non-negative weight per column of the training table.</summary>
    float[] FeatureImportance();
}

/// <summary>
/// Models that can say why one prediction came out as it did: additive per-feature contributions (SHAP values for
/// LightGBM), for explanations.jsonl and the report.
/// </summary>
public interface IExplainsPredictions
{
    /// <summary>One row per row of <paramref name="rows"/>, one column per feature plus a last column for the expected
    /// value (bias), in log-odds: each row sums to the logit of the model's probability for it.</summary>
    float[,] Contributions(FeatureTable rows);
}
