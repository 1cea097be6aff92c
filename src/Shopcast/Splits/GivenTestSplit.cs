using Shopcast.Data;

namespace Shopcast.Splits;

/// <summary>The layouts a benchmark's own test file comes in.</summary>
public enum GivenTestFormat
{
    /// <summary>Prefix-target when the first line is the header <c>target&lt;TAB&gt;prefix</c>, sessions otherwise.</summary>
    Auto,
    /// <summary>Header <c>target&lt;TAB&gt;prefix</c>; each row the target item, a tab, then the prefix items (oldest first), space-separated.</summary>
    PrefixTarget,
    /// <summary>One test session per line, items space-separated in click order; every prefix predicts the item after it.</summary>
    Sessions,
}

/// <summary>
/// A benchmark that ships its own test split (e.g. SR-GNN/GCE-GNN's Diginetica <c>test_prefix_target.tsv</c>) is used
/// as given: every training sequence trains, there is no validation, and the test cases are read from the file.
/// External item ids are mapped through the training catalogue: a case whose target the training data never saw is
/// skipped, unknown prefix items are dropped from the prefix, and a case whose prefix is left empty is skipped; each
/// is counted in <see cref="NextItemSplit.Skipped"/>. Prefixes keep the file's order (oldest first) and repeats.
/// </summary>
public static class GivenTestSplit
{
    public const string Header = "target\tprefix";

    public const string SkipUnknownTarget = "test cases whose target is not in the training catalogue";
    public const string SkipUnknownPrefixItem = "test prefix items not in the training catalogue (dropped from their prefix)";
    public const string SkipEmptyPrefix = "test cases whose prefix is empty once unknown items are dropped";
    public const string SkipSingleEventSession = "test sessions with one event (no prefix)";
    public const string SkipBlankLine = "blank lines in the test file";

