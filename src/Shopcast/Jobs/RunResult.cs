using System.Text.Json.Serialization;
using Shopcast.Data;

namespace Shopcast.Jobs;

/// <summary>The metrics.json document (schema in DESIGN.md: dataset, protocol, results[]).</summary>
public sealed class RunResult
{
    [JsonPropertyName("dataset")] public required DatasetInfo Dataset { get; init; }
    [JsonPropertyName("protocol")] public required ProtocolInfo Protocol { get; init; }
    [JsonPropertyName("results")] public List<ModelResult> Results { get; init; } = new();
    [JsonPropertyName("seed")] public int Seed { get; init; }
    [JsonPropertyName("shopcast_version")] public string Version { get; init; } = typeof(RunResult).Assembly.GetName().Version?.ToString(3) ?? "";
    [JsonPropertyName("created_utc")] public string CreatedUtc { get; init; } = DateTime.UtcNow.ToString("o");
    [JsonPropertyName("ingest")] public required IngestAccount Ingest { get; init; }
    [JsonIgnore] public string OutDir { get; set; } = "";
}

public sealed class DatasetInfo
{
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("users")] public long Users { get; init; }
    [JsonPropertyName("items")] public long Items { get; init; }
    [JsonPropertyName("events")] public long Events { get; init; }
    [JsonPropertyName("source")] public string Source { get; init; } = "";
    [JsonPropertyName("format")] public string Format { get; init; } = "";
    [JsonPropertyName("note")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Note { get; init; }
}

public sealed class ProtocolInfo
{
    [JsonPropertyName("split")] public required string Split { get; init; }
    [JsonPropertyName("split_description")] public string SplitDescription { get; init; } = "";
    [JsonPropertyName("sequences")] public string Sequences { get; init; } = "user";
    [JsonPropertyName("ranking")] public required string Ranking { get; init; }
    [JsonPropertyName("ranking_description")] public string RankingDescription { get; init; } = "";
    [JsonPropertyName("k")] public IReadOnlyList<int> K { get; init; } = Array.Empty<int>();
    [JsonPropertyName("exclude_seen")] public bool ExcludeSeen { get; init; }
    [JsonPropertyName("ties")] public string Ties { get; init; } = "";
    [JsonPropertyName("train_sequences")] public long TrainSequences { get; init; }
    [JsonPropertyName("validation_cases")] public long ValidationCases { get; init; }
    [JsonPropertyName("test_cases")] public long TestCases { get; init; }
    [JsonPropertyName("test_targets_in_history")] public long TestTargetsInHistory { get; set; }
    /// <summary>Sampled ranking: test cases whose history left fewer candidates than the negatives asked for (ranked against all that remained).</summary>
    [JsonPropertyName("test_cases_with_fewer_negatives")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long TestCasesWithFewerNegatives { get; set; }
    [JsonPropertyName("skipped")] public SortedDictionary<string, long> Skipped { get; init; } = new();
    /// <summary>The event types the sequences were made of (<c>--events</c>); null when all were used.</summary>
    [JsonPropertyName("event_types")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<string>? EventTypes { get; init; }
    /// <summary>Preference: what the sequences hold instead of items, and where the labels came from.</summary>
    [JsonPropertyName("labels")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Labels { get; init; }
    /// <summary>Preference: events left out because they have no label, by reason.</summary>
    [JsonPropertyName("events_left_out")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public SortedDictionary<string, long>? EventsLeftOut { get; init; }
    [JsonPropertyName("item_attributes")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? ItemAttributes { get; set; }
}

public sealed class ModelResult
{
    [JsonPropertyName("task")] public required string Task { get; init; }
    [JsonPropertyName("model")] public required string Model { get; init; }
    [JsonPropertyName("metrics")] public required SortedDictionary<string, double> Metrics { get; init; }
    [JsonPropertyName("validation_metrics")] public SortedDictionary<string, double>? ValidationMetrics { get; init; }
    [JsonPropertyName("train_seconds")] public double TrainSeconds { get; init; }
    [JsonPropertyName("eval_seconds")] public double EvalSeconds { get; init; }
    [JsonPropertyName("params")] public Dictionary<string, string> Params { get; init; } = new();
    [JsonPropertyName("bundle")] public string Bundle { get; init; } = "";
    /// <summary>Per-epoch loss, validation metric and speed, for models that train in epochs.</summary>
    [JsonPropertyName("history")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<Training.EpochRecord>? History { get; init; }
    [JsonPropertyName("best_epoch")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? BestEpoch { get; init; }
    [JsonPropertyName("plot")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Plot { get; init; }
    /// <summary>Peak resident memory of the process when this model finished (it includes earlier models and the data).</summary>
    /// <summary>Peak resident memory (MiB) while this model trained and was scored, counted from the process's memory
    /// when it started (the data, and what earlier models left on the heap, included).</summary>
    [JsonPropertyName("peak_rss_mib")] public double PeakRssMiB { get; init; }
}
