using Shopcast.Data;

namespace Shopcast.Splits;

/// <summary>
/// A global time split: events before the validation cut-off train the model; every later event whose user has
/// earlier history becomes a case, predicted from all of that user's events before it (the model is not
/// refitted on the held-out period, so nothing after the cut-off reaches training).
/// </summary>
public static class TemporalSplit
{
    public static NextItemSplit Split(SequenceDataset data, double validFraction = 0.1, double testFraction = 0.1)
    {
        if (data.OrdinalTime)
            throw new ShopcastInputException(
                "this log has no clock time (one sequence per line), so a global temporal split is meaningless; use --split loo");
        if (validFraction < 0 || testFraction <= 0 || validFraction + testFraction >= 1)
            throw new ShopcastInputException("temporal split fractions must satisfy 0 <= valid, 0 < test, valid + test < 1");

        var all = data.Sequences.SelectMany(s => s.TimesMs).ToArray();
        Array.Sort(all);
        long tTest = all[(int)Math.Min(all.Length - 1, Math.Floor(all.Length * (1 - testFraction)))];
        long tValid = all[(int)Math.Min(all.Length - 1, Math.Floor(all.Length * (1 - testFraction - validFraction)))];

        var train = new List<int[]>();
        var trainTimes = new List<long[]>();
        var valid = new List<RankingCase>();
        var test = new List<RankingCase>();
        long cold = 0;
        for (int s = 0; s < data.Sequences.Count; s++)
        {
            var seq = data.Sequences[s];
            int nTrain = 0;
            while (nTrain < seq.TimesMs.Length && seq.TimesMs[nTrain] < tValid) nTrain++;
            if (nTrain > 0) { train.Add(seq.Items[..nTrain]); trainTimes.Add(seq.TimesMs[..nTrain]); }
            for (int i = nTrain; i < seq.Items.Length; i++)
            {
                if (i == 0) { cold++; continue; }
                var c = new RankingCase(new ArraySegment<int>(seq.Items, 0, i), seq.Items[i], s);
                if (seq.TimesMs[i] < tTest) valid.Add(c); else test.Add(c);
            }
        }
        var split = new NextItemSplit
        {
            Name = "temporal",
            Description = $"train before {TimeParser.ToUtc(tValid):u}, validate until {TimeParser.ToUtc(tTest):u}, test after; " +
                          $"each held-out event is predicted from the {data.GroupedBy}'s earlier events",
            Train = train,
            TrainTimes = trainTimes,
            Validation = valid,
            Test = test,
        };
        if (cold > 0) split.Skipped["held-out events with no earlier history (cold start)"] = cold;
        return split;
    }
}
