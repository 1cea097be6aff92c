using System.Text.Json.Serialization;
using Shopcast.Evaluation;
using Shopcast.Features;

namespace Shopcast.Jobs;

/// <summary>metrics.json of a yes/no task (DESIGN.md's schema: dataset, protocol, results[] with task, model, metrics).</summary>
public sealed class ClassificationResult
{
    [JsonPropertyName("dataset")] public required ClassificationDataset Dataset { get; init; }
    [JsonPropertyName("protocol")] public required ClassificationProtocol Protocol { get; init; }
    [JsonPropertyName("results")] public List<ClassifierResult> Results { get; init; } = new();
    [JsonPropertyName("seed")] public int Seed { get; init; }
    [JsonPropertyName("shopcast_version")] public string Version { get; init; } = typeof(ClassificationResult).Assembly.GetName().Version?.ToString(3) ?? "";
    [JsonPropertyName("created_utc")] public string CreatedUtc { get; init; } = DateTime.UtcNow.ToString("o");
    [JsonPropertyName("ingest")] public required TableAccount Ingest { get; init; }
    [JsonIgnore] public string OutDir { get; set; } = "";
    [JsonPropertyName("plots")] public Dictionary<string, string> Plots { get; init; } = new();
    /// <summary>Single-feature rules of thumb on the same test rows (time-ordered tasks), for the models to beat.</summary>
    [JsonPropertyName("baselines")] public List<BaselineResult> Baselines { get; init; } = new();
}

public sealed class ClassificationDataset
{
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("examples")] public long Examples { get; init; }
    [JsonPropertyName("positives")] public long Positives { get; init; }
    [JsonPropertyName("features")] public int Features { get; init; }
    /// <summary>Time-ordered splits: the test set's examples and positives (null for cross-validation).</summary>
    [JsonPropertyName("test_examples")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public long? TestExamples { get; init; }
    [JsonPropertyName("test_positives")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public long? TestPositives { get; init; }
    [JsonPropertyName("label")] public string Label { get; init; } = "";
    [JsonPropertyName("source")] public string Source { get; init; } = "";
    [JsonPropertyName("format")] public string Format { get; init; } = "";
}

public sealed class ClassificationProtocol
{
    [JsonPropertyName("split")] public required string Split { get; init; }
    [JsonPropertyName("split_description")] public string SplitDescription { get; init; } = "";
    [JsonPropertyName("folds")] public int Folds { get; init; }
    [JsonPropertyName("validation")] public string Validation { get; init; } = "";
    [JsonPropertyName("threshold")] public string Threshold { get; init; } = "";
    [JsonPropertyName("imbalance")] public string Imbalance { get; init; } = "";
}

public sealed class ClassifierResult
{
    [JsonPropertyName("task")] public required string Task { get; init; }
    [JsonPropertyName("model")] public required string Model { get; init; }
    /// <summary>Mean over the test folds.</summary>
    [JsonPropertyName("metrics")] public required SortedDictionary<string, double> Metrics { get; init; }
    /// <summary>Standard deviation over the test folds (sample, n-1).</summary>
    [JsonPropertyName("metrics_std")] public required SortedDictionary<string, double> MetricsStd { get; init; }
    [JsonPropertyName("folds")] public required List<SortedDictionary<string, double>> Folds { get; init; }
    /// <summary>Mean training seconds per fold.</summary>
    [JsonPropertyName("train_seconds")] public double TrainSeconds { get; init; }
    [JsonPropertyName("params")] public Dictionary<string, string> Params { get; init; } = new();
    [JsonPropertyName("bundle")] public string Bundle { get; init; } = "";
    /// <summary>Peak resident memory (MiB) while this model trained and was scored, counted from the process's memory
    /// when it started (the data, and what earlier models left on the heap, included).</summary>
    [JsonPropertyName("peak_rss_mib")] public double PeakRssMiB { get; init; }
    /// <summary>Top features by importance (LightGBM split gain), when the model reports it.</summary>
    [JsonPropertyName("importance")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<FeatureWeight>? Importance { get; init; }
    /// <summary>Permutation importance: test AUC lost when a field is shuffled (mean over folds, or the first seed), top 20.</summary>
    [JsonPropertyName("permutation_importance")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<FeatureWeight>? PermutationImportance { get; init; }
    /// <summary>Session intent: test AUC by prefix length (buckets such as "1", "4-5"), first seed.</summary>
    [JsonPropertyName("auc_by_prefix")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<FeatureWeight>? AucByPrefix { get; init; }
    /// <summary>Per-prediction explanations (SHAP values), for the report; the full lines are in explanations.jsonl.</summary>
    [JsonIgnore] public ExplanationSet? Explanations { get; set; }
}

public sealed record BaselineResult(
    [property: JsonPropertyName("score")] string Score,
    [property: JsonPropertyName("why")] string Why,
    [property: JsonPropertyName("metrics")] SortedDictionary<string, double> Metrics);

public sealed record FeatureWeight([property: JsonPropertyName("feature")] string Feature, [property: JsonPropertyName("weight")] double Weight);
