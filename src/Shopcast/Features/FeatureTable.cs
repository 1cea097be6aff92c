namespace Shopcast.Features;

/// <summary>
/// Labelled examples as a dense float matrix: one row per example, one named column per feature, a label per row
/// (0/1 for classification) and optionally a group per row (examples that must stay on one side of a split, such as
/// the prefixes of one session). Every tabular model reads and predicts from this one type.
/// </summary>
public sealed class FeatureTable
{
    public required IReadOnlyList<string> Columns { get; init; }
    /// <summary>Row-major values, <see cref="Rows"/> x <see cref="Width"/>.</summary>
    public required float[] Values { get; init; }
    public required float[] Labels { get; init; }
    /// <summary>Group id per row, or null when every row is its own group.</summary>
    public int[]? Groups { get; init; }
    /// <summary>Candidate and recent behaviour per row, for models that attend over it (DIN); null for tables without a log.</summary>
    public BehaviourSequences? Behaviour { get; init; }

    public int Rows => Labels.Length;
    public int Width => Columns.Count;

    public ReadOnlySpan<float> Row(int i) => Values.AsSpan(i * Width, Width);

    public float this[int row, int column] => Values[row * Width + column];

    /// <summary>The rows at <paramref name="rows"/>, in that order.</summary>
    public FeatureTable Subset(IReadOnlyList<int> rows)
    {
        var values = new float[rows.Count * Width];
        var labels = new float[rows.Count];
        int[]? groups = Groups is null ? null : new int[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            Row(rows[i]).CopyTo(values.AsSpan(i * Width, Width));
            labels[i] = Labels[rows[i]];
            if (groups is not null) groups[i] = Groups![rows[i]];
        }
        return new FeatureTable { Columns = Columns, Values = values, Labels = labels, Groups = groups, Behaviour = Behaviour?.Subset(rows) };
    }

    /// <summary>True for a one-hot column, named "field=value" (e.g. "Month=Nov"); numeric columns have no '='.</summary>
    public static bool IsOneHot(string column) => column.Contains('=');

    /// <summary>The field a column belongs to: the part before '=' of a one-hot column, else the column itself.</summary>
    public static string FieldOf(string column) => IsOneHot(column) ? column[..column.IndexOf('=')] : column;

    /// <summary>Share of rows with label 1.</summary>
    public double PositiveRate => Rows == 0 ? 0 : Labels.Count(l => l > 0.5f) / (double)Rows;
}
