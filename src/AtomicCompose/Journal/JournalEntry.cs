namespace AtomicCompose.Journal;

/// <summary>
/// The write-ahead intent record of one transaction: enough to roll it back or forward after a
/// crash at any instruction. Written and fsynced before the first byte of any target changes.
/// </summary>
internal sealed class JournalEntry
{
    public string TransactionId { get; set; } = "";

    public string Message { get; set; } = "";

    public DateTimeOffset CreatedUtc { get; set; }

    /// <summary>HEAD when the transaction began; <see langword="null"/> for an unborn branch or without VCS.</summary>
    public string? ParentCommit { get; set; }

    public List<JournalFile> Files { get; set; } = [];

    /// <summary>Folders created for new files, outermost first; removed again on rollback when empty.</summary>
    public List<string> CreatedDirectories { get; set; } = [];
}

/// <summary>One file of a journaled transaction. Paths are root-relative.</summary>
internal sealed class JournalFile
{
    public string Path { get; set; } = "";

    /// <summary>SHA-256 before the transaction; <see langword="null"/> when the file did not exist.</summary>
    public string? PreHash { get; set; }

    /// <summary>SHA-256 after the transaction; <see langword="null"/> when the transaction deletes the file.</summary>
    public string? PostHash { get; set; }

    /// <summary>The temp file the new text is written to (beside the target); journaled before it exists.</summary>
    public string TempPath { get; set; } = "";

    /// <summary>The backup of the pre-image; <see langword="null"/> when the file did not exist.</summary>
    public string? BackupPath { get; set; }

    /// <summary>The target's Unix mode, restored with the pre-image.</summary>
    public int? Mode { get; set; }
}
