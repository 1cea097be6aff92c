using Shopcast.Data.Synthetic;

namespace Shopcast.Tests.Cli;

/// <summary>Bad input: one clear error, exit code 2, no stack trace. Success: 0.</summary>
[Collection("console")]
public class ExitCodeTests
{
    private static (int code, string err) Run(params string[] args)
    {
        var (code, _, err) = RunCapturing(args);
        return (code, err);
    }

    private static (int code, string output, string err) RunCapturing(params string[] args) => CliRunner.Run(args);

    private static string SmallShop(TestData.TempDir tmp, int users = 50)
    {
        var csv = tmp["shop.csv"];
        SimulatedShop.WriteCsv(csv, new SimulatedShopOptions { Users = users, Categories = 3, ItemsPerCategory = 10 });
        return csv;
    }

    private static string[] OnShop(string csv, TestData.TempDir tmp, params string[] more) =>
        new[] { "run", "--data", csv, "--format", "csv", "--columns", SimulatedShop.Columns, "--out", tmp["o"], "--quiet" }.Concat(more).ToArray();

    private static string OneLine(string err)
    {
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line, got:\n{err}");
        Assert.StartsWith("error: ", lines[0]);
        return lines[0];
    }

    [Fact]
    public void Store_at_the_input_log_is_refused_by_run_and_inspect_and_the_log_survives()
    {
        using var tmp = new TestData.TempDir();
        var csv = SmallShop(tmp);
        var before = File.ReadAllBytes(csv);
        var (code, err) = Run(OnShop(csv, tmp, "--store", csv));
        Assert.Equal(2, code);
        Assert.Contains("--store", OneLine(err));
        (code, err) = Run("inspect", "--data", csv, "--format", "csv", "--columns", SimulatedShop.Columns, "--store", csv, "--quiet");
        Assert.Equal(2, code);
        Assert.Contains("--store", OneLine(err));
        var notes = tmp.File("notes.txt", "keep me");
        (code, err) = Run("inspect", "--data", csv, "--format", "csv", "--columns", SimulatedShop.Columns, "--store", notes, "--quiet");
        Assert.Equal(2, code);
        Assert.Contains("not a DuckDB database", OneLine(err));
        Assert.Equal("keep me", File.ReadAllText(notes));
        Assert.Equal(before, File.ReadAllBytes(csv));
    }

    [Fact]
    public void A_gz_that_is_not_gzip_is_exit_code_2_not_an_internal_error()
    {
        using var tmp = new TestData.TempDir();
        var path = tmp.File("log.csv.gz", "1,10,100,pv,1511600000\n");
        var (code, err) = Run("inspect", "--data", path, "--quiet");
        Assert.Equal(2, code);
        Assert.Contains("log.csv.gz", OneLine(err));
        Assert.DoesNotContain("internal error", err);
    }

    [Theory]
    [InlineData("--kcore", "abc", "a whole number")]
    [InlineData("--seed", "x1", "a whole number")]
    [InlineData("--sampled", "1.5", "a whole number")]
    [InlineData("--session-gap", "NaN", "a number")]
    public void A_mistyped_number_is_one_line_naming_the_option(string option, string value, string expected)
    {
        var (code, err) = Run("run", "--data", "x.csv", option, value);
        Assert.Equal(2, code);
        var line = OneLine(err);
        Assert.Contains($"{option} {value}: expected {expected}", line);
        Assert.DoesNotContain("System.", line);
    }

    [Fact]
    public void A_kcore_that_removes_everything_blames_the_kcore_filter()
    {
        using var tmp = new TestData.TempDir();
        var (code, err) = Run(OnShop(SmallShop(tmp), tmp, "--kcore", "1000000"));
        Assert.Equal(2, code);
        var line = OneLine(err);
        Assert.Contains("k-core filter removed every event", line);
        Assert.Contains("smaller --kcore", line);
    }

    [Theory]
    [InlineData("--split", "sesion", "--split sesion")]
    [InlineData("--split", "given-test", "--test FILE")]
    [InlineData("--models", "pop,pop", "named twice")]
    [InlineData("--models", "pop,itemknn,POP", "named twice")]
    [InlineData("--set", "itemknn.decay=NaN", "itemknn.decay=NaN: expected a finite number")]
    [InlineData("--set", "pop.x=1", "'pop' has no settings")]
    public void Bad_split_models_and_settings_are_refused_before_reading_the_data(string option, string value, string message)
    {
        // The data file does not exist: the option must be refused first, without ingesting anything.
        var (code, err) = Run("run", "--data", "/no/such/log.csv", option, value, "--quiet");
        Assert.Equal(2, code);
        Assert.Contains(message, OneLine(err));
    }

