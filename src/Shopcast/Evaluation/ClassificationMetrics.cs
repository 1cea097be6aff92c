namespace Shopcast.Evaluation;

/// <summary>
/// Metrics of predicted probabilities against 0/1 labels. AUC counts tied scores as half (the Mann-Whitney statistic);
/// PR-AUC is average precision (precision at each positive, averaged, ties taken as one step, as scikit-learn's
/// average_precision_score); LogLoss clips probabilities to [1e-7, 1 - 1e-7]; ECE is the expected calibration error
/// over 10 equal-width bins.
/// </summary>
public static class ClassificationMetrics
{
    public static SortedDictionary<string, double> Compute(IReadOnlyList<float> labels, IReadOnlyList<float> probabilities, double threshold)
    {
        var m = new SortedDictionary<string, double>
        {
            ["AUC"] = Auc(labels, probabilities),
            ["PR-AUC"] = AveragePrecision(labels, probabilities),
            ["LogLoss"] = LogLoss(labels, probabilities),
            ["Brier"] = Brier(labels, probabilities),
            ["ECE"] = CalibrationError(labels, probabilities, 10),
            ["Threshold"] = threshold,
        };
        var (acc, p, r, f1) = AtThreshold(labels, probabilities, threshold);
        m["Accuracy"] = acc; m["Precision"] = p; m["Recall"] = r; m["F1"] = f1;
        var (acc05, _, _, f105) = AtThreshold(labels, probabilities, 0.5);
        m["Accuracy@0.5"] = acc05; m["F1@0.5"] = f105;
        return m;
    }

    public static double Auc(IReadOnlyList<float> labels, IReadOnlyList<float> scores)
    {
        var order = Enumerable.Range(0, labels.Count).OrderBy(i => scores[i]).ToArray();
        double rankSumPositives = 0;
        long positives = 0;
        for (int i = 0; i < order.Length;)
        {
            int j = i + 1; // (i + 1, not i: a NaN never equals itself, and the loop must still advance)
            while (j < order.Length && scores[order[j]] == scores[order[i]]) j++;
            double midRank = (i + 1 + j) / 2.0; // ranks i+1..j share their mean
            for (int k = i; k < j; k++)
                if (labels[order[k]] > 0.5f) { rankSumPositives += midRank; positives++; }
            i = j;
        }
        long negatives = labels.Count - positives;
        if (positives == 0 || negatives == 0) return double.NaN;
        return (rankSumPositives - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    public static double AveragePrecision(IReadOnlyList<float> labels, IReadOnlyList<float> scores)
    {
        var order = Enumerable.Range(0, labels.Count).OrderByDescending(i => scores[i]).ToArray();
        long positives = labels.Count(l => l > 0.5f);
        if (positives == 0) return double.NaN;
        double ap = 0, lastRecall = 0;
        long tp = 0, seen = 0;
        for (int i = 0; i < order.Length;)
        {
            int j = i + 1; // (i + 1, not i: a NaN never equals itself, and the loop must still advance)
            while (j < order.Length && scores[order[j]] == scores[order[i]]) j++;
            for (int k = i; k < j; k++) if (labels[order[k]] > 0.5f) tp++;
            seen += j - i;
            double recall = tp / (double)positives, precision = tp / (double)seen;
            ap += (recall - lastRecall) * precision;
            lastRecall = recall;
            i = j;
        }
        return ap;
    }

    public static double LogLoss(IReadOnlyList<float> labels, IReadOnlyList<float> p)
    {
        double sum = 0;
        for (int i = 0; i < labels.Count; i++)
        {
            double q = Math.Clamp(p[i], 1e-7, 1 - 1e-7);
            sum -= labels[i] > 0.5f ? Math.Log(q) : Math.Log(1 - q);
        }
        return sum / labels.Count;
    }

    public static double Brier(IReadOnlyList<float> labels, IReadOnlyList<float> p)
    {
        double sum = 0;
        for (int i = 0; i < labels.Count; i++) sum += (p[i] - labels[i]) * (p[i] - labels[i]);
        return sum / labels.Count;
    }

    /// <summary>Mean |observed rate - mean prediction| over equal-width probability bins, weighted by the bin's share.</summary>
    public static double CalibrationError(IReadOnlyList<float> labels, IReadOnlyList<float> p, int bins)
    {
        var (count, meanP, rate) = Reliability(labels, p, bins);
        double e = 0;
        for (int b = 0; b < bins; b++) if (count[b] > 0) e += count[b] / (double)labels.Count * Math.Abs(rate[b] - meanP[b]);
        return e;
    }

    /// <summary>Per equal-width bin: examples, mean predicted probability and observed positive rate (the reliability diagram).</summary>
    public static (long[] Count, double[] MeanPredicted, double[] Observed) Reliability(IReadOnlyList<float> labels, IReadOnlyList<float> p, int bins)
    {
        var count = new long[bins]; var sumP = new double[bins]; var sumY = new double[bins];
        for (int i = 0; i < labels.Count; i++)
        {
            int b = Math.Clamp((int)(p[i] * bins), 0, bins - 1);
            count[b]++; sumP[b] += p[i]; sumY[b] += labels[i];
        }
        var meanP = new double[bins]; var rate = new double[bins];
        for (int b = 0; b < bins; b++) if (count[b] > 0) { meanP[b] = sumP[b] / count[b]; rate[b] = sumY[b] / count[b]; }
        return (count, meanP, rate);
    }

    /// <summary>Accuracy, precision, recall and F1 of the positive class when predicting 1 for probability >= threshold.</summary>
    public static (double Accuracy, double Precision, double Recall, double F1) AtThreshold(IReadOnlyList<float> labels, IReadOnlyList<float> p, double threshold)
    {
        long tp = 0, fp = 0, fn = 0, tn = 0;
        for (int i = 0; i < labels.Count; i++)
        {
            bool pred = p[i] >= threshold, pos = labels[i] > 0.5f;
            if (pred && pos) tp++; else if (pred) fp++; else if (pos) fn++; else tn++;
        }
        double precision = tp + fp == 0 ? 0 : tp / (double)(tp + fp);
        double recall = tp + fn == 0 ? 0 : tp / (double)(tp + fn);
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return ((tp + tn) / (double)labels.Count, precision, recall, f1);
    }

    /// <summary>The threshold that maximises F1 on these (validation) predictions: one of the predicted values.</summary>
    public static double BestF1Threshold(IReadOnlyList<float> labels, IReadOnlyList<float> p)
    {
        var order = Enumerable.Range(0, labels.Count).OrderByDescending(i => p[i]).ToArray();
        long positives = labels.Count(l => l > 0.5f);
        if (positives == 0) return 0.5;
        double best = -1, threshold = 0.5;
        long tp = 0, predicted = 0;
        for (int i = 0; i < order.Length;)
        {
            int j = i + 1;
            while (j < order.Length && p[order[j]] == p[order[i]]) j++;
            for (int k = i; k < j; k++) if (labels[order[k]] > 0.5f) tp++;
            predicted += j - i;
            double f1 = 2.0 * tp / (predicted + positives);
            if (f1 > best) { best = f1; threshold = p[order[i]]; }
            i = j;
        }
        return threshold;
    }
}
