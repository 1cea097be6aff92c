namespace Shopcast.Jobs;

/// <summary>Everything <c>shopcast run</c> takes; defaults are what a user gets without the option.</summary>
public sealed record RunOptions
{
    public required string DataPath { get; init; }
    public string? Format { get; init; }
    public string? Columns { get; init; }
    public string Task { get; init; } = "next-item";
    public IReadOnlyList<string> Models { get; init; } = new[] { "pop", "itemknn" };
    public string OutDir { get; init; } = "runs/latest";
    public int Seed { get; init; } = 42;
    /// <summary>auto | loo | temporal | session. Auto: given-test with TestPath, session when the log has no users beyond sessions, else loo.</summary>
    public string Split { get; init; } = "auto";
    public string? TestPath { get; init; }
    /// <summary>Null: on for per-user splits, off for session splits (as the session benchmarks do).</summary>
    public bool? ExcludeSeen { get; init; }
    public int SampledNegatives { get; init; }
    public int KCore { get; init; }
    /// <summary>Cross-validation folds of the yes/no tasks (purchase-intent).</summary>
    public int Folds { get; init; } = 5;
    /// <summary>What is predicted. conversion: "item" (will the user buy this item tomorrow, the default) or "category";
    /// preference: "category" (the default) or "brand". Null: the task's default.</summary>
    public string? Level { get; init; }
    public TimeSpan SessionGap { get; init; } = TimeSpan.FromMinutes(30);
    /// <summary>Event store file; default OUT/events.duckdb.</summary>
    public string? StorePath { get; init; }
    /// <summary>Only these event types form the sequences (e.g. purchase); null keeps all.</summary>
    public IReadOnlyList<string>? EventTypes { get; init; }
    public IReadOnlyDictionary<string, Dictionary<string, string>> Settings { get; init; } = new Dictionary<string, Dictionary<string, string>>();
    public string? DatasetName { get; init; }
    /// <summary>Shown in the report: e.g. "synthetic: the simulated shop of shopcast quickstart".</summary>
    public string? DatasetNote { get; init; }
    /// <summary>Item attributes (JSON {"item": [attr, ...]}) for models with side information. Null: use
    /// <c>&lt;data stem&gt;_item2attributes.json</c> beside the data when it exists; "none" turns them off.</summary>
    public string? ItemAttributesPath { get; init; }
    /// <summary>Sentiment: how 1-5 stars become classes ("negative=1-2,neutral=3,positive=4-5"); null = that default.</summary>
    public string? Stars { get; init; }
    /// <summary>Sentiment: reviews longer than this (characters, after trimming) are rejected and counted, not cut.</summary>
    public int MaxChars { get; init; } = Data.Reviews.ReviewReaders.DefaultMaxChars;
    /// <summary>Sentiment: weigh classes n / (classes · n_class) in every model's loss.</summary>
    public bool BalanceClasses { get; init; } = true;
}
