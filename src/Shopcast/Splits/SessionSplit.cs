using Shopcast.Data;

namespace Shopcast.Splits;

/// <summary>
/// Session prefix -> next item, as in the session-based benchmarks (SR-GNN, session-rec): sessions are ordered by
/// when they started; the last <c>testFraction</c> are test sessions, the ones before them validation, the rest training.
/// A log without clock time (sequences, sessions files) has only file order, which then stands for time and the
/// description says so (right for Diginetica's sessions file, which is in time order; not for every file).
/// Every prefix of a held-out session predicts its next item. Sessions of one event hold no case and are counted.
/// </summary>
public static class SessionSplit
{
    public static NextItemSplit Split(SequenceDataset sessions, double validFraction = 0.1, double testFraction = 0.1)
    {
        if (sessions.GroupedBy != "session")
            throw new ArgumentException("SessionSplit needs sequences grouped by session");
        int n = sessions.Sequences.Count;
        int nTest = (int)Math.Round(n * testFraction);
        int nValid = (int)Math.Round(n * validFraction);
        int nTrain = n - nTest - nValid;
        if (nTrain <= 0 || nTest <= 0)
            throw new ShopcastInputException($"only {n} sessions: too few for a session split; use more data or --split loo");

        // Sequences arrive ordered by start (SequenceDataset.Load).
        var train = new List<int[]>();
        var trainTimes = new List<long[]>();
        for (int s = 0; s < nTrain; s++) { train.Add(sessions.Sequences[s].Items); trainTimes.Add(sessions.Sequences[s].TimesMs); }
        long single = 0;
        var valid = Expand(sessions, nTrain, nTrain + nValid, ref single);
        var test = Expand(sessions, nTrain + nValid, n, ref single);
        var split = new NextItemSplit
        {
            Name = "session",
            Description = (sessions.OrdinalTime
                              // No clock: every session starts at position 0, so start order is the order of lines in the file.
                              ? "sessions in file order, since the log has no clock time"
                              : "sessions in start order") +
                          $": first {nTrain} train, next {nValid} validate, last {nTest} test; each prefix predicts the next item",
            Train = train,
            TrainTimes = trainTimes,
            Validation = valid,
            Test = test,
            SessionBased = true,
        };
        if (single > 0) split.Skipped["held-out sessions with one event (no prefix)"] = single;
        return split;
    }

    /// <summary>Every prefix of each session in [from, to) predicts the item after it.</summary>
    internal static List<RankingCase> Expand(SequenceDataset sessions, int from, int to, ref long singleEventSessions)
    {
        var cases = new List<RankingCase>();
        for (int s = from; s < to; s++)
        {
            var items = sessions.Sequences[s].Items;
            if (items.Length < 2) { singleEventSessions++; continue; }
            for (int i = 1; i < items.Length; i++)
                cases.Add(new RankingCase(new ArraySegment<int>(items, 0, i), items[i], s));
        }
        return cases;
    }
}
