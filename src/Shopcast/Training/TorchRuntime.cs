using Shopcast.Data;
using TorchSharp;

namespace Shopcast.Training;

/// <summary>One place that starts libtorch: threads, seeds, and a clear error when the native library cannot load.</summary>
public static class TorchRuntime
{
    private static readonly object Gate = new();
    private static bool _checked;

    /// <summary>
    /// libtorch's threads inside one operation: SHOPCAST_TORCH_THREADS when set, else <see cref="ProcessDefault"/>, else
    /// every core.
    /// </summary>
    public static int DefaultThreads =>
        int.TryParse(Environment.GetEnvironmentVariable("SHOPCAST_TORCH_THREADS"), out var t) && t > 0 ? t : ProcessDefault ?? Environment.ProcessorCount;

    /// <summary>
    /// A process's own default, set before any model loads: `shopcast serve` uses 1, because a server scores small
    /// batches beside its HTTP threads, and on 2 cores one libtorch thread halved p99 latency at 500 requests/s
    /// (bench/serve). Training keeps every core.
    /// </summary>
    public static int? ProcessDefault { get; set; }

    /// <summary>Loads libtorch once (throws a one-line error naming the fix if it cannot), then seeds it.</summary>
    public static void Start(int seed, int? threads = null)
    {
        lock (Gate)
        {
            if (!_checked)
            {
                try
                {
                    using var probe = torch.zeros(1);
                }
                catch (Exception e) when (e is TypeInitializationException or NotSupportedException or DllNotFoundException)
                {
                    throw new ShopcastInputException(
                        "TorchSharp's native library (libtorch) did not load. Build with `dotnet build` from this repository so " +
                        "build/TorchSharp.targets patches libLibTorchSharp.so for this system's libstdc++ (docs/deep-models.md). " +
                        $"Cause: {(e.InnerException ?? e).Message.Split('\n')[0]}");
                }
                _checked = true;
            }
            torch.set_num_threads(threads ?? DefaultThreads);
            torch.manual_seed(seed);
        }
    }
}
