using Shopcast.Data;

namespace Shopcast.Tests;

/// <summary>Small synthetic inputs for unit tests (labelled synthetic: nothing here is real behaviour).</summary>
internal static class TestData
{
    /// <summary>A temp folder that deletes itself.</summary>
    public sealed class TempDir : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("shopcast-test-").FullName;
        public string File(string name, string content)
        {
            var p = System.IO.Path.Combine(Path, name);
            System.IO.File.WriteAllText(p, content);
            return p;
        }
        public string this[string name] => System.IO.Path.Combine(Path, name);
        public void Dispose() { try { Directory.Delete(Path, true); } catch (IOException) { } }
    }

    /// <summary>A dataset of user sequences given as item-index arrays (times = positions).</summary>
    public static SequenceDataset Sequences(int itemCount, params int[][] seqs) => new()
    {
        Items = new ItemIndex(Enumerable.Range(0, itemCount).Select(i => $"i{i}")),
        Sequences = seqs.Select((s, u) => new InteractionSequence($"u{u}", s,
            s.Select((_, t) => (long)(t + 1) * 1000L + u).ToArray(), s.Select(_ => EventType.View).ToArray())).ToList(),
        GroupedBy = "user",
    };
}
