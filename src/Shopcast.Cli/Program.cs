using System.CommandLine;
using Shopcast.Cli;

return ShopcastCli.Main(args);
