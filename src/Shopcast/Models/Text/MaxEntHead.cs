using Microsoft.ML;
using Microsoft.ML.Data;
using Shopcast.Models.Tabular;

namespace Shopcast.Models.Text;

/// <summary>
/// Multinomial logistic regression (ML.NET's L-BFGS maximum-entropy trainer, L2-regularised) over fixed-width feature
/// vectors, sparse or dense, with a weight per example: the linear model's classifier over n-grams and the minilm
/// model's head over sentence embeddings. Probabilities come out in class-index order.
/// </summary>
internal sealed class MaxEntHead
{
    public const string ModelFile = "model.zip";

    private sealed class Row
    {
        public VBuffer<float> Features { get; set; }
        public uint Label { get; set; }   // the class index: LoadFromEnumerable takes key values 0-based (checked: 1-based silently drops class 0)
        public float Weight { get; set; } = 1;
    }

    private readonly MLContext _ml = new(seed: 0);
    private readonly int _width, _classes;
    private ITransformer? _model;

    public MaxEntHead(int width, int classes) { _width = width; _classes = classes; }

    private SchemaDefinition Schema()
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, _width);
        schema[nameof(Row.Label)].ColumnType = new KeyDataViewType(typeof(uint), _classes);
        return schema;
    }

    private IDataView View(MLContext ml, IEnumerable<VBuffer<float>> features, IReadOnlyList<int>? labels, IReadOnlyList<float>? weights) =>
        ml.Data.LoadFromEnumerable(features.Select((f, i) => new Row
        {
            Features = f, Label = labels is null ? 0u : (uint)labels[i], Weight = weights?[i] ?? 1f,
        }), Schema());

    public void Fit(IReadOnlyList<VBuffer<float>> features, IReadOnlyList<int> labels, IReadOnlyList<float> weights, float l2, int seed)
    {
        var ml = new MLContext(seed);
        var trainer = ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new Microsoft.ML.Trainers.LbfgsMaximumEntropyMulticlassTrainer.Options
        {
            LabelColumnName = nameof(Row.Label), FeatureColumnName = nameof(Row.Features), ExampleWeightColumnName = nameof(Row.Weight),
            L2Regularization = l2, L1Regularization = 0, OptimizationTolerance = 1e-6f, MaximumNumberOfIterations = 300,
        });
        _model = trainer.Fit(View(ml, features, labels, weights));
    }

    /// <summary>[row][class] probabilities.</summary>
    public float[][] Predict(IEnumerable<VBuffer<float>> features)
    {
        var model = _model ?? throw new InvalidOperationException("the classifier is not fitted");
        var scores = model.Transform(View(_ml, features, null, null)).GetColumn<float[]>("Score");
        return scores.Select(s => s.ToArray()).ToArray();
    }

    public void Save(string directory, string modelName) => MlNetModelFile.Save(_ml, _model, modelName, directory, ModelFile);

    public void Load(string directory) => _model = MlNetModelFile.Load(_ml, directory, ModelFile);
}
