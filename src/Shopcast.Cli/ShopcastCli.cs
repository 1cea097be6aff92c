using System.CommandLine;
using System.CommandLine.Parsing;
using System.CommandLine.Help;
using System.Globalization;
using Shopcast.Data;
using Shopcast.Data.Formats;
using Shopcast.Data.Reviews;
using Shopcast.Jobs;
using Shopcast.Models;
using Shopcast.Reporting;
using Spectre.Console;

namespace Shopcast.Cli;

/// <summary>
/// The <c>shopcast</c> command. Thin by design: it parses options, calls the library and prints.
/// Exit codes: 0 success, 2 bad input (one line on stderr saying what to fix), 1 internal failure.
/// </summary>
public static class ShopcastCli
{
    public static int Run(string[] args)
    {
        // Wide tables when the output is a file or a pipe (Spectre would otherwise wrap at 80 columns).
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 200;
        // A plain Command named "shopcast" (not RootCommand, which takes the dll's name) so --help shows the real command name.
        var root = new Command("shopcast", "Shopcast: learn from an online shop's behaviour logs and predict what shoppers do next.")
        {
            new HelpOption(), new VersionOption(),
            RunCommand(), PredictCommand(), ServeCommand(), QuickstartCommand(), InspectCommand(), FormatsCommand(), ModelsCommand(),
        };
        var parse = root.Parse(args.Length == 0 ? new[] { "--help" } : args);
        if (parse.Errors.Count > 0)
        {
            // One line, as for every other bad input: what is wrong, then where to read the usage.
            var names = new List<string>();
            for (SymbolResult? r = parse.CommandResult; r is CommandResult c; r = c.Parent) names.Insert(0, c.Command.Name);
            var command = string.Join(" ", names);
            Console.Error.WriteLine($"error: {string.Join("; ", parse.Errors.Select(e => e.Message.TrimEnd('.')))} (see '{command} --help')");
            return 2;
        }
        return parse.Invoke();
    }

    // ---- shared options -------------------------------------------------------------------------------------

    private static Option<string?> FormatOption() => new("--format", "-f")
    {
        Description = "Log format: " + string.Join(", ", FormatCatalog.Names) + ". Detected from the file when omitted.",
    };

    private static Option<string?> ColumnsOption() => new("--columns")
    {
        Description = "Column mapping for --format csv, e.g. user=uid,item=sku,time=ts,type=event; for --task sentiment " +
                      "text=review,label=label or text=review,rating=stars (optional title=, category=). See docs/formats.md.",
    };

    private static Option<bool> QuietOption() => new("--quiet", "-q") { Description = "No progress bars or tables; only errors (for scripts)." };

    private static Option<int> SeedOption() => IntOption("--seed", "Random seed: same seed, data and settings give the same metrics.", 42);

