using System.Text.Json.Serialization;
using Shopcast.Features;

namespace Shopcast.Jobs;

/// <summary>metrics.json of <c>--task dwell</c>: per target (dwell, session length) the baselines and each model's errors.</summary>
public sealed class BrowsingResult
{
    [JsonPropertyName("dataset")] public required ClassificationDataset Dataset { get; init; }
    [JsonPropertyName("protocol")] public required string Protocol { get; init; }
    [JsonPropertyName("targets")] public List<BrowsingTarget> Targets { get; init; } = new();
    [JsonPropertyName("seed")] public int Seed { get; init; }
    [JsonPropertyName("shopcast_version")] public string Version { get; init; } = typeof(BrowsingResult).Assembly.GetName().Version?.ToString(3) ?? "";
    [JsonPropertyName("created_utc")] public string CreatedUtc { get; init; } = DateTime.UtcNow.ToString("o");
    [JsonPropertyName("ingest")] public required TableAccount Ingest { get; init; }
    [JsonIgnore] public string OutDir { get; set; } = "";
}

public sealed class BrowsingTarget
{
    [JsonPropertyName("target")] public required string Target { get; init; }
    [JsonPropertyName("label")] public required string Label { get; init; }
    [JsonPropertyName("unit")] public required string Unit { get; init; }
    /// <summary>Why the target was not evaluated (too few rows on one side of the split); null when it was.</summary>
    [JsonPropertyName("skipped")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Skipped { get; set; }
    [JsonPropertyName("train_rows")] public long TrainRows { get; set; }
    [JsonPropertyName("test_rows")] public long TestRows { get; set; }
    /// <summary>Rows with no observed label, left out by reason (e.g. the last view of a session has no dwell).</summary>
    [JsonPropertyName("left_out")] public SortedDictionary<string, long> LeftOut { get; init; } = new();
    [JsonPropertyName("test_median")] public double TestMedian { get; set; }
    /// <summary>Constant predictions from the training labels: their median (best for MAE) and mean (best for RMSE).</summary>
    [JsonPropertyName("baselines")] public SortedDictionary<string, SortedDictionary<string, double>> Baselines { get; init; } = new();
    [JsonPropertyName("results")] public List<RegressorResult> Results { get; init; } = new();
}

public sealed class RegressorResult
{
    [JsonPropertyName("task")] public required string Task { get; init; }
    [JsonPropertyName("model")] public required string Model { get; init; }
    /// <summary>Mean over seeds.</summary>
    [JsonPropertyName("metrics")] public required SortedDictionary<string, double> Metrics { get; init; }
    [JsonPropertyName("metrics_std")] public required SortedDictionary<string, double> MetricsStd { get; init; }
    [JsonPropertyName("train_seconds")] public double TrainSeconds { get; init; }
    [JsonPropertyName("params")] public Dictionary<string, string> Params { get; init; } = new();
    [JsonPropertyName("bundle")] public string Bundle { get; init; } = "";
    /// <summary>Peak resident memory (MiB) while this model trained and was scored, counted from the process's memory
    /// when it started (the data, and what earlier models left on the heap, included).</summary>
    [JsonPropertyName("peak_rss_mib")] public double PeakRssMiB { get; init; }
}
