using Shopcast.Data;
using Shopcast.Splits;

namespace Shopcast.Tests.Splits;

/// <summary>The session split says what stands for time: start times, or file order when the log has no clock.</summary>
public sealed class SessionSplitOrderTests
{
    private static SequenceDataset Sessions(bool ordinal) => new()
    {
        Items = new ItemIndex(Enumerable.Range(0, 5).Select(i => $"i{i}")),
        Sequences = Enumerable.Range(0, 20).Select(s => new InteractionSequence($"s{s}", new[] { s % 5, (s + 1) % 5, (s + 2) % 5 },
            ordinal ? new long[] { 0, 1, 2 } : new long[] { s * 1000L, s * 1000L + 1, s * 1000L + 2 },
            new[] { EventType.View, EventType.View, EventType.View })).ToList(),
        GroupedBy = "session",
        OrdinalTime = ordinal,
    };

    [Fact]
    public void Without_clock_time_the_description_says_sessions_are_in_file_order()
    {
        var s = SessionSplit.Split(Sessions(ordinal: true));
        Assert.StartsWith("sessions in file order", s.Description);
        Assert.Contains("no clock time", s.Description);
        Assert.Equal(16, s.Train.Count);
    }

    [Fact]
    public void With_clock_time_the_description_says_start_order()
    {
        var s = SessionSplit.Split(Sessions(ordinal: false));
        Assert.StartsWith("sessions in start order", s.Description);
        Assert.DoesNotContain("file order", s.Description);
    }
}
