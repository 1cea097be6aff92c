using Shopcast.Data;
using Shopcast.Features;
using Shopcast.Jobs;
using Shopcast.Reporting;

namespace Shopcast.Tests.Tabular;

public class UciShoppersTests
{
    private const string Header = "Administrative,Administrative_Duration,Informational,Informational_Duration,ProductRelated,ProductRelated_Duration,BounceRates,ExitRates,PageValues,SpecialDay,Month,OperatingSystems,Browser,Region,TrafficType,VisitorType,Weekend,Revenue";

    [Fact]
    public void Bad_rows_are_counted_by_reason_and_good_rows_one_hot_encoded()
    {
        using var dir = new TestData.TempDir();
        var path = dir.File("shoppers.csv", string.Join("\n",
            Header,
            "0,0,0,0,1,0,0.2,0.2,0,0,Feb,1,1,1,1,Returning_Visitor,FALSE,FALSE",
            "2,64,0,0,12,600,0,0.01,25.5,0,Nov,2,2,3,2,New_Visitor,TRUE,TRUE",
            "0,0,0,0,1,0,0.2,0.2,0,0,Feb,1,1,1,1,Returning_Visitor,FALSE",            // a field short
            "x,0,0,0,1,0,0.2,0.2,0,0,Feb,1,1,1,1,Returning_Visitor,FALSE,FALSE",      // not a number
            "0,0,0,0,1,0,0.2,0.2,0,0,Fab,1,1,1,1,Returning_Visitor,FALSE,FALSE",      // unknown month
            "0,0,0,0,1,0,0.2,0.2,0,0,Mar,1,1,1,1,Returning_Visitor,FALSE,MAYBE") + "\n");
        var (table, account) = UciShoppers.Read(path);
        Assert.Equal(6, account.RowsRead);
        Assert.Equal(2, account.Kept);
        Assert.Equal(1, account.Rejected["wrong number of fields"]);
        Assert.Equal(4, account.FirstRejectLine["wrong number of fields"]);
        Assert.Equal(1, account.Rejected["numeric field not a number >= 0"]);
        Assert.Equal(1, account.Rejected["unknown month"]);
        Assert.Equal(1, account.Rejected["Revenue not TRUE/FALSE"]);
        Assert.Equal(account.RowsRead, account.Kept + account.Rejected.Values.Sum());
        Assert.Equal(new float[] { 0, 1 }, table.Labels);
        int nov = table.Columns.ToList().IndexOf("Month=Nov");
        Assert.Equal(new float[] { 0, 1 }, new[] { table[0, nov], table[1, nov] });
        Assert.Equal(25.5f, table[1, table.Columns.ToList().IndexOf("PageValues")]);
    }

    [Fact]
    public void A_file_without_the_columns_says_which_are_missing()
    {
        using var dir = new TestData.TempDir();
        var path = dir.File("other.csv", "user,item,time\n1,2,3\n");
        var e = Assert.Throws<DataFormatException>(() => UciShoppers.Read(path));
        Assert.Contains("header lacks", e.Message);
        Assert.Contains("Revenue", e.Message);
        // Read as a session table it is refused by name; read as an event log it has no purchases to predict.
        var job = Assert.ThrowsAny<ShopcastInputException>(() => ClassificationJob.Run(
            new RunOptions { DataPath = path, Format = "uci-shoppers", Task = "purchase-intent", Models = new[] { "lr" }, OutDir = dir["out"] }, ProgressReporter.Quiet));
        Assert.Contains("header lacks", job.Message);
        var log = dir.File("views.csv", "user,item,time,type\n1,2,2024-01-01T10:00:00Z,view\n1,3,2024-01-01T10:05:00Z,view\n");
        job = Assert.ThrowsAny<ShopcastInputException>(() => ClassificationJob.Run(
            new RunOptions { DataPath = log, Format = "csv", Columns = "user=user,item=item,time=time,type=type", Task = "purchase-intent", Models = new[] { "lr" }, OutDir = dir["out2"] }, ProgressReporter.Quiet));
        Assert.Contains("no purchase events", job.Message);
    }

    /// <summary>The real UCI file, 5 folds, LightGBM and the linear baseline: the published XGBoost auROC is 0.937.</summary>
    [RealDataFact("uci-online-shoppers-intention/online_shoppers_intention.csv")]
    public void Real_file_lightgbm_beats_the_linear_baseline_on_stratified_folds()
    {
        using var dir = new TestData.TempDir();
        var r = ClassificationJob.Run(new RunOptions
        {
            DataPath = RealData.Path("uci-online-shoppers-intention/online_shoppers_intention.csv"), Task = "purchase-intent",
            Models = new[] { "lr", "lgbm" }, OutDir = dir.Path,
        }, ProgressReporter.Quiet);
        Assert.Equal(12_330, r.Dataset.Examples);
        Assert.Equal(1_908, r.Dataset.Positives);
        double lr = r.Results[0].Metrics["AUC"], lgbm = r.Results[1].Metrics["AUC"];
        Assert.True(lgbm > 0.92, $"lgbm AUC {lgbm}");
        Assert.True(lgbm > lr, $"lgbm {lgbm} vs lr {lr}");
        Assert.True(File.Exists(Path.Combine(dir.Path, "report.md")));
        // LightGBM's SHAP explanations: the 20 highest-scored rows and 5 random ones, and a table in the report.
        Assert.Equal(25, File.ReadAllLines(Path.Combine(dir.Path, "explanations.jsonl")).Length);
        Assert.Contains("(lgbm, SHAP values)", File.ReadAllText(Path.Combine(dir.Path, "report.md")));
        var (model, columns, threshold) = ClassificationJob.LoadBundle(Path.Combine(dir.Path, "models", "lgbm"));
        Assert.Equal(r.Dataset.Features, columns.Count);
        Assert.InRange(threshold, 0.01, 0.99);
    }
}