    /// <summary>An integer option whose bad value is one plain line ("--kcore abc: expected a whole number"), not
    /// System.CommandLine's message naming System.Int32.</summary>
    private static Option<int> IntOption(string name, string description, int fallback) =>
        Typed(name, description, fallback, "a whole number",
            (string t, out int v) => int.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out v));

    private static Option<double> DoubleOption(string name, string description, double fallback) =>
        Typed(name, description, fallback, "a number",
            (string t, out double v) => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out v) && double.IsFinite(v));

    private delegate bool TryParse<T>(string text, out T value);

    private static Option<T> Typed<T>(string name, string description, T fallback, string expected, TryParse<T> parse) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => fallback,
        CustomParser = r =>
        {
            if (r.Tokens.Count == 0) return fallback;
            var text = r.Tokens[^1].Value;
            if (parse(text, out var v)) return v;
            r.AddError($"{name} {text}: expected {expected}");
            return fallback;
        },
    };

    // ---- run ----------------------------------------------------------------------------------------------

    private static Command RunCommand()
    {
        var data = new Option<string>("--data", "-d")
        {
            Description = "Event log to learn from (CSV/TSV/TXT, optionally .gz); for --task purchase-intent also the UCI online shoppers table; " +
                          "for --task sentiment a review file (CSV/TSV/TXT/JSONL, .gz or .zip read in place) or a Blitzer folder of .review files.",
            Required = true,
        };
        var format = new Option<string?>("--format", "-f")
        {
            Description = "Log format: " + string.Join(", ", FormatCatalog.Names) + "; or uci-shoppers (the UCI session table, --task purchase-intent); " +
                          "review formats for --task sentiment: " + string.Join(", ", ReviewReaders.Formats.Select(f => f.Name)) + ". Detected from the file when omitted.",
        };
        var columns = ColumnsOption();
        var task = new Option<string>("--task")
        {
            Description = "What to predict: next-item (recommendation); purchase-intent (will the session buy: the UCI online shoppers " +
                          "table, cross-validated, or an event log with purchases, sessions cut into prefixes, time-ordered); conversion (will the " +
                          "user buy this item, or --level category, in the log's last 24 hours; an event log with purchases); preference (the category, or " +
                          "--level brand, of each shopper's next event: next-item models over categories, HR@k = top-k accuracy); bounce (will a " +
                          "session that just began end after one event); dwell (seconds on a viewed item, and session length; needs clock times); " +
                          "all (every task the data supports, each with its default models in OUT/TASK, the rest skipped with the reason); " +
                          "sentiment (each review negative, neutral or positive, from a review file: Chinese or English).",
            DefaultValueFactory = _ => "next-item",
        };
        var models = new Option<string?>("--models", "-m")
        {
            Description = "Comma-separated models. next-item: " + string.Join(", ", ModelCatalog.NextItem.Select(e => e.Name)) +
                          " (default pop,itemknn; preference: pop,repeat,sknn). purchase-intent, conversion, bounce: " + string.Join(", ", ClassifierCatalog.All.Select(e => e.Name)) +
                          " (default lr,lgbm,mlp). dwell: " + string.Join(", ", RegressorCatalog.All.Select(e => e.Name)) + " (default linear,lgbm). " +
                          "sentiment: " + string.Join(", ", SentimentCatalog.All.Select(e => e.Name)) + $" (default {string.Join(",", SentimentJob.DefaultModels)}).",
        };
        var folds = IntOption("--folds", "purchase-intent on the UCI table: stratified cross-validation folds.", 5);
        var level = new Option<string?>("--level")
        {
            Description = "What is predicted. conversion: item (buys this item; default) or category (buys in this category). " +
                          "preference: category (default) or brand.",
        };
        var output = new Option<string>("--out", "-o") { Description = "Run folder for metrics.json, report.md and models/.", DefaultValueFactory = _ => "runs/latest" };
        var seed = SeedOption();
        var split = new Option<string>("--split")
        {
            Description = "auto | loo (leave-one-out per user) | temporal (global time cut) | session (session prefix -> next). " +
                          "auto: session for logs without users beyond sessions, else loo. sentiment: train/validation/test percentages, auto = 80/10/10.",
            DefaultValueFactory = _ => "auto",
        };
        var test = new Option<string?>("--test") { Description = "A benchmark's own test file (target<TAB>prefix rows, or one session per line); replaces --split." };
        var excludeSeen = new Option<string>("--exclude-seen")
        {
            Description = "auto | true | false: remove the history's items from the candidates. auto: true for per-user splits, false for session splits.",
            DefaultValueFactory = _ => "auto",
        };
        var sampled = IntOption("--sampled",
            "Rank the target among N uniformly sampled negatives instead of the whole catalogue (labelled 'sampled' in all output; " +
            "N must be below the number of items). 0 = full ranking.", 0);
        var kcore = IntOption("--kcore", "Keep only users and items with at least K events (repeated until stable; on all data, before the split). 0 = off.", 0);
        var gap = DoubleOption("--session-gap", "Minutes of inactivity that end a session, where the log has no session ids.", 30);
        var events = new Option<string?>("--events") { Description = "Only these event types form the sequences, e.g. purchase or view,cart. Default: all." };
        var attributes = new Option<string?>("--item-attributes")
        {
            Description = "Item attributes for side information (JSON {\"item\": [attribute ids]}), used by sasrec. " +
                          "Default: DATA-STEM_item2attributes.json beside --data when it exists; 'none' turns them off.",
        };
        var store = new Option<string?>("--store") { Description = "Event store file (DuckDB). Default: OUT/events.duckdb. An earlier store there is replaced; any other file is refused." };
        var set = new Option<string[]>("--set") { Description = "A model setting, model.key=value (repeatable), e.g. --set itemknn.neighbours=100.", AllowMultipleArgumentsPerToken = false };
        var stars = new Option<string?>("--stars") { Description = "sentiment: how 1-5 star ratings become classes. Default negative=1-2,neutral=3,positive=4-5." };
        var maxChars = IntOption("--max-chars", "sentiment: reviews longer than this many characters are rejected and counted (not cut).", ReviewReaders.DefaultMaxChars);
        var noBalance = new Option<bool>("--no-balance") { Description = "sentiment: no class weights (by default each class weighs n / (classes · n_class) in the loss)." };
        var quiet = QuietOption();
        var cmd = new Command("run", "The main job: ingest a log (or a review file), split it without leakage, train models, evaluate them (next-item: full ranking; " +
                                     "yes/no tasks: AUC, PR-AUC, calibration; sentiment: Accuracy, MacroF1, confusion matrix), write a report and model bundles.")
        {
            data, format, columns, task, models, output, seed, split, test, excludeSeen, sampled, kcore, gap, events, attributes, store, folds, level,
            stars, maxChars, noBalance, set, quiet,
        };
        cmd.SetAction(p => Guard(p.GetValue(quiet), progress =>
        {
            var taskName = p.GetValue(task)!.Trim().ToLowerInvariant();
            bool classification = ClassificationJob.Tasks.Contains(taskName);
            bool browsing = BrowsingJob.Tasks.Contains(taskName);
            bool all = taskName == AllTasksJob.All;
            bool sentiment = taskName == SentimentJob.TaskName;
            if (!classification && !browsing && !all && !sentiment && !RunJob.Tasks.Contains(taskName))
                throw new ShopcastInputException($"--task {taskName}: unknown task; available: {string.Join(", ", RunJob.Tasks.Concat(ClassificationJob.Tasks).Concat(BrowsingJob.Tasks).Append(SentimentJob.TaskName).Append(AllTasksJob.All))}");
            // An option the task does not read is refused rather than silently ignored.
            bool ranking = RunJob.Tasks.Contains(taskName) || all;
            foreach (var (option, applies, which) in new (Option, bool, string)[]
            {
                (split, ranking || sentiment, "next-item, preference and sentiment"), (test, ranking, "next-item and preference"),
                (excludeSeen, ranking, "next-item and preference"), (sampled, ranking, "next-item and preference"),
                (events, ranking, "next-item and preference"), (attributes, ranking, "next-item and preference"),
                (folds, all || taskName is ClassificationJob.PurchaseIntent && IsUciTable(p.GetValue(data)!, p.GetValue(format)), "purchase-intent on the UCI table"),
                (stars, sentiment, "sentiment"), (maxChars, sentiment, "sentiment"), (noBalance, sentiment, "sentiment"),
                (kcore, !sentiment, "the event-log tasks"), (gap, !sentiment, "the event-log tasks"), (store, !sentiment, "the event-log tasks"),
                (level, !sentiment, "conversion and preference"),
            })
                if (!applies && p.GetResult(option) is { Implicit: false })
                    throw new ShopcastInputException($"{option.Name}: is an option of {which}, not of --task {taskName}; drop it");
            if (all && p.GetValue(models) is not null)
                throw new ShopcastInputException("--models picks the models of one task; with --task all each task runs its default models (see --help)");
            var options = new RunOptions
            {
                DataPath = p.GetValue(data)!,
                Format = p.GetValue(format),
                Columns = p.GetValue(columns),
                Task = taskName,
                Models = SplitList(p.GetValue(models) ?? (sentiment ? string.Join(",", SentimentJob.DefaultModels) : AllTasksJob.DefaultModels(taskName)) ?? ""),
                Folds = p.GetValue(folds),
                Level = p.GetValue(level)?.Trim().ToLowerInvariant(),
                OutDir = p.GetValue(output)!,
                Seed = p.GetValue(seed),
                Split = p.GetValue(split)!,
                TestPath = p.GetValue(test),
                ExcludeSeen = ParseAutoBool(p.GetValue(excludeSeen)!, "--exclude-seen"),
                SampledNegatives = Positive(p.GetValue(sampled), "--sampled", allowZero: true),
                KCore = Positive(p.GetValue(kcore), "--kcore", allowZero: true),
                SessionGap = TimeSpan.FromMinutes(p.GetValue(gap) > 0 ? p.GetValue(gap) : throw new ShopcastInputException("--session-gap must be more than 0 minutes")),
                EventTypes = p.GetValue(events) is { } ev ? SplitList(ev) : null,
                StorePath = p.GetValue(store),
                ItemAttributesPath = p.GetValue(attributes),
                Settings = ModelSettings.ParseAssignments(p.GetValue(set) ?? Array.Empty<string>()),
                Stars = p.GetValue(stars),
                MaxChars = Positive(p.GetValue(maxChars), "--max-chars", allowZero: false),
                BalanceClasses = !p.GetValue(noBalance),
            };
            if (sentiment)
            {
                PrintSentiment(SentimentJob.Run(options, progress), p.GetValue(quiet));
                return;
            }
            if (all)
            {
                var outcomes = AllTasksJob.Run(options, progress);
                if (p.GetValue(quiet)) return;
                var t = new Table().Title("Every task").AddColumns("task", "status", "best on test, or why skipped");
                foreach (var x in outcomes) t.AddRow(x.Task, x.Status, Markup.Escape(x.Headline));
                AnsiConsole.Write(t);
                AnsiConsole.MarkupLine(Markup.Escape($"Wrote {Path.Combine(options.OutDir, "summary.md")} and one folder per task that ran."));
                return;
            }
            if (classification)
            {
                PrintClassification(ClassificationJob.Run(options, progress), p.GetValue(quiet));
                return;
            }
            if (browsing)
            {
                PrintBrowsing(BrowsingJob.Run(options, progress), p.GetValue(quiet));
                return;
            }
            var result = RunJob.Run(options, progress);
            PrintRun(result, p.GetValue(quiet));
        }));
        return cmd;
    }

    // ---- predict ------------------------------------------------------------------------------------------

    private static Command PredictCommand()
    {
        var model = new Option<string>("--model") { Description = "A sentiment bundle folder written by `shopcast run --task sentiment` (OUT/models/<model>).", Required = true };
        var file = new Option<string?>("--file") { Description = "Reviews to score, one per line ('-' = standard input). Without texts or --file, standard input is read." };
        var batch = IntOption("--batch", "Reviews scored together (larger is faster, up to memory).", 256);
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No summary line on standard error (the JSON lines are still printed)." };
        var texts = new Argument<string[]>("text") { Description = "Review texts to score (quote each one).", Arity = ArgumentArity.ZeroOrMore };
        var sentiment = new Command("sentiment", "Score reviews with a sentiment bundle: one JSON line per review on standard output " +
                                                 "({\"text\", \"sentiment\", \"probabilities\", \"model\"}; an empty line gets \"error\": \"empty text\" instead), " +
                                                 "a throughput line on standard error.")
        { model, file, batch, quiet, texts };
        sentiment.SetAction(p => Guard(true, _ =>
        {
            var given = p.GetValue(texts) ?? Array.Empty<string>();
            var path = p.GetValue(file);
            if (given.Length > 0 && path is not null) throw new ShopcastInputException("give review texts or --file, not both");
            int size = Positive(p.GetValue(batch), "--batch", allowZero: false);
            if (path is not null && path != "-" && !File.Exists(path)) throw new ShopcastInputException($"--file {path}: file not found");
            if (given.Length == 0 && path is null && !Console.IsInputRedirected)
                throw new ShopcastInputException("no reviews: give texts (shopcast predict sentiment --model DIR \"text\"), --file FILE, or pipe one review per line into it");
            using var bundle = SentimentBundle.Load(p.GetValue(model)!);
            IEnumerable<string> input = given.Length > 0 ? given
                : path is not null && path != "-" ? File.ReadLines(path) : ReadLines(Console.In);
            var sw = System.Diagnostics.Stopwatch.StartNew();
            long n = 0;
            foreach (var chunk in input.Chunk(size))
            {
                var lines = new System.Text.StringBuilder();
                foreach (var prediction in bundle.Predict(chunk)) lines.AppendLine(SentimentBundle.JsonLine(prediction));
                Console.Out.Write(lines.ToString()); // one write per batch: Console.Out flushes on every call
                n += chunk.Length;
            }
            if (!p.GetValue(quiet))
                Console.Error.WriteLine($"{n:N0} review{(n == 1 ? "" : "s")} scored by {bundle.Model.Name} in {sw.Elapsed.TotalSeconds:0.00} s ({n / Math.Max(sw.Elapsed.TotalSeconds, 1e-9):N0} reviews/s, model loading excluded)");
        }));
        return new Command("predict", "Score new inputs with a trained bundle, offline (no server needed).") { sentiment, RecommendationsCommand() };
    }

    private static Command RecommendationsCommand()
    {
        var model = new Option<string>("--model") { Description = "A next-item bundle folder written by `shopcast run` (OUT/models/<model>).", Required = true };
        var users = new Option<string?>("--users") { Description = "User ids, one per line ('-' = standard input, also the default when piped). Blank lines are ignored; a line that cannot be an id (over 256 characters, control characters) is skipped with a message on standard error and counted." };
        var history = new Option<string?>("--history") { Description = "The events that make each user's history: a run's OUT/events.duckdb. Default: the store of the run that wrote the bundle; 'none' for none (every user is then cold)." };
        var k = IntOption("-k", "Items per user (1 to 1,000).", 10);
        var includeSeen = new Option<bool>("--include-seen") { Description = "Keep items the user already touched (left out by default, as the server does)." };
        var category = new Option<string?>("--category") { Description = "Only items last seen in this category (from the history's events)." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No summary line on standard error." };
        var cmd = new Command("recommendations", "Top-k items for each user with a next-item bundle, as the server answers GET /v1/users/{id}/recommendations: " +
                                                 "one JSON line per user on standard output ({\"user\", \"model_version\", \"cold_start\", \"source\", \"history_length\", \"items\"}); " +
                                                 "users without history get what was popular most recently (cold_start: true).")
        { model, users, history, k, includeSeen, category, quiet };
        cmd.SetAction(p => Guard(true, _ =>
        {
            var dir = p.GetValue(model)!;
            var path = p.GetValue(users);
            if (path is not null && path != "-" && !File.Exists(path)) throw new ShopcastInputException($"--users {path}: file not found");
            if (path is null && !Console.IsInputRedirected) throw new ShopcastInputException("no users: give --users FILE (one id per line) or pipe ids into it");
            int topK = Positive(p.GetValue(k), "-k", allowZero: false);
            if (topK > 1000) throw new ShopcastInputException($"-k {topK}: at most 1,000 items per user (as the server's k)");
            var h = p.GetValue(history);
            var historyPath = Serving.LiveService.HistoryFor(h, new[] { dir });
            if (historyPath is not null)
                foreach (var (_, _, runStore) in Serving.LiveService.NotOnHistory(new[] { dir }, historyPath))
                    Console.Error.WriteLine($"note: the bundle was trained on {runStore}, not on --history {historyPath}; users and items of another log will not match");
            using var service = new Serving.LiveService(new Serving.LiveServiceOptions { ModelDirectories = new[] { dir }, HistoryPath = historyPath });
            using var lease = service.Models.Acquire();
            if (lease.Models.NextItem is null) throw new ShopcastInputException($"--model {dir}: is not a next-item bundle (it holds a '{lease.Models.Loaded[0].Task}' model)");
            var version = lease.Models.NextItemVersion!;
            var sw = System.Diagnostics.Stopwatch.StartNew();
            long n = 0, cold = 0, line = 0, bad = 0;
            var output = new System.Text.StringBuilder();
            var ids = new List<string>();
            void Flush()
            {
                // A chunk of users at once, so the scorer batches them into few forward passes; lines keep their order.
                var answers = Task.WhenAll(ids.Select(u => Serving.Recommender.ForUserAsync(lease.Models, service.State, u, topK,
                    !p.GetValue(includeSeen), p.GetValue(category)))).GetAwaiter().GetResult();
                foreach (var r in answers) { output.AppendLine(Serving.Recommender.JsonLine(r)); n++; if (r.ColdStart) cold++; }
                ids.Clear();
                Console.Out.Write(output.ToString()); output.Clear();
            }
            foreach (var raw in path is not null && path != "-" ? File.ReadLines(path) : ReadLines(Console.In))
            {
                line++;
                var user = raw.Trim();
                if (user.Length == 0) continue;
                if (Serving.LiveEventReader.IdProblem(user) is { } why) { bad++; Console.Error.WriteLine($"{path ?? "stdin"}, line {line}: skipped, not a user id ({why})"); continue; }
                ids.Add(user);
                if (ids.Count == 256) Flush();
            }
            Flush();
            if (!p.GetValue(quiet))
                Console.Error.WriteLine($"{n:N0} user{(n == 1 ? "" : "s")} scored by {version} in {sw.Elapsed.TotalSeconds:0.00} s ({n / Math.Max(sw.Elapsed.TotalSeconds, 1e-9):N0} users/s); " +
                                        $"{cold:N0} cold (no history{(historyPath is null ? " read" : $" in {historyPath}")}){(bad > 0 ? $"; {bad:N0} line{(bad == 1 ? "" : "s")} skipped (not user ids)" : "")}");
        }));
        return cmd;
    }

    private static IEnumerable<string> ReadLines(TextReader reader)
    {
        while (reader.ReadLine() is { } line) yield return line;
    }

    // ---- serve --------------------------------------------------------------------------------------------

    private static Command ServeCommand()
    {
        var model = new Option<string[]>("--model") { Description = "A bundle folder to serve (repeatable, one per task): next-item (recommendations, similar items), purchase-intent, sentiment.", Required = true, AllowMultipleArgumentsPerToken = false };
        var urls = new Option<string>("--urls") { Description = "Where to listen (127.0.0.1 only by default).", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var store = new Option<string>("--store") { Description = "The DuckDB file every accepted event is committed to before its answer; read back at start, so a restart keeps every shopper's state.", DefaultValueFactory = _ => Server.ServerOptions.DefaultStore };
        var history = new Option<string?>("--history") { Description = "Past events read once at start so known shoppers keep their history (never written): a run's OUT/events.duckdb. Default: the store of the run that wrote the next-item bundle, when there is one; 'none' for none." };
        var cmd = new Command("serve",
            "Answer over HTTP from trained bundles: events in (POST /v1/events, needs SHOPCAST_API_KEY), recommendations, similar items, " +
            "purchase intent and sentiment out, /metrics, OpenAPI at /openapi/v1.json and /docs; see docs/api.md. Ctrl+C stops it.")
        { model, urls, store, history };
        cmd.SetAction(p => Guard(true, _ =>
        {
            var dirs = p.GetValue(model) ?? Array.Empty<string>();
            var h = p.GetValue(history);
            var historyPath = Serving.LiveService.HistoryFor(h, dirs);
            var key = Environment.GetEnvironmentVariable("SHOPCAST_API_KEY");
            if (string.IsNullOrWhiteSpace(key)) key = null; // HTTP trims header values: a blank key could never match
            Server.ShopcastServer.CheckUrls(p.GetValue(urls)!);
            // Only once the options are good: the setting is process-wide (tests run the CLI in process beside torch tests).
            Training.TorchRuntime.ProcessDefault = 1; // see TorchRuntime: small scoring batches beside the HTTP threads
            Server.ShopcastServer.Run(new Server.ServerOptions
            {
                ModelDirectories = dirs, Urls = p.GetValue(urls)!, StorePath = p.GetValue(store), HistoryPath = historyPath, ApiKey = key,
            },
            app =>
            {
                var service = Server.ShopcastServer.Service(app);
                using (var lease = service.Models.Acquire())
                    foreach (var m in lease.Models.Loaded) Console.Error.WriteLine($"shopcast serve: {m.Task} model {m.Version} from {m.Directory}");
                if (historyPath is not null) Console.Error.WriteLine($"shopcast serve: {service.HistoryEvents:N0} past events from {historyPath} (--history)");
                foreach (var (task, bundleDir, runStore) in Serving.LiveService.NotOnHistory(dirs, historyPath))
                    Console.Error.WriteLine($"shopcast serve: note: the {task} bundle {bundleDir} was trained on {runStore}, " +
                        $"{(historyPath is null ? "and no history is read" : "which is not the history read")}; its shoppers start without their past events");
                Console.Error.WriteLine($"shopcast serve: event store {service.Journal?.Path} ({service.RecoveredEvents:N0} events accepted earlier, read back)");
                if (string.IsNullOrEmpty(key))
                    Console.Error.WriteLine("shopcast serve: SHOPCAST_API_KEY is not set: POST /v1/events, GET /v1/users/{id}/state and /v1/admin/* will answer 401 until the server is started with it");
                Console.Error.WriteLine($"shopcast serve: listening on {string.Join(", ", app.Urls)} (API page: /docs/); Ctrl+C stops");
            });
        }));
        return cmd;
    }

    // ---- quickstart ---------------------------------------------------------------------------------------

    private static Command QuickstartCommand()
    {
        var data = new Option<string?>("--data", "-d") { Description = "A real log to run on instead of the simulated shop." };
        var format = FormatOption();
        var columns = ColumnsOption();
        var output = new Option<string>("--out", "-o") { Description = "Run folder.", DefaultValueFactory = _ => "runs/quickstart" };
        var seed = SeedOption();
        var quiet = QuietOption();
        var cmd = new Command("quickstart",
            "Run the whole pipeline once: on a simulated shop (synthetic, offline) by default, or on --data. Models: " +
            string.Join(", ", QuickstartJob.DefaultModels) + ".")
        { data, format, columns, output, seed, quiet };
        cmd.SetAction(p => Guard(p.GetValue(quiet), progress =>
        {
            var result = QuickstartJob.Run(p.GetValue(data), p.GetValue(format), p.GetValue(columns), p.GetValue(output)!, p.GetValue(seed), progress);
            PrintRun(result, p.GetValue(quiet));
        }));
        return cmd;
    }

    // ---- inspect ------------------------------------------------------------------------------------------

    private static Command InspectCommand()
    {
        var data = new Option<string>("--data", "-d") { Description = "Event log to profile.", Required = true };
        var format = FormatOption();
        var columns = ColumnsOption();
        var kcore = IntOption("--kcore", "Apply a k-core filter before profiling. 0 = off.", 0);
        var store = new Option<string?>("--store") { Description = "Keep the ingested event store in this DuckDB file (default: in memory only). An earlier store there is replaced; any other file is refused." };
        // The profile is what inspect prints, so --quiet hides the progress only.
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress bars; the profile is still printed (it is inspect's output)." };
        var cmd = new Command("inspect", "Profile a log: users, items, events by type, time span, sequence lengths, and the rows rejected, by reason.")
        { data, format, columns, kcore, store, quiet };
        cmd.SetAction(p => Guard(p.GetValue(quiet), progress =>
        {
            var storePath = p.GetValue(store) ?? ":memory:";
            using var es = EventStore.CreateFresh(storePath, $"--store {storePath}", p.GetValue(data));
            var account = Ingestor.Ingest(p.GetValue(data)!, es, new IngestOptions
            {
                Format = p.GetValue(format), Columns = p.GetValue(columns), KCore = Positive(p.GetValue(kcore), "--kcore", allowZero: true),
            }, progress);
            PrintProfile(LogProfile.Build(es, account));
        }));
        return cmd;
    }

    private static Command FormatsCommand()
    {
        var cmd = new Command("formats", "List the log and review formats --format accepts.");
        cmd.SetAction(_ =>
        {
            var t = new Table().AddColumns("format", "what it reads");
            foreach (var name in FormatCatalog.Names)
                t.AddRow(name, Markup.Escape(name == "csv" ? "any delimited file with a header, mapped with --columns" : FormatCatalog.Create(name, "user=u,item=i,time=t").Description));
            t.AddRow(Features.UciShoppers.FormatName, "the UCI online shoppers table: one aggregated session per row, label Revenue (--task purchase-intent only)");
            AnsiConsole.Write(t);
            var reviews = new Table().Title("Review files (--task sentiment)").AddColumns("format", "what it reads");
            foreach (var (name, description) in ReviewReaders.Formats) reviews.AddRow(name, Markup.Escape(description));
            AnsiConsole.Write(reviews);
            return 0;
        });
        return cmd;
    }

    private static Command ModelsCommand()
    {
        var cmd = new Command("models", "List the models --models accepts.");
        cmd.SetAction(_ =>
        {
            var t = new Table().AddColumns("model", "task", "what it is");
            foreach (var e in ModelCatalog.NextItem) t.AddRow(e.Name, "next-item, preference", Markup.Escape(e.Description));
            foreach (var e in ClassifierCatalog.All) t.AddRow(e.Name, string.Join(", ", ClassificationJob.Tasks), Markup.Escape(e.Description));
            foreach (var e in RegressorCatalog.All) t.AddRow(e.Name, string.Join(", ", BrowsingJob.Tasks), Markup.Escape(e.Description));
            foreach (var e in SentimentCatalog.All) t.AddRow(e.Name, SentimentJob.TaskName, Markup.Escape(e.Description));
            AnsiConsole.Write(t);
            return 0;
        });
        return cmd;
    }

    // ---- printing -----------------------------------------------------------------------------------------

    private static void PrintRun(RunResult r, bool quiet)
    {
        if (quiet) return;
        var a = r.Ingest;
        var acc = new Table().Title("Ingest account").AddColumns("rows", "count");
        acc.AddRow("read", a.RowsRead.ToString("N0", CultureInfo.InvariantCulture));
        foreach (var kv in a.Rejected) acc.AddRow(Markup.Escape($"rejected: {kv.Key}"), kv.Value.ToString("N0", CultureInfo.InvariantCulture));
        acc.AddRow("exact duplicates dropped", a.Duplicates.ToString("N0", CultureInfo.InvariantCulture));
        if (a.KCore > 1) acc.AddRow($"{a.KCore}-core removed", a.KCoreRemoved.ToString("N0", CultureInfo.InvariantCulture));
        acc.AddRow("[bold]kept[/]", $"[bold]{a.Events:N0}[/]");
        AnsiConsole.Write(acc);

        var p = r.Protocol;
        AnsiConsole.MarkupLine(Markup.Escape(
            $"{r.Dataset.Name} (read as {a.Format}, {(a.FormatDetected ? "detected" : "given")}): {r.Dataset.Users:N0} users, {r.Dataset.Items:N0} {RunReport.CatalogueNoun(r)}, {r.Dataset.Events:N0} events. " +
            $"Split {p.Split}: {p.TestCases:N0} test cases. Ranking: {p.RankingDescription}; history excluded: {(p.ExcludeSeen ? "yes" : "no")}; ties: pessimistic."));
        var cols = RunReport.Columns(r);
        var t = new Table().Title("Test metrics").AddColumn("model");
        foreach (var c in cols) t.AddColumn(new TableColumn(c).RightAligned());
        t.AddColumn(new TableColumn("train s").RightAligned());
        foreach (var m in r.Results)
            t.AddRow(new[] { m.Model }.Concat(cols.Select(c => RunReport.Format(m.Metrics, c)))
                .Append(m.TrainSeconds.ToString("0.0", CultureInfo.InvariantCulture)).ToArray());
        AnsiConsole.Write(t);
        PrintWrote(r.OutDir, r.Results.Count);
    }

    private static void PrintClassification(ClassificationResult r, bool quiet)
    {
        if (quiet) return;
        var a = r.Ingest;
        AnsiConsole.MarkupLine(Markup.Escape(
            $"{r.Dataset.Name} (read as {a.Format}): {ReadAndRejected(a.RowsRead, a.Rejected)}" +
            $", {r.Dataset.Examples:N0} examples ({r.Dataset.Positives:N0} positive" +
            (r.Dataset.TestExamples is { } te ? $"; test set {te:N0}, {r.Dataset.TestPositives:N0} positive" : "") + $"). {r.Protocol.SplitDescription}."));
        var cols = new[] { "AUC", "PR-AUC", "LogLoss", "ECE", "Accuracy", "F1" };
        var t = new Table().Title(r.Protocol.Folds > 0 ? "Test folds (mean ± sd)" : "Test set (mean ± sd over seeds)").AddColumn("model");
        foreach (var c in cols) t.AddColumn(new TableColumn(c).RightAligned());
        t.AddColumn(new TableColumn(r.Protocol.Folds > 0 ? "train s/fold" : "train s/seed").RightAligned());
        foreach (var m in r.Results)
            t.AddRow(new[] { m.Model }.Concat(cols.Select(c => $"{ClassificationReport.F(m.Metrics, c)} ± {ClassificationReport.F(m.MetricsStd, c)}"))
                .Append(m.TrainSeconds.ToString("0.00", CultureInfo.InvariantCulture)).ToArray());
        AnsiConsole.Write(t);
        foreach (var b in r.Baselines)
            AnsiConsole.MarkupLine(Markup.Escape($"Rule of thumb `{b.Score}` ({b.Why}): AUC {ClassificationReport.F(b.Metrics, "AUC")}, PR-AUC {ClassificationReport.F(b.Metrics, "PR-AUC")}"));
        PrintWrote(r.OutDir, r.Results.Count);
    }

    private static void PrintSentiment(SentimentResult r, bool quiet)
    {
        if (quiet) return;
        var a = r.Ingest;
        AnsiConsole.MarkupLine(Markup.Escape(
            $"{r.Dataset.Name} (read as {a.Format}): {ReadAndRejected(a.Read, a.Rejected)}" +
            $", {r.Dataset.Reviews:N0} reviews ({string.Join(", ", r.Dataset.Classes.Select(kv => $"{kv.Key} {kv.Value:N0}"))}). {r.Protocol.SplitDescription}; {r.Dataset.TestReviews:N0} test reviews."));
        var classes = r.Dataset.Classes.Keys.ToList();
        var t = new Table().Title("Test set").AddColumn("model").AddColumn(new TableColumn("Accuracy").RightAligned()).AddColumn(new TableColumn("MacroF1").RightAligned());
        foreach (var c in classes) t.AddColumn(new TableColumn($"recall {c}").RightAligned());
        t.AddColumn(new TableColumn("train s").RightAligned()).AddColumn(new TableColumn("reviews/s").RightAligned());
        foreach (var m in r.Results)
            t.AddRow(new[] { m.Model, F4(m.Metrics["Accuracy"]), F4(m.Metrics["MacroF1"]) }.Concat(classes.Select(c => F4(m.Metrics[$"Recall({c})"])))
                .Append(m.TrainSeconds.ToString("0.0", CultureInfo.InvariantCulture)).Append(m.PredictPerSecond.ToString("N0", CultureInfo.InvariantCulture)).ToArray());
        AnsiConsole.Write(t);
        PrintWrote(r.OutDir, r.Results.Count);
    }

    /// <summary>"12,330 rows read, 3 rejected (malformed row: 2, empty text: 1)": the first words of a run's summary.</summary>
    private static string ReadAndRejected(long read, IReadOnlyDictionary<string, long> rejected) =>
        $"{read:N0} rows read, {rejected.Values.Sum():N0} rejected" +
        (rejected.Count > 0 ? $" ({string.Join(", ", rejected.Select(kv => $"{kv.Key}: {kv.Value:N0}"))})" : "");

    /// <summary>The last line of a run's summary: where its outputs are.</summary>
    private static void PrintWrote(string outDir, int bundles) =>
        AnsiConsole.MarkupLine(Markup.Escape($"Wrote {Path.Combine(outDir, "metrics.json")}, {Path.Combine(outDir, "report.md")} and {bundles} model bundle(s) under {Path.Combine(outDir, "models")}."));

    private static string F4(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);

    private static void PrintBrowsing(BrowsingResult r, bool quiet)
    {
        if (quiet) return;
        var a = r.Ingest;
        AnsiConsole.MarkupLine(Markup.Escape($"{r.Dataset.Name} (read as {a.Format}): {a.RowsRead:N0} rows read, {a.Rejected.Values.Sum():N0} rejected. {r.Protocol}."));
        foreach (var target in r.Targets)
        {
            if (target.Skipped is not null) { AnsiConsole.MarkupLine(Markup.Escape($"{target.Target}: skipped, {target.Skipped}.")); continue; }
            var t = new Table().Title(Markup.Escape($"{target.Target} ({target.Unit}), test set")).AddColumn("predictor");
            foreach (var c in BrowsingReport.Columns) t.AddColumn(new TableColumn(c).RightAligned());
            foreach (var (name, m) in target.Baselines)
                t.AddRow(new[] { Markup.Escape(name) }.Concat(BrowsingReport.Columns.Select(c => m[c].ToString("0.000", CultureInfo.InvariantCulture))).ToArray());
            foreach (var m in target.Results)
                t.AddRow(new[] { m.Model }.Concat(BrowsingReport.Columns.Select(c => $"{m.Metrics[c].ToString("0.000", CultureInfo.InvariantCulture)} ± {m.MetricsStd[c].ToString("0.000", CultureInfo.InvariantCulture)}")).ToArray());
            AnsiConsole.Write(t);
        }
        AnsiConsole.MarkupLine(Markup.Escape($"Wrote {Path.Combine(r.OutDir, "metrics.json")}, {Path.Combine(r.OutDir, "report.md")} and the model bundles under {Path.Combine(r.OutDir, "models")}."));
    }

    private static void PrintProfile(LogProfile p)
    {
        var a = p.Account;
        var t = new Table().Title(Markup.Escape($"{Path.GetFileName(a.Source)} ({a.Format}, {(a.FormatDetected ? "detected" : "given")})")).AddColumns("", "value");
        t.AddRow("users", a.Users.ToString("N0", CultureInfo.InvariantCulture));
        t.AddRow("items", a.Items.ToString("N0", CultureInfo.InvariantCulture));
        t.AddRow("events", a.Events.ToString("N0", CultureInfo.InvariantCulture));
        t.AddRow("sessions", Markup.Escape($"{a.Sessions:N0} ({a.SessionsFrom})"));
        foreach (var (type, n) in p.EventsByType) t.AddRow(Markup.Escape($"  {type}"), n.ToString("N0", CultureInfo.InvariantCulture));
        t.AddRow("time span", p.OrdinalTime ? "no clock time (order within each line only)" : $"{p.FirstUtc:u} .. {p.LastUtc:u}");
        t.AddRow("events per user", Markup.Escape(string.Join("  ", p.UserLengths.Select(q => $"{q.Label} {q.Value:0.#}"))));
        t.AddRow("events per session", Markup.Escape(string.Join("  ", p.SessionLengths.Select(q => $"{q.Label} {q.Value:0.#}"))));
        t.AddRow("items with a category", p.ItemsWithCategory.ToString("N0", CultureInfo.InvariantCulture));
        t.AddRow("events with a price", p.EventsWithPrice.ToString("N0", CultureInfo.InvariantCulture));
        t.AddRow("rows read", a.RowsRead.ToString("N0", CultureInfo.InvariantCulture));
        foreach (var kv in a.Rejected) t.AddRow(Markup.Escape($"  rejected: {kv.Key}"), Markup.Escape($"{kv.Value:N0} (first at line {a.FirstRejectLine.GetValueOrDefault(kv.Key)})"));
        t.AddRow("  exact duplicates", a.Duplicates.ToString("N0", CultureInfo.InvariantCulture));
        if (a.KCore > 1) t.AddRow($"  {a.KCore}-core removed", a.KCoreRemoved.ToString("N0", CultureInfo.InvariantCulture));
        AnsiConsole.Write(t);
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    /// <summary>Runs a command body: bad input is one line and exit code 2, anything else exit code 1, never a stack trace
    /// (set SHOPCAST_DEBUG=1 to see one).</summary>
    private static int Guard(bool quiet, Action<ProgressReporter> body)
    {
        try
        {
            body(quiet ? ProgressReporter.Quiet : ProgressReporter.ForStandardError());
            return 0;
        }
        catch (ShopcastInputException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"internal error: {e.GetType().Name}: {e.Message}. This is a bug in Shopcast; please report it with the command you ran.");
            if (Environment.GetEnvironmentVariable("SHOPCAST_DEBUG") == "1") Console.Error.WriteLine(e);
            return 1;
        }
    }

    /// <summary>The UCI session table, given as such or detected (the one input cross-validated in folds).</summary>
    private static bool IsUciTable(string path, string? format) =>
        format is not null ? format.Equals(Features.UciShoppers.FormatName, StringComparison.OrdinalIgnoreCase)
                           : File.Exists(path) && Features.UciShoppers.IsTable(path);

    private static List<string> SplitList(string? s) =>
        (s ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static bool? ParseAutoBool(string s, string option) => s.ToLowerInvariant() switch
    {
        "auto" => null,
        "true" or "yes" or "on" => true,
        "false" or "no" or "off" => false,
        _ => throw new ShopcastInputException($"{option} {s}: expected auto, true or false"),
    };

    private static int Positive(int v, string option, bool allowZero) =>
        v > 0 || (allowZero && v == 0) ? v : throw new ShopcastInputException($"{option} {v}: must be {(allowZero ? "0 or more" : "more than 0")}");
}
