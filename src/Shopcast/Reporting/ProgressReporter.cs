using Spectre.Console;

namespace Shopcast.Reporting;

/// <summary>A handle on one progress bar; a no-op when the run is quiet.</summary>
public interface IProgressHandle
{
    void Set(double value);
    void Increment(double by = 1);
    void Describe(string description);
}

/// <summary>
/// Shows progress bars for long steps (Spectre.Console) on standard error, or nothing with <c>--quiet</c>.
/// Library code wraps each long loop in <see cref="Step{T}"/>; the CLI decides whether anything is drawn.
/// </summary>
public sealed class ProgressReporter
{
    public static readonly ProgressReporter Quiet = new(null);

    private readonly IAnsiConsole? _console;

    public ProgressReporter(IAnsiConsole? console) => _console = console;

    public bool IsQuiet => _console is null;

    /// <summary>Progress and status messages go to standard error so standard output stays clean for scripts.</summary>
    public static ProgressReporter ForStandardError() => new(AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Console.Error),
    }));

    public T Step<T>(string description, double total, Func<IProgressHandle, T> work)
    {
        if (_console is null) return work(NullHandle.Instance);
        T result = default!;
        _console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(),
                     new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(description), maxValue: Math.Max(total, 1));
                result = work(new SpectreHandle(task));
                task.Value = task.MaxValue;
            });
        return result;
    }

    public void Step(string description, double total, Action<IProgressHandle> work) =>
        Step<bool>(description, total, h => { work(h); return true; });

    /// <summary>A one-line status message (not shown when quiet).</summary>
    public void Info(string message) => _console?.MarkupLine(Markup.Escape(message));

    private sealed class NullHandle : IProgressHandle
    {
        public static readonly NullHandle Instance = new();
        public void Set(double value) { }
        public void Increment(double by = 1) { }
        public void Describe(string description) { }
    }

    private sealed class SpectreHandle(ProgressTask task) : IProgressHandle
    {
        public void Set(double value) => task.Value = Math.Min(value, task.MaxValue);
        public void Increment(double by = 1) => task.Increment(by);
        public void Describe(string description) => task.Description = Markup.Escape(description);
    }
}
