namespace AtomicCompose.Workspace;

/// <summary>
/// The workspace's layout and the single place that turns caller-supplied paths into safe ones:
/// inside the root, not into <c>.git</c> or <c>.atomiccompose</c>, not through a symlink that leads out.
/// </summary>
internal sealed class WorkspacePaths
{
    public const string DataDirectoryName = ".atomiccompose";

    public WorkspacePaths(string root)
    {
        Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        DataDirectory = Path.Combine(Root, DataDirectoryName);
        JournalDirectory = Path.Combine(DataDirectory, "journal");
        BackupDirectory = Path.Combine(DataDirectory, "backups");
        LockFile = Path.Combine(DataDirectory, "lock");
    }

    public string Root { get; }

    public string DataDirectory { get; }

    public string JournalDirectory { get; }

    public string BackupDirectory { get; }

    public string LockFile { get; }

    public string Full(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    public string Relative(string full) => Path.GetRelativePath(Root, full).Replace(Path.DirectorySeparatorChar, '/');

    /// <summary>The temp file a transaction writes beside its target; recognizable so recovery can remove every one.</summary>
    public static string TempRelative(string relative, string transactionId, string purpose = "tmp")
    {
        var slash = relative.LastIndexOf('/');
        var dir = slash < 0 ? "" : relative[..(slash + 1)];
        var name = slash < 0 ? relative : relative[(slash + 1)..];
        return $"{dir}.{name}.{transactionId}.{purpose}";
    }

    public string BackupRelative(string relative, string transactionId) =>
        $"{DataDirectoryName}/backups/{transactionId}/{relative}";

    /// <summary>Validates and normalizes a caller's path to a root-relative, '/'-separated one.</summary>
    /// <exception cref="ComposeException">The path is empty, escapes the root or points into workspace or git data.</exception>
    public string Normalize(string path)
    {
        if (string.IsNullOrWhiteSpace(path) || path.Contains('\0', StringComparison.Ordinal))
        {
            throw Outside(path, "The path is empty or contains a NUL character.");
        }

        // On Unix a backslash is a name character, but validation and Windows callers read it as a separator, so
        // 'src\\A.cs' would be validated as (and collide with) 'src/A.cs'. Refuse it rather than guess.
        if (Path.DirectorySeparatorChar != '\\' && path.Contains('\\', StringComparison.Ordinal))
        {
            throw Outside(path, "The path contains a backslash; use '/' as the separator.");
        }

        // 'src/A.cs/' names a folder: accepted, a created file became a folder 'src/A.cs' holding a temp named '..<txid>.tmp'.
        if (path.EndsWith('/') || path.EndsWith(Path.DirectorySeparatorChar))
        {
            throw Outside(path, "The path ends with a separator, so it names a folder, not a file.");
        }

        var full = Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(Root, path));
        if (!IsUnderRoot(full))
        {
            throw Outside(path, $"The path resolves to '{full}', outside the workspace root '{Root}'.");
        }

        var relative = Relative(full);
        var first = relative.Split('/')[0];
        if (first.Equals(".git", StringComparison.OrdinalIgnoreCase) || first.Equals(DataDirectoryName, StringComparison.OrdinalIgnoreCase))
        {
            throw Outside(path, $"The path points into '{first}', which AtomicCompose never edits.");
        }

        // A symlinked directory or file could lead the write outside the root although the text of the path does not.
        var probe = Root;
        foreach (var part in relative.Split('/'))
        {
            probe = Path.Combine(probe, part);
            FileSystemInfo info = Directory.Exists(probe) ? new DirectoryInfo(probe) : new FileInfo(probe);
            if (!info.Exists || info.LinkTarget is null)
            {
                continue;
            }

            var target = info.ResolveLinkTarget(returnFinalTarget: true)?.FullName;
            if (target is null || !IsUnderRoot(Path.GetFullPath(target)))
            {
                throw Outside(path, $"'{Relative(probe)}' is a symbolic link that leads outside the workspace root.");
            }

            if (part == relative.Split('/')[^1] && info is FileInfo)
            {
                throw Outside(path, $"'{relative}' is a symbolic link; replacing it would replace the link, not the file it points to. Edit the target instead.");
            }
        }

        return relative;
    }

    private bool IsUnderRoot(string full) =>
        full.Length > Root.Length
        && full.StartsWith(Root, StringComparison.Ordinal)
        && full[Root.Length] == Path.DirectorySeparatorChar;

    private static ComposeException Outside(string path, string reason) =>
        new(ComposeErrorCode.PathOutsideRoot, ComposeStep.Stage, reason + " Nothing was staged; pass a path inside the workspace.", [path]);
}
