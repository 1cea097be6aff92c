using Shopcast.Data;

namespace Shopcast.Splits;

/// <summary>
/// Leave-one-out per user, as in SASRec, S3-Rec and RecBole: the last item is the test target, the second-to-last
/// the validation target, the rest is training. Sequences shorter than 3 go wholly to training.
/// The test history includes the validation item (it happened before the test item); training never does.
/// </summary>
public static class LeaveOneOutSplit
{
    public static NextItemSplit Split(SequenceDataset data)
    {
        var train = new List<int[]>();
        var trainTimes = new List<long[]>();
        var valid = new List<RankingCase>();
        var test = new List<RankingCase>();
        long shortSeqs = 0;
        for (int s = 0; s < data.Sequences.Count; s++)
        {
            var seq = data.Sequences[s];
            int n = seq.Items.Length;
            if (n < 3)
            {
                shortSeqs++;
                train.Add(seq.Items);
                trainTimes.Add(seq.TimesMs);
                continue;
            }
            train.Add(seq.Items[..(n - 2)]);
            trainTimes.Add(seq.TimesMs[..(n - 2)]);
            valid.Add(new RankingCase(new ArraySegment<int>(seq.Items, 0, n - 2), seq.Items[n - 2], s));
            test.Add(new RankingCase(new ArraySegment<int>(seq.Items, 0, n - 1), seq.Items[n - 1], s));
        }
        var split = new NextItemSplit
        {
            Name = "leave-one-out",
            Description = $"per {data.GroupedBy}: last item = test, second-to-last = validation, the rest = training",
            Train = train,
            TrainTimes = trainTimes,
            Validation = valid,
            Test = test,
        };
        if (shortSeqs > 0) split.Skipped["sequences shorter than 3 (training only)"] = shortSeqs;
        return split;
    }
}
