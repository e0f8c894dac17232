using System.Text;
using AtomicCompose.Files;
using LibGit2Sharp;

namespace AtomicCompose.Vcs;

/// <summary>The default <see cref="IVcs"/>: LibGit2Sharp, committing exactly the composed paths.</summary>
/// <remarks>
/// <para>The commit is built from the parent's tree, never from the index, and only the given paths' index
/// entries are rewritten afterwards, so the user's other staged and unstaged changes stay exactly as they were.
/// If the user had staged a <em>different</em> version of a committed path, that staged version is replaced in the
/// index by the committed one (the working-tree file, which is what the transaction composed on); the staged blob
/// is not deleted from the object database, so <c>git fsck --lost-found</c> can still recover it.</para>
/// <para>Every call opens the repository afresh. libgit2 caches the index it loaded and does not reread it before
/// writing, so a long-lived <see cref="Repository"/> would write back a stale index and silently undo a
/// <c>git add</c> the user ran in the meantime. Calls are serialised with a lock, since a repository handle is not
/// thread-safe and two commits from one process must not interleave.</para>
/// <para>The branch is moved only if it still points at the expected parent. LibGit2Sharp exposes no
/// compare-and-swap ref update, so the tip is checked right before the update and the reflog entry the update
/// wrote (its old id is read under the ref's lock) is checked right after; if someone moved the branch in between,
/// their tip is put back and the commit fails as "branch moved".</para>
/// <para>libgit2 does not fsync unless <c>GIT_OPT_ENABLE_FSYNC_GITDIR</c> is set, and LibGit2Sharp 0.32 has no
/// setting for it; this class turns it on through libgit2's own <c>git_libgit2_opts</c> (process-wide) before its
/// first write. <see cref="GitDirFsyncEnabled"/> tells whether that worked.</para>
/// </remarks>
public sealed class GitVcs : IVcs
{
    /// <summary>The trailer key written into every commit: <c>Compose-Transaction: &lt;id&gt;</c>.</summary>
    public const string TransactionTrailer = "Compose-Transaction";

    /// <summary>The author used when neither the constructor nor git's configuration gives one.</summary>
    public const string DefaultAuthorName = "AtomicCompose";

    /// <summary>The e-mail used when neither the constructor nor git's configuration gives one.</summary>
    public const string DefaultAuthorEmail = "atomiccompose@localhost";

    private const int HistoryDepth = 200;
    private const int LockAttempts = 5;
    private static readonly TimeSpan LockDelay = TimeSpan.FromMilliseconds(100);
    private static readonly ObjectId EmptyBlobId = new("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");

    private readonly object _gate = new();
    private readonly string _gitDir;
    private readonly string _workDir;
    private readonly string _prefix;
    private bool _disposed;

    /// <summary>Opens the repository containing <paramref name="workspaceRoot"/>.</summary>
    /// <param name="workspaceRoot">The workspace root (the repository's work tree or a folder inside it).</param>
    /// <exception cref="ComposeException"><paramref name="workspaceRoot"/> is not inside a non-bare git work tree (<see cref="ComposeErrorCode.Vcs"/>).</exception>
    public GitVcs(string workspaceRoot)
        : this(workspaceRoot, null, null)
    {
    }

