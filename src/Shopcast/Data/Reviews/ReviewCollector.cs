using Shopcast.Data.Formats;
using Shopcast.Reporting;

namespace Shopcast.Data.Reviews;

/// <summary>The reasons a review row is not kept (the keys of <see cref="ReviewAccount.Rejected"/>).</summary>
internal static class ReviewRejects
{
    public const string EmptyText = "empty text";
    public const string Undecodable = "undecodable text";
    public const string NoLabel = "no label";
    public const string LabelOutOfRange = "label out of range";
    public const string Malformed = "malformed row";
    public static string TooLong(int maxChars) => $"text over {maxChars} characters";
}

/// <summary>
/// Where a reader puts each row: kept as a <see cref="Review"/> or rejected with a reason. Every row a reader reads
/// ends in exactly one <see cref="Keep"/> or <see cref="Reject"/>, so the account balances (read = kept + rejected).
/// </summary>
internal sealed class ReviewCollector
{
    private readonly List<Review> _reviews = new();
    private readonly int _maxChars;
    private IProgressHandle? _progress;
    private Stream? _progressFile;

    public ReviewAccount Account { get; }
    public IReadOnlyList<Review> Reviews => _reviews;

    public ReviewCollector(string source, string format, int maxChars)
    {
        if (maxChars < 1) throw new ShopcastInputException($"the longest review allowed must be at least 1 character (got {maxChars})");
        _maxChars = maxChars;
        Account = new ReviewAccount { Source = source, Format = format };
    }

    /// <summary>Progress follows <paramref name="file"/>'s position (bytes on disk) from now on.</summary>
    public void Follow(IProgressHandle progress, Stream file)
    {
        _progress = progress;
        _progressFile = file;
    }

    /// <summary>
    /// Checks a row's text before its label (so a row with neither counts as empty text): trimmed, not empty,
    /// without <see cref="ReviewSource.BadByte"/> (bytes that are not UTF-8), and at most maxChars UTF-16 characters.
    /// Over-long text is rejected, never truncated, so nothing a model sees was cut. On false the row is rejected.
    /// </summary>
    public bool TryText(string? raw, string where, out string text)
    {
        text = raw?.Trim() ?? "";
        if (text.Length == 0) { Reject(ReviewRejects.EmptyText, where); return false; }
        if (text.Contains(ReviewSource.BadByte)) { Reject(ReviewRejects.Undecodable, where, text); return false; }
        if (text.Length > _maxChars) { Reject(ReviewRejects.TooLong(_maxChars), where, $"{text.Length} characters"); return false; }
        return true;
    }

    /// <summary>
    /// <see cref="TryText(string?, string, out string)"/> for a review with a title: the text is "title. body" (the
    /// body alone when the title is empty). A title without a body is empty text: the title alone is no review.
    /// </summary>
    public bool TryText(string? title, string? body, string where, out string text)
    {
        if (string.IsNullOrWhiteSpace(body)) { text = ""; Reject(ReviewRejects.EmptyText, where); return false; }
        var t = title?.Trim();
        return TryText(string.IsNullOrEmpty(t) ? body : t + ". " + body.Trim(), where, out text);
    }

    public void Keep(Review review)
    {
        _reviews.Add(review);
        Account.Read++;
        Account.Kept++;
        Tick();
    }

    /// <param name="shown">What the row held, clipped into the example (e.g. the bad label).</param>
    public void Reject(string reason, string where, string? shown = null)
    {
        Account.Read++;
        Account.Reject(reason, shown is null ? where : $"{where}: '{FormatText.Clip(shown, 60)}'");
        Tick();
    }

    /// <summary>Replaces a kept review (a label decided only once the whole file is read).</summary>
    public void Relabel(int index, Sentiment label) => _reviews[index] = _reviews[index] with { Label = label };

    private void Tick()
    {
        if (_progress is not null && (Account.Read & 1023) == 0) _progress.Set(_progressFile!.Position);
    }

    /// <summary>The reviews kept; a source that yields none is an error that says why, not an empty set.</summary>
    public ReviewSet Finish()
    {
        if (Account.Kept == 0)
        {
            var why = Account.Read == 0 ? "holds no review rows"
                : $"no review kept: {Account.Read:N0} rows read, rejected " + string.Join(", ", Account.Rejected.Select(r =>
                    $"{r.Value:N0} {r.Key}" + (Account.Examples.TryGetValue(r.Key, out var ex) ? $" (e.g. {ex[0]})" : "")));
            throw new DataFormatException(Account.Source, 0, why);
        }
        return new ReviewSet(_reviews, Account);
    }
}
