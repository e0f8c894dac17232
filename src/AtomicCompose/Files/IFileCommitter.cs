namespace AtomicCompose.Files;

/// <summary>
/// The file-system half of the atomic protocol: reading files faithfully, writing temp files,
/// backups, durable atomic replacement and restore. Every method that writes also makes the write
/// durable (fsync of the file and of its directory) before it returns.
/// </summary>
public interface IFileCommitter
{
    /// <summary>Reads a file with everything needed to write it back faithfully.</summary>
    /// <param name="fullPath">Absolute path.</param>
    /// <returns>The snapshot; <see cref="FileSnapshot.Exists"/> is <see langword="false"/> for a missing file.</returns>
    /// <exception cref="ComposeException">The file is not valid UTF-8 (<see cref="ComposeErrorCode.NotUtf8"/>) or cannot be read.</exception>
    FileSnapshot Read(string fullPath);

    /// <summary>Creates <paramref name="tempPath"/> (it must not exist) with <paramref name="content"/> and <paramref name="mode"/>, and fsyncs it and its directory.</summary>
    /// <param name="tempPath">Absolute path of the temp file, in the target's directory.</param>
    /// <param name="content">The bytes to write.</param>
    /// <param name="mode">Unix permissions to give it (the target's); <see langword="null"/> for the default.</param>
    void WriteTemp(string tempPath, ReadOnlySpan<byte> content, UnixFileMode? mode);

    /// <summary>Copies <paramref name="sourcePath"/> to <paramref name="backupPath"/> durably.</summary>
    /// <param name="sourcePath">The file to back up.</param>
    /// <param name="backupPath">Where the copy goes; its directory is created.</param>
    void Backup(string sourcePath, string backupPath);

    /// <summary>Atomically renames <paramref name="tempPath"/> onto <paramref name="targetPath"/> (same directory) and fsyncs the directory.</summary>
    /// <param name="tempPath">The temp file.</param>
    /// <param name="targetPath">The target; replaced if it exists.</param>
    void Replace(string tempPath, string targetPath);

    /// <summary>Restores <paramref name="targetPath"/> from <paramref name="backupPath"/> through a temp file and an atomic rename, keeping the backup.</summary>
    /// <param name="backupPath">The backup copy.</param>
    /// <param name="targetPath">The file to restore.</param>
    /// <param name="tempPath">The temp path to stage the restore through.</param>
    /// <param name="mode">The mode to restore.</param>
    void Restore(string backupPath, string targetPath, string tempPath, UnixFileMode? mode);

    /// <summary>Deletes a file if it exists and fsyncs its directory.</summary>
    /// <param name="path">The file.</param>
    void Delete(string path);

    /// <summary>Creates a directory (and parents) durably.</summary>
    /// <param name="directory">The directory.</param>
    void CreateDirectory(string directory);

    /// <summary>SHA-256 of the file's bytes as lowercase hex, or <see langword="null"/> if it does not exist.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The hash or <see langword="null"/>.</returns>
    string? Hash(string path);
}
