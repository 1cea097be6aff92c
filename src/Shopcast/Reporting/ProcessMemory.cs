using System.Globalization;

namespace Shopcast.Reporting;

/// <summary>Peak resident memory of this process, as Linux reports it (VmHWM in /proc/self/status).</summary>
public static class ProcessMemory
{
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
