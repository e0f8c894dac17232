using System.Globalization;
using LiteDB;

namespace AtomicCompose.Indexing;

/// <summary>
/// The default <see cref="IIndexStore"/>: a LiteDB 5 file opened in <c>Direct</c> mode with three
/// collections, <c>files</c> (keyed by path), <c>entities</c> (keyed by id, indexed by path, name
/// path and kind) and <c>transactions</c> (keyed by transaction id).
/// </summary>
/// <remarks>
/// <para>
/// Durability: LiteDB 5.0.21 has no durable commit of its own, so <see cref="Commit"/> fsyncs the
/// log and data files itself after LiteDB's commit (see <c>SyncToDisk</c>). Background: <c>Commit()</c> writes the transaction's pages
/// to the <c>-log.db</c> write-ahead log and calls <c>Stream.Flush()</c>, which hands them to the
/// operating system but never requests <c>FileStream.Flush(true)</c> (fsync). Its checkpoint (on dispose,
/// or when the log grows) copies the log pages into the data file, fsyncs the data file and only then
/// truncates the log (seen in a syscall trace of 5.0.21), so a checkpoint never loses what was durable
/// in the log; but it runs only then, so it cannot make a commit durable. No public setting turns a real
/// flush on (LiteDB 4's <c>Flush=true</c> was removed in v5). What is guaranteed: a committed
/// transaction survives a crash or kill of the process (the log is replayed on the next open); a
/// power loss or OS crash can drop the most recent commits. Recovery must therefore treat a
/// transaction whose commit record is missing as not committed, which the protocol already does.
/// </para>
/// <para>
/// The store is one writer: open it once per workspace (the engine holds its own exclusive lock
/// file, since LiteDB's Direct mode takes only a shared lock on Linux). Calls are serialized.
/// </para>
/// </remarks>
public sealed class LiteDbIndexStore : IIndexStore, IProjectInputsCache
{
    /// <summary>The default time to wait for LiteDB's locks.</summary>
    public static readonly TimeSpan DefaultLockTimeout = TimeSpan.FromSeconds(10);

    private const string FilesCollection = "files";
    private const string EntitiesCollection = "entities";
    private const string TransactionsCollection = "transactions";

    // What MSBuild said each project compiles, with the fingerprint of its inputs (not part of the file index proper).
    private const string ProjectInputsCollection = "projectInputs";

    private readonly LiteDatabase _db;
    private readonly ILiteCollection<FileRecord> _files;
    private readonly ILiteCollection<EntityRecord> _entities;
    private readonly ILiteCollection<TransactionRecord> _transactions;
    private readonly Lock _gate = new();
    private bool _disposed;

    /// <summary>Opens (or creates) the database at <paramref name="databasePath"/>.</summary>
    /// <param name="databasePath">The LiteDB file path.</param>
    /// <exception cref="ComposeException">The database could not be opened (<see cref="ComposeErrorCode.Index"/>).</exception>
    public LiteDbIndexStore(string databasePath)
        : this(databasePath, DefaultLockTimeout)
    {
    }

