using System.Globalization;
using System.Text.Json;
using Shopcast.Data;

namespace Shopcast.Serving;

/// <summary>One event a running server was sent (<c>POST /v1/events</c>): the event schema plus an optional review text.</summary>
public sealed record LiveEvent(
    string User,
    string Item,
    EventType Type,
    long TimeMs,
    string? Session = null,
    string? Category = null,
    string? Brand = null,
    double? Price = null,
    double? Value = null,
    string? Text = null);

/// <summary>A field of a request that is wrong: which one, a short title and what was expected (a 400's problem details).</summary>
public sealed record RequestFault(string Field, string Title, string Detail);

/// <summary>
/// Reads the events of a request body: one event object, or <c>{"events": [ ... ]}</c>. Every field is checked
/// (unknown fields, types, id sizes, time range); the first fault names its field (<c>events[3].time</c>), and a
/// batch with any fault is refused whole, so nothing of a rejected batch is applied.
/// </summary>
public static class LiveEventReader
{
    public const int MaxIdLength = 256;
    public const int MaxTextLength = 50_000;
    /// <summary>Events older than this are refused as a client's mistake (a time in seconds read as ms, a zero date).</summary>
    public static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    /// <summary>How far ahead of the server's clock an event may be (clients' clocks drift).</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>The fault of a body with a string that is not text (a field name, a type: wherever reading it threw).</summary>
    public static readonly RequestFault NotText = new("body", "The body holds a string that is not valid text",
        "a lone surrogate escape such as \\ud800, or invalid UTF-8; send UTF-8 text");

    private static readonly HashSet<string> Fields = new(StringComparer.Ordinal)
        { "user", "item", "type", "time", "session", "category", "brand", "price", "value", "text" };

    /// <summary>The events of <paramref name="root"/>, or the first fault. <paramref name="now"/> bounds future times and stands in for a missing time.</summary>
    public static (IReadOnlyList<LiveEvent>? Events, RequestFault? Fault) Read(JsonElement root, DateTimeOffset now, int maxBatch)
    {
        // A lone surrogate escape ("\ud800") is valid JSON but no text: reading it (in a field name, a type) throws.
        try { return ReadChecked(root, now, maxBatch); }
        catch (InvalidOperationException) { return (null, NotText); }
    }

    private static (IReadOnlyList<LiveEvent>? Events, RequestFault? Fault) ReadChecked(JsonElement root, DateTimeOffset now, int maxBatch)
    {
        if (root.ValueKind != JsonValueKind.Object)
            return (null, new RequestFault("body", "The body must be a JSON object", "send one event {\"user\": ..., \"item\": ..., \"type\": ...} or {\"events\": [ ... ]}"));
        if (root.TryGetProperty("events", out var arr))
        {
            if (UnknownField(root, "a batch is {\"events\": [ ... ]} and nothing else", "events") is { } unknown) return (null, unknown);
            if (arr.ValueKind != JsonValueKind.Array)
                return (null, new RequestFault("events", "Field 'events' must be an array of events", $"found {Kind(arr)}"));
            int n = arr.GetArrayLength();
            if (n == 0 || n > maxBatch)
                return (null, new RequestFault("events", $"Field 'events' must hold 1 to {maxBatch} events", $"found {n}"));
            var events = new List<LiveEvent>(n);
            int i = 0;
            foreach (var e in arr.EnumerateArray())
            {
                var (ev, fault) = ReadOne(e, $"events[{i}]", now);
                if (fault is not null) return (null, fault);
                events.Add(ev!);
                i++;
            }
            return (events, null);
        }
        var (one, f) = ReadOne(root, "", now);
        return f is null ? (new[] { one! }, null) : (null, f);
    }

