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
/// A workspace opened for composition. <see cref="Open(string, ComposeOptions?, IProgress{OpenProgress}?, CancellationToken)"/> takes the
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

    /// <summary>
    /// Opens the workspace at <paramref name="root"/>, reporting how far it has come and stopping when asked: takes the
    /// lock, opens index and VCS, runs recovery, then brings the index in step with the C# files on disk (all of them
    /// the first time; afterwards only the files whose content hash changed are parsed again).
    /// </summary>
    /// <param name="root">The workspace root; must exist.</param>
    /// <param name="options">Options; every component can be replaced. Default options when <see langword="null"/>.</param>
    /// <param name="progress">Told each stage, and every 100 files while indexing; may be <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the open before the index is written; nothing was changed then but what recovery repaired.</param>
    /// <returns>The engine; dispose it to release the workspace.</returns>
    /// <exception cref="ComposeException">The root does not exist, the workspace is locked by another engine, a component failed to open, or the open was cancelled (<see cref="ComposeErrorCode.Cancelled"/>).</exception>
    public static ComposeEngine Open(string root, ComposeOptions? options = null, IProgress<OpenProgress>? progress = null, CancellationToken cancellationToken = default)
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
                ProjectContexts = ProjectContextsOf(paths.Root, options, logger, index as Indexing.IProjectInputsCache),
            };
            var ctx = new EngineContext(paths, options, options.Composer ?? new RoslynTreeComposer(), files, index, vcs, journal, recovery, validation, logger);
            progress?.Report(new OpenProgress(OpenStage.Recovering, 0, 0, 0));
            var report = RunRecovery(recovery);
            var engine = new ComposeEngine(ctx, workspaceLock, report);
            if (options.IndexOnOpen)
            {
                // Against an empty index every file is new, so the first Open indexes them all.
                engine.SyncIndex(changedOnly: true, progress, cancellationToken);
            }

            progress?.Report(new OpenProgress(OpenStage.Opened, 0, 0, 0));
            Log.Opened(logger, paths.Root, vcs.IsEnabled ? "git" : "none", report.Repaired);
            return engine;
        }
        catch (OperationCanceledException ex)
        {
            index?.Dispose();
            vcs?.Dispose();
            workspaceLock.Dispose();
            throw new ComposeException(ComposeErrorCode.Cancelled, ComposeStep.Open, "Open was cancelled before the index was written; the workspace is unchanged but for what recovery repaired. Open it again.", [root], TransactionState.RolledBack, ex);
        }
        catch
        {
            index?.Dispose();
            vcs?.Dispose();
            workspaceLock.Dispose();
            throw;
        }
    }

    /// <summary>Asynchronous <see cref="Open"/>: opening (lock, index, recovery, indexing) runs off the caller's thread.</summary>
    /// <param name="root">The workspace root; must exist.</param>
    /// <param name="options">Options; default options when <see langword="null"/>.</param>
    /// <param name="progress">Told each stage, and every 100 files while indexing; may be <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the open before the index is written, or disposes the engine again when cancellation comes after it opened.</param>
    /// <returns>The engine; dispose it to release the workspace.</returns>
    /// <exception cref="ComposeException">As <see cref="Open"/>; <see cref="ComposeErrorCode.Cancelled"/> when cancelled (nothing stays open).</exception>
    public static async Task<ComposeEngine> OpenAsync(string root, ComposeOptions? options = null, IProgress<OpenProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        ThrowIfCancelled(cancellationToken, root);
        var engine = await Task.Run(() => Open(root, options, progress, cancellationToken), CancellationToken.None).ConfigureAwait(false);
        if (cancellationToken.IsCancellationRequested)
        {
            await engine.DisposeAsync().ConfigureAwait(false);
            ThrowIfCancelled(cancellationToken, root);
        }

        return engine;
    }

    /// <summary>
    /// Takes the completed transaction <paramref name="transactionId"/> back as a new transaction of its own: every file it
    /// wrote gets its bytes from before it (a file it created is deleted, one it deleted is recreated), validated like any
    /// edit, with its own journal, index update and git commit whose message carries the trailer <c>Compose-Undoes: &lt;id&gt;</c>.
    /// </summary>
    /// <param name="transactionId">The id of a completed transaction (<see cref="ComposeResult.TransactionId"/>).</param>
    /// <param name="cancellationToken">Cancels before the commit point.</param>
    /// <returns>The undo transaction's result (its own id and commit).</returns>
    /// <exception cref="ComposeException">
    /// Nothing was changed when: the id is unknown (<see cref="ComposeErrorCode.UnknownTransaction"/>), it was undone before
    /// (<see cref="ComposeErrorCode.AlreadyUndone"/>), a file it wrote changed since (<see cref="ComposeErrorCode.ChangedSinceTransaction"/>),
    /// a pre-image backup is no longer kept (<see cref="ComposeErrorCode.FileState"/>), or validation blocks the restored code
    /// (<see cref="ComposeValidationException"/>). Later steps fail as a transaction's do.
    /// </exception>
    public ComposeResult Undo(string transactionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(transactionId);
        ThrowIfDisposed();
        var info = _ctx.Index.FindTransaction(transactionId);
        if (info is null || info.Files.Count == 0)
        {
            throw new ComposeException(ComposeErrorCode.UnknownTransaction, ComposeStep.Undo,
                info is null
                    ? $"No completed transaction '{transactionId}' is recorded in the index. Nothing was changed; pass the transactionId an apply returned."
                    : $"Transaction '{transactionId}' was recorded without its files (an index rebuild, or a version before undo existed), so it cannot be undone. Nothing was changed.",
                [], TransactionState.Active);
        }

        if (info.UndoneBy is not null)
        {
            throw new ComposeException(ComposeErrorCode.AlreadyUndone, ComposeStep.Undo,
                $"Transaction '{transactionId}' was already undone by '{info.UndoneBy}'. Nothing was changed; undo '{info.UndoneBy}' to redo it.",
                info.Files.Select(f => f.Path).ToList(), TransactionState.Active);
        }

        var changed = info.Files.Where(f => _ctx.Files.Hash(_ctx.Paths.Full(f.Path)) != f.PostHash).Select(f => f.Path).ToList();
        if (changed.Count > 0)
        {
            throw new ComposeException(ComposeErrorCode.ChangedSinceTransaction, ComposeStep.Undo,
                $"{string.Join(", ", changed)} changed since transaction '{transactionId}' wrote {(changed.Count == 1 ? "it" : "them")} (a later transaction or an edit by hand); undoing would overwrite that change. Nothing was changed; undo the later transactions first, or edit by hand.",
                changed, TransactionState.Active);
        }

        var preImages = new Dictionary<string, FileSnapshot?>(StringComparer.Ordinal);
        foreach (var file in info.Files)
        {
            preImages[file.Path] = file.PreHash is null ? null : ReadBackup(transactionId, file);
        }

        var subject = info.Message.Split('\n', 2)[0].Trim();
        using var tx = Begin($"Undo \"{(subject.Length > 60 ? subject[..60] + "..." : subject)}\"\n\nUndoes transaction {transactionId}{(info.CommitSha is null ? "" : $" (commit {info.CommitSha})")}.\n\nCompose-Undoes: {transactionId}");
        tx.Undoes = transactionId;
        foreach (var file in info.Files)
        {
            tx.Restore(file.Path, preImages[file.Path], file.Mode is { } mode ? (UnixFileMode)mode : null);
        }

        return tx.Complete(cancellationToken);
    }

    /// <summary>Asynchronous <see cref="Undo"/>.</summary>
    /// <param name="transactionId">The id of a completed transaction.</param>
    /// <param name="cancellationToken">Cancels before the commit point.</param>
    /// <returns>The undo transaction's result.</returns>
    public Task<ComposeResult> UndoAsync(string transactionId, CancellationToken cancellationToken = default) =>
        Task.Run(() => Undo(transactionId, cancellationToken), CancellationToken.None);

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
        return SyncIndex(changedOnly: false, null, CancellationToken.None);
    }

    /// <summary>
    /// Indexes the workspace's C# files as they are on disk: all of them, or (<paramref name="changedOnly"/>) only those
    /// whose bytes no longer hash to what the index recorded, and drops the records of files that are gone. Nothing is
    /// written before every file was looked at, so a cancelled sync leaves the index as it was.
    /// </summary>
    /// <returns>How many files were parsed and written.</returns>
    private int SyncIndex(bool changedOnly, IProgress<OpenProgress>? progress, CancellationToken cancellationToken)
    {
        const int ReportEvery = 100;
        var stopwatch = Stopwatch.StartNew();
        var id = $"index-{DateTime.UtcNow:yyyyMMddTHHmmss}-{Guid.NewGuid():N}"[..30];
        var indexed = _ctx.Index.GetFiles().ToDictionary(f => f.Path, f => f.ContentHash, StringComparer.Ordinal);
        var paths = WorkspaceFiles.EnumerateCSharp(Root).ToList();
        var records = new List<FileRecord>();
        var entities = new List<EntityRecord>();
        var current = new HashSet<string>(StringComparer.Ordinal); // paths whose record is right after this sync
        for (var i = 0; i < paths.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (i % ReportEvery == 0)
            {
                progress?.Report(new OpenProgress(OpenStage.Indexing, i, paths.Count, records.Count));
                if (i % (10 * ReportEvery) == 0)
                {
                    Log.Indexing(_ctx.Logger, i, paths.Count, records.Count);
                }
            }

            var path = paths[i];
            var full = _ctx.Paths.Full(path);
            if (changedOnly && indexed.TryGetValue(path, out var known) && ReadHash(full) == known)
            {
                current.Add(path);
                continue;
            }

            FileSnapshot snapshot;
            try
            {
                snapshot = _ctx.Files.Read(full);
            }
            catch (ComposeException ex) when (ex.Code == ComposeErrorCode.NotUtf8)
            {
                continue;
            }

            if (!snapshot.Exists)
            {
                continue; // gone since it was listed
            }

            records.Add(IndexRecordBuilder.BuildFile(path, snapshot.Bytes, snapshot.Text, snapshot.HasBom, id));
            entities.AddRange(IndexRecordBuilder.BuildEntities(path, ComposeTransaction.Parse(snapshot.Text, path), id));
            current.Add(path);
        }

        progress?.Report(new OpenProgress(OpenStage.Indexing, paths.Count, paths.Count, records.Count));
        cancellationToken.ThrowIfCancellationRequested();
        var stale = indexed.Keys.Where(p => !current.Contains(p)).ToList();
        if (!changedOnly || records.Count > 0 || stale.Count > 0)
        {
            _ctx.Index.Commit(new IndexChangeSet(id, records, entities, stale));
        }

        Log.IndexedOnOpen(_ctx.Logger, records.Count, stopwatch.Elapsed.TotalMilliseconds);
        return records.Count;
    }

    private static string? ReadHash(string fullPath)
    {
        try
        {
            return Hashing.Sha256Hex(File.ReadAllBytes(fullPath));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // read again the careful way, which says what is wrong
        }
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

    /// <summary>Reads one member of a C# file as it is on disk now: its text, lines and doc comment.</summary>
    /// <param name="path">Root-relative path.</param>
    /// <param name="target">A name path, resolved as a transaction's operations resolve it (a unique suffix such as <c>Greeter.Greet</c> will do).</param>
    /// <returns>The member.</returns>
    /// <exception cref="ComposeException">The file does not exist or is not C#, or the target matches no member or several (<see cref="ComposeException.Candidates"/> lists them).</exception>
    public MemberText ReadMember(string path, string target)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        ThrowIfDisposed();
        var relative = _ctx.Paths.Normalize(path);
        var snapshot = ComposeTransaction.ReadForStaging(_ctx, relative);
        if (!snapshot.Exists || !ComposeTransaction.IsCSharp(relative))
        {
            throw new ComposeException(ComposeErrorCode.FileState, ComposeStep.Stage, $"'{relative}' {(snapshot.Exists ? "is not a C# file" : "does not exist")}.", [relative]);
        }

        var tree = ComposeTransaction.Parse(snapshot.Text, relative);
        var text = tree.GetText();
        var query = NamePathQuery.TryParse(target, out var error);
        if (query is null || query.IsLineRange)
        {
            throw new ComposeException(ComposeErrorCode.TargetNotFound, ComposeStep.Stage,
                error ?? $"'{target}' is a line range; read_member reads members by name path.", [relative]);
        }

        TargetEntry entry;
        try
        {
            entry = NamePathResolver.Resolve(NamePathBuilder.Build(tree.GetRoot()), query, text);
        }
        catch (ComposeException ex)
        {
            throw new ComposeException(ex.Code, ComposeStep.Stage, ex.Reason, [relative], TransactionState.Active, null, ex.Candidates);
        }

        var extent = MemberExtent.Of(entry.Node, text);
        var docs = entry.Node.GetLeadingTrivia().Where(MemberExtent.IsDocComment).ToList();
        return new MemberText
        {
            Path = relative,
            NamePath = entry.NamePath,
            Kind = entry.Kind,
            Lines = MemberExtent.Lines(extent, text),
            Text = text.ToString(Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(extent.Start, extent.ReplaceEnd)),
            DocComment = docs.Count == 0 ? null : string.Join("\n", docs.SelectMany(d => d.ToFullString().Split('\n')).Select(l => l.Trim()).Where(l => l.Length > 0)),
        };
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

    private static void ThrowIfCancelled(CancellationToken cancellationToken, string root)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            throw new ComposeException(ComposeErrorCode.Cancelled, ComposeStep.Open, $"Opening '{root}' was cancelled; nothing stays open.", [], TransactionState.Active);
        }
    }

    /// <summary>The pre-image a transaction backed up, checked against the hash it journaled.</summary>
    private FileSnapshot ReadBackup(string transactionId, TransactionFileChange file)
    {
        FileSnapshot? backup = null;
        if (file.BackupPath is not null && File.Exists(_ctx.Paths.Full(file.BackupPath)))
        {
            backup = _ctx.Files.Read(_ctx.Paths.Full(file.BackupPath));
        }

        if (backup is null || backup.Sha256 != file.PreHash)
        {
            throw new ComposeException(ComposeErrorCode.FileState, ComposeStep.Undo,
                $"The backup of '{file.Path}' from before transaction '{transactionId}' is no longer kept (only the newest {_ctx.Options.BackupRetention} transactions keep theirs; see ComposeOptions.BackupRetention). Nothing was changed.",
                [file.Path], TransactionState.Active);
        }

        return backup;
    }

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

    // MSBuild's design-time builds, cached in the index; the caller's contexts first for the projects they name.
    private static Validation.Build.IProjectContexts ProjectContextsOf(string root, ComposeOptions options, ILogger logger, Indexing.IProjectInputsCache? cache)
    {
        var msbuild = new Validation.Build.BuildProjectModel(root, options.RestoreProjects, logger, cache);
        if (options.ProjectContexts.Count == 0)
        {
            return msbuild;
        }

        if (options.ProjectContexts.Any(c => c is null || c.ProjectPath is null))
        {
            throw new ArgumentException("ComposeOptions.ProjectContexts holds a null or project-less context.", nameof(options));
        }

        if (options.ProjectContexts.GroupBy(c => (c.ProjectPath, c.TargetFramework)).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"ComposeOptions.ProjectContexts names {twice.Key.ProjectPath} ({twice.Key.TargetFramework ?? "no framework"}) twice.", nameof(options));
        }

        return new Validation.Build.CallerProjectContexts(options.ProjectContexts, msbuild);
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
