using Shopcast.Evaluation;

namespace Shopcast.Tests.Tabular;

/// <summary>Classification metrics against values worked out by hand (and checked against scikit-learn's definitions).</summary>
public class ClassificationMetricsTests
{
    [Fact]
    public void Auc_counts_ties_as_half()
    {
        // Pairs (pos, neg): (0.8,0.1) win, (0.8,0.4) win, (0.4,0.1) win, (0.4,0.4) tie -> 3.5 / 4.
        float[] y = { 1, 1, 0, 0 }, p = { 0.8f, 0.4f, 0.4f, 0.1f };
        Assert.Equal(0.875, ClassificationMetrics.Auc(y, p), 9);
        Assert.Equal(1.0, ClassificationMetrics.Auc(new float[] { 0, 1 }, new[] { 0.1f, 0.9f }), 9);
        Assert.True(double.IsNaN(ClassificationMetrics.Auc(new float[] { 1, 1 }, new[] { 0.1f, 0.9f })));
    }

    [Fact]
    public void Average_precision_matches_the_step_definition()
    {
        // Ranked: 0.9 (pos), 0.8 (neg), 0.7 (pos): precision at the positives 1 and 2/3 -> AP = (1 + 2/3) / 2.
        float[] y = { 1, 0, 1 }, p = { 0.9f, 0.8f, 0.7f };
        Assert.Equal((1 + 2.0 / 3) / 2, ClassificationMetrics.AveragePrecision(y, p), 9);
    }

    [Fact]
    public void Log_loss_brier_and_threshold_metrics()
    {
        float[] y = { 1, 0 }, p = { 0.8f, 0.3f };
        Assert.Equal(-(Math.Log(0.8) + Math.Log(0.7)) / 2, ClassificationMetrics.LogLoss(y, p), 6);
        Assert.Equal((0.04 + 0.09) / 2, ClassificationMetrics.Brier(y, p), 6);
        var (acc, precision, recall, f1) = ClassificationMetrics.AtThreshold(y, p, 0.25);
        Assert.Equal((0.5, 0.5, 1.0), (acc, precision, recall));
        Assert.Equal(2 * 0.5 / 1.5, f1, 9);
    }

    [Fact]
    public void Calibration_error_is_zero_for_calibrated_bins_and_large_for_overconfident_ones()
    {
        // Bin [0.2,0.3): 10 rows predicted 0.25, a quarter... use 8 rows with 2 positives: observed 0.25.
        var y = new float[] { 1, 1, 0, 0, 0, 0, 0, 0 };
        var calibrated = Enumerable.Repeat(0.25f, 8).ToArray();
        Assert.Equal(0, ClassificationMetrics.CalibrationError(y, calibrated, 10), 6);
        var overconfident = Enumerable.Repeat(0.95f, 8).ToArray();
        Assert.Equal(0.70, ClassificationMetrics.CalibrationError(y, overconfident, 10), 6);
    }

    [Fact]
    public void Best_f1_threshold_is_chosen_from_the_given_predictions()
    {
        float[] y = { 1, 1, 0, 0, 1 }, p = { 0.9f, 0.6f, 0.55f, 0.2f, 0.1f };
        // Thresholds: 0.9 -> F1 0.5; 0.6 -> 0.8; 0.55 -> 0.667; 0.2 -> 0.571; 0.1 -> 0.75.
        Assert.Equal(0.6f, (float)ClassificationMetrics.BestF1Threshold(y, p));
    }
}
