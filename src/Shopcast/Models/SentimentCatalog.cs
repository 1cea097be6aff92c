using Shopcast.Data;
using Shopcast.Models.Text;
using Shopcast.Tasks.Sentiment;

namespace Shopcast.Models;

/// <summary>Every review-sentiment model by its <c>--models</c> name.</summary>
public static class SentimentCatalog
{
    /// <param name="EnglishOnly">The model's pretrained vocabulary is English: refused on Chinese reviews.</param>
    public sealed record Entry(string Name, string Description, bool EnglishOnly,
        Func<ModelSettings, ISentimentModel> Create,
        Func<string, ModelSettings, int, ISentimentModel> Load);

    public static readonly string[] DefaultModels = { LinearText.CatalogName, TextCnn.CatalogName };

    private static readonly Entry[] Entries =
    {
        new(LinearText.CatalogName, "multinomial logistic regression (ML.NET L-BFGS) on TF-IDF token n-grams (Han characters, words), 1-3 by default; NB-weighted on two-class data",
            false, s => new LinearText(s), (dir, s, c) => LinearText.Load(dir, s, c)),
        new(TextCnn.CatalogName, "TextCNN (TorchSharp): convolutions of widths 2-5 over token embeddings, max over time",
            false, s => new TextCnn(s), (dir, s, c) => TextCnn.Load(dir, s, c)),
        new(BiLstmAttention.CatalogName, "bidirectional LSTM with additive attention pooling (TorchSharp)",
            false, s => new BiLstmAttention(s), (dir, s, c) => BiLstmAttention.Load(dir, s, c)),
        new(TextTransformer.CatalogName, "small Transformer encoder trained from scratch (TorchSharp): 2 layers, width 128, mean pooling",
            false, s => new TextTransformer(s), (dir, s, c) => TextTransformer.Load(dir, s, c)),
        new(MiniLmClassifier.CatalogName, "pretrained all-MiniLM-L6-v2 sentence embeddings (ONNX Runtime, frozen; English only) with a logistic-regression head",
            true, s => new MiniLmClassifier(s), (dir, s, c) => MiniLmClassifier.Load(dir, s, c)),
        new(MiniLmFineTuned.CatalogName, "all-MiniLM-L6-v2 fine-tuned end to end (TorchSharp, from the same ONNX weights; English only): slower, usually better",
            true, s => new MiniLmFineTuned(s), (dir, s, c) => MiniLmFineTuned.Load(dir, s, c)),
    };

    public static IReadOnlyList<Entry> All => Entries;

    public static Entry Find(string name) =>
        Entries.FirstOrDefault(e => e.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new ShopcastInputException(
            $"unknown model '{name}' for --task sentiment; sentiment models are: {string.Join(", ", Entries.Select(e => e.Name))}");
}
