using System.Text.Json;

namespace Shopcast.Tests.Cli;

/// <summary>`shopcast predict recommendations`: a bundle from a run on SYNTHETIC sequences, users from a file, one JSON line each.</summary>
[Collection("console")]
public sealed class PredictRecommendationsTests
{
    [Fact]
    public void Writes_one_line_per_user_with_history_from_the_runs_store_and_marks_unknown_users_cold()
    {
        using var tmp = new TestData.TempDir();
        var log = tmp.File("log.txt", string.Join("\n", Enumerable.Range(0, 40).Select(u => $"{u + 1} {u % 7 + 1} {(u + 1) % 7 + 1} {(u + 2) % 7 + 1}")) + "\n");
        var (code, _, err) = CliRunner.Run("run", "--data", log, "--format", "sequences", "--models", "itemknn", "--out", tmp["run"], "--quiet");
        Assert.True(code == 0, err);
        var users = tmp.File("users.txt", "4\n\nstranger\n6\n");
        (code, var output, err) = CliRunner.Run("predict", "recommendations", "--model", Path.Combine(tmp["run"], "models", "itemknn"), "--users", users, "-k", "2");
        Assert.True(code == 0, err);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(new[] { "4", "stranger", "6" }, lines.Select(l => l.GetProperty("user").GetString()));
        Assert.False(lines[0].GetProperty("cold_start").GetBoolean());
        Assert.Equal(2, lines[0].GetProperty("items").GetArrayLength());
        Assert.True(lines[1].GetProperty("cold_start").GetBoolean());
        Assert.Equal("popular-now", lines[1].GetProperty("source").GetString());
        Assert.Contains("3 users scored", err);

        (code, _, err) = CliRunner.Run("predict", "recommendations", "--model", Path.Combine(tmp["run"], "models", "itemknn"), "--users", tmp["none.txt"]);
        Assert.Equal(2, code);
        Assert.Contains("file not found", err);
    }
}