    [Fact]
    public void An_out_folder_that_is_a_file_is_named_as_the_option()
    {
        using var tmp = new TestData.TempDir();
        var csv = SmallShop(tmp);
        var args = OnShop(csv, tmp);
        args[Array.IndexOf(args, "--out") + 1] = "/dev/null";
        var (code, err) = Run(args);
        Assert.Equal(2, code);
        Assert.Contains("--out /dev/null: is a file, not a folder", OneLine(err));
        (code, err) = Run("quickstart", "--out", csv, "--quiet");
        Assert.Equal(2, code);
        Assert.Contains("is a file, not a folder", OneLine(err));
    }

    [Fact]
    public void Sampled_negatives_beyond_the_catalogue_are_refused_rather_than_mislabelled()
    {
        using var tmp = new TestData.TempDir();
        var (code, err) = Run(OnShop(SmallShop(tmp), tmp, "--models", "pop", "--sampled", "100000"));
        Assert.Equal(2, code);
        Assert.Contains("the catalogue has only", OneLine(err));
    }

    [Fact]
    public void Quickstart_on_a_csv_log_takes_columns()
    {
        using var tmp = new TestData.TempDir();
        var csv = SmallShop(tmp, users: 80);
        var (code, err) = Run("quickstart", "--data", csv, "--format", "csv", "--columns", SimulatedShop.Columns, "--out", tmp["q"], "--quiet");
        Assert.True(code == 0, err);
        Assert.True(File.Exists(Path.Combine(tmp["q"], "metrics.json")));
        (code, err) = Run("quickstart", "--format", "csv", "--out", tmp["q2"], "--quiet");
        Assert.Equal(2, code);
        Assert.Contains("--data", OneLine(err));
    }

    [Fact]
    public void The_simulated_shop_csv_is_not_taken_for_personalize_and_the_run_says_which_format_it_used()
    {
        using var tmp = new TestData.TempDir();
        var csv = SmallShop(tmp);
        var (code, err) = Run("run", "--data", csv, "--out", tmp["o"], "--quiet");
        Assert.Equal(2, code);
        var line = OneLine(err);
        Assert.Contains("cannot tell the format", line);
        Assert.Contains("--format csv --columns", line);

        var taobao = tmp.File("UserBehavior.csv", string.Concat(Enumerable.Range(0, 400)
            .Select(i => $"{i % 40 + 1},{i % 23 + 10},7,pv,{1511600000 + i * 60}\n")));
        (code, _, err) = RunCapturing("run", "--data", taobao, "--models", "pop", "--out", tmp["t"]);
        Assert.True(code == 0, err);
        Assert.Contains("Format: taobao (detected from the file)", err);
        (code, _, err) = RunCapturing("run", "--data", taobao, "--format", "taobao", "--models", "pop", "--out", tmp["t2"]);
        Assert.True(code == 0, err);
        Assert.Contains("Format: taobao (given)", err);
    }

    [Fact]
    public void Inspect_help_says_quiet_hides_progress_only()
    {
        var (code, output, _) = RunCapturing("inspect", "--help");
        Assert.Equal(0, code);
        Assert.Contains("the profile is still printed", output);
        Assert.DoesNotContain("No progress bars or tables", output);
    }

    [Theory]
    [InlineData("dwell", "--sampled", "100")]
    [InlineData("bounce", "--split", "loo")]
    [InlineData("conversion", "--folds", "3")]
    public void An_option_the_task_does_not_read_is_refused(string task, string option, string value)
    {
        var (code, err) = Run("run", "--task", task, "--data", "/no/such/file.csv", option, value, "--quiet");
        Assert.Equal(2, code);
        Assert.Contains($"{option}: is an option of", err);
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
        (code, err) = Run("run", "--data", csv, "--format", "csv", "--columns", SimulatedShop.Columns, "--models", "pop", "--set", "pop.x=1", "--out", tmp["o"], "--quiet");
        Assert.Equal(2, code);
        Assert.Contains("'pop' has no settings", OneLine(err));
        (code, err) = Run("run", "--data", csv, "--format", "csv", "--columns", SimulatedShop.Columns, "--models", "itemknn", "--set", "itemknn.decay=NaN", "--out", tmp["o"], "--quiet");
        Assert.Equal(2, code);
        Assert.Contains("itemknn.decay=NaN", OneLine(err));
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
