using System.Threading.Channels;
using Shopcast.Tasks.NextItem;

namespace Shopcast.Serving;

/// <summary>
/// Dynamic batching of a next-item model's scoring for concurrent requests: requests queue their history, one worker
/// thread takes every request waiting (up to <see cref="MaxBatch"/>) and scores them in one
/// <see cref="INextItemModel.ScoreBatch"/> call. A deep model's forward pass costs little more for 32 histories than
/// for one, and the models score one pass at a time anyway, so under load this multiplies throughput; with one request
/// waiting it adds nothing (no timer: a batch is whatever queued during the previous pass). Requests whose caller has
/// gone (the client hung up) are dropped before scoring.
/// </summary>
public sealed class ScoreBatcher : IDisposable
{
    public const int MaxBatch = 64;

    private sealed record Pending(int[] History, float[] Scores, CancellationToken Cancel, TaskCompletionSource Done);

    private readonly INextItemModel _model;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Thread _worker;
    private long _batches, _scored;

    /// <summary>Forward passes so far, and histories scored: <see cref="Scored"/> / <see cref="Batches"/> is the mean batch size.</summary>
    public long Batches => Interlocked.Read(ref _batches);
    public long Scored => Interlocked.Read(ref _scored);

    public ScoreBatcher(INextItemModel model)
    {
        _model = model;
        // A thread of its own: a forward pass blocks for milliseconds, which would hold a thread-pool thread.
        _worker = new Thread(Work) { IsBackground = true, Name = "shopcast-scorer" };
        _worker.Start();
    }

    /// <summary>Scores every item for <paramref name="history"/> (dense ids, oldest first) into <paramref name="scores"/> (length ItemCount).</summary>
    public Task ScoreAsync(int[] history, float[] scores, CancellationToken cancel = default)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new Pending(history, scores, cancel, done)))
            done.SetException(new ObjectDisposedException(nameof(ScoreBatcher), "the model is being unloaded"));
        return done.Task;
    }

    private void Work()
    {
        var batch = new List<Pending>(MaxBatch);
        float[] buffer = Array.Empty<float>();
        int n = _model.ItemCount;
        while (_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var p))
            {
                if (p.Cancel.IsCancellationRequested) p.Done.TrySetCanceled(p.Cancel);
                else batch.Add(p);
            }
            if (batch.Count == 0) continue;
            try
            {
                if (buffer.Length < batch.Count * n) buffer = new float[MaxBatch * n];
                var histories = batch.Select(p => new ArraySegment<int>(p.History)).ToList();
                _model.ScoreBatch(histories, buffer.AsSpan(0, batch.Count * n));
                for (int b = 0; b < batch.Count; b++)
                {
                    buffer.AsSpan(b * n, n).CopyTo(batch[b].Scores);
                    batch[b].Done.TrySetResult();
                }
                Interlocked.Increment(ref _batches);
                Interlocked.Add(ref _scored, batch.Count);
            }
            catch (Exception e)
            {
                foreach (var p in batch) p.Done.TrySetException(e);
            }
        }
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _worker.Join(TimeSpan.FromSeconds(30));
    }
}
