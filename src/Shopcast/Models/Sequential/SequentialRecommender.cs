using System.Diagnostics;
using Shopcast.Data;
using Shopcast.Evaluation;
using Shopcast.Reporting;
using Shopcast.Splits;
using Shopcast.Tasks.NextItem;
using Shopcast.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Shopcast.Models.Sequential;

/// <summary>
/// What the deep next-item models share: the training loop (seeded shuffling, mini-batches trimmed to their longest
/// sequence, Adam/AdamW, gradient clipping), early stopping on validation NDCG@10 with the best weights restored,
/// per-epoch history, batched scoring and bundle save/load. A model supplies its network and, where it differs from
/// next-item prediction at every position (SASRec, GRU4Rec), its loss.
/// </summary>
public abstract class SequentialRecommender : INextItemModel, IHasTrainingHistory
{
    protected SequentialSettings S { get; }
    protected SequenceEncoder? Net { get; private set; }
    private readonly object _scoreLock = new();
    private readonly List<EpochRecord> _history = new();
    private int[][]? _attributes;
    private int _attributeCount;
    // The item table for scoring, built once per set of weights: with attributes it costs a gather over every item,
    // which was most of the time of a validation pass when rebuilt for each batch of 128 histories.
    private Tensor? _scoringTable;

    protected SequentialRecommender(SequentialSettings settings) => S = settings;

    public abstract string Name { get; }
    public int ItemCount { get; private set; }
    public virtual IReadOnlyDictionary<string, object> Params => S.ToParams();
    public IReadOnlyList<EpochRecord> History => _history;
    public string ValidMetric => "NDCG@10";
    public int BestEpoch { get; private set; }

    /// <summary>Builds the network for <paramref name="items"/> items; <paramref name="attributes"/> is [rows, width] or null.</summary>
    protected abstract SequenceEncoder CreateNetwork(int items, long[,]? attributes, int attributeCount);

    /// <summary>Rows of the item table beyond padding and items (BERT4Rec's mask token).</summary>
    protected virtual int ExtraTokens => 0;

    // ---- training ----------------------------------------------------------------------------------------

