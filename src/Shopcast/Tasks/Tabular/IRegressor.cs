using Shopcast.Features;
using Shopcast.Reporting;

namespace Shopcast.Tasks.Tabular;

/// <summary>
/// The one contract of every model that predicts a number from a <see cref="FeatureTable"/> (dwell seconds, session
/// length). The job decides the scale it learns on (log(1 + y) for durations and counts) and converts back; a model
/// only fits the table's labels. The same seed and data give the same predictions.
/// </summary>
public interface IRegressor
{
    /// <summary>Catalogue name, as used with <c>--models</c> (e.g. "linear", "lgbm").</summary>
    string Name { get; }
    IReadOnlyDictionary<string, object> Params { get; }

    void Fit(FeatureTable train, FeatureTable validation, int seed, ProgressReporter progress);

    /// <summary>The predicted label of each row of <paramref name="rows"/>, whose columns must be the training table's.</summary>
    float[] Predict(FeatureTable rows);

    /// <summary>Writes the model's own files into a bundle folder (the caller writes manifest.json and columns).</summary>
    void Save(string directory);
}
