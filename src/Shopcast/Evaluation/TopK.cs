namespace Shopcast.Evaluation;

/// <summary>Indices of the k highest scores, best first; ties by lower index (deterministic).</summary>
public static class TopK
{
    public static int[] Select(ReadOnlySpan<float> scores, int k)
    {
        k = Math.Min(k, scores.Length);
        if (k <= 0) return Array.Empty<int>();
        // A min-heap of the best k so far: O(n log k).
        var heap = new PriorityQueue<int, (float, int)>(k + 1, Comparer<(float s, int i)>.Create((a, b) =>
            a.s != b.s ? a.s.CompareTo(b.s) : b.i.CompareTo(a.i)));
        for (int i = 0; i < scores.Length; i++)
        {
            if (float.IsNegativeInfinity(scores[i]) || float.IsNaN(scores[i])) continue;
            if (heap.Count < k) heap.Enqueue(i, (scores[i], i));
            else if (heap.TryPeek(out _, out var worst) && (scores[i] > worst.Item1 || (scores[i] == worst.Item1 && i < worst.Item2)))
            {
                heap.Dequeue();
                heap.Enqueue(i, (scores[i], i));
            }
        }
        var result = new int[heap.Count];
        for (int r = result.Length - 1; r >= 0; r--) result[r] = heap.Dequeue();
        return result;
    }
}
