using AtomicCompose.Files;

namespace AtomicCompose.Tests.Files;

/// <summary>
/// Wraps a real <see cref="IFileCommitter"/> and throws a chosen exception before a chosen call, so engine tests
/// can simulate disk full, permission denied or a crash at any file step. Counts calls per method.
/// </summary>
public sealed class FaultInjectingFileCommitter(IFileCommitter inner) : IFileCommitter
{
    public Dictionary<string, int> Calls { get; } = new(StringComparer.Ordinal);

    public Func<Exception?>? FailRead { get; set; }
    public Func<Exception?>? FailWriteTemp { get; set; }
    public Func<Exception?>? FailBackup { get; set; }
    public Func<Exception?>? FailReplace { get; set; }
    public Func<Exception?>? FailRestore { get; set; }
    public Func<Exception?>? FailDelete { get; set; }
    public Func<Exception?>? FailCreateDirectory { get; set; }

    public FileSnapshot Read(string fullPath)
    {
        Before(nameof(Read), FailRead);
        return inner.Read(fullPath);
    }

    public void WriteTemp(string tempPath, ReadOnlySpan<byte> content, UnixFileMode? mode)
    {
        Before(nameof(WriteTemp), FailWriteTemp);
        inner.WriteTemp(tempPath, content, mode);
    }

    public void Backup(string sourcePath, string backupPath)
    {
        Before(nameof(Backup), FailBackup);
        inner.Backup(sourcePath, backupPath);
    }

    public void Replace(string tempPath, string targetPath)
    {
        Before(nameof(Replace), FailReplace);
        inner.Replace(tempPath, targetPath);
    }

    public void Restore(string backupPath, string targetPath, string tempPath, UnixFileMode? mode)
    {
        Before(nameof(Restore), FailRestore);
        inner.Restore(backupPath, targetPath, tempPath, mode);
    }

    public void Delete(string path)
    {
        Before(nameof(Delete), FailDelete);
        inner.Delete(path);
    }

    public void CreateDirectory(string directory)
    {
        Before(nameof(CreateDirectory), FailCreateDirectory);
        inner.CreateDirectory(directory);
    }

    public string? Hash(string path) => inner.Hash(path);

    private void Before(string method, Func<Exception?>? fault)
    {
        Calls[method] = Calls.GetValueOrDefault(method) + 1;
        if (fault?.Invoke() is { } e)
        {
            throw e;
        }
    }
}
