using Shopcast.Cli;

namespace Shopcast.Tests.Cli;

/// <summary>Runs the <c>shopcast</c> command in process with standard output and error captured. Tests that use it
/// belong to the "console" collection: Console is process-wide.</summary>
internal static class CliRunner
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        var (output, err) = (new StringWriter(), new StringWriter());
        Console.SetOut(output);
        Console.SetError(err);
        try { return (ShopcastCli.Run(args), output.ToString(), err.ToString()); }
        finally { Console.SetOut(oldOut); Console.SetError(oldErr); }
    }
}
