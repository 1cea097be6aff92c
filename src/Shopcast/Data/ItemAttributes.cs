using System.Text.Json;

namespace Shopcast.Data;

/// <summary>
/// Side information: attribute ids per item (brand, category, ...), read from a JSON object
/// <c>{"item_id": [attr, ...], ...}</c> such as the S3-Rec <c>*_item2attributes.json</c> files.
/// Attributes are renumbered densely from 1 (0 is padding); items without attributes get none.
/// </summary>
public sealed class ItemAttributes
{
    public required int[][] ByItem { get; init; }
    public int AttributeCount { get; init; }
    public long ItemsWithAttributes { get; init; }
    /// <summary>Entries for items the event log does not have (ignored).</summary>
    public long UnknownItems { get; init; }
    public string Source { get; init; } = "";

    /// <summary>The conventional file beside a log: <c>Beauty.txt</c> → <c>Beauty_item2attributes.json</c>; null when absent.</summary>
    public static string? FindBeside(string dataPath)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(dataPath)) ?? ".";
        var candidate = Path.Combine(dir, Path.GetFileNameWithoutExtension(dataPath) + "_item2attributes.json");
        return File.Exists(candidate) ? candidate : null;
    }

    public static ItemAttributes Load(string path, ItemIndex items)
    {
        if (!File.Exists(path)) throw new ShopcastInputException($"--item-attributes {path}: file not found");
        JsonDocument doc;
        try { doc = JsonDocument.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new ShopcastInputException($"{path}: not valid JSON ({e.Message.Split('\n')[0]}); expected {{\"item_id\": [attribute ids], ...}}"); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new ShopcastInputException($"{path}: expected a JSON object {{\"item_id\": [attribute ids], ...}}");
            var dense = new Dictionary<string, int>(StringComparer.Ordinal);
            var byItem = new int[items.Count][];
            long known = 0, unknown = 0;
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (!items.TryGet(p.Name, out var index)) { unknown++; continue; }
                if (p.Value.ValueKind != JsonValueKind.Array)
                    throw new ShopcastInputException($"{path}: item '{p.Name}': expected an array of attribute ids");
                var ids = new List<int>();
                foreach (var a in p.Value.EnumerateArray())
                {
                    var key = a.ValueKind == JsonValueKind.String ? a.GetString()! : a.GetRawText();
                    if (!dense.TryGetValue(key, out var id)) dense[key] = id = dense.Count + 1;
                    if (!ids.Contains(id)) ids.Add(id);
                }
                byItem[index] = ids.ToArray();
                known++;
            }
            for (int i = 0; i < byItem.Length; i++) byItem[i] ??= Array.Empty<int>();
            return new ItemAttributes
            {
                ByItem = byItem, AttributeCount = dense.Count, ItemsWithAttributes = known, UnknownItems = unknown,
                Source = Path.GetFullPath(path),
            };
        }
    }
}
