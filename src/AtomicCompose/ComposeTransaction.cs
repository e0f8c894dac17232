using System.Diagnostics;
using System.Security.Cryptography;
using AtomicCompose.Composition;
using AtomicCompose.Diagnostics;
using AtomicCompose.Files;
using AtomicCompose.Indexing;
using AtomicCompose.Journal;
using AtomicCompose.Preview;
using AtomicCompose.Validation;
using AtomicCompose.Vcs;
using AtomicCompose.Workspace;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace AtomicCompose;

/// <summary>
/// One unit of work, used like <see cref="System.Transactions.TransactionScope"/>: stage operations,
/// then <see cref="Complete"/>; disposing without completing restores everything.
/// </summary>
/// <remarks>
/// Staging calls change nothing on disk; each operation is composed at once on the result of the
/// ones before it, so a bad target or bad code fails at the call that staged it and the transaction
/// stays usable. Calls may come from different threads (for example an <c>await</c> between
/// <see cref="ApplyAsync"/> and <see cref="CompleteAsync"/>); they are serialized.
/// </remarks>
public sealed class ComposeTransaction : IDisposable, IAsyncDisposable
{
    private readonly EngineContext _ctx;
    private readonly Action<ComposeTransaction> _onEnd;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, StagedFile> _files = new(StringComparer.Ordinal);
    private readonly List<StepTiming> _timings = [];
    private Prepared? _prepared;
    private JournalEntry? _journal;
    private ComposeResult? _result;
    private bool _disposed;

    internal ComposeTransaction(EngineContext ctx, string message, Action<ComposeTransaction> onEnd)
    {
        _ctx = ctx;
        _onEnd = onEnd;
        Message = message;
        Id = $"{DateTime.UtcNow:yyyyMMddTHHmmss}-{Guid.NewGuid():N}"[..24];
        ParentCommit = ctx.Vcs.Head();
    }

    /// <summary>The transaction id: in temp file names, the journal, the index and the git trailer <c>Compose-Transaction</c>.</summary>
    public string Id { get; }

    /// <summary>The commit message.</summary>
    public string Message { get; }

    /// <summary>Where the transaction stands.</summary>
    public TransactionState State { get; private set; } = TransactionState.Active;

    /// <summary>The paths staged so far (root-relative), in staging order.</summary>
    public IReadOnlyList<string> Paths
    {
        get
        {
            lock (_gate)
            {
                return _files.Keys.ToList();
            }
        }
    }

    private string? ParentCommit { get; }

    /// <summary>When this transaction is an undo: the transaction it takes back (recorded in the index with it).</summary>
    internal string? Undoes { get; set; }

    /// <summary>
    /// Stages the exact bytes a file had before an earlier transaction: <paramref name="preImage"/> <see langword="null"/>
    /// deletes the file, a file that does not exist is created with them (and <paramref name="mode"/>), an existing one
    /// gets them byte for byte (BOM and line endings included). Used by <see cref="ComposeEngine.Undo"/>.
    /// </summary>
    internal void Restore(string relative, FileSnapshot? preImage, UnixFileMode? mode)
    {
        if (preImage is null)
        {
            DeleteFile(relative);
            return;
        }

        lock (_gate)
        {
            EnsureActive();
            var full = _ctx.Paths.Full(relative);

            if (!File.Exists(full))
            {
                // The pre-image's BOM, so the index records the restored file as it is (the bytes are written as they were).
                var snapshot = new FileSnapshot(full, false, [], "", preImage.HasBom, preImage.NewLine, mode, null);
                var created = new StagedFile(relative, snapshot, null) { Created = true, CreatedText = preImage.Text, RestoredBytes = preImage.Bytes };
                if (IsCSharp(relative))
                {
                    created.CurrentTree = Parse(preImage.Text, relative);
                }

                _files.Add(relative, created);
            }
            else
            {
                var file = GetOrRead(relative);
                file.RestoredBytes = preImage.Bytes;
                file.RestoredText = preImage.Text;
                if (IsCSharp(relative))
                {
                    file.CurrentTree = Parse(preImage.Text, relative);
                }
            }

            _prepared = null;
            Log.Staged(_ctx.Logger, Id, "Restore", "", relative);
        }
    }

    /// <summary>Replaces the whole member at <paramref name="target"/> (its attributes and doc comment belong to it; an existing doc comment is kept when <paramref name="code"/> has none).</summary>
    /// <param name="path">Root-relative path of the file.</param>
    /// <param name="target">Name path, e.g. <c>Demo.Greeter.Greet(string)</c>.</param>
    /// <param name="code">The new member.</param>
    /// <returns>This transaction.</returns>
    public ComposeTransaction Replace(string path, string target, string code) => Stage(path, new EditOperation(EditKind.Replace, target, code));

