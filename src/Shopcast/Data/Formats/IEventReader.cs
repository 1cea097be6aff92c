namespace Shopcast.Data.Formats;

/// <summary>One line's fate: an event, or the reason it was rejected. Never both.</summary>
public readonly record struct ReadOutcome(long Line, Event? Event, string? RejectReason)
{
    public static ReadOutcome Accept(long line, Event e) => new(line, e, null);
    public static ReadOutcome Reject(long line, string reason) => new(line, null, reason);
}

/// <summary>
/// Streams one public log format into the event schema, a line at a time, so no reader holds the log in memory.
/// A reader rejects a malformed row with a short, stable reason (these are counted and reported);
/// it throws <see cref="DataFormatException"/> only when the file as a whole is not its format
/// (for example a wrong header).
/// </summary>
public interface IEventReader
{
    /// <summary>The name used with <c>--format</c>.</summary>
    string Format { get; }

    /// <summary>One sentence for <c>--help</c> and docs/formats.md.</summary>
    string Description { get; }

    /// <summary>True when the log has no clock time, only an order (one sequence per line).</summary>
    bool OrdinalTime => false;

    IEnumerable<ReadOutcome> Read(TextReader text, string sourceName);
}

/// <summary>Stable reject reasons, so counts from different readers add up under the same names.</summary>
public static class RejectReasons
{
    public const string WrongColumnCount = "wrong column count";
    public const string MissingUser = "missing user id";
    public const string MissingItem = "missing item id";
    public const string MissingSession = "missing session id";
    public const string BadTime = "unparseable time";
    public const string TimeOutOfRange = "time out of range";
    public const string UnknownEventType = "unknown event type";
    public const string BadNumber = "bad number";
    public const string BadId = "non-numeric id";
    public const string EmptyLine = "empty line";
    public const string TooShort = "sequence shorter than 1 item";
}
