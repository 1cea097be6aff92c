using Shopcast.Reporting;

namespace Shopcast.Tasks.Sentiment;

/// <summary>
/// The sentiment task's model contract: fit on labelled texts (raw: each model normalises and tokenises in its own way),
/// then give each text a probability per class. Baselines, TorchSharp networks and the pretrained encoder alike;
/// networks also implement <see cref="Training.IHasTrainingHistory"/>.
/// </summary>
public interface ISentimentModel : IDisposable
{
    string Name { get; }
    IReadOnlyDictionary<string, object> Params { get; }

    /// <summary>Fits on <paramref name="train"/>; <paramref name="validation"/> is for early stopping only.
    /// <paramref name="classWeights"/> weigh each class's examples in the loss (imbalance).</summary>
    void Fit(SentimentExamples train, SentimentExamples validation, float[] classWeights, int seed, ProgressReporter progress);

    /// <summary>[text][class] probabilities, classes in the order the model was fitted with.</summary>
    float[][] Predict(IReadOnlyList<string> texts);

    /// <summary>Writes the model's own files into a bundle folder (the job writes manifest.json).</summary>
    void Save(string directory);
}
