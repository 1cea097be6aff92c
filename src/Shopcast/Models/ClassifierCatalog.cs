using Shopcast.Data;
using Shopcast.Models.Tabular;
using Shopcast.Tasks.Tabular;

namespace Shopcast.Models;

/// <summary>Every yes/no classifier by its <c>--models</c> name (purchase intent and the other tabular tasks).</summary>
public static class ClassifierCatalog
{
    public sealed record Entry(string Name, string Description,
        Func<ModelSettings, IBinaryClassifier> Create,
        Func<string, int, ModelSettings, IBinaryClassifier> Load);

    private static readonly Entry[] Entries =
    {
        new(LogisticRegression.CatalogName, "logistic regression (ML.NET L-BFGS, L2) on standardised features",
            s => new LogisticRegression(s), (dir, width, s) => LogisticRegression.Load(dir, s)),
        new(LightGbm.CatalogName, "LightGBM gradient-boosted trees (ML.NET), early-stopped on validation",
            s => new LightGbm(s), (dir, width, s) => LightGbm.Load(dir, s)),
        new(Mlp.CatalogName, "multilayer perceptron (TorchSharp): batch norm, dropout, Adam, early stopping",
            s => new Mlp(s), (dir, width, s) => Mlp.Load(dir, width, s)),
    };

    public static IReadOnlyList<Entry> All => Entries;

    public static Entry Find(string name) =>
        Entries.FirstOrDefault(e => e.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new ShopcastInputException(
            $"unknown model '{name}' for a classification task; classifiers are: {string.Join(", ", Entries.Select(e => e.Name))}");
}