    public void Fit(NextItemTrainingData data, ProgressReporter progress)
    {
        TorchRuntime.Start(data.Seed, S.Threads > 0 ? S.Threads : null);
        ItemCount = data.ItemCount;
        if (S.Attributes && data.ItemAttributes is { } attrs)
        {
            _attributes = attrs.Select(a => a ?? Array.Empty<int>()).ToArray();
            _attributeCount = _attributes.Length == 0 ? 0 : _attributes.Max(a => a.Length == 0 ? 0 : a.Max());
        }
        Net = CreateNetwork(ItemCount, AttributeMatrix(), _attributeCount);
        var rng = new Random(data.Seed);
        var sequences = data.Sequences.Where(s => s.Length >= 2).Select(s => s.Length > S.MaxLen + 1 ? s[^(S.MaxLen + 1)..] : s).ToArray();
        if (sequences.Length == 0) throw new ShopcastInputException($"{Name}: no training sequence has two or more items");
        var valid = SampleValidation(data.Validation, data.Seed);
        var protocol = data.ValidationProtocol;

        using var optimizer = S.Optimizer == "adamw"
            ? (optim.Optimizer)optim.AdamW(Net.parameters(), S.LearningRate, weight_decay: S.WeightDecay)
            : optim.Adam(Net.parameters(), S.LearningRate, weight_decay: S.WeightDecay);
        var stopping = new EarlyStopping(S.Patience);
        using var best = new BestWeights();
        var total = Stopwatch.StartNew();
        string status = "";
        progress.Step($"Training {Name}", S.Epochs, bar =>
        {
            for (int epoch = 1; epoch <= S.Epochs; epoch++)
            {
                var sw = Stopwatch.StartNew();
                ForgetScoringTable();
                Net.train();
                var epochSeqs = Augmentation.Apply(sequences, S, rng);
                double lossSum = 0; long lossCount = 0, examples = 0;
                foreach (var batch in Batches(epochSeqs, rng))
                {
                    using var scope = NewDisposeScope();
                    optimizer.zero_grad();
                    var (loss, n) = BatchLoss(batch, rng);
                    loss.backward();
                    if (S.Clip > 0) nn.utils.clip_grad_norm_(Net.parameters(), S.Clip);
                    optimizer.step();
                    lossSum += loss.item<float>() * n; lossCount += n; examples += n;
                }
                double? score = null;
                if (valid.Count > 0 && (epoch % S.EvalEvery == 0 || epoch == S.Epochs))
                {
                    score = RankingEvaluator.Evaluate(this, valid, protocol).Metrics[ValidMetric];
                    if (stopping.Observe(epoch, score.Value))
                    {
                        best.Take(Net);
                        if (data.CheckpointDirectory is { } dir) { Directory.CreateDirectory(dir); Net.save(Path.Combine(dir, $"{Name}-best.bin")); }
                    }
                }
                double secs = sw.Elapsed.TotalSeconds;
                _history.Add(new EpochRecord(epoch, lossCount > 0 ? lossSum / lossCount : double.NaN, score, Math.Round(secs, 3), Math.Round(examples / secs, 1)));
                status = $"{Name} epoch {epoch}/{S.Epochs} loss {lossSum / Math.Max(1, lossCount):0.0000}" +
                         (score is { } v ? $" valid {ValidMetric} {v:0.0000} (best {stopping.Best:0.0000} @ {stopping.BestEpoch})" : "") + $" {secs:0.0} s/epoch";
                bar.Describe(status);
                if (data.OnEpoch is { } onEpoch)
                {
                    total.Stop();               // the callback's own work is not training time
                    Net.eval();
                    onEpoch(this, epoch, total.Elapsed.TotalSeconds);
                    total.Start();
                }
                bar.Set(epoch);
                if (valid.Count > 0 && stopping.ShouldStop) break;
                if (S.MaxMinutes > 0 && total.Elapsed.TotalMinutes >= S.MaxMinutes) break;
            }
            bar.Set(S.Epochs);
        });
        progress.Info(status);
        if (best.RestoreInto(Net))
        {
            ForgetScoringTable();
            BestEpoch = stopping.BestEpoch;
        }
        else BestEpoch = _history.Count;
        Net.eval();
    }

    /// <summary>
    /// Loss of one mini-batch and the number of predictions it averages over. Default: predict the next item at every
    /// position (SASRec, GRU4Rec), with full-softmax cross-entropy or binary cross-entropy against sampled negatives.
    /// </summary>
    protected virtual (Tensor Loss, long Count) BatchLoss(int[][] batch, Random rng)
    {
        var inputs = batch.Select(s => new ArraySegment<int>(s, 0, s.Length - 1)).ToArray();
        var targets = batch.Select(s => new ArraySegment<int>(s, 1, s.Length - 1)).ToArray();
        var x = LeftPad(inputs);
        var y = LeftPad(targets);
        var hidden = Net!.forward(x);
        var flatIdx = nonzero(y.reshape(-1) > 0).squeeze(1);
        var h = hidden.reshape(-1, hidden.shape[2]).index_select(0, flatIdx);
        var target = y.reshape(-1).index_select(0, flatIdx) - 1; // item indices 0..N-1
        long n = target.shape[0];
        if (S.Loss == "ce")
            return (nn.functional.cross_entropy(h.matmul(Net.ItemTable().t()), target), n);
        var posLogit = (h * Net.Embed(target + 1)).sum(-1, keepdim: true);
        if (S.Loss == "sampled-ce")
        {
            // Softmax over the target and Negatives items shared by the whole batch, drawn uniformly: a uniform
            // proposal makes the logQ correction a constant, so it drops out. A negative equal to the target is masked.
            var shared = randint(0, ItemCount, new long[] { S.Negatives }, dtype: ScalarType.Int64);
            var negLogit = h.matmul(Net.Embed(shared + 1).t());
            negLogit = negLogit.masked_fill(target.unsqueeze(1).eq(shared.unsqueeze(0)), float.NegativeInfinity);
            var logits = cat(new[] { posLogit, negLogit }, 1);
            return (nn.functional.cross_entropy(logits, zeros(n, dtype: ScalarType.Int64)), n);
        }
        // BCE: each positive against S.Negatives uniformly drawn items (redrawn when equal to the target).
        var negs = new long[n * S.Negatives];
        var tgt = target.data<long>().ToArray();
        for (long i = 0; i < n; i++)
            for (int j = 0; j < S.Negatives; j++)
            {
                long neg;
                do neg = rng.Next(ItemCount); while (neg == tgt[i]);
                negs[i * S.Negatives + j] = neg + 1;
            }
        var negRows = tensor(negs, new long[] { n, S.Negatives });
        var negLogits = (h.unsqueeze(1) * Net.Embed(negRows)).sum(-1);
        var pos = posLogit.squeeze(1);
        var loss = nn.functional.binary_cross_entropy_with_logits(pos, ones_like(pos))
                 + nn.functional.binary_cross_entropy_with_logits(negLogits, zeros_like(negLogits));
        return (loss, n);
    }

