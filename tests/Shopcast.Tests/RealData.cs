namespace Shopcast.Tests;

/// <summary>
/// Where the shared real data sets live: <c>../shared/data</c> next to the repository (the folder holding
/// Shopcast.sln), else /work/shared/data, or the folder named by the SHOPCAST_DATA environment variable. The data is never copied
/// into the repo, so tests that need it are skipped, with the reason, when it is absent.
/// </summary>
public static class RealData
{
    private static readonly Lazy<string?> root = new(FindRoot);

    /// <summary>The data folder, or null when it cannot be found.</summary>
    public static string? Root => root.Value;

    /// <summary>The full path of a file under the data folder, e.g. <c>Path("amazon-beauty-sports-s3rec/Beauty.txt")</c>.
    /// When the folder is absent this still returns a path (under a folder that does not exist), so callers fail clearly.</summary>
    public static string Path(string relativePath) =>
        System.IO.Path.GetFullPath(System.IO.Path.Combine(Root ?? DefaultRoot(), relativePath));

    /// <summary>True when the file (or folder) exists under the data folder.</summary>
    public static bool Has(string relativePath)
    {
        if (Root is null) return false;
        var p = Path(relativePath);
        return File.Exists(p) || Directory.Exists(p);
    }

    private const string WorkplaceRoot = "/work/shared/data";

    private static string? FindRoot()
    {
        var env = Environment.GetEnvironmentVariable("SHOPCAST_DATA");
        if (!string.IsNullOrEmpty(env)) return Directory.Exists(env) ? System.IO.Path.GetFullPath(env) : null;
        var candidate = DefaultRoot();
        if (Directory.Exists(candidate)) return candidate;
        // A clone checked out elsewhere (CI's clean clone in /tmp) still finds the team's shared workplace copy.
        return Directory.Exists(WorkplaceRoot) ? WorkplaceRoot : null;
    }

    /// <summary>../shared/data relative to the folder that holds Shopcast.sln (walking up from the test binaries).</summary>
    private static string DefaultRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "Shopcast.sln"))) dir = dir.Parent;
        var repo = dir?.FullName ?? "/work/main";
        return System.IO.Path.GetFullPath(System.IO.Path.Combine(repo, "..", "shared", "data"));
    }
}

/// <summary>
/// A fact that needs a real data file: skipped, saying which file is missing, when it is absent.
/// (xunit 2.9 has no dynamic skip, so the decision is made when the attribute is built.)
/// </summary>
public sealed class RealDataFactAttribute : FactAttribute
{
    public string RelativePath { get; }

    public RealDataFactAttribute(string relativePath)
    {
        RelativePath = relativePath;
        if (!RealData.Has(relativePath))
            Skip = RealData.Root is null
                ? $"real data folder not found (expected ../shared/data next to the repo, or SHOPCAST_DATA); needs {relativePath}"
                : $"real data file missing: {RealData.Path(relativePath)}";
    }
}
