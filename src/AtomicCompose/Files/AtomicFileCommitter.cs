namespace AtomicCompose.Files;

/// <summary>The default <see cref="IFileCommitter"/>: POSIX rename plus fsync of file and directory. (Stub: being implemented.)</summary>
public sealed class AtomicFileCommitter : IFileCommitter
{
    /// <inheritdoc />
    public FileSnapshot Read(string fullPath) => throw new NotImplementedException();
    /// <inheritdoc />
    public void WriteTemp(string tempPath, ReadOnlySpan<byte> content, UnixFileMode? mode) => throw new NotImplementedException();
    /// <inheritdoc />
    public void Backup(string sourcePath, string backupPath) => throw new NotImplementedException();
    /// <inheritdoc />
    public void Replace(string tempPath, string targetPath) => throw new NotImplementedException();
    /// <inheritdoc />
    public void Restore(string backupPath, string targetPath, string tempPath, UnixFileMode? mode) => throw new NotImplementedException();
    /// <inheritdoc />
    public void Delete(string path) => throw new NotImplementedException();
    /// <inheritdoc />
    public void CreateDirectory(string directory) => throw new NotImplementedException();
    /// <inheritdoc />
    public string? Hash(string path) => throw new NotImplementedException();
}
