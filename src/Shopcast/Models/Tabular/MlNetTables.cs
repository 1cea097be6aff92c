using Microsoft.ML;
using Microsoft.ML.Data;
using Shopcast.Features;

namespace Shopcast.Models.Tabular;

/// <summary>Feature tables as ML.NET data views (a Label column and a fixed-width Features vector), and back.</summary>
internal static class MlNetTables
{
    private sealed class Row
    {
        public bool Label { get; set; }
        public float[] Features { get; set; } = Array.Empty<float>();
    }

    public static IDataView ToDataView(MLContext ml, FeatureTable t)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, t.Width);
        var rows = Enumerable.Range(0, t.Rows).Select(i => new Row { Label = t.Labels[i] > 0.5f, Features = t.Row(i).ToArray() });
        return ml.Data.LoadFromEnumerable(rows.ToList(), schema);
    }

    private sealed class RegressionRow
    {
        public float Label { get; set; }
        public float[] Features { get; set; } = Array.Empty<float>();
    }

    /// <summary>A regression view: the table's labels as a float Label column.</summary>
    public static IDataView ToRegressionDataView(MLContext ml, FeatureTable t)
    {
        var schema = SchemaDefinition.Create(typeof(RegressionRow));
        schema[nameof(RegressionRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, t.Width);
        var rows = Enumerable.Range(0, t.Rows).Select(i => new RegressionRow { Label = t.Labels[i], Features = t.Row(i).ToArray() });
        return ml.Data.LoadFromEnumerable(rows.ToList(), schema);
    }

    /// <summary>A regression model's "Score" column, in row order.</summary>
    public static float[] Scores(ITransformer model, MLContext ml, FeatureTable t) =>
        model.Transform(ToRegressionDataView(ml, t)).GetColumn<float>("Score").ToArray();

    /// <summary>The calibrated "Probability" column of a binary classifier's output, in row order.</summary>
    public static float[] Probabilities(ITransformer model, MLContext ml, FeatureTable t) =>
        model.Transform(ToDataView(ml, t)).GetColumn<float>("Probability").ToArray();
}
