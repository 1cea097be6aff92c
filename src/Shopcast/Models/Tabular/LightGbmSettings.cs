using Shopcast.Data;
using Shopcast.Features;

namespace Shopcast.Models.Tabular;

/// <summary>
/// The <c>--set lgbm.*</c> settings both LightGBM models take (the classifier and the regressor), read and checked
/// in one place; each model passes its own defaults.
/// </summary>
internal sealed record LightGbmSettings(int Trees, int Leaves, int MinLeaf, double Lr, double L2, int EarlyStop)
{
    public static LightGbmSettings Read(ModelSettings s, int leaves, double lr)
    {
        var r = new LightGbmSettings(s.Int("trees", 1000), s.Int("leaves", leaves), s.Int("min_leaf", 20),
            s.Double("lr", lr), s.Double("l2", 1.0), s.Int("early_stop", 50));
        s.RejectUnknown();
        if (r.Trees < 1 || r.Leaves < 2 || r.MinLeaf < 1 || r.EarlyStop < 0 || r.Lr <= 0 || r.L2 < 0)
            throw new ShopcastInputException("--set lgbm: trees >= 1, leaves >= 2, min_leaf >= 1, early_stop >= 0, lr > 0 and l2 >= 0 are required");
        return r;
    }

    /// <summary>
    /// Boosts up to <see cref="Trees"/> rounds on <paramref name="train"/>, early-stopped on the first metric of
    /// <paramref name="parameters"/> over <paramref name="validation"/> (lower is better) and cut back to the best
    /// round; the model returned is read back from its own text, as Python's lightgbm does, so the training state is
    /// freed with the datasets and what is predicted is exactly what model.txt holds.
    /// </summary>
    public LightGbmNative.Booster Train(FeatureTable train, FeatureTable validation, string parameters)
    {
        using var trainSet = LightGbmNative.Dataset.FromMatrix(train.Values, train.Rows, train.Width, train.Labels, parameters, reference: null);
        trainSet.SetFeatureNames(train.Columns);
        using var validSet = validation.Rows > 0
            ? LightGbmNative.Dataset.FromMatrix(validation.Values, validation.Rows, validation.Width, validation.Labels, parameters, reference: trainSet)
            : null;
        using var booster = LightGbmNative.Booster.Create(trainSet, parameters);
        bool early = validSet is not null && EarlyStop > 0;
        if (validSet is not null) booster.AddValidation(validSet);
        int best = 0;
        double bestLoss = double.PositiveInfinity;
        for (int round = 1; round <= Trees; round++)
        {
            if (!booster.UpdateOneIter()) break; // nothing left to split
            if (!early) continue;
            double loss = booster.Eval(1)[0];
            if (loss < bestLoss) { bestLoss = loss; best = round; }
            else if (round - best >= EarlyStop) break;
        }
        // Keep the best round only, so predictions, SHAP values and the saved model.txt all agree on it.
        if (early) for (int extra = booster.CurrentIteration - Math.Max(best, 1); extra > 0; extra--) booster.RollbackOneIter();
        return LightGbmNative.Booster.FromModelString(booster.SaveModelToString());
    }

    public IReadOnlyDictionary<string, object> Params => new Dictionary<string, object>
    {
        ["trees"] = Trees, ["leaves"] = Leaves, ["min_leaf"] = MinLeaf, ["lr"] = Lr, ["l2"] = L2, ["early_stop"] = EarlyStop,
    };
}
