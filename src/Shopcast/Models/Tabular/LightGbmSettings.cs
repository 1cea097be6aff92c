using Shopcast.Data;

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

    public IReadOnlyDictionary<string, object> Params => new Dictionary<string, object>
    {
        ["trees"] = Trees, ["leaves"] = Leaves, ["min_leaf"] = MinLeaf, ["lr"] = Lr, ["l2"] = L2, ["early_stop"] = EarlyStop,
    };
}
