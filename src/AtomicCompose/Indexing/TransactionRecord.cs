namespace AtomicCompose.Indexing;

/// <summary>The record of a committed transaction in the <c>transactions</c> collection.</summary>
internal sealed class TransactionRecord
{
    /// <summary>The transaction id; the key.</summary>
    public string Id { get; set; } = "";

    /// <summary>When the index commit happened (UTC).</summary>
    public DateTime CommittedUtc { get; set; }

    /// <summary>The git commit created for the transaction, once known.</summary>
    public string? CommitSha { get; set; }

    /// <summary>The commit message.</summary>
    public string? Message { get; set; }

    /// <summary>Every file the transaction wrote (C# or not), with its hashes before and after: what an undo restores.</summary>
    public List<TransactionFileChange>? Files { get; set; }

    /// <summary>The transaction this one undid, if it is an undo.</summary>
    public string? Undoes { get; set; }

    /// <summary>The transaction that undid this one, once undone.</summary>
    public string? UndoneBy { get; set; }

    public TransactionInfo ToInfo() => new()
    {
        Id = Id,
        CommittedUtc = CommittedUtc.ToUniversalTime(),
        CommitSha = CommitSha,
        Message = Message ?? "",
        Files = Files?.ToList() ?? [],
        Undoes = Undoes,
        UndoneBy = UndoneBy,
    };
}
