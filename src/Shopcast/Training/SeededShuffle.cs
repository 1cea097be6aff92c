namespace Shopcast.Training;

/// <summary>
/// Fisher-Yates from the last element down, with the caller's seeded <see cref="Random"/>. Written out rather than
/// .NET's Random.Shuffle, which walks the other way: switching would change every seeded result already reported.
/// </summary>
public static class SeededShuffle
{
    public static void Shuffle<T>(T[] a, Random rng)
    {
        for (int i = a.Length - 1; i > 0; i--) { int j = rng.Next(i + 1); (a[i], a[j]) = (a[j], a[i]); }
    }
}
