namespace Shopcast.Tests.Cli;

/// <summary>`shopcast serve` start-up refusals: one error line, exit code 2, never a listening server.</summary>
[Collection("console")]
public sealed class ServeCliTests
{
    [Theory]
    [InlineData("notaurl", "not an address")]
    [InlineData("https://127.0.0.1:18443", "https needs a certificate")]
    [InlineData("http://127.0.0.1:99999", "not an address")]
    [InlineData("http://example.invalid:18084", "is not an IP address")]
    [InlineData("", "empty")]
    [InlineData("http://127.0.0.1:18086/path", "has no path")]
    public void A_bad_urls_is_one_error_line(string urls, string expected)
    {
        using var tmp = new TestData.TempDir();
        var bundle = Server.ServerHarness.NextItemBundle(tmp["b"]);
        var (code, output, err) = CliRunner.Run("serve", "--model", bundle, "--urls", urls, "--store", tmp["s.duckdb"], "--history", "none");
        Assert.Equal(2, code);
        Assert.StartsWith("error: --urls", err.Trim());
        Assert.Contains(expected, err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", output + err);
    }
}