    /// <summary>Replaces only the body of the member at <paramref name="target"/>, keeping its signature.</summary>
    /// <param name="path">Root-relative path of the file.</param>
    /// <param name="target">Name path.</param>
    /// <param name="body">A block, statements, or an expression body.</param>
    /// <returns>This transaction.</returns>
    public ComposeTransaction ReplaceBody(string path, string target, string body) => Stage(path, new EditOperation(EditKind.ReplaceBody, target, body));

    /// <summary>Inserts <paramref name="code"/> as a sibling before the member at <paramref name="target"/>.</summary>
    /// <param name="path">Root-relative path of the file.</param>
    /// <param name="target">Name path of the sibling.</param>
    /// <param name="code">The new member(s).</param>
    /// <returns>This transaction.</returns>
    public ComposeTransaction InsertBefore(string path, string target, string code) => Stage(path, new EditOperation(EditKind.InsertBefore, target, code));

    /// <summary>Inserts <paramref name="code"/> as a sibling after the member at <paramref name="target"/>.</summary>
    /// <param name="path">Root-relative path of the file.</param>
    /// <param name="target">Name path of the sibling.</param>
    /// <param name="code">The new member(s).</param>
    /// <returns>This transaction.</returns>
    public ComposeTransaction InsertAfter(string path, string target, string code) => Stage(path, new EditOperation(EditKind.InsertAfter, target, code));

    /// <summary>Deletes the member at <paramref name="target"/> with its attributes and doc comment.</summary>
    /// <param name="path">Root-relative path of the file.</param>
    /// <param name="target">Name path.</param>
    /// <returns>This transaction.</returns>
    public ComposeTransaction Delete(string path, string target) => Stage(path, new EditOperation(EditKind.Delete, target, null));

    /// <summary>Stages any <see cref="EditOperation"/> on an existing C# file.</summary>
    /// <param name="path">Root-relative path of the file.</param>
    /// <param name="operation">The operation.</param>
    /// <returns>This transaction.</returns>
    /// <exception cref="ComposeException">Bad path, missing or non-UTF-8 file, unknown or ambiguous target, code that does not parse, or the transaction is not active. Nothing is staged.</exception>
    public ComposeTransaction Stage(string path, EditOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        lock (_gate)
        {
            EnsureActive();
            var file = GetUndeleted(path, "edited");

            if (file.CurrentTree is null)
            {
                throw new ComposeException(ComposeErrorCode.FileState, ComposeStep.Stage, $"'{file.Path}' is not a C# file; only CreateFile and DeleteFile apply to it.", [file.Path]);
            }

            CompositionResult composed;
            try
            {
                composed = _ctx.Composer.Compose(file.CurrentTree, [operation], _ctx.Options.Composition);
            }
            catch (ComposeException)
            {
                throw;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new ComposeException(ComposeErrorCode.InvalidCode, ComposeStep.Compose, $"Composing {operation.Kind} of '{operation.Target}' failed: {ex.Message}", [file.Path], TransactionState.Active, ex);
            }

            file.CurrentTree = composed.Tree;
            file.Outcomes.AddRange(composed.Operations);
            _prepared = null;
            Log.Staged(_ctx.Logger, Id, operation.Kind.ToString(), operation.Target, file.Path);
            return this;
        }
    }

    /// <summary>Creates a new file with <paramref name="content"/> written exactly as given (UTF-8, no BOM).</summary>
    /// <param name="path">Root-relative path; the file must not exist. Missing folders are created.</param>
    /// <param name="content">The full text.</param>
    /// <returns>This transaction.</returns>
    public ComposeTransaction CreateFile(string path, string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        lock (_gate)
        {
            EnsureActive();
            var relative = _ctx.Paths.Normalize(path);
            if (_files.ContainsKey(relative) || File.Exists(_ctx.Paths.Full(relative)) || Directory.Exists(_ctx.Paths.Full(relative)))
            {
                throw new ComposeException(ComposeErrorCode.FileState, ComposeStep.Stage, $"'{relative}' already exists; use Replace or the other member operations to edit it.", [relative]);
            }

            var snapshot = new FileSnapshot(_ctx.Paths.Full(relative), false, [], "", false, NewLineOf(content), null, null);
            var file = new StagedFile(relative, snapshot, null) { Created = true, CreatedText = content };
            if (IsCSharp(relative))
            {
                file.CurrentTree = Parse(content, relative);
            }

            _files.Add(relative, file);
            _prepared = null;
            Log.Staged(_ctx.Logger, Id, "CreateFile", "", relative);
            return this;
        }
    }

    /// <summary>
    /// Replaces the whole text of an existing file with <paramref name="content"/>, written in the file's own encoding and
    /// byte order mark: a project file, a props file, a C# file edited as text rather than by member. A staged MSBuild
    /// file's edits are judged with the C# edits, against the evaluation it gives.
    /// </summary>
    /// <param name="path">Root-relative path of an existing file (or one this transaction creates).</param>
    /// <param name="content">The full new text.</param>
    /// <returns>This transaction.</returns>
    public ComposeTransaction ReplaceFile(string path, string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        lock (_gate)
        {
            EnsureActive();
            var file = GetUndeleted(path, "replaced");

            if (IsCSharp(file.Path))
            {
                // Later member operations compose on this text, as on any other.
                file.CurrentTree = Parse(content, file.Path);
            }
            else
            {
                file.ReplacedText = content;
            }

            // The new text wins over a pre-image an undo staged.
            file.RestoredBytes = null;
            file.RestoredText = null;
            _prepared = null;
            Log.Staged(_ctx.Logger, Id, "ReplaceFile", "", file.Path);
            return this;
        }
    }

