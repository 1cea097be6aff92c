using Shopcast.Jobs;
using Shopcast.Reporting;

namespace Shopcast.Tests.Tabular;

/// <summary>Next-day conversion on the real Taobao slice: the model must beat every single-feature rule of thumb.</summary>
public class TaobaoConversionTests
{
    [RealDataFact("taobao-userbehavior-815users/UserBehavior.csv")]
    public void Lightgbm_beats_the_best_single_feature_on_the_last_day()
    {
        using var dir = new TestData.TempDir();
        var r = ClassificationJob.Run(new RunOptions
        {
            DataPath = RealData.Path("taobao-userbehavior-815users/UserBehavior.csv"), Task = "conversion", Models = new[] { "lgbm" }, OutDir = dir.Path,
        }, ProgressReporter.Quiet);
        double model = r.Results[0].Metrics["AUC"];
        double best = r.Baselines.Max(b => b.Metrics["AUC"]);
        Assert.True(model > best + 0.05, $"lgbm AUC {model} vs best rule of thumb {best}");
    }
}
