using System.Diagnostics;
using AtomicCompose.Composition;
using AtomicCompose.Diagnostics;
using AtomicCompose.Files;
using AtomicCompose.Indexing;
using AtomicCompose.Journal;
using AtomicCompose.Validation;
using AtomicCompose.Vcs;
using AtomicCompose.Workspace;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AtomicCompose;

/// <summary>
/// A workspace opened for composition. <see cref="Open(string, ComposeOptions?)"/> takes the
/// workspace lock (one engine per workspace, across threads and processes), opens the index and the
/// repository, and repairs whatever a crash left unfinished. Transactions are begun one at a time.
/// </summary>
public sealed class ComposeEngine : IDisposable, IAsyncDisposable
{
    private readonly EngineContext _ctx;
    private readonly FileStream _lock;
    private readonly Lock _gate = new();
    private ComposeTransaction? _active;
    private bool _disposed;

    private ComposeEngine(EngineContext ctx, FileStream workspaceLock, RecoveryReport recovery)
    {
        _ctx = ctx;
        _lock = workspaceLock;
        LastRecovery = recovery;
    }

    /// <summary>The workspace root (absolute).</summary>
    public string Root => _ctx.Paths.Root;

    /// <summary>What recovery did when the engine opened (or on the last <see cref="Recover"/>).</summary>
    public RecoveryReport LastRecovery { get; private set; }

    /// <summary>Whether commits go to git (the root is inside a git work tree).</summary>
    public bool HasVcs => _ctx.Vcs.IsEnabled;

    /// <summary>Opens the workspace at <paramref name="root"/>: takes the lock, opens index and VCS, runs recovery.</summary>
    /// <param name="root">The workspace root; must exist.</param>
    /// <param name="options">Options; every component can be replaced. Default options when <see langword="null"/>.</param>
    /// <returns>The engine; dispose it to release the workspace.</returns>
    /// <exception cref="ComposeException">The root does not exist, the workspace is locked by another engine, or a component failed to open.</exception>
    public static ComposeEngine Open(string root, ComposeOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        options ??= new ComposeOptions();
        if (!Directory.Exists(root))
        {
            throw new ComposeException(ComposeErrorCode.FileState, ComposeStep.Open, $"The workspace root '{root}' does not exist.", [root], TransactionState.Active);
        }

        var paths = new WorkspacePaths(root);
        var logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ComposeEngine>();
        var files = options.FileCommitter ?? new AtomicFileCommitter { IoHook = options.IoHook };
        OpenStep(paths, () =>
        {
            files.CreateDirectory(paths.DataDirectory);
            files.CreateDirectory(paths.JournalDirectory);
        });
        var workspaceLock = AcquireLock(paths, options.LockTimeout);
        IIndexStore? index = null;
        IVcs? vcs = null;
        try
        {
            vcs = options.VcsFactory?.Invoke(paths.Root)
                ?? (GitVcs.IsRepository(paths.Root) ? new GitVcs(paths.Root, options.AuthorName, options.AuthorEmail) { IoHook = options.IoHook } : new NoVcs());
            OpenStep(paths, () => vcs.EnsureExcluded(WorkspacePaths.DataDirectoryName + "/"));
            index = options.IndexStoreFactory?.Invoke(paths.DataDirectory) ?? new LiteDbIndexStore(Path.Combine(paths.DataDirectory, "index.db")) { IoHook = options.IoHook };
            var journal = new JournalStore(files, paths.JournalDirectory);
            var recovery = new JournalRecovery(paths, files, index, vcs, journal, logger, options.ProtocolHook, options.IoHook);
            // The analyzer validator is built in: it runs right after the documentation validator, before the caller's own.
            List<IValidator> validators = options.DisableBuiltInValidators
                ? [.. options.Validators]
                : [new AnalyzerValidator(paths.Root, options.Analyzers, options.LoadProjectAnalyzers, options.RunCompilationEndAnalyzers, options.ValidationPolicy, logger), .. options.Validators];
            var validation = new ValidationService(paths.Root, validators, options.ValidationPolicy, logger, includeBuiltIns: !options.DisableBuiltInValidators)
            {
                RunSourceGenerators = options.LoadProjectAnalyzers,
                ProjectContexts = options.ProjectInputsFromMsBuild ? new Validation.Build.BuildProjectModel(paths.Root, options.RestoreProjects, logger, index as Indexing.IProjectInputsCache) : null,
            };
            var ctx = new EngineContext(paths, options, options.Composer ?? new RoslynTreeComposer(), files, index, vcs, journal, recovery, validation, logger);
            var report = RunRecovery(recovery);
            var engine = new ComposeEngine(ctx, workspaceLock, report);
            if (options.IndexOnOpen && index.GetFiles().Count == 0)
            {
                engine.Reindex();
            }

            Log.Opened(logger, paths.Root, vcs.IsEnabled ? "git" : "none", report.Repaired);
            return engine;
        }
        catch
        {
            index?.Dispose();
            vcs?.Dispose();
            workspaceLock.Dispose();
            throw;
        }
    }

