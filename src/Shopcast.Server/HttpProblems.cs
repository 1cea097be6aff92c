using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Shopcast.Serving;

namespace Shopcast.Server;

/// <summary>RFC 7807 problem details with a <c>field</c> naming what is wrong, and the one way request bodies are read.</summary>
internal static class HttpProblems
{
    public static IResult Problem(int status, string title, string detail, string? field = null) =>
        Results.Problem(title: title, detail: detail, statusCode: status,
            extensions: field is null ? null : new Dictionary<string, object?> { ["field"] = field });

    public static IResult Bad(RequestFault f) => Problem(StatusCodes.Status400BadRequest, f.Title, f.Detail, f.Field);

    /// <summary>A key given twice in one object is refused (which one would count?).</summary>
    private static readonly JsonDocumentOptions ReadOptions = new() { AllowDuplicateProperties = false };

    /// <summary>A string of a request, or null when it is not valid text (a lone surrogate escape).</summary>
    public static string? Text(JsonElement e)
    {
        try { return e.GetString(); }
        catch (InvalidOperationException) { return null; }
    }

    /// <summary>The body as JSON, or the problem to answer with: 400 for invalid JSON, 413 over the size limit.</summary>
    public static async Task<(JsonDocument? Doc, IResult? Problem)> ReadJson(HttpContext http)
    {
        try { return (await JsonDocument.ParseAsync(http.Request.Body, ReadOptions, http.RequestAborted), null); }
        catch (JsonException e) { return (null, Problem(400, "The body is not valid JSON", e.Message, "body")); }
        catch (InvalidOperationException) { return (null, Bad(LiveEventReader.NotText)); } // the duplicate-key check reads names: a lone surrogate in one
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Problem(413, "The request body is too large", e.Message, "body"));
        }
    }

    public static string RouteValue(string id) => id.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);

    /// <summary>404 naming the model a route needs and how to load it.</summary>
    public static IResult NoModel(string task, string route) =>
        Problem(StatusCodes.Status404NotFound, $"No {task} model is loaded",
            $"{route} needs a {task} bundle: start the server with --model OUT/models/<model> from a `shopcast run --task {task}`");

    /// <summary>
    /// Refuses query parameters the route does not take, and reads the ones it does; a bad value is a 400 naming it.
    /// </summary>
    public static IResult? UnknownQuery(HttpContext http, params string[] allowed)
    {
        foreach (var key in http.Request.Query.Keys)
            if (!allowed.Contains(key))
                return Problem(400, $"Unknown query parameter '{key}'", allowed.Length == 0 ? "this route takes none" : $"this route takes {string.Join(", ", allowed)}", key);
        return null;
    }

    public static (int Value, IResult? Problem) IntQuery(HttpContext http, string name, int fallback, int min, int max)
    {
        var raw = http.Request.Query[name];
        if (raw.Count == 0) return (fallback, null);
        if (raw.Count > 1) return (0, Problem(400, $"Query parameter '{name}' is given {raw.Count} times", "give it once", name));
        if (!int.TryParse(raw[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v) || v < min || v > max)
            return (0, Problem(400, $"Query parameter '{name}' must be a whole number from {min} to {max}", $"found '{raw}'", name));
        return (v, null);
    }

    public static (bool Value, IResult? Problem) BoolQuery(HttpContext http, string name, bool fallback)
    {
        var raw = http.Request.Query[name];
        if (raw.Count == 0) return (fallback, null);
        if (raw.Count > 1) return (false, Problem(400, $"Query parameter '{name}' is given {raw.Count} times", "give it once", name));
        return raw[0] is "true" or "false"
            ? (raw[0] == "true", null)
            : (false, Problem(400, $"Query parameter '{name}' must be true or false", $"found '{raw}'", name));
    }

    public static (string? Value, IResult? Problem) IdQuery(HttpContext http, string name)
    {
        var raw = http.Request.Query[name];
        if (raw.Count == 0) return (null, null);
        var why = raw.Count > 1 ? "it is given more than once" : LiveEventReader.IdProblem(raw[0]!);
        return why is null ? (raw[0], null) : (null, Problem(400, $"Query parameter '{name}' is not usable", why, name));
    }

    /// <summary>
    /// A route's {id}: 400 when it cannot be an id (empty, over 256 characters, control characters). ASP.NET Core
    /// leaves an encoded '/' (%2F) encoded in a route value; <see cref="RouteValue"/> decodes it, so ids with '/' work.
    /// </summary>
    public static IResult? RouteId(string id, string name)
    {
        var why = LiveEventReader.IdProblem(RouteValue(id));
        return why is null ? null : Problem(400, $"The {name} id is not usable", why, name);
    }
}
