using AtomicCompose.Diagnostics;
using AtomicCompose.Files;
using AtomicCompose.Indexing;
using AtomicCompose.Vcs;
using AtomicCompose.Workspace;
using Microsoft.Extensions.Logging;

namespace AtomicCompose.Journal;

/// <summary>The outcome of a recovery run.</summary>
/// <param name="RolledBack">Transactions that had not reached their commit point and were undone.</param>
/// <param name="RolledForward">Transactions that had reached it and were finished (git commit, journal retired).</param>
/// <param name="Conflicts">Root-relative paths changed by someone else: not overwritten, their backups kept, their journal entries kept.</param>
public sealed record RecoveryReport(IReadOnlyList<string> RolledBack, IReadOnlyList<string> RolledForward, IReadOnlyList<string> Conflicts)
{
    /// <summary>Nothing was unfinished.</summary>
    public static RecoveryReport Empty { get; } = new([], [], []);

    /// <summary>How many transactions were repaired.</summary>
    public int Repaired => RolledBack.Count + RolledForward.Count;
}

/// <summary>
/// Undoes or finishes journaled transactions. The same code serves <see cref="ComposeTransaction.Dispose"/>
/// (roll back one live transaction) and recovery on <see cref="ComposeEngine.Open"/>
/// (every unfinished entry), so both obey one rule: a file is only restored when its bytes are exactly the
/// transaction's post-image; anything else was changed by someone else and is never overwritten.
/// Every action is idempotent, so recovery interrupted by another crash simply runs again.
/// </summary>
internal sealed class JournalRecovery
{
    private readonly WorkspacePaths _paths;
    private readonly IFileCommitter _files;
    private readonly IIndexStore _index;
    private readonly IVcs _vcs;
    private readonly JournalStore _journal;
    private readonly ILogger _logger;
    private readonly Action<string>? _hook;
    private readonly Action<string, string>? _ioHook;

    // hook: test seam (ComposeOptions.ProtocolHook), called at recovery boundaries such as "recovery:rollback:restored:src/A.cs"; crash tests kill the process there.
    // ioHook: test seam (ComposeOptions.IoHook) for the folder deletes recovery makes itself; file operations go through the committer.
    public JournalRecovery(WorkspacePaths paths, IFileCommitter files, IIndexStore index, IVcs vcs, JournalStore journal, ILogger logger, Action<string>? hook = null, Action<string, string>? ioHook = null)
    {
        _hook = hook;
        _ioHook = ioHook;
        _paths = paths;
        _files = files;
        _index = index;
        _vcs = vcs;
        _journal = journal;
        _logger = logger;
    }

    public RecoveryReport RecoverAll()
    {
        var entries = _journal.ReadAll();
        if (entries.Count == 0)
        {
            return RecoveryReport.Empty;
        }

        Log.RecoveryStarted(_logger, entries.Count);
        _hook?.Invoke("recovery:start");
        var back = new List<string>();
        var forward = new List<string>();
        var conflicts = new List<string>();
        foreach (var entry in entries)
        {
            bool? committed = null;
            try
            {
                committed = _index.IsCommitted(entry.TransactionId);
                if (committed.Value)
                {
                    var sha = RollForward(entry, conflicts);
                    Log.RecoveredForward(_logger, entry.TransactionId, sha);
                    forward.Add(entry.TransactionId);
                }
                else
                {
                    if (RollBack(entry, conflicts))
                    {
                        Log.RecoveredBack(_logger, entry.TransactionId);
                    }

                    back.Add(entry.TransactionId);
                }
            }
            catch (Exception ex) when (ex is ComposeException or IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                throw Failed(entry, committed, ex);
            }
        }

        return new RecoveryReport(back, forward, conflicts);
    }

    /// <summary>
    /// A recovery failure names the Recovery step and the transaction's real state, whichever component failed: a
    /// git failure while rolling forward used to surface as a VcsCommit error with state Active (found by fault injection).
    /// </summary>
    private static ComposeException Failed(JournalEntry entry, bool? committed, Exception ex)
    {
        var reason = ex is ComposeException ce ? ce.Reason : ex.Message;
        var (state, what) = committed switch
        {
            true => (TransactionState.CommittedNeedsRecovery, "rolling it forward (files and index are committed; the git commit or its record in the index is missing)"),
            false => (TransactionState.NeedsRecovery, "rolling it back"),
            null => (TransactionState.NeedsRecovery, "deciding whether it reached its commit point"),
        };
        return new ComposeException(
            ex is ComposeException c ? c.Code : ComposeErrorCode.IO,
            ComposeStep.Recovery,
            $"Recovery of transaction '{entry.TransactionId}' failed while {what}: {reason} The journal keeps the transaction and every repair already made stays valid; fix the cause and open the workspace again (or call ComposeEngine.Recover()).",
            entry.Files.Select(f => f.Path).ToList(),
            state,
            ex);
    }

