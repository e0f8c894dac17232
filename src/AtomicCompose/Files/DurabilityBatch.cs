namespace AtomicCompose.Files;

/// <summary>
/// Files and directories written by one protocol step whose fsyncs are made together, after all of the step's writes
/// (<see cref="AtomicFileCommitter.Sync"/>): each is still fsynced, but the first fsync commits the file system's
/// journal for all of them.
/// </summary>
internal sealed class DurabilityBatch
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    /// <summary>Files to fsync, in order.</summary>
    public List<string> Files { get; } = [];

    /// <summary>Directories to fsync, each once, in the order they were first added.</summary>
    public List<string> Directories { get; } = [];

    /// <summary>Adds a directory unless it is already in the batch.</summary>
    public void AddDirectory(string directory)
    {
        if (_seen.Add(directory))
        {
            Directories.Add(directory);
        }
    }
}
