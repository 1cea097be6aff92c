using Shopcast.Data;
using Shopcast.Models.Tabular;
using Shopcast.Tasks.Tabular;

namespace Shopcast.Models;

/// <summary>Every yes/no classifier by its <c>--models</c> name (purchase intent and the other tabular tasks).</summary>
public static class ClassifierCatalog
{
    public sealed record Entry(string Name, string Description,
        Func<ModelSettings, IBinaryClassifier> Create,
        Func<string, IReadOnlyList<string>, ModelSettings, IBinaryClassifier> Load);

    private static readonly Entry[] Entries =
    {
        new(LogisticRegression.CatalogName, "logistic regression (ML.NET L-BFGS, L2) on standardised features",
            s => new LogisticRegression(s), (dir, columns, s) => LogisticRegression.Load(dir, s)),
        new(LightGbm.CatalogName, "LightGBM gradient-boosted trees (its C API), early-stopped on validation; SHAP values per prediction",
            s => new LightGbm(s), (dir, columns, s) => LightGbm.Load(dir, columns, s)),
        new(Mlp.CatalogName, "multilayer perceptron (TorchSharp): batch norm, dropout, Adam, early stopping",
            s => new Mlp(s), (dir, columns, s) => Mlp.Load(dir, columns, s)),
        new(DeepFm.CatalogName, "DeepFM (TorchSharp): factorisation machine over field embeddings plus a deep network",
            s => new DeepFm(s), (dir, columns, s) => DeepFm.Load(dir, columns, s)),
        new(DcnV2.CatalogName, "DCN-V2 (TorchSharp): full-rank cross network beside a deep network",
            s => new DcnV2(s), (dir, columns, s) => DcnV2.Load(dir, columns, s)),
        new(Din.CatalogName, "DIN (TorchSharp): the candidate attends over the shopper's recent events (event logs only)",
            s => new Din(s), (dir, columns, s) => Din.Load(dir, columns, s)),
    };

    public static IReadOnlyList<Entry> All => Entries;

    public static Entry Find(string name) =>
        Entries.FirstOrDefault(e => e.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new ShopcastInputException(
            $"unknown model '{name}' for a classification task; classifiers are: {string.Join(", ", Entries.Select(e => e.Name))}");
}
