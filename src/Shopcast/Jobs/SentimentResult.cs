using System.Text.Json.Serialization;
using Shopcast.Data.Reviews;
using Shopcast.Training;

namespace Shopcast.Jobs;

/// <summary>metrics.json of <c>--task sentiment</c> (DESIGN.md's schema: dataset, protocol, results[] with task, model, metrics).</summary>
public sealed class SentimentResult
{
    [JsonPropertyName("dataset")] public required SentimentDataset Dataset { get; init; }
    [JsonPropertyName("protocol")] public required SentimentProtocol Protocol { get; init; }
    [JsonPropertyName("results")] public List<SentimentModelResult> Results { get; init; } = new();
    /// <summary>Share of each class per product category on the test reviews: true, and as the model with the best
    /// validation MacroF1 predicts it.</summary>
    [JsonPropertyName("categories")] public List<CategoryShares> Categories { get; set; } = new();
    [JsonPropertyName("seed")] public int Seed { get; init; }
    [JsonPropertyName("shopcast_version")] public string Version { get; init; } = typeof(SentimentResult).Assembly.GetName().Version?.ToString(3) ?? "";
    [JsonPropertyName("created_utc")] public string CreatedUtc { get; init; } = DateTime.UtcNow.ToString("o");
    [JsonPropertyName("ingest")] public required ReviewAccount Ingest { get; init; }
    [JsonPropertyName("plots")] public Dictionary<string, string> Plots { get; init; } = new();
    [JsonIgnore] public string OutDir { get; set; } = "";
}

public sealed class SentimentDataset
{
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("reviews")] public long Reviews { get; init; }
    /// <summary>Reviews per class, in class order.</summary>
    [JsonPropertyName("classes")] public required Dictionary<string, long> Classes { get; init; }
    [JsonPropertyName("categories")] public int Categories { get; init; }
    /// <summary>"zh" when most reviews are mostly Han characters, else "en".</summary>
    [JsonPropertyName("language")] public string Language { get; init; } = "";
    [JsonPropertyName("train_reviews")] public long TrainReviews { get; init; }
    [JsonPropertyName("validation_reviews")] public long ValidationReviews { get; init; }
    [JsonPropertyName("test_reviews")] public long TestReviews { get; init; }
    /// <summary>Test reviews whose normalised text also occurs among the training reviews (short reviews repeat: "好评").</summary>
    [JsonPropertyName("test_seen_in_training")] public long TestSeenInTraining { get; init; }
    [JsonPropertyName("source")] public string Source { get; init; } = "";
    [JsonPropertyName("format")] public string Format { get; init; } = "";
}

public sealed class SentimentProtocol
{
    [JsonPropertyName("split")] public required string Split { get; init; }
    [JsonPropertyName("split_description")] public string SplitDescription { get; init; } = "";
    [JsonPropertyName("validation")] public string Validation { get; init; } = "";
    [JsonPropertyName("imbalance")] public string Imbalance { get; init; } = "";
    [JsonPropertyName("class_weights")] public Dictionary<string, double> ClassWeights { get; init; } = new();
}

public sealed class SentimentModelResult
{
    [JsonPropertyName("task")] public required string Task { get; init; }
    [JsonPropertyName("model")] public required string Model { get; init; }
    /// <summary>On the test reviews: Accuracy, MacroF1, LogLoss, Precision(c), Recall(c), F1(c).</summary>
    [JsonPropertyName("metrics")] public required SortedDictionary<string, double> Metrics { get; init; }
    /// <summary>The same metrics on the test reviews whose text does not occur in training (null when none repeat).</summary>
    [JsonPropertyName("metrics_unseen_texts")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SortedDictionary<string, double>? MetricsUnseen { get; init; }
    [JsonPropertyName("validation_metrics")] public required SortedDictionary<string, double> ValidationMetrics { get; init; }
    /// <summary>[true class][predicted class] counts on the test reviews.</summary>
    [JsonPropertyName("confusion")] public required long[][] Confusion { get; init; }
    [JsonPropertyName("train_seconds")] public double TrainSeconds { get; init; }
    /// <summary>Test reviews scored per second by the fitted model (in batches, tokenising included).</summary>
    [JsonPropertyName("predict_reviews_per_second")] public double PredictPerSecond { get; init; }
    [JsonPropertyName("params")] public Dictionary<string, string> Params { get; init; } = new();
    [JsonPropertyName("bundle")] public string Bundle { get; init; } = "";
    [JsonPropertyName("peak_rss_mib")] public double PeakRssMiB { get; init; }
    [JsonPropertyName("best_epoch")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? BestEpoch { get; init; }
    [JsonPropertyName("history")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<EpochRecord>? History { get; init; }
}

public sealed class CategoryShares
{
    [JsonPropertyName("category")] public required string Category { get; init; }
    [JsonPropertyName("reviews")] public long Reviews { get; init; }
    [JsonPropertyName("true")] public required Dictionary<string, double> True { get; init; }
    [JsonPropertyName("predicted")] public required Dictionary<string, double> Predicted { get; init; }
    [JsonPropertyName("model")] public string Model { get; init; } = "";
    [JsonPropertyName("accuracy")] public double Accuracy { get; init; }
}