    /// <summary>Begins a transaction. Only one transaction per engine is active at a time.</summary>
    /// <param name="message">The commit message.</param>
    /// <returns>The transaction; use it with <c>using</c>.</returns>
    /// <exception cref="ComposeException">Another transaction of this engine is still active (<see cref="ComposeErrorCode.WrongTransactionState"/>).</exception>
    /// <exception cref="ArgumentException"><paramref name="message"/> is empty or contains a NUL character (git cannot record it, so the commit could never be made).</exception>
    public ComposeTransaction Begin(string message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        if (message.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("The commit message contains a NUL character, which git cannot store; remove it.", nameof(message));
        }

        lock (_gate)
        {
            ThrowIfDisposed();
            if (_active is not null)
            {
                throw new ComposeException(ComposeErrorCode.WrongTransactionState, ComposeStep.Stage,
                    $"Transaction {_active.Id} is still active; complete or dispose it before beginning another.", [], _active.State);
            }

            _active = new ComposeTransaction(_ctx, message, EndTransaction);
            return _active;
        }
    }

    /// <summary>Repairs unfinished transactions found in the journal: rolls back those before their commit point, finishes those after it.</summary>
    /// <returns>What was repaired and which files conflicted.</returns>
    public RecoveryReport Recover()
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            if (_active is not null)
            {
                throw new ComposeException(ComposeErrorCode.WrongTransactionState, ComposeStep.Recovery, "A transaction is active; dispose it before recovering.", [], _active.State);
            }

