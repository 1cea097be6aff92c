using Shopcast.Data;

namespace Shopcast.Models;

/// <summary>Little-endian binary arrays for baseline weights: a magic word, a length, then the values.</summary>
internal static class WeightFile
{
    private const int Magic = 0x53435746; // "SCWF"

    public static void WriteFloats(string path, ReadOnlySpan<float> values)
    {
        using var w = new BinaryWriter(File.Create(path));
        w.Write(Magic);
        w.Write(values.Length);
        foreach (var v in values) w.Write(v);
    }

    public static void WriteInts(string path, ReadOnlySpan<int> values)
    {
        using var w = new BinaryWriter(File.Create(path));
        w.Write(Magic);
        w.Write(values.Length);
        foreach (var v in values) w.Write(v);
    }

    public static float[] ReadFloats(string path, int? expectedLength = null)
    {
        using var r = Open(path, expectedLength, out int n);
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = r.ReadSingle();
        return a;
    }

    public static int[] ReadInts(string path, int? expectedLength = null)
    {
        using var r = Open(path, expectedLength, out int n);
        var a = new int[n];
        for (int i = 0; i < n; i++) a[i] = r.ReadInt32();
        return a;
    }

    private static BinaryReader Open(string path, int? expectedLength, out int n)
    {
        if (!File.Exists(path)) throw new ShopcastInputException($"model bundle is missing its weight file {path}");
        var r = new BinaryReader(File.OpenRead(path));
        try
        {
            if (r.BaseStream.Length < 8 || r.ReadInt32() != Magic)
                throw new ShopcastInputException($"{path}: not a Shopcast weight file (bad header)");
            n = r.ReadInt32();
            if (n < 0 || (long)n * 4 + 8 != r.BaseStream.Length)
                throw new ShopcastInputException($"{path}: weight file is truncated or corrupt (header says {n} values, file has {r.BaseStream.Length} bytes)");
            if (expectedLength is { } e && e != n)
                throw new ShopcastInputException($"{path}: holds {n} values but the bundle's id map has {e} items");
            return r;
        }
        catch
        {
            r.Dispose();
            throw;
        }
    }
}
