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
}