    /// <summary>Opens (or creates) the database at <paramref name="databasePath"/>, waiting at most <paramref name="lockTimeout"/> for LiteDB's locks.</summary>
    /// <param name="databasePath">The LiteDB file path.</param>
    /// <param name="lockTimeout">How long an operation waits for a lock before it fails.</param>
    /// <exception cref="ComposeException">The database could not be opened (<see cref="ComposeErrorCode.Index"/>).</exception>
    public LiteDbIndexStore(string databasePath, TimeSpan lockTimeout)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lockTimeout, TimeSpan.Zero);

        DatabasePath = Path.GetFullPath(databasePath);
        LiteDatabase? db = null;
        try
        {
            var directory = Path.GetDirectoryName(DatabasePath);
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            var connection = new ConnectionString
            {
                Filename = DatabasePath,
                // Never Shared: Shared mode opens and closes the file around each operation and
                // uses a named mutex; one engine is the one writer.
                Connection = ConnectionType.Direct,
                // Paths and name paths are case-sensitive: the default collation ignores case,
                // which would make "A.cs" and "a.cs" the same key.
                Collation = new Collation(CultureInfo.InvariantCulture.LCID, CompareOptions.Ordinal),
            };

            db = new LiteDatabase(connection, CreateMapper());
            // The connection-string Timeout key is ignored by LiteDB 5.0.21; the pragma is not.
            db.Timeout = lockTimeout;

            _files = db.GetCollection<FileRecord>(FilesCollection);
            _entities = db.GetCollection<EntityRecord>(EntitiesCollection);
            _transactions = db.GetCollection<TransactionRecord>(TransactionsCollection);

            // Create every collection and index now, outside any transaction, so Commit only writes
            // documents. EnsureIndex creates the collection when it does not exist yet.
            _files.EnsureIndex(x => x.LastTransaction);
            _entities.EnsureIndex(x => x.Path);
            _entities.EnsureIndex(x => x.NamePath);
            _entities.EnsureIndex(x => x.Kind);
            _transactions.EnsureIndex(x => x.CommittedUtc);
            _db = db;
        }
        catch (Exception ex) when (ex is not ComposeException)
        {
            db?.Dispose();
            throw new ComposeException(
                ComposeErrorCode.Index,
                ComposeStep.Open,
                $"Could not open the index database '{DatabasePath}': {ex.Message}. If another process uses it, close that process; if the file is damaged, delete it and let the engine rebuild the index.",
                [DatabasePath],
                TransactionState.Active,
                ex);
        }
    }

    /// <summary>The full path of the LiteDB file.</summary>
    public string DatabasePath { get; }

    /// <summary>Test seam (<c>ComposeOptions.IoHook</c>): called with an <see cref="Files.IoOp"/> label before the writes of a transaction, its commit and each fsync.</summary>
    internal Action<string, string>? IoHook { get; init; }

    /// <summary>The lock timeout LiteDB actually uses (its <c>TIMEOUT</c> pragma).</summary>
    internal TimeSpan LockTimeout
    {
        get
        {
            lock (_gate)
            {
                ThrowIfDisposed(ComposeStep.Open, TransactionState.Active);
                return _db.Timeout;
            }
        }
    }

    /// <inheritdoc />
    public void Commit(IndexChangeSet changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        Validate(changes);

        lock (_gate)
        {
            ThrowIfDisposed(ComposeStep.IndexCommit, TransactionState.Applied);

            // LiteDB 5 binds an explicit transaction to the OS thread that began it: a Commit()
            // after an await (possibly on another thread) returns false, commits nothing and
            // leaves the orphan holding the write lock. That is why the engine hands over the
            // whole change set at once, and why BeginTrans, every write and Commit happen here,
            // in this one synchronous call, on one thread, with no await in between.
            var began = false;
            try
            {
                if (!_db.BeginTrans())
                {
                    throw new InvalidOperationException("A LiteDB transaction is already open on this thread.");
                }

                began = true;
                IoHook?.Invoke(Files.IoOp.IndexWrite, DatabasePath);
                foreach (var file in changes.Files)
                {
                    _files.Upsert(file);
                }

                ReplaceEntities(changes);

                foreach (var path in changes.RemovedPaths)
                {
                    _files.Delete(path);
                }

                if (changes.Undoes is { } undone)
                {
                    // Marked in the same LiteDB transaction as the undo's own record: an undo is never half recorded.
                    var original = _transactions.FindById(undone)
                        ?? throw new InvalidOperationException($"Transaction '{undone}', which this one undoes, is not in the index.");
                    if (original.UndoneBy is not null)
                    {
                        throw new InvalidOperationException($"Transaction '{undone}' was already undone by '{original.UndoneBy}'.");
                    }

                    original.UndoneBy = changes.TransactionId;
                    _transactions.Update(original);
                }

                // Insert, not upsert: committing the same transaction id twice is a bug upstream.
                _transactions.Insert(new TransactionRecord
                {
                    Id = changes.TransactionId,
                    CommittedUtc = DateTime.UtcNow,
                    Message = changes.Message,
                    Files = changes.FileChanges.Count == 0 ? null : changes.FileChanges.ToList(),
                    Undoes = changes.Undoes,
                });

                IoHook?.Invoke(Files.IoOp.IndexCommit, DatabasePath);
                if (!_db.Commit())
                {
                    throw new InvalidOperationException("LiteDB did not commit the transaction (Commit returned false).");
                }

                began = false;
            }
            catch (Exception ex)
            {
                if (began)
                {
                    TryRollback();
                }

                throw new ComposeException(
                    ComposeErrorCode.Index,
                    ComposeStep.IndexCommit,
                    $"The index commit of transaction '{changes.TransactionId}' failed and was rolled back: {ex.Message}. Nothing was committed to the index; the transaction can be rolled back.",
                    changes.Files.Select(f => f.Path).Concat(changes.RemovedPaths).ToArray(),
                    TransactionState.Applied,
                    ex);
            }

            try
            {
                SyncToDisk();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // LiteDB has committed: the transaction is past its commit point for this process and any later one
                // (LiteDB replays its log), so saying "nothing was committed" here would make the caller roll back files
                // the index already records (found by fault injection). Only its survival of a power loss is in doubt.
                throw new ComposeException(
                    ComposeErrorCode.Index,
                    ComposeStep.IndexCommit,
                    $"The index commit of transaction '{changes.TransactionId}' was made, but flushing it to disk failed: {ex.Message}. The transaction is past its commit point (IsCommitted is true); finish it (recovery rolls it forward).",
                    changes.Files.Select(f => f.Path).Concat(changes.RemovedPaths).ToArray(),
                    TransactionState.CommittedNeedsRecovery,
                    ex);
            }
        }
    }

    /// <summary>
    /// Makes the entities of the changed and removed paths exactly <see cref="IndexChangeSet.Entities"/>: an entity whose
    /// id is still there is updated in place, one that is gone is deleted, a new one is inserted.
    /// </summary>
    /// <remarks>
    /// Deleting every entity of the file and inserting them again (as before) rewrote a node in each of the four indexes
    /// for every entity, 40 pages of the log per one-file commit on the generated project (syscall trace); a body edit
    /// keeps every entity's id, path, name path and kind, and LiteDB's update touches an index only when the document's
    /// key for it changed, so the commit writes the entities' data pages and little else.
    /// </remarks>
    private void ReplaceEntities(IndexChangeSet changes)
    {
        var incoming = changes.Entities.GroupBy(e => e.Path, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        foreach (var path in changes.Files.Select(f => f.Path).Concat(changes.RemovedPaths).Distinct(StringComparer.Ordinal))
        {
            var existing = _entities.Query().Where(Query.EQ(nameof(EntityRecord.Path), path)).Select(x => x.Id).ToList()
                .ToHashSet(StringComparer.Ordinal);
            var wanted = incoming.GetValueOrDefault(path) ?? [];
            var kept = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entity in wanted)
            {
                if (existing.Contains(entity.Id) && kept.Add(entity.Id))
                {
                    _entities.Update(entity);
                }
                else
                {
                    // Insert, as before: an id listed twice is a bug upstream and fails the commit.
                    _entities.Insert(entity);
                }
            }

            foreach (var gone in existing.Where(id => !kept.Contains(id)))
            {
                _entities.Delete(gone);
            }
        }
    }

    /// <summary>Flushes every commit made so far to disk (see <see cref="SyncToDisk"/>); recovery calls it before it makes a git commit.</summary>
    internal void Flush()
    {
        lock (_gate)
        {
            ThrowIfDisposed(ComposeStep.Recovery, TransactionState.CommittedNeedsRecovery);
            SyncToDisk();
        }
    }

    /// <summary>
    /// LiteDB 5.0.21 hands a commit to the OS (<c>Stream.Flush()</c>) but never fsyncs it. fsync
    /// flushes a file's dirty pages whichever descriptor asks, so syncing the log and data files by
    /// path right after <c>Commit()</c> makes the commit survive a power loss too.
    /// </summary>
    private void SyncToDisk()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var log = Path.Combine(Path.GetDirectoryName(DatabasePath) ?? ".", Path.GetFileNameWithoutExtension(DatabasePath) + "-log" + Path.GetExtension(DatabasePath));
        foreach (var file in new[] { log, DatabasePath })
        {
            if (File.Exists(file))
            {
                Files.PosixSync.FsyncFile(file, IoHook);
            }
        }

        Files.PosixSync.FsyncDirectory(Path.GetDirectoryName(DatabasePath) ?? ".", IoHook);
    }

    /// <inheritdoc />
    public bool IsCommitted(string transactionId)
    {
        ArgumentException.ThrowIfNullOrEmpty(transactionId);
        lock (_gate)
        {
            ThrowIfDisposed(ComposeStep.Recovery, TransactionState.Active);
            return Read(() => _transactions.FindById(transactionId) is not null);
        }
    }

    /// <summary>The record of a committed transaction, or <see langword="null"/>.</summary>
    internal TransactionRecord? GetTransaction(string transactionId)
    {
        lock (_gate)
        {
            ThrowIfDisposed(ComposeStep.Recovery, TransactionState.Active);
            var record = Read(() => _transactions.FindById(transactionId));
            if (record is not null)
            {
                // LiteDB stores UTC and hands dates back in local time.
                record.CommittedUtc = record.CommittedUtc.ToUniversalTime();
            }

            return record;
        }
    }

    /// <inheritdoc />
    public TransactionInfo? FindTransaction(string transactionId)
    {
        ArgumentException.ThrowIfNullOrEmpty(transactionId);
        return GetTransaction(transactionId)?.ToInfo();
    }

    /// <inheritdoc />
    /// <remarks>
    /// Only file records still written by <paramref name="transactionId"/> (or by no known
    /// transaction) get the sha: a later transaction's record is never stamped with an older commit.
    /// </remarks>
    /// <exception cref="ComposeException">The transaction is not committed, or the store failed.</exception>
    public void SetCommit(string transactionId, string commitSha, IReadOnlyList<string> paths)
    {
        ArgumentException.ThrowIfNullOrEmpty(transactionId);
        ArgumentException.ThrowIfNullOrEmpty(commitSha);
        ArgumentNullException.ThrowIfNull(paths);

        lock (_gate)
        {
            ThrowIfDisposed(ComposeStep.VcsCommit, TransactionState.CommittedNeedsRecovery);
            var began = false;
            try
            {
                if (!_db.BeginTrans())
                {
                    throw new InvalidOperationException("A LiteDB transaction is already open on this thread.");
                }

                began = true;
                IoHook?.Invoke(Files.IoOp.IndexWrite, DatabasePath);
                var record = _transactions.FindById(transactionId)
                    ?? throw new InvalidOperationException($"Transaction '{transactionId}' is not committed in the index.");
                record.CommitSha = commitSha;
                _transactions.Update(record);

                foreach (var path in paths.Distinct(StringComparer.Ordinal))
                {
                    var file = _files.FindById(path);
                    if (file is not null && (file.LastTransaction is null || file.LastTransaction == transactionId))
                    {
                        file.Commit = commitSha;
                        _files.Update(file);
                    }
                }

                IoHook?.Invoke(Files.IoOp.IndexCommit, DatabasePath);
                if (!_db.Commit())
                {
                    throw new InvalidOperationException("LiteDB did not commit the transaction (Commit returned false).");
                }

                began = false;

                // Durable like the commit point: the journal entry is retired right after this, so a record lost to a
                // power loss would never be written again.
                SyncToDisk();
            }
            catch (Exception ex)
            {
                if (began)
                {
                    TryRollback();
                }

                throw new ComposeException(
                    ComposeErrorCode.Index,
                    ComposeStep.VcsCommit,
                    $"Could not record commit {commitSha} for transaction '{transactionId}' in the index: {ex.Message}.",
                    paths,
                    TransactionState.CommittedNeedsRecovery,
                    ex);
            }
        }
    }

    /// <inheritdoc />
    public FileRecord? GetFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        lock (_gate)
        {
            ThrowIfDisposed(ComposeStep.Stage, TransactionState.Active);
            return Read(() => _files.FindById(path));
        }
    }

    /// <inheritdoc />
    string? IProjectInputsCache.GetProjectInputs(string key)
    {
        lock (_gate)
        {
            ThrowIfDisposed(ComposeStep.Validate, TransactionState.Active);
            return Read(() => _db.GetCollection(ProjectInputsCollection).FindById(key)?["value"].AsString);
        }
    }

    /// <inheritdoc />
    void IProjectInputsCache.PutProjectInputs(string key, string value)
    {
        lock (_gate)
        {
            ThrowIfDisposed(ComposeStep.Validate, TransactionState.Active);
            Read(() => _db.GetCollection(ProjectInputsCollection).Upsert(new BsonDocument { ["_id"] = key, ["value"] = value }));
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<FileRecord> GetFiles()
    {
        lock (_gate)
        {
            ThrowIfDisposed(ComposeStep.Stage, TransactionState.Active);
            return Read(() => _files.FindAll().OrderBy(f => f.Path, StringComparer.Ordinal).ToList());
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<EntityRecord> QueryEntities(EntityQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);

        string? exact = null, prefix = null;
        if (query.NamePath is { } namePath)
        {
            if (namePath.EndsWith('*'))
            {
                prefix = namePath[..^1];
            }
            else
            {
                exact = namePath;
            }
        }

        var filters = new List<BsonExpression>();
        if (exact is not null)
        {
            filters.Add(Query.EQ(nameof(EntityRecord.NamePath), exact));
        }

        if (!string.IsNullOrEmpty(prefix))
        {
            // LIKE treats '%' and '_' as wildcards: the index narrows, the ordinal check below decides.
            filters.Add(Query.StartsWith(nameof(EntityRecord.NamePath), prefix));
        }

        if (query.Kind is not null)
        {
            filters.Add(Query.EQ(nameof(EntityRecord.Kind), query.Kind));
        }

        if (query.Path is not null)
        {
            filters.Add(Query.EQ(nameof(EntityRecord.Path), query.Path));
        }

        lock (_gate)
        {
            ThrowIfDisposed(ComposeStep.Stage, TransactionState.Active);
            return Read(() =>
            {
                var found = filters.Count switch
                {
                    0 => _entities.FindAll(),
                    1 => _entities.Find(filters[0]),
                    _ => _entities.Find(Query.And(filters.ToArray())),
                };
                return found
                    .Where(e => (exact is null || string.Equals(e.NamePath, exact, StringComparison.Ordinal))
                                && (string.IsNullOrEmpty(prefix) || e.NamePath.StartsWith(prefix, StringComparison.Ordinal))
                                && (query.Kind is null || string.Equals(e.Kind, query.Kind, StringComparison.Ordinal))
                                && (query.Path is null || string.Equals(e.Path, query.Path, StringComparison.Ordinal)))
                    .OrderBy(e => e.Path, StringComparer.Ordinal)
                    .ThenBy(e => e.StartLine)
                    .ThenBy(e => e.Id, StringComparer.Ordinal)
                    .ToList();
            });
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _db.Dispose();
        }
    }

    private static BsonMapper CreateMapper()
    {
        // A private mapper: the global BsonMapper.Global is shared with any other LiteDB user in
        // the process. Keep strings exactly as given (the defaults trim them and turn "" into null).
        var mapper = new BsonMapper
        {
            TrimWhitespace = false,
            EmptyStringToNull = false,
            SerializeNullValues = false,
        };
        mapper.Entity<FileRecord>().Id(x => x.Path, autoId: false);
        mapper.Entity<EntityRecord>().Id(x => x.Id, autoId: false);
        mapper.Entity<TransactionRecord>().Id(x => x.Id, autoId: false);
        return mapper;
    }

    private static void Validate(IndexChangeSet changes)
    {
        string? problem = null;
        var filePaths = new HashSet<string>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(changes.TransactionId))
        {
            problem = "the transaction id is empty";
        }
        else if (changes.Files is null || changes.Entities is null || changes.RemovedPaths is null)
        {
            problem = "a list of the change set is null";
        }
        else
        {
            foreach (var file in changes.Files)
            {
                if (file is null || string.IsNullOrEmpty(file.Path))
                {
                    problem = "a file record has no path";
                }
                else if (!filePaths.Add(file.Path))
                {
                    problem = $"the file '{file.Path}' is listed twice";
                }
            }

            foreach (var entity in changes.Entities)
            {
                if (entity is null || string.IsNullOrEmpty(entity.Id))
                {
                    problem = "an entity record has no id";
                }
                else if (!filePaths.Contains(entity.Path))
                {
                    problem = $"the entity '{entity.Id}' belongs to '{entity.Path}', which is not among the changed files";
                }
            }

            foreach (var removed in changes.RemovedPaths)
            {
                if (string.IsNullOrEmpty(removed))
                {
                    problem = "a removed path is empty";
                }
                else if (filePaths.Contains(removed))
                {
                    problem = $"the path '{removed}' is both written and removed";
                }
            }
        }

        if (problem is not null)
        {
            throw new ComposeException(
                ComposeErrorCode.Index,
                ComposeStep.IndexCommit,
                $"Invalid index change set: {problem}. Nothing was committed to the index.",
                state: TransactionState.Applied);
        }
    }

    private void TryRollback()
    {
        try
        {
            _db.Rollback();
        }
        catch (Exception)
        {
            // LiteDB may already have rolled the transaction back when the failing operation threw;
            // either way nothing of it was committed.
        }
    }

    private T Read<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is LiteException or IOException)
        {
            throw new ComposeException(
                ComposeErrorCode.Index,
                ComposeStep.Stage,
                $"Reading the index '{DatabasePath}' failed: {ex.Message}. If the file is damaged, delete it and let the engine rebuild the index.",
                [DatabasePath],
                TransactionState.Active,
                ex);
        }
    }

    private void ThrowIfDisposed(ComposeStep step, TransactionState state)
    {
        if (_disposed)
        {
            throw new ComposeException(
                ComposeErrorCode.Index,
                step,
                "The index store is disposed. Open the workspace again.",
                [DatabasePath],
                state,
                new ObjectDisposedException(nameof(LiteDbIndexStore)));
        }
    }
}
