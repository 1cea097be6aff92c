using Shopcast.Data.Synthetic;
using Shopcast.Reporting;

namespace Shopcast.Jobs;

/// <summary>
/// <c>shopcast quickstart</c>: the whole pipeline in one command. Without data it first writes the simulated shop
/// (synthetic, see <see cref="SimulatedShop"/>) into the run folder, so it works offline on a fresh machine.
/// </summary>
public static class QuickstartJob
{
    public static readonly string[] DefaultModels = { "pop", "itemknn", "sknn" };

    public static RunResult Run(string? dataPath, string? format, string? columns, string outDir, int seed, ProgressReporter progress)
    {
        if (dataPath is not null)
            return RunJob.Run(new RunOptions
            {
                DataPath = dataPath, Format = format, Columns = columns, OutDir = outDir, Seed = seed, Models = DefaultModels,
            }, progress);
        if (format is not null || columns is not null)
            throw new Data.ShopcastInputException("--format and --columns describe a log given with --data; without --data quickstart simulates its own shop");
        RunJob.CreateOutDir(outDir);

        var csv = Path.Combine(outDir, "simulated-shop.synthetic.csv");
        var events = progress.Step("Simulating a shop (synthetic data)", 1, _ => SimulatedShop.WriteCsv(csv, new SimulatedShopOptions { Seed = seed }));
        progress.Info($"Wrote {events:N0} synthetic events to {csv}");
        return RunJob.Run(new RunOptions
        {
            DataPath = csv,
            Format = "csv",
            Columns = SimulatedShop.Columns,
            OutDir = outDir,
            Seed = seed,
            Models = DefaultModels,
            DatasetName = "simulated-shop",
            DatasetNote = "SYNTHETIC data: the seeded simulated shop of `shopcast quickstart` (shoppers with latent tastes, " +
                          "sessions and a view -> cart -> purchase funnel). Its numbers say nothing about real shops.",
        }, progress);
    }
}
