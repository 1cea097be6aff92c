using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Shopcast.Features;
using Shopcast.Jobs;
using Shopcast.Tasks.Tabular;

namespace Shopcast.Evaluation;

/// <summary>
/// Per-prediction explanations for a model that gives additive contributions (<see cref="IExplainsPredictions"/>,
/// LightGBM's SHAP values): for the highest-scored rows and a few random ones, the features that moved the score
/// most. Written to explanations.jsonl, one JSON object a line, and kept on the model's result for the report.
/// </summary>
public static class PredictionExplanations
{
    public const string FileName = "explanations.jsonl";
    public const int TopRows = 20, RandomRows = 5, TopFeatures = 5;

    // Relaxed escaping keeps "+" and non-ASCII feature names readable; the file is data, never embedded in HTML.
    private static readonly JsonSerializerOptions Line = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Explains <paramref name="model"/> on <paramref name="rows"/> and writes the lines into the run folder (appended
    /// after an earlier model's lines of the same run). Null when the model gives no contributions.
    /// <paramref name="seenInTraining"/>: the model was fitted on these rows (a bundle refitted on all rows).
    /// </summary>
    public static ExplanationSet? Write(IBinaryClassifier model, FeatureTable rows, ClassificationResult run, int seed, bool seenInTraining)
    {
        if (model is not IExplainsPredictions explainer || rows.Rows == 0) return null;
        var set = Explain(model, explainer, rows, seed, seenInTraining);
        var lines = set.Rows.Select(e => JsonSerializer.Serialize(e, Line));
        var path = Path.Combine(run.OutDir, FileName);
        if (run.Results.Any(m => m.Explanations is not null)) File.AppendAllLines(path, lines);
        else File.WriteAllLines(path, lines);
        return set;
    }

    private static ExplanationSet Explain(IBinaryClassifier model, IExplainsPredictions explainer, FeatureTable rows, int seed, bool seenInTraining)
    {
        var p = model.Predict(rows);
        var byScore = Enumerable.Range(0, rows.Rows).OrderByDescending(i => p[i]).ThenBy(i => i).ToArray();
        var top = byScore.Take(TopRows).ToArray();
        var rest = byScore.Skip(TopRows).ToArray();
        Training.SeededShuffle.Shuffle(rest, new Random(seed));
        var chosen = top.Select(i => (Row: i, Pick: "top")).Concat(rest.Take(RandomRows).Order().Select(i => (Row: i, Pick: "random"))).ToList();

        var contributions = explainer.Contributions(rows.Subset(chosen.Select(c => c.Row).ToArray()));
        int width = rows.Width;
        var explained = chosen.Select((c, k) => new PredictionExplanation(
            model.Name, c.Row, c.Pick, Math.Round(p[c.Row], 6), (int)rows.Labels[c.Row], Math.Round(contributions[k, width], 6),
            Enumerable.Range(0, width).OrderByDescending(j => Math.Abs(contributions[k, j])).ThenBy(j => j).Take(TopFeatures)
                .Select(j => new FeatureContribution(rows.Columns[j], Shortest(rows[c.Row, j]), Math.Round(contributions[k, j], 6), contributions[k, j] >= 0 ? "+" : "-"))
                .ToList())).ToList();
        string note = seenInTraining
            ? "the bundle's model, refitted on all rows, so these rows were in its training data and their probabilities are in-sample"
            : "the bundle's model on the test rows, which it never saw in training";
        return new ExplanationSet(model.Name, note, explained);
    }

    /// <summary>A feature value as written in the data (0.1, not 0.10000000149).</summary>
    private static double Shortest(float v) =>
        float.IsFinite(v) ? double.Parse(v.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : v;
}

/// <summary>One model's explained rows, and which model and rows they are.</summary>
public sealed record ExplanationSet(string Model, string Note, List<PredictionExplanation> Rows);

/// <summary>One line of explanations.jsonl: a row's probability and its largest contributions, in log-odds.</summary>
/// <param name="Row">0-based index of the row in the scored table.</param>
/// <param name="Pick">"top" (among the highest-scored rows) or "random".</param>
/// <param name="Bias">The expected value: the model's log-odds before any feature of the row is known.</param>
public sealed record PredictionExplanation(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("row")] int Row,
    [property: JsonPropertyName("pick")] string Pick,
    [property: JsonPropertyName("probability")] double Probability,
    [property: JsonPropertyName("label")] int Label,
    [property: JsonPropertyName("bias")] double Bias,
    [property: JsonPropertyName("top_features")] List<FeatureContribution> TopFeatures);

public sealed record FeatureContribution(
    [property: JsonPropertyName("feature")] string Feature,
    [property: JsonPropertyName("value")] double Value,
    [property: JsonPropertyName("contribution")] double Contribution,
    [property: JsonPropertyName("sign")] string Sign);