    /// <summary>Opens the repository containing <paramref name="workspaceRoot"/>, committing as the given author.</summary>
    /// <param name="workspaceRoot">The workspace root (the repository's work tree or a folder inside it).</param>
    /// <param name="authorName">Author and committer name; <see langword="null"/> to use git's <c>user.name</c>.</param>
    /// <param name="authorEmail">Author and committer e-mail; <see langword="null"/> to use git's <c>user.email</c>.</param>
    /// <remarks>When both are given they win over git's configuration; when neither is available from either source,
    /// <see cref="DefaultAuthorName"/> and <see cref="DefaultAuthorEmail"/> are used.</remarks>
    /// <exception cref="ComposeException"><paramref name="workspaceRoot"/> is not inside a non-bare git work tree (<see cref="ComposeErrorCode.Vcs"/>).</exception>
    public GitVcs(string workspaceRoot, string? authorName, string? authorEmail)
    {
        ArgumentException.ThrowIfNullOrEmpty(workspaceRoot);
        AuthorName = string.IsNullOrWhiteSpace(authorName) ? null : authorName;
        AuthorEmail = string.IsNullOrWhiteSpace(authorEmail) ? null : authorEmail;
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(workspaceRoot));
        try
        {
            var gitDir = Directory.Exists(root) ? Repository.Discover(root) : null;
            if (gitDir is null)
            {
                throw new ComposeException(ComposeErrorCode.Vcs, ComposeStep.Open, $"'{root}' is not inside a git repository; use NoVcs there.");
            }

            using var repo = new Repository(gitDir);
            if (repo.Info.IsBare || repo.Info.WorkingDirectory is null)
            {
                throw new ComposeException(ComposeErrorCode.Vcs, ComposeStep.Open, $"The repository at '{gitDir}' is bare; AtomicCompose needs a work tree.");
            }

            _gitDir = repo.Info.Path;
            _workDir = Path.TrimEndingDirectorySeparator(Path.GetFullPath(repo.Info.WorkingDirectory));
        }
        catch (LibGit2SharpException e)
        {
            // For example libgit2's owner validation ("repository path is not owned by current user").
            throw new ComposeException(ComposeErrorCode.Vcs, ComposeStep.Open, $"The git repository for '{root}' could not be opened: {e.Message}", innerException: e);
        }

        var relative = Path.GetRelativePath(_workDir, root).Replace(Path.DirectorySeparatorChar, '/');
        if (relative == ".." || relative.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            throw new ComposeException(ComposeErrorCode.Vcs, ComposeStep.Open,
                $"'{root}' does not lie under the work tree '{_workDir}' of its repository (a symbolic link in the path?). Open the workspace through its real path.");
        }