    // ---- scoring -----------------------------------------------------------------------------------------

    public void Score(ReadOnlySpan<int> history, Span<float> scores) =>
        ((INextItemModel)this).ScoreBatch(new[] { new ArraySegment<int>(history.ToArray()) }, scores);

    /// <summary>The model's input for scoring a history; BERT4Rec appends its mask token.</summary>
    protected virtual Tensor ScoringInput(IReadOnlyList<ArraySegment<int>> histories) => LeftPad(histories);

    void INextItemModel.ScoreBatch(IReadOnlyList<ArraySegment<int>> histories, Span<float> scores)
    {
        if (Net is null) throw new InvalidOperationException($"{Name} is not fitted");
        // One forward pass at a time: libtorch already uses every core inside each matrix product.
        lock (_scoreLock)
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            bool wasTraining = Net.training;
            Net.eval();
            var x = ScoringInput(histories);
            var hidden = Net.forward(x);
            var last = hidden.select(1, hidden.shape[1] - 1);
            _scoringTable ??= Net.ItemTable().detach().clone().DetachFromDisposeScope();
            var logits = last.matmul(_scoringTable.t()).contiguous();
            logits.data<float>().CopyTo(scores.Slice(0, histories.Count * ItemCount));
            if (wasTraining) Net.train();
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    private void ForgetScoringTable()
    {
        lock (_scoreLock) { _scoringTable?.Dispose(); _scoringTable = null; }
    }

    /// <summary>[B, T] int64, ids + 1 (0 = padding), left-padded to the longest of the batch, each cut to its last max_len items.</summary>
    protected Tensor LeftPad(IReadOnlyList<ArraySegment<int>> seqs, int? appendToken = null)
    {
        int extra = appendToken is null ? 0 : 1;
        int limit = S.MaxLen - extra;
        int t = Math.Max(1, seqs.Max(s => Math.Min(s.Count, limit)) + extra);
        var a = new long[seqs.Count * t];
        for (int b = 0; b < seqs.Count; b++)
        {
            var s = seqs[b];
            int len = Math.Min(s.Count, limit);
            int offset = b * t + (t - extra - len);
            for (int i = 0; i < len; i++) a[offset + i] = s[s.Count - len + i] + 1;
            if (appendToken is { } tok) a[b * t + t - 1] = tok;
        }
        return tensor(a, new long[] { seqs.Count, t });
    }

    private IReadOnlyList<RankingCase> SampleValidation(IReadOnlyList<RankingCase> cases, int seed)
    {
        if (S.ValidSample <= 0 || cases.Count <= S.ValidSample) return cases;
        var rng = new Random(seed + 1);
        return cases.OrderBy(_ => rng.Next()).Take(S.ValidSample).ToList();
    }

    /// <summary>
    /// Mini-batches of similar length, in random order: sequences are shuffled, sorted by length within windows of
    /// 50 batches, cut into batches, and the batches shuffled. Each batch is padded only to its own longest sequence,
    /// which on short-sequence data (Beauty: 7 items on average, max_len 50) removes most of the padding compute.
    /// </summary>
    private List<int[][]> Batches(int[][] seqs, Random rng)
    {
        SeededShuffle.Shuffle(seqs, rng);
        var batches = new List<int[][]>();
        int window = S.BatchSize * 50;
        for (int w = 0; w < seqs.Length; w += window)
        {
            var chunk = seqs.AsSpan(w, Math.Min(window, seqs.Length - w)).ToArray();
            Array.Sort(chunk, (a, b) => a.Length.CompareTo(b.Length));
            for (int b = 0; b < chunk.Length; b += S.BatchSize)
                batches.Add(chunk.AsSpan(b, Math.Min(S.BatchSize, chunk.Length - b)).ToArray());
        }
        var order = batches.ToArray();
        SeededShuffle.Shuffle(order, rng);
        return order.ToList();
    }

    /// <summary>Attribute ids per item-table row (row 0 = padding), padded with 0 to the widest item; null when off.</summary>
    private long[,]? AttributeMatrix()
    {
        if (_attributes is null) return null;
        int rows = ItemCount + 1 + ExtraTokens;
        int width = Math.Max(1, _attributes.Max(a => a.Length));
        var m = new long[rows, width];
        for (int i = 0; i < _attributes.Length && i < ItemCount; i++)
            for (int j = 0; j < _attributes[i].Length; j++) m[i + 1, j] = _attributes[i][j];
        return m;
    }

    // ---- bundles -----------------------------------------------------------------------------------------

    public void SaveWeights(string directory)
    {
        if (Net is null) throw new InvalidOperationException($"{Name} is not fitted");
        Net.save(Path.Combine(directory, "weights.bin"));
        if (_attributes is not null)
        {
            var offsets = new int[_attributes.Length + 1];
            for (int i = 0; i < _attributes.Length; i++) offsets[i + 1] = offsets[i] + _attributes[i].Length;
            WeightFile.WriteInts(Path.Combine(directory, "attribute_offsets.bin"), offsets);
            WeightFile.WriteInts(Path.Combine(directory, "attribute_ids.bin"), _attributes.SelectMany(a => a).ToArray());
        }
    }

    /// <summary>Restores a saved model: same settings (from the manifest), same item count, weights from the folder.</summary>
    protected static T LoadInto<T>(T model, string directory, int itemCount) where T : SequentialRecommender
    {
        TorchRuntime.Start(0);
        model.ItemCount = itemCount;
        var offsetsPath = Path.Combine(directory, "attribute_offsets.bin");
        if (model.S.Attributes && File.Exists(offsetsPath))
        {
            var offsets = WeightFile.ReadInts(offsetsPath);
            var ids = WeightFile.ReadInts(Path.Combine(directory, "attribute_ids.bin"));
            if (offsets.Length != itemCount + 1 || offsets[^1] != ids.Length)
                throw new ShopcastInputException($"{directory}: attribute files do not match the id map");
            model._attributes = Enumerable.Range(0, itemCount).Select(i => ids[offsets[i]..offsets[i + 1]]).ToArray();
            model._attributeCount = ids.Length == 0 ? 0 : ids.Max();
        }
        model.Net = model.CreateNetwork(itemCount, model.AttributeMatrix(), model._attributeCount);
        var weights = Path.Combine(directory, "weights.bin");
        if (!File.Exists(weights)) throw new ShopcastInputException($"model bundle '{directory}': weights.bin is missing");
        try { model.Net.load(weights); }
        catch (Exception e) when (e is not ShopcastInputException)
        {
            throw new ShopcastInputException($"model bundle '{directory}': weights.bin does not fit a {model.Name} with these settings ({e.Message.Split('\n')[0]})");
        }
        model.Net.eval();
        return model;
    }
}
