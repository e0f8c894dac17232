using System.Text.Json;
using AtomicCompose.Files;

namespace AtomicCompose.Journal;

/// <summary>
/// Journal entries as one JSON file per transaction under <c>.atomiccompose/journal</c>, written
/// through the file committer so an entry is durable (file and directory fsynced) before it counts.
/// </summary>
internal sealed class JournalStore
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };
    private readonly IFileCommitter _files;
    private readonly string _directory;

    public JournalStore(IFileCommitter files, string directory)
    {
        _files = files;
        _directory = directory;
    }

    public void Write(JournalEntry entry)
    {
        _files.CreateDirectory(_directory);
        var target = EntryPath(entry.TransactionId);
        var temp = target + ".tmp";
        _files.Delete(temp);
        try
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(entry, JsonOptions);
            if (_files is AtomicFileCommitter committer)
            {
                // The temp is fsynced before the rename; the folder once, after it (Replace), for both entries.
                committer.WriteNew(temp, bytes, null, fsync: true);
            }
            else
            {
                _files.WriteTemp(temp, bytes, null);
            }

            _files.Replace(temp, target);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A temp whose rename failed would otherwise wait for the next recovery (found by fault injection).
            try
            {
                File.Delete(temp);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                _ = cleanup;
            }

            throw;
        }
    }

    /// <summary>Unfinished entries, oldest first. An entry that cannot be parsed was never completely written, so nothing was done under it: it is removed.</summary>
    public IReadOnlyList<JournalEntry> ReadAll()
    {
        if (!Directory.Exists(_directory))
        {
            return [];
        }

        var entries = new List<JournalEntry>();
        foreach (var file in Directory.EnumerateFiles(_directory))
        {
            if (!file.EndsWith(".json", StringComparison.Ordinal))
            {
                // A journal temp that never got renamed: the entry was not durable, so no target was touched.
                _files.Delete(file);
                continue;
            }

            JournalEntry? entry;
            try
            {
                entry = JsonSerializer.Deserialize<JournalEntry>(File.ReadAllBytes(file), JsonOptions);
            }
            catch (JsonException)
            {
                entry = null;
            }

            if (entry is null || string.IsNullOrEmpty(entry.TransactionId))
            {
                _files.Delete(file);
                continue;
            }

            entries.Add(entry);
        }

        return entries.OrderBy(e => e.CreatedUtc).ToList();
    }

    public void Retire(string transactionId) => _files.Delete(EntryPath(transactionId));

    public bool Exists(string transactionId) => File.Exists(EntryPath(transactionId));

    private string EntryPath(string transactionId) => Path.Combine(_directory, transactionId + ".json");
}
