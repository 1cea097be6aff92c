using Shopcast.Data.Reviews;

namespace Shopcast.Tasks.Sentiment;

/// <summary>
/// Texts with their class as a dense index into <see cref="Classes"/> (the classes the data has, in
/// <see cref="Data.Reviews.Sentiment"/> order: negative, positive for a two-class corpus; negative, neutral, positive with
/// stars), plus each review's category when known, and the weight each class gets in training.
/// </summary>
public sealed class SentimentExamples
{
    public required IReadOnlyList<string> Texts { get; init; }
    public required int[] Labels { get; init; }
    public required IReadOnlyList<Data.Reviews.Sentiment> Classes { get; init; }
    public IReadOnlyList<string?> Categories { get; init; } = Array.Empty<string?>();

    public int Count => Texts.Count;

    public static SentimentExamples From(IReadOnlyList<Review> reviews, IReadOnlyList<Data.Reviews.Sentiment> classes) => new()
    {
        Texts = reviews.Select(r => r.Text).ToArray(),
        Labels = reviews.Select(r => IndexOf(classes, r.Label)).ToArray(),
        Classes = classes,
        Categories = reviews.Select(r => r.Category).ToArray(),
    };

    public SentimentExamples Subset(IReadOnlyList<int> rows) => new()
    {
        Texts = rows.Select(i => Texts[i]).ToArray(),
        Labels = rows.Select(i => Labels[i]).ToArray(),
        Classes = Classes,
        Categories = Categories.Count == 0 ? Array.Empty<string?>() : rows.Select(i => Categories[i]).ToArray(),
    };

    /// <summary>
    /// "Balanced" class weights, n / (classes · n_c), so every class carries the same total weight in the loss
    /// (scikit-learn's class_weight="balanced"); all 1 when <paramref name="balance"/> is off.
    /// </summary>
    public float[] ClassWeights(bool balance)
    {
        var counts = new int[Classes.Count];
        foreach (var l in Labels) counts[l]++;
        return counts.Select(c => balance && c > 0 ? (float)(Labels.Length / (double)(Classes.Count * c)) : 1f).ToArray();
    }

    private static int IndexOf(IReadOnlyList<Data.Reviews.Sentiment> classes, Data.Reviews.Sentiment s)
    {
        for (int i = 0; i < classes.Count; i++) if (classes[i] == s) return i;
        throw new ArgumentException($"class {s} is not among {string.Join(", ", classes)}");
    }
}
