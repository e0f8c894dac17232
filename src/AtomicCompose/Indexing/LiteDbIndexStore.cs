namespace AtomicCompose.Indexing;

/// <summary>The default <see cref="IIndexStore"/>: a LiteDB file. (Stub: being implemented.)</summary>
public sealed class LiteDbIndexStore : IIndexStore
{
    /// <summary>Opens (or creates) the database at <paramref name="databasePath"/>.</summary>
    /// <param name="databasePath">The LiteDB file path.</param>
    public LiteDbIndexStore(string databasePath) { _ = databasePath; }
    /// <inheritdoc />
    public void Commit(IndexChangeSet changes) => throw new NotImplementedException();
    /// <inheritdoc />
    public bool IsCommitted(string transactionId) => throw new NotImplementedException();
    /// <inheritdoc />
    public void SetCommit(string transactionId, string commitSha, IReadOnlyList<string> paths) => throw new NotImplementedException();
    /// <inheritdoc />
    public FileRecord? GetFile(string path) => throw new NotImplementedException();
    /// <inheritdoc />
    public IReadOnlyList<FileRecord> GetFiles() => throw new NotImplementedException();
    /// <inheritdoc />
    public IReadOnlyList<EntityRecord> QueryEntities(EntityQuery query) => throw new NotImplementedException();
    /// <inheritdoc />
    public void Dispose() { }
}