    /// <summary>Deletes an existing file.</summary>
    /// <param name="path">Root-relative path.</param>
    /// <returns>This transaction.</returns>
    public ComposeTransaction DeleteFile(string path)
    {
        lock (_gate)
        {
            EnsureActive();
            var file = GetOrRead(path);
            if (file.Created)
            {
                _files.Remove(file.Path);
            }
            else
            {
                file.Deleted = true;
            }

            _prepared = null;
            Log.Staged(_ctx.Logger, Id, "DeleteFile", "", file.Path);
            return this;
        }
    }

    /// <summary>Composes and validates what is staged and returns the diffs and the report; writes nothing.</summary>
    /// <param name="cancellationToken">Cancels validation.</param>
    /// <returns>The preview.</returns>
    public ComposePreview Preview(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            var prepared = Prepare(cancellationToken);
            return new ComposePreview(prepared.Changes, prepared.Report, prepared.EntityChanges);
        }
    }

    /// <summary>
    /// Validates, then writes: journal, temp files, backups, then moves the new files into place.
    /// Afterwards the working tree has the new files and the index commit is pending, so the caller may
    /// run tests; <see cref="Complete"/> or <see cref="Dispose"/> decides.
    /// </summary>
    /// <param name="cancellationToken">Cancels the transaction before its files move; nothing is left behind.</param>
    /// <exception cref="ComposeValidationException">Validation blocked; nothing was written.</exception>
    /// <exception cref="ComposeException">A step failed; <see cref="ComposeException.State"/> says whether everything was rolled back.</exception>
    public void Apply(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            if (State == TransactionState.Applied)
            {
                return;
            }

            EnsureActive();
            ApplyCore(cancellationToken);
        }
    }

    /// <summary>Asynchronous <see cref="Apply"/>.</summary>
    /// <param name="cancellationToken">Cancels the transaction before its files move.</param>
    /// <returns>A task that completes when the files are in place.</returns>
    public Task ApplyAsync(CancellationToken cancellationToken = default) =>
        Task.Run(() => Apply(cancellationToken), CancellationToken.None);

    /// <summary>
    /// Applies if needed, commits the index (the commit point), creates the git commit of exactly the
    /// composed paths, retires the journal and returns the result.
    /// </summary>
    /// <param name="cancellationToken">Cancels before the commit point only; after it the transaction finishes.</param>
    /// <returns>Commit sha, per-file diffs and ranges, backups, entity changes, timings.</returns>
    /// <exception cref="ComposeValidationException">Validation blocked; nothing was written.</exception>
    /// <exception cref="ComposeException">A step failed; <see cref="ComposeException.State"/> says what state things are in.</exception>
    public ComposeResult Complete(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            if (State == TransactionState.Completed && _result is not null)
            {
                throw new ComposeException(ComposeErrorCode.WrongTransactionState, ComposeStep.Done, "Complete() was already called on this transaction.", Paths, State);
            }

            if (State == TransactionState.Active)
            {
                ApplyCore(cancellationToken);
            }
            else if (State != TransactionState.Applied)
            {
                throw new ComposeException(ComposeErrorCode.WrongTransactionState, ComposeStep.IndexCommit, $"The transaction is {State}; it cannot complete. Begin a new one.", Paths, State);
            }

            return CompleteCore(cancellationToken);
        }
    }

    /// <summary>Asynchronous <see cref="Complete"/>.</summary>
    /// <param name="cancellationToken">Cancels before the commit point only.</param>
    /// <returns>The result.</returns>
    public Task<ComposeResult> CompleteAsync(CancellationToken cancellationToken = default) =>
        Task.Run(() => Complete(cancellationToken), CancellationToken.None);

    /// <summary>
    /// Ends the transaction. Without <see cref="Complete"/>, every touched file is restored
    /// byte-for-byte (created files removed) and the pending index changes are dropped. Idempotent;
    /// never throws: what it could not undo stays in the journal for recovery (state <see cref="TransactionState.NeedsRecovery"/>).
    /// </summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            try
            {
                if (_journal is not null && State is TransactionState.Applied or TransactionState.Active)
                {
                    RollBackJournaled();
                }
                else if (State == TransactionState.Active)
                {
                    State = TransactionState.RolledBack;
                }
            }