        _prefix = relative == "." ? string.Empty : relative.TrimEnd('/') + "/";
    }

    /// <summary>The explicit author name given to the constructor, if any.</summary>
    public string? AuthorName { get; }

    /// <summary>The explicit author e-mail given to the constructor, if any.</summary>
    public string? AuthorEmail { get; }

    /// <summary>The repository's work tree (absolute, no trailing separator).</summary>
    public string WorkingDirectory => _workDir;

    /// <summary>The workspace root relative to the work tree, '/'-separated with a trailing '/', or empty when they are the same.</summary>
    public string RepositoryPrefix => _prefix;

    /// <summary>Whether libgit2 was told to fsync what it writes into <c>.git</c> (objects, refs, index).</summary>
    /// <remarks><see langword="false"/> when the native option could not be set; <see cref="GitDirFsyncFailure"/> says why.</remarks>
    public static bool GitDirFsyncEnabled => LibGit2Options.FsyncGitDirEnabled;

    /// <summary>Why libgit2's fsync option could not be enabled, or <see langword="null"/> when it is enabled.</summary>
    public static string? GitDirFsyncFailure => LibGit2Options.FsyncGitDirFailure;

    /// <inheritdoc />
    public bool IsEnabled => true;

    /// <summary>Test seam: runs after the branch tip was checked and right before the ref is updated.</summary>
    internal Action? BetweenCheckAndMove { get; set; }

    /// <summary>Test seam: runs after the branch moved and before the index is updated.</summary>
    internal Action? BeforeIndexUpdate { get; set; }

    /// <summary>Test seam (<c>ComposeOptions.IoHook</c>): called with an <see cref="IoOp"/> label before every object, ref, index and exclude-file write and every fsync.</summary>
    internal Action<string, string>? IoHook { get; init; }

    /// <summary>Whether <paramref name="workspaceRoot"/> is inside a git work tree.</summary>
    /// <param name="workspaceRoot">The folder.</param>
    /// <returns><see langword="true"/> if a non-bare repository is found.</returns>
    public static bool IsRepository(string workspaceRoot)
    {
        if (string.IsNullOrEmpty(workspaceRoot) || !Directory.Exists(workspaceRoot))
        {
            return false;
        }

        try
        {
            var gitDir = Repository.Discover(Path.GetFullPath(workspaceRoot));
            if (gitDir is null)
            {
                return false;
            }

            using var repo = new Repository(gitDir);
            return !repo.Info.IsBare;
        }
        catch (LibGit2SharpException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public string? Head()
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            return Guard(ComposeStep.VcsCommit, [], () =>
            {
                using var repo = new Repository(_gitDir);
                return repo.Head.Tip?.Sha;
            });
        }
    }

    /// <inheritdoc />
    /// <remarks>A commit is created even when the paths did not change the tree: it is the durable record of the
    /// transaction that recovery looks for through <see cref="FindTransactionCommit"/>. A path that is missing from
    /// the work tree is removed from the tree and the index; a symbolic link is committed as a link.</remarks>
    public string? Commit(VcsCommitRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Paths);
        if (string.IsNullOrWhiteSpace(request.TransactionId) || request.TransactionId.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException("The transaction id must be a non-empty single line.", nameof(request));
        }

        var paths = request.Paths.Distinct(StringComparer.Ordinal).ToList();
        var repoPaths = paths.Select(p => ToRepoPath(p, ComposeStep.VcsCommit)).ToList();
        lock (_gate)
        {
            ThrowIfDisposed();
            LibGit2Options.EnsureFsyncGitDir();
            return Guard(ComposeStep.VcsCommit, paths, () =>
            {
                using var repo = new Repository(_gitDir);
                return CommitCore(repo, request, paths, repoPaths);
            });
        }
    }

    /// <summary>
    /// Recovery of a transaction whose commit exists: points the git index entries of <paramref name="paths"/> that still
    /// hold the parent's version at the commit's version, as <see cref="Commit"/> would have. A commit can exist without
    /// its index update when the update failed and putting the branch back failed too (found by fault injection: after
    /// recovery <c>git status</c> showed the commit's change reverted in the index). Entries the user changed are left alone.
    /// </summary>
    /// <param name="commitSha">The transaction's commit.</param>
    /// <param name="paths">Its workspace-relative paths.</param>
    /// <returns>How many index entries were rewritten.</returns>
    internal int RepairIndex(string commitSha, IReadOnlyList<string> paths)
    {
        var repoPaths = paths.Distinct(StringComparer.Ordinal).Select(p => ToRepoPath(p, ComposeStep.Recovery)).ToList();
        lock (_gate)
        {
            ThrowIfDisposed();
            return Guard(ComposeStep.Recovery, paths, () =>
            {
                using var repo = new Repository(_gitDir);
                var commit = repo.Lookup<Commit>(commitSha);
                if (commit is null)
                {
                    return 0;
                }

                var parent = commit.Parents.FirstOrDefault();
                var stale = new List<(string Path, Blob? Blob, Mode Mode)>();
                foreach (var repoPath in repoPaths)
                {
                    var ours = commit[repoPath];
                    if (ours is not null && ours.Target is not Blob)
                    {
                        // A composed path is a file or a link; anything else (a folder, a submodule) is not ours to touch.
                        continue;
                    }

                    var before = parent?[repoPath];
                    var indexed = repo.Index[repoPath];
                    var holdsOurs = ours is null ? indexed is null : indexed is not null && indexed.Id.Equals(ours.Target.Id) && indexed.Mode == ours.Mode;
                    var holdsParents = before is null ? indexed is null : indexed is not null && indexed.Id.Equals(before.Target.Id) && indexed.Mode == before.Mode;
                    if (!holdsOurs && holdsParents)
                    {
                        stale.Add((repoPath, ours?.Target as Blob, ours?.Mode ?? default));
                    }
                }

                if (stale.Count > 0)
                {
                    WithLockRetry(() =>
                    {
                        UpdateIndex(repo, stale, IoHook);
                        return 0;
                    });
                }

                return stale.Count;
            });
        }
    }

    /// <inheritdoc />
    public string? FindTransactionCommit(string transactionId)
    {
        ArgumentException.ThrowIfNullOrEmpty(transactionId);
        var trailer = TransactionTrailer + ": " + transactionId;
        lock (_gate)
        {
            ThrowIfDisposed();
            return Guard(ComposeStep.Recovery, [], () =>
            {
                using var repo = new Repository(_gitDir);
                if (repo.Head.Tip is null)
                {
                    return null;
                }

                foreach (var commit in repo.Commits.Take(HistoryDepth))
                {
                    if (HasTrailer(commit.Message, trailer))
                    {
                        return commit.Sha;
                    }
                }

                return (string?)null;
            });
        }
    }

    /// <inheritdoc />
    /// <remarks>The entry is written anchored to the repository root (for example <c>/.atomiccompose/</c>, or
    /// <c>/sub/.atomiccompose/</c> when the workspace is a subfolder), so it excludes exactly the workspace's folder.
    /// In a linked worktree the shared <c>info/exclude</c> of the main repository is used, as git does.</remarks>
    public void EnsureExcluded(string relativeDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(relativeDirectory);
        var trimmed = relativeDirectory.Trim().TrimStart('/');
        var trailingSlash = trimmed.EndsWith('/');
        var repoPath = ToRepoPath(trimmed.TrimEnd('/'), ComposeStep.Open);
        var entry = "/" + repoPath + (trailingSlash ? "/" : string.Empty);
        lock (_gate)
        {
            ThrowIfDisposed();
            var infoDir = Path.Combine(CommonDir(), "info");
            var exclude = Path.Combine(infoDir, "exclude");
            if (File.Exists(exclude))
            {
                foreach (var line in File.ReadLines(exclude))
                {
                    var existing = line.Trim();
                    // Without a prefix, an unanchored line the user wrote (".atomiccompose/") already does the job.
                    if (existing == entry || (_prefix.Length == 0 && existing == trimmed))
                    {
                        return;
                    }
                }
            }

            if (!Directory.Exists(infoDir))
            {
                IoHook?.Invoke(IoOp.DirCreate, infoDir);
                Directory.CreateDirectory(infoDir);
            }

            IoHook?.Invoke(IoOp.GitExclude, exclude);
            using (var stream = new FileStream(exclude, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read))
            {
                var needsNewLine = false;
                if (stream.Length > 0)
                {
                    stream.Seek(-1, SeekOrigin.End);
                    needsNewLine = stream.ReadByte() != '\n';
                }

                stream.Seek(0, SeekOrigin.End);
                var bytes = Encoding.UTF8.GetBytes((needsNewLine ? "\n" : string.Empty) + entry + "\n");
                stream.Write(bytes);
                IoHook?.Invoke(IoOp.FileFsync, exclude);
                stream.Flush(flushToDisk: true);
            }

            PosixSync.FsyncDirectory(infoDir, IoHook);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            // No repository handle outlives a call (see the remarks), so there is nothing native to free here.
            _disposed = true;
        }
    }

    internal static string BuildMessage(string message, string transactionId)
    {
        var body = (message ?? string.Empty).Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd();
        if (body.Length == 0)
        {
            body = "AtomicCompose edit";
        }

        // The trailer gets a paragraph of its own so that git interpret-trailers sees it as the trailer block; when the
        // message already ends in trailers (an undo's "Compose-Undoes: <id>"), it joins that block instead.
        var lastParagraph = body[(body.LastIndexOf("\n\n", StringComparison.Ordinal) + 1)..].Trim('\n');
        var endsInTrailers = body.Contains("\n\n", StringComparison.Ordinal)
            && lastParagraph.Split('\n').All(line => System.Text.RegularExpressions.Regex.IsMatch(line, "^[A-Za-z0-9-]+: \\S"));
        return body + (endsInTrailers ? "\n" : "\n\n") + TransactionTrailer + ": " + transactionId + "\n";
    }

    private static bool HasTrailer(string message, string trailer)
    {
        foreach (var line in message.Split('\n'))
        {
            if (line.TrimEnd('\r').Trim() == trailer)
            {
                return true;
            }
        }

        return false;
    }

    private string CommitCore(Repository repo, VcsCommitRequest request, IReadOnlyList<string> paths, IReadOnlyList<string> repoPaths)
    {
        // The index is checked before anything moves: once the branch has moved, a failure to update the index
        // would leave `git status` showing the commit's changes reverted in the index.
        WaitForUnlocked(Path.Combine(repo.Info.Path, "index.lock"), paths);

        var (refName, tip) = ResolveBranch(repo);
        if (!string.Equals(tip, request.ExpectedParent, StringComparison.OrdinalIgnoreCase))
        {
            throw BranchMoved(refName, request.ExpectedParent, tip, paths);
        }

        Commit? parent = null;
        if (request.ExpectedParent is not null)
        {
            parent = repo.Lookup<Commit>(request.ExpectedParent)
                ?? throw new ComposeException(ComposeErrorCode.Vcs, ComposeStep.VcsCommit, $"The parent commit {request.ExpectedParent} does not exist in the repository.", paths);
        }

        var entries = new List<(string Path, Blob? Blob, Mode Mode)>(repoPaths.Count);
        for (var i = 0; i < repoPaths.Count; i++)
        {
            var repoPath = repoPaths[i];
            var full = Path.Combine(_workDir, repoPath.Replace('/', Path.DirectorySeparatorChar));
            var info = new FileInfo(full);
            if (info.LinkTarget is { } linkTarget)
            {
                using var content = new MemoryStream(Encoding.UTF8.GetBytes(linkTarget));
                IoHook?.Invoke(IoOp.GitBlob, repoPath);
                entries.Add((repoPath, repo.ObjectDatabase.CreateBlob(content), Mode.SymbolicLink));
            }
            else if (info.Exists)
            {
                // Relative to the work tree, so git's filters (autocrlf, .gitattributes) apply exactly as `git add` would.
                IoHook?.Invoke(IoOp.GitBlob, repoPath);
                var blob = repo.ObjectDatabase.CreateBlob(repoPath);
                entries.Add((repoPath, blob, IsExecutable(full) ? Mode.ExecutableFile : Mode.NonExecutableFile));
            }
            else if (Directory.Exists(full))
            {
                throw new ComposeException(ComposeErrorCode.Vcs, ComposeStep.VcsCommit, $"'{paths[i]}' is a directory; only files can be committed.", [paths[i]]);
            }
            else
            {
                entries.Add((repoPath, null, default));
            }
        }

        IoHook?.Invoke(IoOp.GitTree, repo.Info.Path);
        var tree = BuildTree(repo, parent, entries);
        var signature = BuildSignature(repo);
        var message = BuildMessage(request.Message, request.TransactionId);
        IoHook?.Invoke(IoOp.GitCommit, repo.Info.Path);
        var commit = repo.ObjectDatabase.CreateCommit(signature, signature, message, tree, parent is null ? [] : [parent], prettifyMessage: false);
        var firstLine = message.Split('\n', 2)[0];
        var logMessage = (parent is null ? "commit (initial): " : "commit: ") + firstLine;

        MoveBranch(repo, refName, request.ExpectedParent, commit.Id, logMessage, paths);

        try
        {
            BeforeIndexUpdate?.Invoke();
            WithLockRetry(() =>
            {
                UpdateIndex(repo, entries, IoHook);
                return 0;
            });
        }
        catch (Exception e) when (e is LibGit2SharpException or IOException)
        {
            var undone = TryUndoBranchMove(repo, refName, request.ExpectedParent, commit.Id, IoHook);
            var lockHint = e is LockedFileException ? $" The index is locked ('{Path.Combine(repo.Info.Path, "index.lock")}'); if no git process is running, delete that file and retry." : string.Empty;
            throw new ComposeException(
                ComposeErrorCode.Vcs,
                ComposeStep.VcsCommit,
                undone
                    ? $"The git index could not be updated, so the branch was put back on its parent; nothing was committed.{lockHint}"
                    : $"Commit {commit.Sha} was created and '{refName}' moved to it, but the git index could not be updated and the branch could not be put back; run `git reset -q -- <paths>` to make `git status` clean.{lockHint}",
                paths,
                innerException: e);
        }

        return commit.Sha;
    }

    /// <summary>The parent's tree with only <paramref name="entries"/> changed (see <see cref="TreeUpdate"/>); a <see cref="TreeDefinition"/> where the native update is not available.</summary>
    private static Tree BuildTree(Repository repo, Commit? parent, IReadOnlyList<(string Path, Blob? Blob, Mode Mode)> entries)
    {
        if (parent is not null)
        {
            // Removing what the parent does not have changes nothing (and libgit2's update refuses it).
            var changes = entries.Where(e => e.Blob is not null || parent.Tree[e.Path] is not null).ToList();
            if (changes.Count == 0)
            {
                return parent.Tree;
            }

            if (TreeUpdate.Apply(repo, parent.Tree, changes) is { } updated)
            {
                return updated;
            }
        }

        var definition = parent is null ? new TreeDefinition() : TreeDefinition.From(parent);
        foreach (var (path, blob, mode) in entries)
        {
            if (blob is null)
            {
                definition.Remove(path);
            }
            else
            {
                definition.Add(path, blob, mode);
            }
        }

        return repo.ObjectDatabase.CreateTree(definition);
    }

    private (string RefName, string? Tip) ResolveBranch(Repository repo)
    {
        var head = repo.Refs.Head
            ?? throw new ComposeException(ComposeErrorCode.Vcs, ComposeStep.VcsCommit, "The repository has no HEAD.");
        if (head is SymbolicReference symbolic)
        {
            var name = symbolic.TargetIdentifier;
            var branch = repo.Refs[name];
            if (branch is null)
            {
                return (name, null);
            }

            if (branch is not DirectReference direct)
            {
                throw new ComposeException(ComposeErrorCode.Vcs, ComposeStep.VcsCommit, $"'{name}' is a symbolic reference to another reference; check out a real branch.");
            }

            return (name, direct.TargetIdentifier);
        }

        // Detached HEAD (CI checkouts): the commit moves HEAD itself.
        return ("HEAD", head.TargetIdentifier);
    }

    private void MoveBranch(Repository repo, string refName, string? expected, ObjectId newId, string logMessage, IReadOnlyList<string> paths)
    {
        WithLockRetry(() =>
        {
            if (expected is null)
            {
                // Creating without overwrite is a true compare-and-swap: it fails if anyone created the branch meanwhile.
                try
                {
                    IoHook?.Invoke(IoOp.GitRef, refName);
                    repo.Refs.Add(refName, newId, logMessage, allowOverwrite: false);
                }
                catch (NameConflictException e)
                {
                    throw new ComposeException(ComposeErrorCode.Vcs, ComposeStep.VcsCommit, $"'{refName}' was created by someone else while committing; nothing was committed. Start the transaction again from the new HEAD.", paths, innerException: e);
                }

                return 0;
            }

            var (_, tip) = ResolveBranch(repo);
            if (!string.Equals(tip, expected, StringComparison.OrdinalIgnoreCase))
            {
                throw BranchMoved(refName, expected, tip, paths);
            }

            BetweenCheckAndMove?.Invoke();
            var current = refName == "HEAD" ? repo.Refs.Head : repo.Refs[refName];
            IoHook?.Invoke(IoOp.GitRef, refName);
            repo.Refs.UpdateTarget(current, newId, logMessage);
            return 0;
        });

        if (expected is null)
        {
            return;
        }

        // The reflog's old id was read under the ref lock; if it is not our parent, someone slipped a commit in
        // between our check and the update and we just orphaned it. Put it back.
        var last = repo.Refs.Log(refName).FirstOrDefault();
        if (last is not null && last.To.Equals(newId) && !last.From.Sha.Equals(expected, StringComparison.OrdinalIgnoreCase))
        {
            var reference = refName == "HEAD" ? repo.Refs.Head : repo.Refs[refName];
            IoHook?.Invoke(IoOp.GitRef, refName);
            repo.Refs.UpdateTarget(reference, last.From, "AtomicCompose: undo commit on moved branch");
            throw BranchMoved(refName, expected, last.From.Sha, paths);
        }
    }

    private static bool TryUndoBranchMove(Repository repo, string refName, string? expected, ObjectId ours, Action<string, string>? ioHook)
    {
        try
        {
            var reference = refName == "HEAD" ? repo.Refs.Head : repo.Refs[refName];
            if (reference is null || !string.Equals(reference.ResolveToDirectReference()?.TargetIdentifier, ours.Sha, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            ioHook?.Invoke(IoOp.GitRef, refName);
            if (expected is null)
            {
                repo.Refs.Remove(reference);
            }
            else
            {
                repo.Refs.UpdateTarget(reference, new ObjectId(expected), "AtomicCompose: undo commit, index not updated");
            }

            return true;
        }
        catch (Exception e) when (e is LibGit2SharpException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void UpdateIndex(Repository repo, IReadOnlyList<(string Path, Blob? Blob, Mode Mode)> entries, Action<string, string>? ioHook)
    {
        var unstaged = UnstagedModifications(repo, entries);
        var index = repo.Index;
        foreach (var (path, blob, mode) in entries)
        {
            if (blob is null)
            {
                if (index[path] is not null)
                {
                    index.Remove(path);
                }

                continue;
            }

            if (mode != Mode.SymbolicLink)
            {
                // From the work tree first, so the entry carries the file's stat data and `git status` needs no rehash.
                index.Add(path);
                var added = index[path];
                if (added is not null && added.Id.Equals(blob.Id) && added.Mode == mode)
                {
                    continue;
                }
            }

            // The file changed after the commit was built (or is a link): the index must match the commit, so a
            // concurrent edit shows as an unstaged change rather than a staged revert.
            index.Add(blob, path, mode);
        }

        foreach (var (path, blob, mode) in unstaged)
        {
            // Re-added without stat data: see UnstagedModifications.
            index.Add(blob, path, mode);
        }

        ioHook?.Invoke(IoOp.GitIndex, Path.Combine(repo.Info.Path, "index"));
        index.Write();

        // libgit2 fsyncs objects, refs and reflogs under GIT_OPT_ENABLE_FSYNC_GITDIR but not the index it renames
        // into place; a power loss could otherwise leave an empty index behind a durable commit.
        PosixSync.FsyncFile(Path.Combine(repo.Info.Path, "index"), ioHook);
        PosixSync.FsyncDirectory(repo.Info.Path, ioHook);
    }

    /// <summary>
    /// The user's unstaged modifications, outside the composed paths, with the blob and mode their index entries hold.
    /// </summary>
    /// <remarks>
    /// git (built without nanosecond times, as most distributions ship it) compares an entry's file time to the second
    /// and trusts it unless the entry is as new as the index file itself. A file changed within the second git recorded
    /// it is caught only while the index was written in that same second; libgit2 judges that race in nanoseconds, so
    /// the index it rewrites a second later would hide the user's change from <c>git status</c> and <c>git commit -a</c>.
    /// An entry without stat data makes git compare content, which is what git itself does to such an entry when it
    /// writes the index. Entries holding the empty blob are left alone: an intent-to-add entry (<c>git add -N</c>) looks
    /// the same through LibGit2Sharp, and re-adding it would stage an empty file.
    /// </remarks>
    private static List<(string Path, Blob Blob, Mode Mode)> UnstagedModifications(Repository repo, IReadOnlyList<(string Path, Blob? Blob, Mode Mode)> composed)
    {
        var ours = composed.Select(e => e.Path).ToHashSet(StringComparer.Ordinal);
        // Only racily clean entries can hide a change (see RacyIndexEntries): look at those alone, so the cost follows
        // what was staged within the index's last second, not the number of tracked files.
        var racy = RacyIndexEntries.Paths(repo.Info.Path, repo.Index)?.Where(p => !ours.Contains(p)).ToArray();
        var found = new List<(string Path, Blob Blob, Mode Mode)>();
        if (racy is { Length: 0 })
        {
            return found;
        }

        var options = new StatusOptions
        {
            PathSpec = racy,
            DisablePathSpecMatch = racy is not null,
            Show = StatusShowOption.WorkDirOnly,
            IncludeUntracked = false,
            RecurseUntrackedDirs = false,
            IncludeIgnored = false,
            ExcludeSubmodules = true,
            DetectRenamesInIndex = false,
            DetectRenamesInWorkDir = false,
        };
        foreach (var item in repo.RetrieveStatus(options))
        {
            if ((item.State & (FileStatus.ModifiedInWorkdir | FileStatus.TypeChangeInWorkdir)) == 0 || ours.Contains(item.FilePath))
            {
                continue;
            }

            var entry = repo.Index[item.FilePath];
            if (entry is null || entry.StageLevel != StageLevel.Staged || entry.Id.Equals(EmptyBlobId))
            {
                continue;
            }

            if (repo.Lookup<Blob>(entry.Id) is { } blob)
            {
                found.Add((item.FilePath, blob, entry.Mode));
            }
        }

        return found;
    }

    private Signature BuildSignature(Repository repo)
    {
        var now = DateTimeOffset.Now;
        if (AuthorName is not null && AuthorEmail is not null)
        {
            return new Signature(AuthorName, AuthorEmail, now);
        }

        var configured = repo.Config.BuildSignature(now);
        return new Signature(
            AuthorName ?? configured?.Name ?? DefaultAuthorName,
            AuthorEmail ?? configured?.Email ?? DefaultAuthorEmail,
            now);
    }

    private static bool IsExecutable(string fullPath) =>
        !OperatingSystem.IsWindows() && (File.GetUnixFileMode(fullPath) & UnixFileMode.UserExecute) != 0;

    private string ToRepoPath(string workspaceRelative, ComposeStep step)
    {
        if (string.IsNullOrEmpty(workspaceRelative) || workspaceRelative.StartsWith('/') || Path.IsPathRooted(workspaceRelative)
            || workspaceRelative.Contains('\\') || workspaceRelative.Contains('\0'))
        {
            throw new ComposeException(ComposeErrorCode.PathOutsideRoot, step, $"'{workspaceRelative}' is not a workspace-relative '/'-separated path.", [workspaceRelative]);
        }

        var segments = workspaceRelative.Split('/');
        if (segments.Any(s => s.Length == 0 || s == "." || s == ".."))
        {
            throw new ComposeException(ComposeErrorCode.PathOutsideRoot, step, $"'{workspaceRelative}' must not contain empty, '.' or '..' segments.", [workspaceRelative]);
        }

        var repoPath = _prefix + workspaceRelative;
        if (repoPath.Split('/').Any(s => s.Equals(".git", StringComparison.OrdinalIgnoreCase)))
        {
            throw new ComposeException(ComposeErrorCode.PathOutsideRoot, step, $"'{workspaceRelative}' points into .git.", [workspaceRelative]);
        }

        return repoPath;
    }

    private string CommonDir()
    {
        // A linked worktree's git dir names the shared one in `commondir`; info/exclude lives there.
        var commonDirFile = Path.Combine(_gitDir, "commondir");
        if (File.Exists(commonDirFile))
        {
            var content = File.ReadAllText(commonDirFile).Trim();
            if (content.Length > 0)
            {
                return Path.GetFullPath(Path.Combine(_gitDir, content));
            }
        }

        return _gitDir;
    }

    private static void WaitForUnlocked(string lockPath, IReadOnlyList<string> paths)
    {
        for (var attempt = 0; File.Exists(lockPath); attempt++)
        {
            if (attempt >= LockAttempts)
            {
                throw Locked(lockPath, paths, null);
            }

            Thread.Sleep(LockDelay);
        }
    }

    private static T WithLockRetry<T>(Func<T> action)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return action();
            }
            catch (LockedFileException) when (attempt < LockAttempts)
            {
                Thread.Sleep(LockDelay);
            }
        }
    }

    private T Guard<T>(ComposeStep step, IReadOnlyList<string> paths, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (LockedFileException e)
        {
            throw Locked(null, paths, e);
        }
        catch (Exception e) when (e is LibGit2SharpException or IOException or UnauthorizedAccessException)
        {
            throw new ComposeException(ComposeErrorCode.Vcs, step, $"git failed in '{_workDir}': {e.Message}", paths, innerException: e);
        }
    }

    private static ComposeException Locked(string? lockPath, IReadOnlyList<string> paths, Exception? inner) =>
        new(ComposeErrorCode.Vcs, ComposeStep.VcsCommit,
            $"The git repository is locked{(lockPath is null ? string.Empty : $" ('{lockPath}' exists)")}: another git process may be running. If none is, delete the stale .lock file and retry; nothing was committed.",
            paths, innerException: inner);

    private static ComposeException BranchMoved(string refName, string? expected, string? actual, IReadOnlyList<string> paths) =>
        new(ComposeErrorCode.Vcs, ComposeStep.VcsCommit,
            $"The branch moved: '{refName}' is at {actual ?? "(unborn)"} but the transaction started from {expected ?? "(unborn)"}; nothing was committed. Someone committed meanwhile: start the transaction again from the new HEAD.",
            paths);

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