    /// <summary>Restores every file of <paramref name="entry"/> whose bytes are the post-image, removes temps and created folders, and retires the entry when nothing conflicted.</summary>
    /// <returns><see langword="true"/> when every file is back to its pre-image and the entry is retired.</returns>
    public bool RollBack(JournalEntry entry, List<string>? conflicts = null)
    {
        var clean = true;
        foreach (var file in Enumerable.Reverse(entry.Files))
        {
            var full = _paths.Full(file.Path);
            var current = _files.Hash(full);
            var restoreTemp = _paths.Full(WorkspacePaths.TempRelative(file.Path, entry.TransactionId, "restore"));
            if (current == file.PreHash)
            {
                // Already the pre-image: never reached, or already restored by an earlier attempt.
            }
            else if (current == file.PostHash)
            {
                if (file.PreHash is null)
                {
                    _files.Delete(full);
                }
                else
                {
                    _files.Restore(_paths.Full(file.BackupPath!), full, restoreTemp, file.Mode is { } m ? (UnixFileMode)m : null);
                }

                _hook?.Invoke("recovery:rollback:restored:" + file.Path);
            }
            else
            {
                clean = false;
                conflicts?.Add(file.Path);
                Log.RecoveryConflict(_logger, entry.TransactionId, file.Path, file.BackupPath);
            }

            _files.Delete(_paths.Full(file.TempPath));
            _files.Delete(restoreTemp);
            _hook?.Invoke("recovery:rollback:temps:" + file.Path);
        }

        foreach (var dir in Enumerable.Reverse(entry.CreatedDirectories))
        {
            var full = _paths.Full(dir);
            if (Directory.Exists(full) && !Directory.EnumerateFileSystemEntries(full).Any())
            {
                _ioHook?.Invoke(IoOp.DirDelete, full);
                Directory.Delete(full);
            }
        }

        if (clean)
        {
            _hook?.Invoke("recovery:rollback:before:DeleteBackups");
            DeleteBackups(entry.TransactionId);
            _hook?.Invoke("recovery:rollback:before:Retire");
            _journal.Retire(entry.TransactionId);
            _hook?.Invoke("recovery:rollback:after:Retire");
        }

        return clean;
    }

    /// <summary>Finishes a transaction past its commit point: temps gone, git commit present, index knows the sha, entry retired.</summary>
    /// <returns>The git commit sha, if any.</returns>
    public string? RollForward(JournalEntry entry, List<string>? conflicts = null)
    {
        var allPost = true;
        foreach (var file in entry.Files)
        {
            _files.Delete(_paths.Full(file.TempPath));
            if (_files.Hash(_paths.Full(file.Path)) != file.PostHash)
            {
                allPost = false;
                conflicts?.Add(file.Path);
                Log.RecoveryConflict(_logger, entry.TransactionId, file.Path, file.BackupPath);
            }

            _hook?.Invoke("recovery:forward:temps:" + file.Path);
        }

        var paths = entry.Files.Select(f => f.Path).ToList();
        var sha = _vcs.IsEnabled ? _vcs.FindTransactionCommit(entry.TransactionId) : null;
        if (sha is not null && _vcs is GitVcs git)
        {
            // The commit may exist without its git index update (that write failed and the branch could not be put back).
            git.RepairIndex(sha, paths);
        }

        if (_vcs.IsEnabled && sha is null)
        {
            if (!allPost)
            {
                // Committing now would record someone else's bytes under this transaction's name.
                return null;
            }

            // The commit point must be durable before git records it: if the fsync after the index commit failed, a power
            // loss could otherwise drop the index record under a durable git commit, and recovery would then roll the files back.
            (_index as LiteDbIndexStore)?.Flush();
            sha = _vcs.Commit(new VcsCommitRequest(paths, entry.Message, entry.TransactionId, _vcs.Head()));
            _hook?.Invoke("recovery:forward:after:VcsCommit");
        }

        if (sha is not null)
        {
            _index.SetCommit(entry.TransactionId, sha, paths);
            _hook?.Invoke("recovery:forward:after:SetCommit");
        }

        _journal.Retire(entry.TransactionId);
        _hook?.Invoke("recovery:forward:after:Retire");
        return sha;
    }

    private void DeleteBackups(string transactionId)
    {
        var dir = Path.Combine(_paths.BackupDirectory, transactionId);
        if (Directory.Exists(dir))
        {
            _ioHook?.Invoke(IoOp.DirDelete, dir);
            Directory.Delete(dir, recursive: true);
        }
    }
}
