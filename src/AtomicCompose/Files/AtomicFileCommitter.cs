using System.Security.Cryptography;
using System.Text;

namespace AtomicCompose.Files;

/// <summary>
/// The default <see cref="IFileCommitter"/>: POSIX rename plus fsync of file and directory.
/// </summary>
/// <remarks>
/// <para>I/O failures (disk full, permission denied, a vanished directory) surface as the raw
/// <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/>: only the engine knows the transaction
/// step and state to put in a <see cref="ComposeException"/>, so it does the mapping. The exceptions this class
/// throws itself are <see cref="ComposeException"/>s: <see cref="ComposeErrorCode.NotUtf8"/> from
/// <see cref="Read"/> and <see cref="ComposeErrorCode.FileState"/> when a target is a symbolic link.</para>
/// <para>A symbolic link is never replaced or restored: <c>rename(2)</c> onto it would replace the link itself
/// with a regular file and silently detach it from its target. <see cref="ComposeErrorCode.FileState"/> was chosen
/// over <see cref="ComposeErrorCode.PathOutsideRoot"/> because the link may well point inside the root; what is
/// wrong is the kind of file, not where it is.</para>
/// </remarks>
public sealed class AtomicFileCommitter : IFileCommitter
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Test seam (<c>ComposeOptions.IoHook</c>): called with an <see cref="IoOp"/> label and the path before every write, sync, rename and delete.</summary>
    internal Action<string, string>? IoHook { get; init; }

    /// <inheritdoc />
    public FileSnapshot Read(string fullPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(fullPath);
        var info = new FileInfo(fullPath);
        var isLink = info.LinkTarget is not null;
        byte[] bytes;
        UnixFileMode? mode;
        try
        {
            bytes = File.ReadAllBytes(fullPath);
            mode = OperatingSystem.IsWindows() ? null : File.GetUnixFileMode(fullPath);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Missing(fullPath, isLink);
        }

        var hasBom = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF;
        string text;
        try
        {
            text = hasBom ? StrictUtf8.GetString(bytes, 3, bytes.Length - 3) : StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new ComposeException(
                ComposeErrorCode.NotUtf8,
                ComposeStep.Stage,
                $"'{fullPath}' is not valid UTF-8 (invalid byte at offset {e.Index + (hasBom ? 3 : 0)}); decoding it would corrupt it, so it was not touched. Convert it to UTF-8 or leave it out of the edit.",
                [fullPath],
                innerException: e);
        }

        return new FileSnapshot(fullPath, true, bytes, text, hasBom, DominantNewLine(text), mode, HashHex(bytes))
        {
            IsSymbolicLink = isLink,
        };
    }

    /// <inheritdoc />
    public void WriteTemp(string tempPath, ReadOnlySpan<byte> content, UnixFileMode? mode)
    {
        ArgumentException.ThrowIfNullOrEmpty(tempPath);
        WriteNewDurably(tempPath, content, mode);
        PosixSync.FsyncDirectory(DirectoryOf(tempPath), IoHook);
    }

    /// <inheritdoc />
    public void Backup(string sourcePath, string backupPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourcePath);
        ArgumentException.ThrowIfNullOrEmpty(backupPath);
        var directory = DirectoryOf(backupPath);
        CreateDirectory(directory);

        // A crash halfway through a plain copy would leave a truncated backup that looks complete; the temp and
        // rename make the backup either whole or absent.
        var temp = Path.Combine(directory, "." + Path.GetFileName(backupPath) + "." + Guid.NewGuid().ToString("N")[..12] + ".tmp");
        try
        {
            using (var source = new FileStream(sourcePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan))
            using (var target = CreateNew(temp, null))
            {
                IoHook?.Invoke(IoOp.FileCopy, temp);
                source.CopyTo(target);
                IoHook?.Invoke(IoOp.FileFsync, temp);
                target.Flush(flushToDisk: true);
            }

            IoHook?.Invoke(IoOp.FileRename, backupPath);
            File.Move(temp, backupPath, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }

        PosixSync.FsyncDirectory(directory, IoHook);
    }

    /// <inheritdoc />
    public void Replace(string tempPath, string targetPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(tempPath);
        ArgumentException.ThrowIfNullOrEmpty(targetPath);
        var directory = RequireSameDirectory(tempPath, targetPath);
        RefuseSymbolicLink(targetPath, ComposeStep.Move);
        if (!File.Exists(tempPath))
        {
            throw new FileNotFoundException($"The temp file '{tempPath}' to rename onto '{targetPath}' does not exist.", tempPath);
        }

        IoHook?.Invoke(IoOp.FileRename, targetPath);
        File.Move(tempPath, targetPath, overwrite: true);
        PosixSync.FsyncDirectory(directory, IoHook);
    }

    /// <inheritdoc />
    /// <remarks>A leftover <paramref name="tempPath"/> (from a restore interrupted by a crash) is deleted first: the
    /// path belongs to the transaction, and recovery must be able to run the restore again.</remarks>
    public void Restore(string backupPath, string targetPath, string tempPath, UnixFileMode? mode)
    {
        ArgumentException.ThrowIfNullOrEmpty(backupPath);
        ArgumentException.ThrowIfNullOrEmpty(targetPath);
        ArgumentException.ThrowIfNullOrEmpty(tempPath);
        var directory = RequireSameDirectory(tempPath, targetPath);
        RefuseSymbolicLink(targetPath, ComposeStep.Rollback);
        CreateDirectory(directory);
        TryDelete(tempPath);
        try
        {
            using (var source = new FileStream(backupPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan))
            using (var target = CreateNew(tempPath, mode))
            {
                IoHook?.Invoke(IoOp.FileCopy, tempPath);
                source.CopyTo(target);
                IoHook?.Invoke(IoOp.FileFsync, tempPath);
                target.Flush(flushToDisk: true);
            }

            IoHook?.Invoke(IoOp.FileRename, targetPath);
            File.Move(tempPath, targetPath, overwrite: true);
        }
        catch
        {
            TryDelete(tempPath);
            throw;
        }

        PosixSync.FsyncDirectory(directory, IoHook);
    }

    /// <inheritdoc />
    public void Delete(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var info = new FileInfo(path);

        // FileInfo.Exists is false for a dangling link, which must still go.
        if (!info.Exists && info.LinkTarget is null)
        {
            return;
        }

        IoHook?.Invoke(IoOp.FileDelete, path);
        File.Delete(path);
        PosixSync.FsyncDirectory(DirectoryOf(path), IoHook);
    }

    /// <inheritdoc />
    public void CreateDirectory(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        CreateMissingDirectories(directory, parent => PosixSync.FsyncDirectory(parent, IoHook));
    }

    // Creating top-down and syncing each new directory's parent makes every new entry durable; syncing only the leaf
    // would leave its ancestors' entries in the page cache. Each parent is handed to the caller, to sync now or later.
    private void CreateMissingDirectories(string directory, Action<string> parentGotEntry)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        var missing = new Stack<string>();
        for (var current = full; !string.IsNullOrEmpty(current) && !Directory.Exists(current); current = Path.GetDirectoryName(current))
        {
            missing.Push(current);
        }

        while (missing.Count > 0)
        {
            var next = missing.Pop();
            IoHook?.Invoke(IoOp.DirCreate, next);
            Directory.CreateDirectory(next);
            parentGotEntry(DirectoryOf(next));
        }
    }

    /// <inheritdoc />
    public string? Hash(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            return Convert.ToHexStringLower(SHA256.HashData(stream));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// Creates <paramref name="path"/> with <paramref name="content"/> like <see cref="WriteTemp"/>, but leaves the
    /// directory's fsync to the caller, which syncs the directory once after the rename that follows (one directory
    /// fsync per directory instead of one after the create and one after the rename). With
    /// <paramref name="fsync"/> false the file's own fsync is left to <see cref="Sync"/> as well; the kernel is asked to
    /// start writing the bytes at once, so that fsync later finds them on their way.
    /// </summary>
    internal void WriteNew(string path, ReadOnlySpan<byte> content, UnixFileMode? mode, bool fsync, DurabilityBatch? batch = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var stream = CreateNew(path, mode);
        try
        {
            using (stream)
            {
                IoHook?.Invoke(IoOp.FileWrite, path);
                stream.Write(content);
                stream.Flush(flushToDisk: false);
                if (fsync)
                {
                    IoHook?.Invoke(IoOp.FileFsync, path);
                    stream.Flush(flushToDisk: true);
                }
                else
                {
                    PosixSync.StartWriteback(stream.SafeFileHandle);
                }
            }
        }
        catch
        {
            TryDelete(path);
            throw;
        }

        if (!fsync)
        {
            batch?.Files.Add(path);
        }
    }

    /// <summary>
    /// <see cref="Backup"/> without its fsyncs: the folders are created, the copy is written through a temp and renamed,
    /// and the file and every folder that got a new entry are added to <paramref name="batch"/>; <see cref="Sync"/>
    /// makes them durable before anything depends on the backup (the move of the first target).
    /// </summary>
    internal void BackupDeferred(string sourcePath, string backupPath, DurabilityBatch batch)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourcePath);
        ArgumentException.ThrowIfNullOrEmpty(backupPath);
        var directory = DirectoryOf(backupPath);
        CreateDirectoryDeferred(directory, batch);
        var temp = Path.Combine(directory, "." + Path.GetFileName(backupPath) + "." + Guid.NewGuid().ToString("N")[..12] + ".tmp");
        try
        {
            using (var source = new FileStream(sourcePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan))
            using (var target = CreateNew(temp, null))
            {
                IoHook?.Invoke(IoOp.FileCopy, temp);
                source.CopyTo(target);
                target.Flush(flushToDisk: false);
                PosixSync.StartWriteback(target.SafeFileHandle);
            }

            IoHook?.Invoke(IoOp.FileRename, backupPath);
            File.Move(temp, backupPath, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }

        batch.Files.Add(backupPath);
        batch.AddDirectory(directory);
    }

    /// <summary><see cref="Replace"/> without the directory fsync: the caller syncs each directory once, after all its renames (<see cref="SyncDirectories"/>).</summary>
    internal void ReplaceDeferred(string tempPath, string targetPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(tempPath);
        ArgumentException.ThrowIfNullOrEmpty(targetPath);
        RequireSameDirectory(tempPath, targetPath);
        RefuseSymbolicLink(targetPath, ComposeStep.Move);
        if (!File.Exists(tempPath))
        {
            throw new FileNotFoundException($"The temp file '{tempPath}' to rename onto '{targetPath}' does not exist.", tempPath);
        }

        IoHook?.Invoke(IoOp.FileRename, targetPath);
        File.Move(tempPath, targetPath, overwrite: true);
    }

    /// <summary><see cref="Delete"/> without the directory fsync (see <see cref="ReplaceDeferred"/>).</summary>
    internal void DeleteDeferred(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var info = new FileInfo(path);
        if (!info.Exists && info.LinkTarget is null)
        {
            return;
        }

        IoHook?.Invoke(IoOp.FileDelete, path);
        File.Delete(path);
    }

    /// <summary>fsyncs every file of <paramref name="batch"/>, then every directory, each once, in the order they were added.</summary>
    /// <remarks>Grouping them after all the writes (instead of a write, its fsync, the next write...) lets the first fsync
    /// commit the file system's journal for all of them, so the later ones find little left to do; none is skipped.</remarks>
    internal void Sync(DurabilityBatch batch)
    {
        foreach (var file in batch.Files)
        {
            PosixSync.FsyncFile(file, IoHook);
        }

        SyncDirectories(batch.Directories);
        batch.Files.Clear();
        batch.Directories.Clear();
    }

    /// <summary>fsyncs each directory once.</summary>
    internal void SyncDirectories(IEnumerable<string> directories)
    {
        foreach (var directory in directories.Distinct(StringComparer.Ordinal))
        {
            PosixSync.FsyncDirectory(directory, IoHook);
        }
    }

    private void CreateDirectoryDeferred(string directory, DurabilityBatch batch) => CreateMissingDirectories(directory, batch.AddDirectory);

    internal static string DominantNewLine(string text)
    {
        var crlf = 0;
        var lf = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\n')
            {
                continue;
            }

            if (i > 0 && text[i - 1] == '\r')
            {
                crlf++;
            }
            else
            {
                lf++;
            }
        }

        return crlf > lf ? "\r\n" : "\n";
    }

    private static FileSnapshot Missing(string fullPath, bool isLink) =>
        new(fullPath, false, [], string.Empty, false, "\n", null, null) { IsSymbolicLink = isLink };

    private static string HashHex(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private void WriteNewDurably(string path, ReadOnlySpan<byte> content, UnixFileMode? mode)
    {
        // Created outside the try: if CreateNew fails, the existing file is not ours and must stay.
        var stream = CreateNew(path, mode);
        try
        {
            using (stream)
            {
                IoHook?.Invoke(IoOp.FileWrite, path);
                stream.Write(content);
                IoHook?.Invoke(IoOp.FileFsync, path);
                stream.Flush(flushToDisk: true);
            }
        }
        catch
        {
            // A half-written temp must not stay beside the user's source until the next recovery.
            TryDelete(path);
            throw;
        }
    }

    private FileStream CreateNew(string path, UnixFileMode? mode)
    {
        IoHook?.Invoke(IoOp.FileCreate, path);
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        try
        {
            // The creation mode is filtered through the umask; setting it on the open handle gives exactly the
            // target's bits (including group/other write the umask would strip) before any byte is visible.
            if (mode is { } m && !OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(stream.SafeFileHandle, m);
            }

            return stream;
        }
        catch
        {
            stream.Dispose();
            TryDelete(path);
            throw;
        }
    }

    private static string RequireSameDirectory(string tempPath, string targetPath)
    {
        var tempDir = DirectoryOf(tempPath);
        var targetDir = DirectoryOf(targetPath);
        if (!string.Equals(tempDir, targetDir, StringComparison.Ordinal))
        {
            // File.Move across file systems silently degrades to copy+delete, which is not atomic; requiring the
            // same directory guarantees the same file system and a real rename(2).
            throw new ArgumentException($"The temp file '{tempPath}' must be in the target's directory '{targetDir}' so the rename is atomic.", nameof(tempPath));
        }

        return targetDir;
    }

    private static void RefuseSymbolicLink(string targetPath, ComposeStep step)
    {
        if (new FileInfo(targetPath).LinkTarget is { } linkTarget)
        {
            throw new ComposeException(
                ComposeErrorCode.FileState,
                step,
                $"'{targetPath}' is a symbolic link (to '{linkTarget}'); renaming onto it would replace the link itself. Edit the file it points to instead.",
                [targetPath]);
        }
    }

    private static string DirectoryOf(string path)
    {
        var full = Path.GetFullPath(path);
        return Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' has no parent directory.", nameof(path));
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
