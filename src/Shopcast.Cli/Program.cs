using Shopcast.Cli;

return ShopcastCli.Run(args);