            LastRecovery = RunRecovery(_ctx.Recovery);
            return LastRecovery;
        }
    }

    /// <summary>Queries the index for entities.</summary>
    /// <param name="query">Filters by name path (exact or prefix with <c>*</c>), kind and file.</param>
    /// <returns>Matching entities ordered by path and line.</returns>
    public IReadOnlyList<EntityRecord> FindEntities(EntityQuery query)
    {
        ThrowIfDisposed();
        return _ctx.Index.QueryEntities(query);
    }

    /// <summary>The index record of a file, or <see langword="null"/>.</summary>
    /// <param name="path">Root-relative path.</param>
    /// <returns>The record or <see langword="null"/>.</returns>
    public FileRecord? GetIndexedFile(string path)
    {
        ThrowIfDisposed();
        return _ctx.Index.GetFile(_ctx.Paths.Normalize(path));
    }

    /// <summary>Proves the index matches the disk: every indexed file's hash and entities, and no C# file left unindexed.</summary>
    /// <returns>The verdict and the problems found.</returns>
    public IndexVerification Verify()
    {
        ThrowIfDisposed();
        return IndexVerifier.Verify(Root, _ctx.Index, WorkspaceFiles.EnumerateCSharp(Root).ToList());
    }

    /// <summary>Indexes every C# file of the workspace (outside hidden folders, bin and obj) as it is on disk now.</summary>
    /// <returns>How many files were indexed.</returns>
    public int Reindex()
    {
        ThrowIfDisposed();
        var stopwatch = Stopwatch.StartNew();
        var id = $"index-{DateTime.UtcNow:yyyyMMddTHHmmss}-{Guid.NewGuid():N}"[..30];
        var records = new List<FileRecord>();
        var entities = new List<EntityRecord>();
        foreach (var path in WorkspaceFiles.EnumerateCSharp(Root))
        {
            FileSnapshot snapshot;
            try
            {
                snapshot = _ctx.Files.Read(_ctx.Paths.Full(path));
            }
            catch (ComposeException ex) when (ex.Code == ComposeErrorCode.NotUtf8)
            {
                continue;
            }

            records.Add(IndexRecordBuilder.BuildFile(path, snapshot.Bytes, snapshot.Text, snapshot.HasBom, id));
            entities.AddRange(IndexRecordBuilder.BuildEntities(path, ComposeTransaction.Parse(snapshot.Text, path), id));
        }

        var stale = _ctx.Index.GetFiles().Select(f => f.Path).Except(records.Select(r => r.Path), StringComparer.Ordinal).ToList();
        _ctx.Index.Commit(new IndexChangeSet(id, records, entities, stale));
        Log.IndexedOnOpen(_ctx.Logger, records.Count, stopwatch.Elapsed.TotalMilliseconds);
        return records.Count;
    }

    /// <summary>Lists every addressable member of a C# file with its name path, for choosing targets.</summary>
    /// <param name="path">Root-relative path.</param>
    /// <returns>The members in source order.</returns>
    public IReadOnlyList<MemberTarget> ListTargets(string path)
    {
        ThrowIfDisposed();
        var relative = _ctx.Paths.Normalize(path);
        var snapshot = ComposeTransaction.ReadForStaging(_ctx, relative);
        if (!snapshot.Exists)
        {
            throw new ComposeException(ComposeErrorCode.FileState, ComposeStep.Stage, $"'{relative}' does not exist.", [relative]);
        }

        return _ctx.Composer.ListTargets(ComposeTransaction.Parse(snapshot.Text, relative));
    }

    /// <summary>Ends an active transaction (rolling it back if not completed), closes index and repository and releases the workspace lock.</summary>
    public void Dispose()
    {
        ComposeTransaction? active;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            active = _active;
        }

        active?.Dispose();
        _ctx.Index.Dispose();
        _ctx.Vcs.Dispose();
        _lock.Dispose();
    }

    /// <summary>Asynchronous <see cref="Dispose"/>.</summary>
    /// <returns>A task that completes when the workspace is released.</returns>
    public ValueTask DisposeAsync() => new(Task.Run(Dispose));

    private void EndTransaction(ComposeTransaction transaction)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_active, transaction))
            {
                _active = null;
            }
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <summary>Runs a part of <see cref="Open"/> that writes; a raw I/O failure becomes a <see cref="ComposeException"/> (found by fault injection: it escaped as an IOException).</summary>
    private static void OpenStep(WorkspacePaths paths, Action action)
    {
        try
        {
            action();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ComposeException(ComposeErrorCode.IO, ComposeStep.Open,
                $"Opening the workspace '{paths.Root}' failed: {ex.Message} Nothing of any transaction was touched; fix the cause (permissions, disk space) and open it again.",
                [], TransactionState.Active, ex);
        }
    }

    private static RecoveryReport RunRecovery(JournalRecovery recovery)
    {
        try
        {
            return recovery.RecoverAll();
        }
        catch (ComposeException)
        {
            throw;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            throw new ComposeException(ComposeErrorCode.IO, ComposeStep.Recovery,
                $"Recovery could not finish: {ex.Message}. The journal is unchanged for what was not repaired; fix the cause and open the workspace again.",
                [], TransactionState.NeedsRecovery, ex);
        }
    }

    private static FileStream AcquireLock(WorkspacePaths paths, TimeSpan timeout)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive flock on Unix: it excludes other processes and other engines in this one.
                return new FileStream(paths.LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException ex) when (stopwatch.Elapsed < timeout)
            {
                _ = ex;
                Thread.Sleep(50);
            }
            catch (IOException ex)
            {
                throw new ComposeException(ComposeErrorCode.WorkspaceLocked, ComposeStep.Open,
                    $"The workspace '{paths.Root}' is held by another engine (lock file {paths.LockFile}) and was not released within {timeout.TotalSeconds:0.#} s. Nothing was changed; dispose the other engine or try again.",
                    [], TransactionState.Active, ex);
            }
        }
    }
}
