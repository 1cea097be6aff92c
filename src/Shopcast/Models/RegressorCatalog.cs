using Shopcast.Data;
using Shopcast.Models.Tabular;
using Shopcast.Tasks.Tabular;

namespace Shopcast.Models;

/// <summary>Every regressor by its <c>--models</c> name (the browsing tasks: dwell time, session length).</summary>
public static class RegressorCatalog
{
    public sealed record Entry(string Name, string Description,
        Func<ModelSettings, IRegressor> Create,
        Func<string, ModelSettings, IRegressor> Load);

    private static readonly Entry[] Entries =
    {
        new(LinearRegressor.CatalogName, "least squares (ML.NET SDCA, L2) on standardised features",
            s => new LinearRegressor(s), LinearRegressor.Load),
        new(LightGbmRegressor.CatalogName, "LightGBM regression trees (its C API), absolute error (the median) by default, early-stopped on validation",
            s => new LightGbmRegressor(s), LightGbmRegressor.Load),
    };

    public static IReadOnlyList<Entry> All => Entries;

    public static Entry Find(string name) =>
        Entries.FirstOrDefault(e => e.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new ShopcastInputException(
            $"unknown model '{name}' for --task dwell; regressors are: {string.Join(", ", Entries.Select(e => e.Name))}");
}
