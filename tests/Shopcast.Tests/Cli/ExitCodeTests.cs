using Shopcast.Cli;
using Shopcast.Data.Synthetic;

namespace Shopcast.Tests.Cli;

/// <summary>Bad input: one clear error, exit code 2, no stack trace. Success: 0.</summary>
[Collection("console")]
public class ExitCodeTests
{
    private static (int code, string err) Run(params string[] args)
    {
        var old = Console.Error;
        var err = new StringWriter();
        Console.SetError(err);
        try { return (ShopcastCli.Main(args), err.ToString()); }
        finally { Console.SetError(old); }
    }

    [Fact]
    public void Missing_file_is_exit_code_2_with_one_line()
    {
        var (code, err) = Run("run", "--data", "/no/such/file.csv", "--quiet");
        Assert.Equal(2, code);
        Assert.Contains("file not found", err);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void Missing_required_option_and_unknown_options_are_exit_code_2()
    {
        Assert.Equal(2, Run("run").code);
        Assert.Equal(2, Run("run", "--data", "x", "--no-such-option").code);
        Assert.Equal(2, Run("frobnicate").code);
    }

    [Fact]
    public void Unknown_model_and_bad_settings_are_exit_code_2()
    {
        using var tmp = new TestData.TempDir();
        var csv = tmp["shop.csv"];
        SimulatedShop.WriteCsv(csv, new SimulatedShopOptions { Users = 50, Categories = 3, ItemsPerCategory = 10 });
        var (code, err) = Run("run", "--data", csv, "--format", "csv", "--columns", SimulatedShop.Columns, "--models", "pop,nosuch", "--out", tmp["o"], "--quiet");
        Assert.Equal(2, code);
        Assert.Contains("unknown model 'nosuch'", err);
        (code, err) = Run("run", "--data", csv, "--format", "csv", "--columns", SimulatedShop.Columns, "--models", "itemknn", "--set", "itemknn.neigbours=5", "--out", tmp["o"], "--quiet");
        Assert.Equal(2, code);
        Assert.Contains("no setting 'neigbours'", err);
    }

    [Fact]
    public void A_file_in_the_wrong_format_names_file_line_and_expectation()
    {
        using var tmp = new TestData.TempDir();
        var path = tmp.File("notaobao.csv", string.Join("\n", Enumerable.Range(0, 60).Select(i => $"{i};{i};x")) + "\n");
        var (code, err) = Run("run", "--data", path, "--format", "taobao", "--out", tmp["o"], "--quiet");
        Assert.Equal(2, code);
        Assert.Contains("notaobao.csv", err);
        Assert.Contains("line 1", err);
        Assert.Contains("expected", err);
    }

    [Fact]
    public void A_good_quiet_run_is_exit_code_0()
    {
        using var tmp = new TestData.TempDir();
        var csv = tmp["shop.csv"];
        SimulatedShop.WriteCsv(csv, new SimulatedShopOptions { Users = 100, Categories = 4, ItemsPerCategory = 10 });
        var (code, err) = Run("run", "--data", csv, "--format", "csv", "--columns", SimulatedShop.Columns, "--out", tmp["o"], "--quiet");
        Assert.True(code == 0, err);
        Assert.True(File.Exists(Path.Combine(tmp["o"], "metrics.json")));
    }
}
