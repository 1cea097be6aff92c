using Shopcast.Evaluation;

namespace Shopcast.Tests.Evaluation;

public class MulticlassMetricsTests
{
    private static float[] OneHot(int c, int n) { var p = new float[n]; p[c] = 1; return p; }

    [Fact]
    public void Matches_hand_counted_precision_recall_and_macro_f1()
    {
        // true:      0 0 0 1 1 2
        // predicted: 0 0 1 1 2 2  -> class 0: P 1, R 2/3; class 1: P 1/2, R 1/2; class 2: P 1/2, R 1
        int[] y = { 0, 0, 0, 1, 1, 2 };
        var p = new[] { 0, 0, 1, 1, 2, 2 }.Select(c => OneHot(c, 3)).ToArray();
        var m = MulticlassMetrics.Compute(y, p, new[] { "negative", "neutral", "positive" });
        Assert.Equal(4 / 6.0, m["Accuracy"], 10);
        Assert.Equal(2 / 3.0, m["Recall(negative)"], 10);
        Assert.Equal(0.5, m["Precision(neutral)"], 10);
        double f0 = 2 * 1 * (2 / 3.0) / (1 + 2 / 3.0), f1 = 0.5, f2 = 2 * 0.5 * 1 / 1.5;
        Assert.Equal((f0 + f1 + f2) / 3, m["MacroF1"], 10);
        Assert.Equal(new long[,] { { 2, 1, 0 }, { 0, 1, 1 }, { 0, 0, 1 } }, MulticlassMetrics.Confusion(y, p, 3));
    }

    [Fact]
    public void A_class_neither_true_nor_predicted_does_not_count_in_macro_f1()
    {
        int[] y = { 0, 0, 2, 2 };
        var p = new[] { 0, 0, 2, 2 }.Select(c => OneHot(c, 3)).ToArray();
        Assert.Equal(1.0, MulticlassMetrics.MacroF1(y, p, 3), 10); // scikit-learn: labels = those in y_true or y_pred
    }

    [Fact]
    public void Ties_go_to_the_lower_class_index()
    {
        Assert.Equal(0, MulticlassMetrics.ArgMax(new[] { 0.5f, 0.5f }));
    }
}