    public static NextItemSplit Load(string testPath, SequenceDataset train, GivenTestFormat format = GivenTestFormat.Auto)
    {
        if (!File.Exists(testPath)) throw new ShopcastInputException($"--test {testPath}: file not found");
        var skipped = new SortedDictionary<string, long>();
        void Skip(string reason, long by = 1) { if (by > 0) skipped[reason] = skipped.GetValueOrDefault(reason) + by; }

        // Every history is a segment of one shared buffer: no array per case.
        var buffer = new List<int>();
        var spans = new List<(int Start, int Length, int Target)>();
        var prefixTokens = new List<string>();
        long lineNo = 0, rows = 0;
        using (var reader = new StreamReader(testPath))
        {
            string? line = reader.ReadLine();
            if (line is null)
                throw new DataFormatException(testPath, 0, $"the file is empty; expected a header '{Printable(Header)}' then target/prefix rows, or one test session per line");
            lineNo = 1;
            bool prefixTarget = format switch
            {
                GivenTestFormat.PrefixTarget => true,
                GivenTestFormat.Sessions => false,
                _ => IsHeader(line),
            };
            if (prefixTarget)
            {
                if (!IsHeader(line))
                    throw new DataFormatException(testPath, 1, $"expected the header '{Printable(Header)}', found '{Clip(line)}'");
                line = reader.ReadLine();
                lineNo = 2;
            }
            for (; line is not null; line = reader.ReadLine(), lineNo++)
            {
                if (line.Contains('\0'))
                    throw new DataFormatException(testPath, lineNo, "binary data (a NUL byte): this is not a text test file");
                if (string.IsNullOrWhiteSpace(line)) { Skip(SkipBlankLine); continue; }
                rows++;
                if (prefixTarget) ReadCase(line);
                else ReadSession(line);
            }
        }
        if (rows == 0)
            throw new DataFormatException(testPath, 0, "the file holds no test cases (only a header or blank lines)");

        void ReadCase(string line)
        {
            int tab = line.IndexOf('\t');
            if (tab < 0 || line.IndexOf('\t', tab + 1) >= 0)
                throw new DataFormatException(testPath, lineNo, $"expected two tab-separated fields 'target<TAB>prefix items', found '{Clip(line)}'");
            var target = line[..tab].Trim();
            if (target.Length == 0 || target.Any(char.IsWhiteSpace))
                throw new DataFormatException(testPath, lineNo, $"expected one target item id before the tab, found '{Clip(line[..tab])}'");
            prefixTokens.Clear();
            foreach (var t in line[(tab + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                prefixTokens.Add(t);
            if (prefixTokens.Count == 0)
                throw new DataFormatException(testPath, lineNo, $"expected at least one prefix item after the tab, found '{Clip(line)}'");
            if (!train.Items.TryGet(target, out int targetIndex)) { Skip(SkipUnknownTarget); return; }
            int start = buffer.Count;
            foreach (var t in prefixTokens)
            {
                if (train.Items.TryGet(t, out int i)) buffer.Add(i);
                else Skip(SkipUnknownPrefixItem);
            }
            if (buffer.Count == start) { Skip(SkipEmptyPrefix); return; }
            spans.Add((start, buffer.Count - start, targetIndex));
        }

        void ReadSession(string line)
        {
            if (line.IndexOfAny(NotInSessions) is var bad and >= 0)
                throw new DataFormatException(testPath, lineNo,
                    $"expected one session per line, item ids separated by spaces, found '{Clip(line[bad].ToString())}' in '{Clip(line)}' " +
                    $"(a target/prefix file starts with the header '{Printable(Header)}')");
            var tokens = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length < 2) { Skip(SkipSingleEventSession); return; }
            // The session's known items go into the buffer once; case i's prefix is the known items before position i.
            int start = buffer.Count;
            if (train.Items.TryGet(tokens[0], out int first)) buffer.Add(first);
            else Skip(SkipUnknownPrefixItem);
            for (int p = 1; p < tokens.Length; p++)
            {
                bool known = train.Items.TryGet(tokens[p], out int item);
                int prefixLength = buffer.Count - start;
                if (!known) Skip(SkipUnknownTarget);
                else if (prefixLength == 0) Skip(SkipEmptyPrefix);
                else spans.Add((start, prefixLength, item));
                // As a prefix item of the later cases:
                if (p < tokens.Length - 1)
                {
                    if (known) buffer.Add(item);
                    else Skip(SkipUnknownPrefixItem);
                }
            }
        }

        var all = buffer.ToArray();
        var test = new List<RankingCase>(spans.Count);
        foreach (var (start, length, target) in spans)
            test.Add(new RankingCase(new ArraySegment<int>(all, start, length), target));
        if (test.Count == 0)
            throw new ShopcastInputException(
                $"--test {testPath}: none of its {rows:N0} rows gives a case whose items are in the training data ({Describe(skipped)}); " +
                "do the test file's item ids match the training file's?");

        return new NextItemSplit
        {
            Name = "given-test",
            Description = $"the benchmark's own test split ({Path.GetFileName(testPath)}, {test.Count:N0} cases): " +
                          $"all {train.Sequences.Count:N0} training {train.GroupedBy}s train, no validation; each test prefix predicts its target",
            Train = train.Sequences.Select(s => s.Items).ToList(),
            TrainTimes = train.Sequences.Select(s => s.TimesMs).ToList(),
            Validation = Array.Empty<RankingCase>(),
            Test = test,
            SessionBased = true,
            Skipped = skipped,
        };
    }

    private static readonly char[] NotInSessions = { '\t', ',', ';' };

    private static bool IsHeader(string line)
    {
        var f = line.Split('\t');
        return f.Length == 2 && f[0].Trim().Equals("target", StringComparison.OrdinalIgnoreCase)
                             && f[1].Trim().Equals("prefix", StringComparison.OrdinalIgnoreCase);
    }

    private static string Describe(SortedDictionary<string, long> skipped) =>
        skipped.Count == 0 ? "nothing skipped" : string.Join("; ", skipped.Select(kv => $"{kv.Key}: {kv.Value:N0}"));

    private static string Printable(string s) => s.Replace("\t", "<TAB>");

    private static string Clip(string s) => Data.Formats.FormatText.Clip(s);
}
