namespace Shopcast.Evaluation;

/// <summary>
/// Metrics of single-label classification over C classes from per-class probabilities: the predicted class is the
/// most probable one (the lower index on a tie). Accuracy; per class precision, recall and F1 (0 when undefined, as
/// scikit-learn's zero_division=0); MacroF1 = the unweighted mean of the per-class F1 over the classes that occur among
/// the true or the predicted classes (as scikit-learn's default labels), so a class absent from both does not count
/// as an F1 of 0; LogLoss with probabilities
/// clipped to [1e-7, 1]; the confusion matrix counts [true class, predicted class].
/// </summary>
public static class MulticlassMetrics
{
    public static int ArgMax(float[] p)
    {
        int best = 0;
        for (int c = 1; c < p.Length; c++) if (p[c] > p[best]) best = c;
        return best;
    }

    public static long[,] Confusion(IReadOnlyList<int> labels, IReadOnlyList<float[]> p, int classes)
    {
        var m = new long[classes, classes];
        for (int i = 0; i < labels.Count; i++) m[labels[i], ArgMax(p[i])]++;
        return m;
    }

    /// <summary>Per class (precision, recall, F1, support) from a confusion matrix.</summary>
    public static (double Precision, double Recall, double F1, long Support)[] PerClass(long[,] confusion)
    {
        int n = confusion.GetLength(0);
        var result = new (double, double, double, long)[n];
        for (int c = 0; c < n; c++)
        {
            long tp = confusion[c, c], predicted = 0, actual = 0;
            for (int k = 0; k < n; k++) { predicted += confusion[k, c]; actual += confusion[c, k]; }
            double precision = predicted == 0 ? 0 : tp / (double)predicted, recall = actual == 0 ? 0 : tp / (double)actual;
            result[c] = (precision, recall, precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall), actual);
        }
        return result;
    }

    public static double MacroF1(IReadOnlyList<int> labels, IReadOnlyList<float[]> p, int classes) => MacroF1(Confusion(labels, p, classes));

    private static double MacroF1(long[,] confusion)
    {
        var per = PerClass(confusion);
        int n = per.Length;
        var present = Enumerable.Range(0, n).Where(c => per[c].Support > 0 || Enumerable.Range(0, n).Any(t => confusion[t, c] > 0)).ToList();
        return present.Count == 0 ? double.NaN : present.Average(c => per[c].F1);
    }

    /// <summary>Accuracy, MacroF1, LogLoss and per-class Precision/Recall/F1 named "Recall(neutral)" etc.</summary>
    public static SortedDictionary<string, double> Compute(IReadOnlyList<int> labels, IReadOnlyList<float[]> p, IReadOnlyList<string> classNames)
    {
        var confusion = Confusion(labels, p, classNames.Count);
        var per = PerClass(confusion);
        long correct = 0;
        for (int c = 0; c < classNames.Count; c++) correct += confusion[c, c];
        double logLoss = 0;
        for (int i = 0; i < labels.Count; i++) logLoss -= Math.Log(Math.Clamp(p[i][labels[i]], 1e-7, 1));
        var m = new SortedDictionary<string, double>
        {
            ["Accuracy"] = labels.Count == 0 ? double.NaN : correct / (double)labels.Count,
            ["MacroF1"] = MacroF1(confusion),
            ["LogLoss"] = labels.Count == 0 ? double.NaN : logLoss / labels.Count,
        };
        for (int c = 0; c < classNames.Count; c++)
        {
            m[$"Precision({classNames[c]})"] = per[c].Precision;
            m[$"Recall({classNames[c]})"] = per[c].Recall;
            m[$"F1({classNames[c]})"] = per[c].F1;
        }
        return m;
    }
}
