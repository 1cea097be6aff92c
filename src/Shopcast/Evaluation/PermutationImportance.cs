using Shopcast.Features;
using Shopcast.Tasks.Tabular;

namespace Shopcast.Evaluation;

/// <summary>
/// Permutation importance for any classifier: how much test AUC drops when one field's values are shuffled across the
/// rows (breaking its link to the label, keeping its distribution). A one-hot group ("Month=...") is one field and is
/// shuffled as a block; behaviour sequences (DIN's input) are left in place. At most <c>maxRows</c> rows (a seeded sample) are used, so the cost stays bounded.
/// </summary>
public static class PermutationImportance
{
    public static List<(string Field, double AucDrop)> Compute(IBinaryClassifier model, FeatureTable test, int seed, int maxRows = 20_000)
    {
        var rng = new Random(seed);
        var rows = Enumerable.Range(0, test.Rows).ToArray();
        if (rows.Length > maxRows) rows = rows.OrderBy(_ => rng.Next()).Take(maxRows).Order().ToArray();
        var sample = rows.Length == test.Rows ? test : test.Subset(rows);
        double baseAuc = ClassificationMetrics.Auc(sample.Labels, model.Predict(sample));
        var fields = Enumerable.Range(0, sample.Width)
            .GroupBy(j => FeatureTable.FieldOf(sample.Columns[j]))
            .ToList();
        var result = new List<(string, double)>();
        var values = (float[])sample.Values.Clone();
        var permuted = new FeatureTable { Columns = sample.Columns, Values = values, Labels = sample.Labels, Groups = sample.Groups, Behaviour = sample.Behaviour };
        foreach (var field in fields)
        {
            var order = Enumerable.Range(0, sample.Rows).ToArray();
            Training.SeededShuffle.Shuffle(order, rng);
            foreach (var j in field) for (int r = 0; r < sample.Rows; r++) values[r * sample.Width + j] = sample[order[r], j];
            double auc = ClassificationMetrics.Auc(sample.Labels, model.Predict(permuted));
            result.Add((field.Key, baseAuc - auc));
            foreach (var j in field) for (int r = 0; r < sample.Rows; r++) values[r * sample.Width + j] = sample[r, j];
        }
        return result.OrderByDescending(x => x.Item2).ToList();
    }
}
