namespace AtomicCompose.Indexing;

/// <summary>
/// The index of files and entities. Changes of one transaction are applied by one
/// <see cref="Commit"/> call, atomically, together with the record of the transaction id: that
/// call is the commit point of the protocol. A store is used by one engine (one writer) at a time.
/// </summary>
public interface IIndexStore : IDisposable
{
    /// <summary>Applies <paramref name="changes"/> atomically and records its transaction id as committed.</summary>
    /// <param name="changes">The files and entities to write or remove.</param>
    /// <exception cref="ComposeException">The store failed (<see cref="ComposeErrorCode.Index"/>). Nothing was committed, unless the failure came after the commit itself (for example flushing it to disk): <see cref="IsCommitted"/> tells, and the engine asks it before deciding to roll back.</exception>
    void Commit(IndexChangeSet changes);

    /// <summary>Whether the transaction <paramref name="transactionId"/> reached its commit point.</summary>
    /// <param name="transactionId">The transaction id.</param>
    /// <returns><see langword="true"/> if committed.</returns>
    bool IsCommitted(string transactionId);

    /// <summary>Records the git commit created for a committed transaction.</summary>
    /// <param name="transactionId">The transaction id.</param>
    /// <param name="commitSha">The commit sha.</param>
    /// <param name="paths">The paths whose file records get the sha.</param>
    void SetCommit(string transactionId, string commitSha, IReadOnlyList<string> paths);

    /// <summary>The record of one file, or <see langword="null"/>.</summary>
    /// <param name="path">Root-relative path.</param>
    /// <returns>The record or <see langword="null"/>.</returns>
    FileRecord? GetFile(string path);

    /// <summary>All file records.</summary>
    /// <returns>The records, ordered by path.</returns>
    IReadOnlyList<FileRecord> GetFiles();

    /// <summary>Entities matching <paramref name="query"/>.</summary>
    /// <param name="query">Filters; empty matches everything.</param>
    /// <returns>Matching entities ordered by path and line.</returns>
    IReadOnlyList<EntityRecord> QueryEntities(EntityQuery query);

    /// <summary>What the committed transaction <paramref name="transactionId"/> changed, or <see langword="null"/> when the store does not know it.</summary>
    /// <param name="transactionId">The transaction id.</param>
    /// <returns>The record, or <see langword="null"/>. The default implementation keeps no such records and returns <see langword="null"/>, so undo is unavailable with it.</returns>
    TransactionInfo? FindTransaction(string transactionId) => null;
}

/// <summary>The index writes of one transaction.</summary>
/// <param name="TransactionId">The transaction id recorded with the changes.</param>
/// <param name="Files">File records to insert or replace; each replaces all entities of its path with <see cref="Entities"/> of that path.</param>
/// <param name="Entities">The entities of the files in <see cref="Files"/>.</param>
/// <param name="RemovedPaths">Paths whose file and entity records are removed.</param>
public sealed record IndexChangeSet(string TransactionId, IReadOnlyList<FileRecord> Files, IReadOnlyList<EntityRecord> Entities, IReadOnlyList<string> RemovedPaths)
{
    /// <summary>The commit message, recorded with the transaction.</summary>
    public string? Message { get; init; }

    /// <summary>Every file the transaction writes (C# or not) with its hashes and backup, recorded with the transaction so it can be undone.</summary>
    public IReadOnlyList<TransactionFileChange> FileChanges { get; init; } = [];

    /// <summary>When the transaction is an undo: the transaction it takes back, marked undone in the same atomic commit.</summary>
    public string? Undoes { get; init; }
}

/// <summary>Filters for <see cref="IIndexStore.QueryEntities"/>; <see langword="null"/> members match anything.</summary>
/// <param name="NamePath">Exact name path, or a prefix when it ends with <c>*</c>.</param>
/// <param name="Kind">Entity kind, e.g. <c>method</c>.</param>
/// <param name="Path">Root-relative file path.</param>
public sealed record EntityQuery(string? NamePath = null, string? Kind = null, string? Path = null);
