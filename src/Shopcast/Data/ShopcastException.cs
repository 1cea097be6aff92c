namespace Shopcast.Data;

/// <summary>
/// Bad input from the user (a file, an option, a bundle). The CLI prints <see cref="Exception.Message"/>
/// as one line and exits with code 2; anything else is an internal failure (exit code 1).
/// </summary>
public class ShopcastInputException : Exception
{
    public ShopcastInputException(string message) : base(message) { }
}

/// <summary>
/// Input that is well-formed but does not support the task asked of it: a log without purchases for a purchase
/// task, without clock times for a time-window task, without categories for preference, a session table for an
/// event-log task, one class only. <c>--task all</c> skips such a task with this message; every other
/// <see cref="ShopcastInputException"/> (a bad option, an unreadable file) stops the run.
/// </summary>
public sealed class TaskNotSupportedException : ShopcastInputException
{
    public TaskNotSupportedException(string message) : base(message) { }
}

/// <summary>A file that is not in the format it was read as: names the file, the line and what was expected.</summary>
public sealed class DataFormatException : ShopcastInputException
{
    public string File { get; }
    public long Line { get; }

    public DataFormatException(string file, long line, string problem)
        : base(line > 0 ? $"{file}, line {line}: {problem}" : $"{file}: {problem}")
    {
        File = file;
        Line = line;
    }
}
