using Shopcast.Data;
using Shopcast.Splits;

namespace Shopcast.Tests.Splits;

public class SplitLeakageTests
{
    [Fact]
    public void LeaveOneOut_holds_out_last_two_and_trains_on_the_rest()
    {
        var data = TestData.Sequences(10, new[] { 1, 2, 3, 4, 5 }, new[] { 6, 7 }, new[] { 8, 9, 1 });
        var s = LeaveOneOutSplit.Split(data);
        Assert.Equal(new[] { 1, 2, 3 }, s.Train[0]);
        Assert.Equal(new[] { 6, 7 }, s.Train[1]); // too short to hold out: training only
        Assert.Equal(new[] { 8 }, s.Train[2]);
        Assert.Equal(2, s.Test.Count);
        Assert.Equal(5, s.Test[0].Target);
        Assert.Equal(new[] { 1, 2, 3, 4 }, s.Test[0].History.ToArray());
        Assert.Equal(4, s.Validation[0].Target);
        Assert.Equal(new[] { 1, 2, 3 }, s.Validation[0].History.ToArray());
        Assert.Equal(1, s.Skipped.Values.Single());
    }

    [Fact]
    public void LeaveOneOut_training_never_contains_a_held_out_position()
    {
        var rng = new Random(3);
        var seqs = Enumerable.Range(0, 200).Select(_ => Enumerable.Range(0, rng.Next(1, 30)).Select(_ => rng.Next(50)).ToArray()).ToArray();
        var s = LeaveOneOutSplit.Split(TestData.Sequences(50, seqs));
        foreach (var c in s.Test)
        {
            var full = seqs[c.Sequence];
            Assert.Equal(full.Length - 2, s.Train[c.Sequence].Length);
            Assert.Equal(full[^1], c.Target);
        }
    }

    [Fact]
    public void Temporal_split_trains_only_on_events_before_the_cutoff()
    {
        var rng = new Random(5);
        var seqs = Enumerable.Range(0, 100).Select(_ => Enumerable.Range(0, rng.Next(2, 20)).Select(_ => rng.Next(40)).ToArray()).ToArray();
        var data = TestData.Sequences(40, seqs);
        // Spread times so users interleave.
        var timed = new SequenceDataset
        {
            Items = data.Items, GroupedBy = "user",
            Sequences = data.Sequences.Select(q => q with { TimesMs = q.TimesMs.Select((_, i) => 1_600_000_000_000L + (long)(i * 1000 + rng.Next(1000)) * 60_000).ToArray() }).ToList(),
        };
        var s = TemporalSplit.Split(timed, 0.1, 0.2);
        long maxTrain = s.TrainTimes!.SelectMany(t => t).Max();
        var heldOutTimes = new List<long>();
        foreach (var c in s.Validation.Concat(s.Test))
            heldOutTimes.Add(timed.Sequences[c.Sequence].TimesMs[c.History.Count]);
        Assert.NotEmpty(s.Test);
        Assert.True(maxTrain < heldOutTimes.Min(), "a training event is later than a held-out event");
        // Every test case's history is exactly the user's earlier events.
        foreach (var c in s.Test)
            Assert.Equal(timed.Sequences[c.Sequence].Items[..c.History.Count], c.History.ToArray());
    }

    [Fact]
    public void Temporal_split_refuses_a_log_without_clock_time()
    {
        var data = TestData.Sequences(5, new[] { 1, 2, 3 });
        var ordinal = new SequenceDataset { Items = data.Items, Sequences = data.Sequences, GroupedBy = "user", OrdinalTime = true };
        Assert.Throws<ShopcastInputException>(() => TemporalSplit.Split(ordinal));
    }

    [Fact]
    public void Session_split_holds_out_the_latest_sessions_and_expands_prefixes()
    {
        var seqs = Enumerable.Range(0, 10).Select(i => new[] { i, i + 1, i + 2 }).ToArray();
        var d = TestData.Sequences(20, seqs);
        var sessions = new SequenceDataset { Items = d.Items, Sequences = d.Sequences, GroupedBy = "session" };
        var s = SessionSplit.Split(sessions, 0.1, 0.2);
        Assert.Equal(7, s.Train.Count);
        Assert.Equal(2, s.Validation.Count); // one session, two prefixes
        Assert.Equal(4, s.Test.Count);
        Assert.All(s.Test, c => Assert.True(c.Sequence >= 8));
        Assert.Equal(new[] { 8 }, s.Test[0].History.ToArray());
        Assert.Equal(9, s.Test[0].Target);
        Assert.True(s.SessionBased);
    }
}
