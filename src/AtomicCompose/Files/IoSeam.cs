namespace AtomicCompose.Files;

/// <summary>
/// Test seam of the default implementations (<see cref="AtomicFileCommitter"/>, <see cref="Indexing.LiteDbIndexStore"/>,
/// <see cref="Vcs.GitVcs"/>, the journal and recovery): a hook called with an operation label and the path it
/// works on right <em>before</em> each real write, sync, rename or delete. It is <see langword="null"/> (a no-op)
/// unless a test sets <c>ComposeOptions.IoHook</c>; a fault-injection test throws from it to make that
/// operation fail. Reads are not hooked.
/// </summary>
internal static class IoOp
{
    /// <summary>Creating a new file (temp, backup temp, restore temp).</summary>
    public const string FileCreate = "file.create";

    /// <summary>Writing a new file's bytes.</summary>
    public const string FileWrite = "file.write";

    /// <summary>Copying a file's bytes into a new file (backup, restore).</summary>
    public const string FileCopy = "file.copy";

    /// <summary>fsync of a file.</summary>
    public const string FileFsync = "file.fsync";

    /// <summary>rename(2) of a file onto another.</summary>
    public const string FileRename = "file.rename";

    /// <summary>Deleting a file.</summary>
    public const string FileDelete = "file.delete";

    /// <summary>Creating a directory.</summary>
    public const string DirCreate = "dir.create";

    /// <summary>fsync of a directory.</summary>
    public const string DirFsync = "dir.fsync";

    /// <summary>Deleting a directory (an empty created folder, a transaction's backups).</summary>
    public const string DirDelete = "dir.delete";

    /// <summary>The writes of one LiteDB transaction (inside it, before its commit).</summary>
    public const string IndexWrite = "index.write";

    /// <summary>LiteDB's <c>Commit()</c>.</summary>
    public const string IndexCommit = "index.commit";

    /// <summary>Writing a git blob.</summary>
    public const string GitBlob = "git.blob";

    /// <summary>Writing a git tree.</summary>
    public const string GitTree = "git.tree";

    /// <summary>Writing a git commit object.</summary>
    public const string GitCommit = "git.commit";

    /// <summary>Updating (or creating, or putting back) a ref, with its reflog entry.</summary>
    public const string GitRef = "git.ref";

    /// <summary>Writing <c>.git/index</c>.</summary>
    public const string GitIndex = "git.index";

    /// <summary>Appending to <c>.git/info/exclude</c>.</summary>
    public const string GitExclude = "git.exclude";
}
