using Shopcast.Data;
using Shopcast.Models.Baselines;
using Shopcast.Models.Sequential;
using Shopcast.Tasks.NextItem;

namespace Shopcast.Models;

/// <summary>Every next-item model by its <c>--models</c> name: how to make a fresh one and how to load a saved one.</summary>
public static class ModelCatalog
{
    public sealed record Entry(string Name, string Description,
        Func<ModelSettings, INextItemModel> Create,
        Func<string, int, ModelSettings, INextItemModel> Load);

    private static readonly Entry[] Entries =
    {
        new(Popularity.CatalogName, "most popular items in the training data",
            s => new Popularity(s), (dir, n, s) => Popularity.Load(dir, n)),
        new(Repeat.CatalogName, "the shopper's own history, recency-weighted counts, then popular items (next category, repeat buys)",
            s => new Repeat(s), (dir, n, s) => Repeat.Load(dir, n, s)),
        new(ItemKnn.CatalogName, "item-item cosine on co-occurrence, recency-weighted history",
            s => new ItemKnn(s), (dir, n, s) => ItemKnn.Load(dir, n, s)),
        new(SessionKnn.CatalogName, "session-based kNN (SKNN / V-SKNN): neighbour sessions of the current session prefix",
            s => new SessionKnn(s), (dir, n, s) => SessionKnn.Load(dir, n, s)),
        new(SasRec.CatalogName, "SASRec: causal self-attention over the history (TorchSharp), optional item attributes",
            s => new SasRec(s), (dir, n, s) => SasRec.Load(dir, n, s)),
        new(Gru4Rec.CatalogName, "GRU4Rec: a GRU over the history (TorchSharp)",
            s => new Gru4Rec(s), (dir, n, s) => Gru4Rec.Load(dir, n, s)),
        new(Bert4Rec.CatalogName, "BERT4Rec: bidirectional Transformer trained on masked items (TorchSharp)",
            s => new Bert4Rec(s), (dir, n, s) => Bert4Rec.Load(dir, n, s)),
    };

    public static IReadOnlyList<Entry> NextItem => Entries;

    public static Entry Find(string name) =>
        Entries.FirstOrDefault(e => e.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new ShopcastInputException(
            ClassifierCatalog.All.Any(e => e.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase))
                ? $"model '{name}' predicts yes/no outcomes, not the next item or category: use it with --task purchase-intent, conversion or bounce"
                : $"unknown model '{name}'; next-item models are: {string.Join(", ", Entries.Select(e => e.Name))}");
}
