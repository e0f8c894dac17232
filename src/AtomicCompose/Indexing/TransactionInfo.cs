namespace AtomicCompose.Indexing;

/// <summary>What a committed transaction changed, as the index recorded it at its commit point.</summary>
public sealed class TransactionInfo
{
    /// <summary>The transaction id.</summary>
    public string Id { get; init; } = "";

    /// <summary>When the index commit happened (UTC).</summary>
    public DateTime CommittedUtc { get; init; }

    /// <summary>The git commit, once known.</summary>
    public string? CommitSha { get; init; }

    /// <summary>The commit message.</summary>
    public string Message { get; init; } = "";

    /// <summary>Every file the transaction wrote; empty for transactions recorded before files were recorded, and for index rebuilds.</summary>
    public IReadOnlyList<TransactionFileChange> Files { get; init; } = [];

    /// <summary>The transaction this one undid, if it is an undo.</summary>
    public string? Undoes { get; init; }

    /// <summary>The transaction that undid this one, once undone.</summary>
    public string? UndoneBy { get; init; }
}

/// <summary>One file a transaction wrote: enough to take the change back.</summary>
public sealed class TransactionFileChange
{
    /// <summary>Root-relative path.</summary>
    public string Path { get; set; } = "";

    /// <summary>SHA-256 before the transaction; <see langword="null"/> when the transaction created the file.</summary>
    public string? PreHash { get; set; }

    /// <summary>SHA-256 after the transaction; <see langword="null"/> when the transaction deleted the file.</summary>
    public string? PostHash { get; set; }

    /// <summary>Root-relative path of the pre-image backup; <see langword="null"/> when the file did not exist before.</summary>
    public string? BackupPath { get; set; }

    /// <summary>The file's Unix mode before the transaction, when known.</summary>
    public int? Mode { get; set; }
}
