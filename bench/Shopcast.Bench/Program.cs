using Shopcast.Bench;

return BenchMain.Run(args);
