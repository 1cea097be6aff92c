namespace Shopcast.Models.Sequential;

/// <summary>
/// Data augmentation for short training sequences, the three operators of contrastive sequential recommenders
/// (CL4SRec, Xie et al. 2022): crop (a random contiguous 60-90% of the sequence), mask (drop ~20% of the items) and
/// reorder (shuffle a random 20% segment). Each epoch, a share of the sequences gets one augmented copy, drawn with one
/// of the chosen operators; the originals always stay. Used as plain extra training data (no contrastive loss).
/// </summary>
internal static class Augmentation
{
    public static int[][] Apply(int[][] sequences, SequentialSettings s, Random rng)
    {
        var ops = s.Augment.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(o => o != "none").ToArray();
        if (ops.Length == 0 || s.AugmentRate <= 0) return (int[][])sequences.Clone();
        var result = new List<int[]>(sequences.Length + (int)(sequences.Length * s.AugmentRate) + 1);
        result.AddRange(sequences);
        foreach (var seq in sequences)
        {
            if (seq.Length < 3 || rng.NextDouble() >= s.AugmentRate) continue;
            var aug = ops[rng.Next(ops.Length)] switch
            {
                "crop" => Crop(seq, rng),
                "mask" => Mask(seq, rng),
                _ => Reorder(seq, rng),
            };
            if (aug.Length >= 2) result.Add(aug);
        }
        return result.ToArray();
    }

    private static int[] Crop(int[] s, Random rng)
    {
        int len = Math.Max(2, (int)Math.Round(s.Length * (0.6 + 0.3 * rng.NextDouble())));
        int start = rng.Next(s.Length - len + 1);
        return s[start..(start + len)];
    }

    private static int[] Mask(int[] s, Random rng)
    {
        var kept = s.Where(_ => rng.NextDouble() >= 0.2).ToArray();
        return kept.Length >= 2 ? kept : s[^2..];
    }

    private static int[] Reorder(int[] s, Random rng)
    {
        var r = (int[])s.Clone();
        int len = Math.Max(2, (int)Math.Round(s.Length * 0.2));
        int start = rng.Next(s.Length - len + 1);
        for (int i = start + len - 1; i > start; i--) { int j = start + rng.Next(i - start + 1); (r[i], r[j]) = (r[j], r[i]); }
        return r;
    }
}
