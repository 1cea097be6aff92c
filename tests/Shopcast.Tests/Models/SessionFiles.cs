using Shopcast.Data;

namespace Shopcast.Tests.Models;

/// <summary>
/// Reads a "sessions" file (one session per line, item ids space-separated in click order) straight into a
/// <see cref="SequenceDataset"/>, without the event store: for the model tests and benchmarks, which must not depend on
/// the ingestion path. Item indices follow first appearance; times are positions; sessions keep file order.
/// </summary>
internal static class SessionFiles
{
    public static SequenceDataset Load(string path)
    {
        var items = new ItemIndex();
        var sequences = new List<InteractionSequence>();
        var buf = new List<int>();
        int line = 0;
        foreach (var s in File.ReadLines(path))
        {
            line++;
            buf.Clear();
            foreach (var tok in s.Split(' ', StringSplitOptions.RemoveEmptyEntries)) buf.Add(items.GetOrAdd(tok));
            if (buf.Count == 0) continue;
            sequences.Add(new InteractionSequence($"s{line}", buf.ToArray(),
                Enumerable.Range(0, buf.Count).Select(t => (long)t).ToArray(), new EventType[buf.Count]));
        }
        return new SequenceDataset { Items = items, Sequences = sequences, GroupedBy = "session", OrdinalTime = true };
    }

    /// <summary>The first <paramref name="count"/> sessions of a dataset (same catalogue): a training-only slice.</summary>
    public static SequenceDataset Take(SequenceDataset data, int count) => new()
    {
        Items = data.Items, Sequences = data.Sequences.Take(count).ToList(), GroupedBy = data.GroupedBy, OrdinalTime = data.OrdinalTime,
    };
}