    private static (LiveEvent?, RequestFault?) ReadOne(JsonElement e, string at, DateTimeOffset now)
    {
        string F(string name) => at.Length == 0 ? name : $"{at}.{name}";
        if (e.ValueKind != JsonValueKind.Object)
            return (null, new RequestFault(at.Length == 0 ? "body" : at, "An event must be a JSON object", $"found {Kind(e)}"));
        foreach (var p in e.EnumerateObject())
            if (!Fields.Contains(p.Name))
                return (null, new RequestFault(F(p.Name), $"Unknown field '{p.Name}'", $"an event has the fields {string.Join(", ", Fields)}"));

        string? user = null, item = null, session = null, category = null, brand = null, text = null;
        RequestFault? fault;
        if ((fault = Id(e, "user", F, required: true, ref user)) is not null) return (null, fault);
        if ((fault = Id(e, "item", F, required: true, ref item)) is not null) return (null, fault);
        if ((fault = Id(e, "session", F, required: false, ref session)) is not null) return (null, fault);
        if ((fault = Id(e, "category", F, required: false, ref category)) is not null) return (null, fault);
        if ((fault = Id(e, "brand", F, required: false, ref brand)) is not null) return (null, fault);

        if (!e.TryGetProperty("type", out var typeEl))
            return (null, new RequestFault(F("type"), "Missing field 'type'", "one of view, cart, remove_from_cart, favourite, purchase, review"));
        if (typeEl.ValueKind != JsonValueKind.String || EventTypes.Parse(typeEl.GetString()!) is not { } type)
            return (null, new RequestFault(F("type"), "Unknown event type", $"found {Shown(typeEl)}; expected view, cart, remove_from_cart, favourite, purchase or review"));

        long timeMs;
        if (!e.TryGetProperty("time", out var timeEl) || timeEl.ValueKind == JsonValueKind.Null) timeMs = now.ToUnixTimeMilliseconds();
        else if (timeEl.ValueKind == JsonValueKind.Number)
        {
            if (!timeEl.TryGetInt64(out timeMs))
                return (null, new RequestFault(F("time"), "Field 'time' must be whole Unix milliseconds or an ISO 8601 time", $"found {Shown(timeEl)}"));
        }
        else if (timeEl.ValueKind == JsonValueKind.String)
        {
            if (!DateTimeOffset.TryParse(timeEl.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
                return (null, new RequestFault(F("time"), "Field 'time' is not a time", $"found {Shown(timeEl)}; expected e.g. \"2026-12-04T06:00:00Z\" or Unix milliseconds"));
            timeMs = t.ToUnixTimeMilliseconds();
        }
        else return (null, new RequestFault(F("time"), "Field 'time' must be Unix milliseconds or an ISO 8601 time", $"found {Kind(timeEl)}"));
        if (timeMs < Earliest.ToUnixTimeMilliseconds())
            return (null, new RequestFault(F("time"), "Field 'time' is too far in the past",
                $"{Format(timeMs)} is before {Earliest:yyyy-MM-dd}; times are UTC Unix milliseconds (not seconds) or ISO 8601"));
        if (timeMs > (now + MaxClockSkew).ToUnixTimeMilliseconds())
            return (null, new RequestFault(F("time"), "Field 'time' is in the future",
                $"{Format(timeMs)} is more than {MaxClockSkew.TotalMinutes:0} minutes ahead of the server's clock ({now.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ})"));

        double? price = null, value = null;
        if ((fault = Number(e, "price", F, ref price)) is not null) return (null, fault);
        if (price < 0) return (null, new RequestFault(F("price"), "Field 'price' must not be negative", $"found {price}"));
        if ((fault = Number(e, "value", F, ref value)) is not null) return (null, fault);
        if (e.TryGetProperty("text", out var textEl) && textEl.ValueKind != JsonValueKind.Null)
        {
            if (textEl.ValueKind != JsonValueKind.String) return (null, new RequestFault(F("text"), "Field 'text' must be a string", $"found {Kind(textEl)}"));
            try { text = textEl.GetString(); }
            catch (InvalidOperationException) { return (null, new RequestFault(F("text"), "Field 'text' is not valid text", "it holds a lone surrogate escape or invalid UTF-8")); }
            if (text!.Length > MaxTextLength) return (null, new RequestFault(F("text"), "Field 'text' is too long", $"{text.Length:N0} characters; at most {MaxTextLength:N0}"));
        }
        return (new LiveEvent(user!, item!, type, timeMs, session, category, brand, price, value, text), null);
    }

    /// <summary>The first field of <paramref name="obj"/> that is not one of <paramref name="allowed"/>, as a fault naming it; null when there is none.</summary>
    public static RequestFault? UnknownField(JsonElement obj, string detail, params string[] allowed)
    {
        foreach (var p in obj.EnumerateObject())
            if (Array.IndexOf(allowed, p.Name) < 0) return new RequestFault(p.Name, $"Unknown field '{p.Name}'", detail);
        return null;
    }

    /// <summary>An id: a non-empty string (a JSON number is taken as its digits) of at most <see cref="MaxIdLength"/> characters without control characters.</summary>
    private static RequestFault? Id(JsonElement e, string name, Func<string, string> f, bool required, ref string? id)
    {
        if (!e.TryGetProperty(name, out var el) || el.ValueKind == JsonValueKind.Null)
            return required ? new RequestFault(f(name), $"Missing field '{name}'", $"every event names its {name} (a string id)") : null;
        if (el.ValueKind == JsonValueKind.Number)
        {
            // 42 is the id "42"; 42.0 or 4.2e1 would be a different id by its text, so only whole numbers are taken.
            if (!el.TryGetInt64(out var whole))
                return new RequestFault(f(name), $"Field '{name}' must be a string id or a whole number", $"found {Shown(el)}");
            id = whole.ToString(CultureInfo.InvariantCulture);
        }
        else if (el.ValueKind == JsonValueKind.String)
        {
            try { id = el.GetString(); }
            catch (InvalidOperationException) { return new RequestFault(f(name), $"Field '{name}' is not valid text", "it holds a lone surrogate escape or invalid UTF-8"); }
        }
        else return new RequestFault(f(name), $"Field '{name}' must be a string id", $"found {Kind(el)}");
        var problem = IdProblem(id!);
        return problem is null ? null : new RequestFault(f(name), $"Field '{name}' is not a usable id", problem);
    }

    /// <summary>Why <paramref name="id"/> cannot be a user or item id, or null when it can (the URL routes use this too).</summary>
    public static string? IdProblem(string id)
    {
        if (id.Length == 0 || string.IsNullOrWhiteSpace(id)) return "it is empty";
        if (id.Length > MaxIdLength) return $"{id.Length:N0} characters; ids have at most {MaxIdLength}";
        foreach (var c in id) if (char.IsControl(c)) return "it holds a control character (a line break or tab?)";
        return null;
    }

    private static RequestFault? Number(JsonElement e, string name, Func<string, string> f, ref double? v)
    {
        if (!e.TryGetProperty(name, out var el) || el.ValueKind == JsonValueKind.Null) return null;
        if (el.ValueKind != JsonValueKind.Number || !el.TryGetDouble(out var d) || !double.IsFinite(d))
            return new RequestFault(f(name), $"Field '{name}' must be a number", $"found {Shown(el)}");
        v = d;
        return null;
    }

    private static string Kind(JsonElement e) => e.ValueKind.ToString().ToLowerInvariant();
    private static string Shown(JsonElement e)
    {
        var raw = e.GetRawText();
        return raw.Length > 40 ? raw[..40] + "..." : raw;
    }
    private static string Format(long ms) =>
        ms < DateTimeOffset.MinValue.ToUnixTimeMilliseconds() || ms > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
            ? $"{ms} ms" : DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ");
}
