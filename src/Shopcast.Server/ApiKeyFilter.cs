using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Shopcast.Server;

/// <summary>
/// Guards the write and admin routes: the request's <c>X-Api-Key</c> header must equal the server's key (from the
/// environment variable <c>SHOPCAST_API_KEY</c>), compared in constant time; otherwise 401. A server started without
/// a key refuses those routes (it cannot tell a client from anyone else). The key is never logged or echoed.
/// </summary>
internal sealed class ApiKeyFilter : IEndpointFilter
{
    public const string Header = "X-Api-Key";
    /// <summary>Endpoint metadata of a guarded route, for the OpenAPI document's security requirement.</summary>
    public sealed class Required { }
    public const string EnvironmentVariable = "SHOPCAST_API_KEY";
    private readonly byte[]? _key;

    // Digests are compared, not the keys: FixedTimeEquals returns at once on a length difference, which would tell the key's length.
    public ApiKeyFilter(string? key) => _key = string.IsNullOrEmpty(key) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(key));

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (_key is null)
            return ValueTask.FromResult<object?>(Unauthorized(http, "This server has no API key",
                $"write and admin routes need one: start the server with the environment variable {EnvironmentVariable} set, and send it as the {Header} header"));
        var sent = http.Request.Headers[Header];
        if (sent.Count != 1 || !CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(sent[0] ?? "")), _key))
            return ValueTask.FromResult<object?>(Unauthorized(http, sent.Count == 0 ? $"Missing {Header} header" : $"Wrong {Header}",
                $"this route needs the server's API key (the {EnvironmentVariable} it was started with) in the {Header} header"));
        return next(context);
    }

    private static IResult Unauthorized(HttpContext http, string title, string detail)
    {
        http.Response.Headers.WWWAuthenticate = $"ApiKey header=\"{Header}\"";
        return HttpProblems.Problem(StatusCodes.Status401Unauthorized, title, detail, Header);
    }
}
