namespace Shopcast.Reporting;

/// <summary>Draws a ScottPlot picture and writes it as a PNG: the one place every report plot is saved.</summary>
internal static class PlotFile
{
    /// <summary>Returns false (and writes nothing) when plotting is unavailable on this machine, e.g. no fonts or no
    /// Skia native library: the metrics are still written, only the picture is missing.</summary>
    public static bool Save(string path, Action<ScottPlot.Plot> draw, int width, int height)
    {
        try
        {
            var plt = new ScottPlot.Plot();
            draw(plt);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            plt.SavePng(path, width, height);
            return true;
        }
        catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or InvalidOperationException)
        {
            return false;
        }
    }
}
