using System.Globalization;
using Shopcast.Data;

namespace Shopcast.Models;

/// <summary>
/// Hyper-parameters given on the command line (<c>--set itemknn.neighbours=50</c>), read by a model with defaults.
/// Unknown keys are an error, so a typo never silently trains the default model.
/// </summary>
public sealed class ModelSettings
{
    private readonly Dictionary<string, string> _values;
    private readonly HashSet<string> _read = new(StringComparer.OrdinalIgnoreCase);
    private readonly string _model;

    public ModelSettings(string model, IReadOnlyDictionary<string, string>? values = null)
    {
        _model = model;
        _values = new Dictionary<string, string>(values ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The model these settings are for (its --models name), for messages.</summary>
    public string Model => _model;

    public int Int(string key, int fallback) => Get(key, fallback, s => int.Parse(s, CultureInfo.InvariantCulture), "an integer");
    /// <summary>A finite number: NaN and infinity ("NaN", "Infinity", "1e999") are refused like text.</summary>
    public double Double(string key, double fallback) => Get(key, fallback, s =>
        double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture) is var v && double.IsFinite(v) ? v : throw new FormatException(), "a finite number");
    public bool Bool(string key, bool fallback) => Get(key, fallback, bool.Parse, "true or false");
    public string String(string key, string fallback) => Get(key, fallback, s => s, "text");

    private T Get<T>(string key, T fallback, Func<string, T> parse, string expected)
    {
        _read.Add(key);
        if (!_values.TryGetValue(key, out var s)) return fallback;
        try { return parse(s); }
        catch (FormatException) { throw new ShopcastInputException($"--set {_model}.{key}={s}: expected {expected}"); }
        catch (OverflowException) { throw new ShopcastInputException($"--set {_model}.{key}={s}: out of range"); }
    }

    /// <summary>Call after the model read its settings: fails on keys it does not know.</summary>
    public void RejectUnknown()
    {
        var unknown = _values.Keys.Where(k => !_read.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw new ShopcastInputException(_read.Count == 0
                ? $"--set {_model}.{unknown[0]}: '{_model}' has no settings"
                : $"--set {_model}.{unknown[0]}: '{_model}' has no setting '{unknown[0]}'; it has: {string.Join(", ", _read.Order())}");
    }

    /// <summary>
    /// Checks a --models selection against its --set options: each model named once (by its catalogue name), and every
    /// --set naming a selected model. Returns the settings of one model (empty when none were given).
    /// </summary>
    public static Func<string, ModelSettings> ForSelection(IReadOnlyList<string> requested, IEnumerable<string> catalogueNames,
        IReadOnlyDictionary<string, Dictionary<string, string>> settings)
    {
        if (catalogueNames.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ShopcastInputException($"--models {string.Join(",", requested)}: '{twice.Key}' is named twice; name each model once");
        foreach (var name in settings.Keys)
            if (!requested.Contains(name, StringComparer.OrdinalIgnoreCase))
                throw new ShopcastInputException($"--set {name}.…: model '{name}' is not in --models ({string.Join(",", requested)})");
        return model => new ModelSettings(model, settings.FirstOrDefault(kv => kv.Key.Equals(model, StringComparison.OrdinalIgnoreCase)).Value);
    }

    /// <summary>Parses repeated "model.key=value" options into settings per model.</summary>
    public static Dictionary<string, Dictionary<string, string>> ParseAssignments(IEnumerable<string> assignments)
    {
        var byModel = new Dictionary<string, Dictionary<string, string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var a in assignments)
        {
            int eq = a.IndexOf('='), dot = a.IndexOf('.');
            if (eq < 0 || dot < 0 || dot > eq)
                throw new ShopcastInputException($"--set '{a}': expected model.key=value, e.g. itemknn.neighbours=50");
            var model = a[..dot].Trim();
            if (!byModel.TryGetValue(model, out var d)) byModel[model] = d = new(StringComparer.OrdinalIgnoreCase);
            d[a[(dot + 1)..eq].Trim()] = a[(eq + 1)..].Trim();
        }
        return byModel;
    }
}
