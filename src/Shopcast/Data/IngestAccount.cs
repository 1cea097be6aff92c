using System.Text.Json.Serialization;

namespace Shopcast.Data;

/// <summary>
/// The full account of one ingestion: every row read is either kept or counted under a reason.
/// <c>RowsRead = Rejected.Sum + Duplicates + KCoreRemoved + Events</c> always holds (checked by <see cref="Balanced"/>).
/// </summary>
public sealed class IngestAccount
{
    [JsonPropertyName("source")] public string Source { get; init; } = "";
    [JsonPropertyName("format")] public string Format { get; init; } = "";
    /// <summary>True when the format was detected from the file, false when it was given (--format).</summary>
    [JsonPropertyName("format_detected")] public bool FormatDetected { get; init; }
    [JsonPropertyName("rows_read")] public long RowsRead { get; set; }
    [JsonPropertyName("rows_accepted")] public long Accepted { get; set; }
    [JsonPropertyName("rejected")] public SortedDictionary<string, long> Rejected { get; init; } = new();
    [JsonPropertyName("first_reject_lines")] public SortedDictionary<string, long> FirstRejectLine { get; init; } = new();
    [JsonPropertyName("duplicates_dropped")] public long Duplicates { get; set; }
    [JsonPropertyName("kcore")] public int KCore { get; set; }
    [JsonPropertyName("kcore_removed")] public long KCoreRemoved { get; set; }
    [JsonPropertyName("events")] public long Events { get; set; }
    [JsonPropertyName("users")] public long Users { get; set; }
    [JsonPropertyName("items")] public long Items { get; set; }
    [JsonPropertyName("sessions")] public long Sessions { get; set; }
    [JsonPropertyName("sessions_from")] public string SessionsFrom { get; set; } = "log";
    [JsonPropertyName("time")] public string Time { get; set; } = "utc";

    [JsonIgnore] public long RejectedTotal => Rejected.Values.Sum();

    [JsonIgnore] public bool Balanced => RowsRead == RejectedTotal + Duplicates + KCoreRemoved + Events;

    internal void CountReject(string reason, long line)
    {
        Rejected[reason] = Rejected.GetValueOrDefault(reason) + 1;
        FirstRejectLine.TryAdd(reason, line);
    }
}