#pragma warning disable CA1031 // Dispose must not throw: the journal keeps what could not be undone.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                State = TransactionState.NeedsRecovery;
                Log.RollbackFailed(_ctx.Logger, ex, Id);
            }
            finally
            {
                _onEnd(this);
            }
        }
    }

    /// <summary>Asynchronous <see cref="Dispose"/>.</summary>
    /// <returns>A task that completes when the transaction has ended.</returns>
    public ValueTask DisposeAsync() => new(Task.Run(Dispose));

    private void ApplyCore(CancellationToken cancellationToken)
    {
        var prepared = Prepare(cancellationToken);
        if (!prepared.Report.Passed)
        {
            throw new ComposeValidationException(prepared.Report, _files.Keys.ToList());
        }

        Cancellable(cancellationToken, ComposeStep.Validate);
        CheckUnchangedOnDisk(ComposeStep.Stage);
        var entry = BuildJournalEntry(prepared);

        RunStep(ComposeStep.Journal, () =>
        {
            // Set first: a write that fails after the entry became visible (its directory fsync, say) must still be
            // retired by the rollback rather than left for the next Open (found by fault injection).
            _journal = entry;
            _ctx.Journal.Write(entry);
        }, ms => Log.Journaled(_ctx.Logger, Id, ms));
        var batch = new DurabilityBatch();
        RunStep(ComposeStep.WriteTemp, () => WriteTemps(prepared, entry, batch), ms => Log.TempsWritten(_ctx.Logger, Id, ms));
        RunStep(ComposeStep.Backup, () => BackUp(entry, batch), ms => Log.BackedUp(_ctx.Logger, Id, ms));
        RunStep(ComposeStep.IndexStage, () => prepared.IndexChanges = StageIndex(prepared),
            ms => Log.IndexStaged(_ctx.Logger, Id, prepared.IndexChanges!.Files.Count, prepared.IndexChanges.Entities.Count, ms));
        Cancellable(cancellationToken, ComposeStep.Move);
        RunStep(ComposeStep.Move, () => MoveIntoPlace(prepared, entry), ms => Log.Moved(_ctx.Logger, Id, entry.Files.Count, ms));
        State = TransactionState.Applied;
    }

    private ComposeResult CompleteCore(CancellationToken cancellationToken)
    {
        var prepared = _prepared!;
        var entry = _journal!;
        Cancellable(cancellationToken, ComposeStep.IndexCommit);
        RunStep(ComposeStep.IndexCommit, () => _ctx.Index.Commit(prepared.IndexChanges!), ms => Log.IndexCommitted(_ctx.Logger, Id, ms));
        State = TransactionState.Completed;

        string? sha = null;
        var paths = entry.Files.Select(f => f.Path).ToList();
        RunStep(ComposeStep.VcsCommit, () =>
        {
            sha = _ctx.Vcs.Commit(new VcsCommitRequest(paths, Message, Id, ParentCommit));
            if (sha is not null)
            {
                _ctx.Index.SetCommit(Id, sha, paths);
            }
        }, ms => Log.VcsCommitted(_ctx.Logger, Id, sha ?? "(no vcs)", ms));

        _ctx.Validation.Accept(prepared.Documents);
        RetireJournal();

        var files = prepared.Changes
            .Select(c => c with { BackupPath = entry.Files.First(f => f.Path == c.Path).BackupPath })
            .ToList();
        _result = new ComposeResult(Id, sha, files, prepared.EntityChanges, prepared.Report, _timings.ToList());
        // Nothing is left to undo, so the engine may begin the next transaction before this one is disposed.
        _onEnd(this);
        return _result;
    }

    /// <summary>
    /// The transaction is durable in files, index and git before this step, so a failure here must not
    /// turn a success into an exception: the entry stays and the next recovery retires it.
    /// </summary>
    private void RetireJournal()
    {
        var stopwatch = Stopwatch.StartNew();
        try
        {
            _ctx.Hook("before:Done");
            _ctx.Journal.Retire(Id);
            PruneBackups();
            _timings.Add(new StepTiming(ComposeStep.Done, stopwatch.Elapsed));
            Log.Done(_ctx.Logger, Id);
            _ctx.Hook("after:Done");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.RetireFailed(_ctx.Logger, ex, Id);
        }
    }

    private Prepared Prepare(CancellationToken cancellationToken)
    {
        if (_prepared is not null)
        {
            return _prepared;
        }

        var documents = new List<ValidationDocument>();
        var changes = new List<FileChange>();
        var entityChanges = new List<EntityChange>();
        var newBytes = new Dictionary<string, byte[]?>(StringComparer.Ordinal);
        var stagedBuildFiles = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var file in _files.Values)
        {
            var newText = file.NewText;
            var bytes = newText is null ? null : file.RestoredBytes ?? (file.Created ? System.Text.Encoding.UTF8.GetBytes(newText) : file.Original.Encode(newText));
            newBytes[file.Path] = bytes;
            var kind = file.Created ? FileChangeKind.Created : file.Deleted ? FileChangeKind.Deleted : FileChangeKind.Modified;
            changes.Add(new FileChange(
                file.Path,
                kind,
                UnifiedDiff.Create(file.Path, file.Created ? null : file.Original.Text, newText),
                file.Outcomes.ToList(),
                file.Original.Sha256,
                bytes is null ? null : Sha256(bytes),
                null));

            if (IsCSharp(file.Path))
            {
                var after = file.Deleted ? null : file.CurrentTree;
                documents.Add(new ValidationDocument(file.Path, file.OriginalTree, after, ChangedSpans(file.OriginalTree, after)));
                entityChanges.AddRange(DiffEntities(file.Path, file.OriginalTree, after));
            }
            else if (Validation.Build.MSBuildFiles.IsBuildFile(file.Path))
            {
                // Judged with the C# edits: the evaluation they give is the one the edits land in.
                stagedBuildFiles[file.Path] = newText;
            }
        }

        var stopwatch = Stopwatch.StartNew();
        ValidationReport report;
        try
        {
            report = documents.Count == 0 && stagedBuildFiles.Count == 0 ? ValidationReport.Empty : _ctx.Validation.Validate(documents, stagedBuildFiles, cancellationToken);
        }
        catch (OperationCanceledException ex)
        {
            throw new ComposeException(ComposeErrorCode.Cancelled, ComposeStep.Validate, "Cancelled during validation; nothing was written.", _files.Keys.ToList(), State, ex);
        }

        stopwatch.Stop();
        _timings.RemoveAll(t => t.Step == ComposeStep.Validate);
        _timings.Add(new StepTiming(ComposeStep.Validate, stopwatch.Elapsed));
        Log.Validated(_ctx.Logger, Id, report.Passed ? "passed" : "blocked", stopwatch.Elapsed.TotalMilliseconds, report.Summary());
        _prepared = new Prepared(documents, changes, entityChanges, report, newBytes);
        return _prepared;
    }

    private void CheckUnchangedOnDisk(ComposeStep step)
    {
        foreach (var file in _files.Values)
        {
            var current = _ctx.Files.Hash(file.Original.FullPath);
            if (current != file.Original.Sha256)
            {
                throw new ComposeException(ComposeErrorCode.FileChangedSinceRead, step,
                    $"'{file.Path}' changed on disk after this transaction read it; it was not overwritten. Begin a new transaction to edit the current version.",
                    [file.Path], _journal is null ? TransactionState.Active : State);
            }
        }
    }

    private JournalEntry BuildJournalEntry(Prepared prepared)
    {
        var entry = new JournalEntry
        {
            TransactionId = Id,
            Message = Message,
            CreatedUtc = DateTimeOffset.UtcNow,
            ParentCommit = ParentCommit,
        };
        var createdDirs = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in _files.Values)
        {
            var bytes = prepared.NewBytes[file.Path];
            entry.Files.Add(new JournalFile
            {
                Path = file.Path,
                PreHash = file.Original.Sha256,
                PostHash = bytes is null ? null : Sha256(bytes),
                TempPath = WorkspacePaths.TempRelative(file.Path, Id),
                BackupPath = file.Original.Exists ? _ctx.Paths.BackupRelative(file.Path, Id) : null,
                Mode = file.Original.Mode is { } mode ? (int)mode : null,
            });

            if (file.Created)
            {
                var dir = Path.GetDirectoryName(file.Path.Replace('/', Path.DirectorySeparatorChar));
                while (!string.IsNullOrEmpty(dir) && !Directory.Exists(_ctx.Paths.Full(dir)))
                {
                    createdDirs.Add(dir.Replace(Path.DirectorySeparatorChar, '/'));
                    dir = Path.GetDirectoryName(dir);
                }
            }
        }

        entry.CreatedDirectories = createdDirs.OrderBy(d => d.Length).ToList();
        return entry;
    }

    private void WriteTemps(Prepared prepared, JournalEntry entry, DurabilityBatch? batch)
    {
        foreach (var dir in entry.CreatedDirectories)
        {
            _ctx.Files.CreateDirectory(_ctx.Paths.Full(dir));
        }

        foreach (var file in entry.Files)
        {
            var bytes = prepared.NewBytes[file.Path];
            if (bytes is not null)
            {
                var temp = _ctx.Paths.Full(file.TempPath);
                var mode = file.Mode is { } m ? (UnixFileMode)m : (UnixFileMode?)null;
                if (_ctx.Files is AtomicFileCommitter files && batch is not null)
                {
                    // Durable together with the backups at the end of the Backup step, before any target moves; the
                    // temp's directory entry with the rename's, by the one fsync of that directory after the move.
                    files.WriteNew(temp, bytes, mode, fsync: false, batch);
                }
                else
                {
                    _ctx.Files.WriteTemp(temp, bytes, mode);
                }

                _ctx.Hook("WriteTemp:" + file.Path);
            }
        }
    }

    private void BackUp(JournalEntry entry, DurabilityBatch? batch)
    {
        var files = _ctx.Files as AtomicFileCommitter;
        foreach (var file in entry.Files.Where(f => f.BackupPath is not null))
        {
            if (files is not null && batch is not null)
            {
                files.BackupDeferred(_ctx.Paths.Full(file.Path), _ctx.Paths.Full(file.BackupPath!), batch);
            }
            else
            {
                _ctx.Files.Backup(_ctx.Paths.Full(file.Path), _ctx.Paths.Full(file.BackupPath!));
            }
        }

        // Every temp and backup, their files and then the folders that got new entries, before the first target moves.
        if (files is not null && batch is not null)
        {
            files.Sync(batch);
        }
    }

    private IndexChangeSet StageIndex(Prepared prepared)
    {
        var records = new List<FileRecord>();
        var entities = new List<EntityRecord>();
        var removed = new List<string>();
        foreach (var file in _files.Values.Where(f => IsCSharp(f.Path)))
        {
            var bytes = prepared.NewBytes[file.Path];
            if (bytes is null)
            {
                removed.Add(file.Path);
                continue;
            }

            records.Add(IndexRecordBuilder.BuildFile(file.Path, bytes, file.NewText!, file.Original.HasBom, Id));
            entities.AddRange(IndexRecordBuilder.BuildEntities(file.Path, file.CurrentTree!, Id));
        }

        return new IndexChangeSet(Id, records, entities, removed)
        {
            Message = Message,
            FileChanges = _journal!.Files.Select(f => new TransactionFileChange
            {
                Path = f.Path,
                PreHash = f.PreHash,
                PostHash = f.PostHash,
                BackupPath = f.BackupPath,
                Mode = f.Mode,
            }).ToList(),
            Undoes = Undoes,
        };
    }

    private void MoveIntoPlace(Prepared prepared, JournalEntry entry)
    {
        // With the default committer every rename (and delete) is made first and each target folder is fsynced once
        // afterwards, making the temps' creation and the renames durable together; before that fsync returns, a power
        // loss leaves the journal to decide, as it does for a crash in between.
        var deferred = _ctx.Files as AtomicFileCommitter;
        // After a failure the rollback restores what moved, each restore with its own directory fsync.
        var folders = new List<string>();
        MoveEach(prepared, entry, deferred, folders);
        deferred?.SyncDirectories(folders);
    }

    private void MoveEach(Prepared prepared, JournalEntry entry, AtomicFileCommitter? deferred, List<string> folders)
    {
        foreach (var file in entry.Files)
        {
            var target = _ctx.Paths.Full(file.Path);
            // Re-check right before the rename: a writer may have raced us since the check before the journal.
            if (_ctx.Files.Hash(target) != file.PreHash)
            {
                throw new ComposeException(ComposeErrorCode.FileChangedSinceRead, ComposeStep.Move,
                    $"'{file.Path}' changed on disk after this transaction read it; it was not overwritten.", [file.Path], State);
            }

            if (deferred is not null)
            {
                if (prepared.NewBytes[file.Path] is null)
                {
                    deferred.DeleteDeferred(target);
                }
                else
                {
                    deferred.ReplaceDeferred(_ctx.Paths.Full(file.TempPath), target);
                }

                folders.Add(Path.GetDirectoryName(target)!);
            }
            else if (prepared.NewBytes[file.Path] is null)
            {
                _ctx.Files.Delete(target);
            }
            else
            {
                _ctx.Files.Replace(_ctx.Paths.Full(file.TempPath), target);
            }

            _ctx.Hook("Move:" + file.Path);
        }
    }

    private void RollBackJournaled()
    {
        var clean = _ctx.Recovery.RollBack(_journal!);
        State = clean ? TransactionState.RolledBack : TransactionState.NeedsRecovery;
        Log.RolledBack(_ctx.Logger, Id, _journal!.Files.Count);
    }

    /// <summary>Runs one protocol step: hook before and after, timing, and on failure a rollback and a typed error naming the step and the resulting state.</summary>
    private void RunStep(ComposeStep step, Action action, Action<double> logDone)
    {
        _ctx.Hook("before:" + step);
        var stopwatch = Stopwatch.StartNew();
        try
        {
            action();
        }
        catch (Exception ex)
        {
            var pastCommitPoint = State == TransactionState.Completed;
            var undecided = false;
            if (step == ComposeStep.IndexCommit)
            {
                // The store may have committed before it failed (LiteDB committed, its fsync failed): rolling the files
                // back then would leave an index that records new files over old ones (found by fault injection).
                // Ask it; if even that fails, leave the decision to recovery, which asks again.
                try
                {
                    pastCommitPoint = _ctx.Index.IsCommitted(Id);
                }
#pragma warning disable CA1031 // Undecidable now; recovery decides.
                catch (Exception)
#pragma warning restore CA1031
                {
                    undecided = true;
                }
            }

            if (undecided)
            {
                State = TransactionState.NeedsRecovery;
            }
            else if (!pastCommitPoint && _journal is not null)
            {
                try
                {
                    RollBackJournaled();
                }
#pragma warning disable CA1031 // The original failure is what the caller must see; the journal keeps the rest.
                catch (Exception rollbackError)
#pragma warning restore CA1031
                {
                    State = TransactionState.NeedsRecovery;
                    Log.RollbackFailed(_ctx.Logger, rollbackError, Id);
                }
            }
            else if (pastCommitPoint)
            {
                State = TransactionState.CommittedNeedsRecovery;
            }

            var error = Wrap(step, ex);
            Log.StepFailed(_ctx.Logger, error, Id, step, State);
            throw error;
        }

        stopwatch.Stop();
        _timings.Add(new StepTiming(step, stopwatch.Elapsed));
        logDone(stopwatch.Elapsed.TotalMilliseconds);
        _ctx.Hook("after:" + step);
    }

    private ComposeException Wrap(ComposeStep step, Exception ex)
    {
        var paths = _files.Keys.ToList();
        var next = State switch
        {
            TransactionState.RolledBack => "Every file is as it was before; nothing was committed.",
            TransactionState.CommittedNeedsRecovery => "Files and index are committed; reopen the workspace or call ComposeEngine.Recover() to finish the git commit.",
            TransactionState.NeedsRecovery => "Some changes could not be undone; they stay in the journal and the next ComposeEngine.Open (or Recover()) repairs them.",
            _ => "Nothing was written.",
        };
        if (ex is ComposeException ce)
        {
            // Past the commit point the component's own advice ("nothing was committed... start the transaction again")
            // is wrong for the transaction as a whole: redoing the edit would commit it twice once recovery runs.
            var reason = State == TransactionState.CommittedNeedsRecovery && step == ComposeStep.IndexCommit
                ? $"{ce.Reason} The index recorded the transaction before the failure, so it is past its commit point: do not start it again."
                : State == TransactionState.CommittedNeedsRecovery
                ? $"The git commit was not made: {ce.Reason} This transaction is nevertheless past its commit point, so do not start it again."
                : ce.Reason;
            return new ComposeException(ce.Code, ce.Step, $"{reason} {next}", ce.Paths.Count > 0 ? ce.Paths : paths, State, ce.InnerException ?? ce, ce.Candidates);
        }

        var code = ex switch
        {
            OperationCanceledException => ComposeErrorCode.Cancelled,
            _ when step is ComposeStep.IndexCommit or ComposeStep.IndexStage => ComposeErrorCode.Index,
            _ when step is ComposeStep.VcsCommit => ComposeErrorCode.Vcs,
            _ => ComposeErrorCode.IO,
        };
        return new ComposeException(code, step, $"Step {step} failed: {ex.Message}. {next}", paths, State, ex);
    }

    private void Cancellable(CancellationToken cancellationToken, ComposeStep step)
    {
        if (!cancellationToken.IsCancellationRequested)
        {
            return;
        }

        if (_journal is not null)
        {
            RollBackJournaled();
        }

        throw new ComposeException(ComposeErrorCode.Cancelled, step, $"Cancelled before {step}. {(_journal is null ? "Nothing was written." : "Every file is as it was before.")}", _files.Keys.ToList(), State);
    }

    private void PruneBackups()
    {
        var dir = _ctx.Paths.BackupDirectory;
        if (!Directory.Exists(dir))
        {
            return;
        }

        // Transaction ids start with a UTC timestamp, so name order is age order.
        foreach (var old in Directory.GetDirectories(dir).OrderByDescending(d => Path.GetFileName(d), StringComparer.Ordinal).Skip(_ctx.Options.BackupRetention))
        {
            _ctx.Io(IoOp.DirDelete, old);
            Directory.Delete(old, recursive: true);
        }
    }

    private StagedFile GetOrRead(string path)
    {
        var relative = _ctx.Paths.Normalize(path);
        if (_files.TryGetValue(relative, out var staged))
        {
            return staged;
        }

        var snapshot = ReadForStaging(_ctx, relative);
        if (!snapshot.Exists)
        {
            throw new ComposeException(ComposeErrorCode.FileState, ComposeStep.Stage, $"'{relative}' does not exist; use CreateFile to create it.", [relative]);
        }

        var tree = IsCSharp(relative) ? Parse(snapshot.Text, relative) : null;
        var file = new StagedFile(relative, snapshot, tree) { CurrentTree = tree };
        _files.Add(relative, file);
        return file;
    }

    // A staged or existing file the transaction has not deleted; what is refused says which operation was refused.
    private StagedFile GetUndeleted(string path, string operation)
    {
        var file = GetOrRead(path);
        return file.Deleted
            ? throw new ComposeException(ComposeErrorCode.FileState, ComposeStep.Stage, $"'{file.Path}' is deleted by this transaction; it cannot be {operation}.", [file.Path])
            : file;
    }

        private void EnsureActive()
    {
        ThrowIfDisposed();
        if (State != TransactionState.Active)
        {
            throw new ComposeException(ComposeErrorCode.WrongTransactionState, ComposeStep.Stage, $"The transaction is {State}; operations can only be staged before Apply(). Begin a new transaction.", [], State);
        }
    }

    private void ThrowIfDisposed()
    {
        if (_disposed)
        {
            throw new ComposeException(ComposeErrorCode.WrongTransactionState, ComposeStep.Stage, "The transaction is disposed. Begin a new one.", [], State);
        }
    }

    private IEnumerable<EntityChange> DiffEntities(string path, SyntaxTree? before, SyntaxTree? after)
    {
        var old = before is null ? [] : IndexRecordBuilder.BuildEntities(path, before, null);
        var now = after is null ? [] : IndexRecordBuilder.BuildEntities(path, after, null);
        var oldById = old.GroupBy(e => e.Id).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var newById = now.GroupBy(e => e.Id).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var e in now)
        {
            if (!oldById.TryGetValue(e.Id, out var was))
            {
                yield return new EntityChange(path, e.NamePath, e.Kind, EntityChangeKind.Added, new LineRange(e.StartLine, e.EndLine));
            }
            else if (was.TextHash != e.TextHash)
            {
                yield return new EntityChange(path, e.NamePath, e.Kind, EntityChangeKind.Modified, new LineRange(e.StartLine, e.EndLine));
            }
        }

        foreach (var e in old.Where(e => !newById.ContainsKey(e.Id)))
        {
            yield return new EntityChange(path, e.NamePath, e.Kind, EntityChangeKind.Removed, new LineRange(e.StartLine, e.EndLine));
        }
    }

    private static IReadOnlyList<TextSpan> ChangedSpans(SyntaxTree? before, SyntaxTree? after)
    {
        if (after is null)
        {
            return [];
        }

        if (before is null)
        {
            return [new TextSpan(0, after.Length)];
        }

        var spans = new List<TextSpan>();
        var delta = 0;
        foreach (var change in after.GetChanges(before))
        {
            spans.Add(new TextSpan(change.Span.Start + delta, change.NewText?.Length ?? 0));
            delta += (change.NewText?.Length ?? 0) - change.Span.Length;
        }

        return spans;
    }

    /// <summary>Reads a file to stage it; a directory or an unreadable path is a typed error, never a raw I/O exception.</summary>
    internal static FileSnapshot ReadForStaging(EngineContext ctx, string relative)
    {
        var full = ctx.Paths.Full(relative);
        if (Directory.Exists(full))
        {
            throw new ComposeException(ComposeErrorCode.FileState, ComposeStep.Stage, $"'{relative}' is a directory, not a file. Nothing was staged; pass the path of a file.", [relative]);
        }

        try
        {
            return ctx.Files.Read(full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ComposeException(ComposeErrorCode.IO, ComposeStep.Stage, $"'{relative}' could not be read: {ex.Message} Nothing was staged.", [relative], TransactionState.Active, ex);
        }
    }

    internal static bool IsCSharp(string path) => path.EndsWith(".cs", StringComparison.OrdinalIgnoreCase);

    internal static SyntaxTree Parse(string text, string path) =>
        CSharpSyntaxTree.ParseText(SourceText.From(text, System.Text.Encoding.UTF8), new CSharpParseOptions(LanguageVersion.Preview, DocumentationMode.Diagnose), path);

    internal static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static string NewLineOf(string text) => text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";

    private sealed class StagedFile(string path, FileSnapshot original, SyntaxTree? originalTree)
    {
        public string Path { get; } = path;

        public FileSnapshot Original { get; } = original;

        public SyntaxTree? OriginalTree { get; } = originalTree;

        public SyntaxTree? CurrentTree { get; set; }

        public bool Created { get; init; }

        public string? CreatedText { get; init; }

        /// <summary>Exact bytes to write instead of encoding <see cref="NewText"/> (an undo restoring a pre-image).</summary>
        public byte[]? RestoredBytes { get; set; }

        /// <summary>The decoded text of <see cref="RestoredBytes"/>.</summary>
        public string? RestoredText { get; set; }

        public bool Deleted { get; set; }

        /// <summary>The whole new text of a file that is not C# (<see cref="ReplaceFile"/>).</summary>
        public string? ReplacedText { get; set; }

        public List<OperationOutcome> Outcomes { get; } = [];

        /// <summary>The text to write, or <see langword="null"/> when the file is deleted.</summary>
        public string? NewText => Deleted ? null : RestoredText ?? CurrentTree?.GetText().ToString() ?? ReplacedText ?? CreatedText;
    }

    private sealed class Prepared(
        List<ValidationDocument> documents,
        List<FileChange> changes,
        List<EntityChange> entityChanges,
        ValidationReport report,
        Dictionary<string, byte[]?> newBytes)
    {
        public List<ValidationDocument> Documents { get; } = documents;

        public List<FileChange> Changes { get; } = changes;

        public List<EntityChange> EntityChanges { get; } = entityChanges;

        public ValidationReport Report { get; } = report;

        public Dictionary<string, byte[]?> NewBytes { get; } = newBytes;

        public IndexChangeSet? IndexChanges { get; set; }
    }
}
