using System.Globalization;

namespace Shopcast.Reporting;

/// <summary>Peak resident memory of this process, as Linux reports it (VmHWM in /proc/self/status).</summary>
public static class ProcessMemory
{
    /// <summary>
    /// Starts a new peak from the current resident memory (Linux: "5" written to /proc/self/clear_refs), so the next
    /// <see cref="PeakRssMiB"/> is the peak of what ran since, e.g. one model, with the data already held counted in.
    /// Does nothing where the kernel does not offer it.
    /// </summary>
    public static void ResetPeak()
    {
        // What an earlier model left on the managed heap is collected first, or it would count as this one's.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        try { File.WriteAllText("/proc/self/clear_refs", "5"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    public static double PeakRssMiB()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        }
        catch (IOException) { }
        return Environment.WorkingSet / (1024.0 * 1024.0); // not Linux: the current working set
    }
}
