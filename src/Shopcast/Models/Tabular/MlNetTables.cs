using Microsoft.ML;
using Microsoft.ML.Data;
using Shopcast.Features;

namespace Shopcast.Models.Tabular;

/// <summary>Feature tables as ML.NET data views (a Label column and a fixed-width Features vector), and back.</summary>
internal static class MlNetTables
{
    private sealed class Row<TLabel>
    {
        public TLabel Label { get; set; } = default!;
        public float[] Features { get; set; } = Array.Empty<float>();
    }

    /// <summary>A classification view: label 1 as true.</summary>
    public static IDataView ToDataView(MLContext ml, FeatureTable t) => Load(ml, t, l => l > 0.5f);

    /// <summary>A regression view: the table's labels as a float Label column.</summary>
    public static IDataView ToRegressionDataView(MLContext ml, FeatureTable t) => Load(ml, t, l => l);

    private static IDataView Load<TLabel>(MLContext ml, FeatureTable t, Func<float, TLabel> label)
    {
        var schema = SchemaDefinition.Create(typeof(Row<TLabel>));
        schema[nameof(Row<TLabel>.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, t.Width);
        var rows = Enumerable.Range(0, t.Rows).Select(i => new Row<TLabel> { Label = label(t.Labels[i]), Features = t.Row(i).ToArray() });
        return ml.Data.LoadFromEnumerable(rows.ToList(), schema);
    }

    /// <summary>A regression model's "Score" column, in row order.</summary>
    public static float[] Scores(ITransformer model, MLContext ml, FeatureTable t) =>
        model.Transform(ToRegressionDataView(ml, t)).GetColumn<float>("Score").ToArray();

    /// <summary>The calibrated "Probability" column of a binary classifier's output, in row order.</summary>
    public static float[] Probabilities(ITransformer model, MLContext ml, FeatureTable t) =>
        model.Transform(ToDataView(ml, t)).GetColumn<float>("Probability").ToArray();
}
