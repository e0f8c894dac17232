using System.Text;
using AtomicCompose.Validation.Build;
using Microsoft.Build.FileSystem;

namespace AtomicCompose.BuildHost;

/// <summary>
/// The file system MSBuild's evaluation sees: the disk, with the staged files over it. A created file exists (for
/// <c>Exists()</c> conditions, <c>GetDirectoryNameOfFileAbove</c> and globs), a deleted one does not. The text of a staged
/// MSBuild file is also registered as an in-memory project element, which is what an import loads.
/// </summary>
internal sealed class StagedFileSystem(IReadOnlyDictionary<string, string?> staged) : MSBuildFileSystemBase
{
    private readonly Dictionary<string, string?> _staged = staged.ToDictionary(kv => Path.GetFullPath(kv.Key), kv => kv.Value, MSBuildFiles.PathComparer);

    private bool TryStaged(string path, out string? text) => _staged.TryGetValue(Path.GetFullPath(path), out text);

    private IEnumerable<string> CreatedUnder(string directory) =>
        _staged.Where(kv => kv.Value is not null && kv.Key.StartsWith(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)) + Path.DirectorySeparatorChar, MSBuildFiles.PathComparison)).Select(kv => kv.Key);

    public override bool FileExists(string path) => TryStaged(path, out var text) ? text is not null : File.Exists(path);

    public override bool DirectoryExists(string path) => Directory.Exists(path) || CreatedUnder(path).Any();

    public override bool FileOrDirectoryExists(string path) => FileExists(path) || DirectoryExists(path);

    public override TextReader ReadFile(string path) => TryStaged(path, out var text) ? new StringReader(text ?? throw Missing(path)) : new StreamReader(path);

    public override Stream GetFileStream(string path, FileMode mode, FileAccess access, FileShare share) =>
        TryStaged(path, out var text) ? new MemoryStream(Encoding.UTF8.GetBytes(text ?? throw Missing(path)), writable: false) : new FileStream(path, mode, access, share);

    public override string ReadFileAllText(string path) => TryStaged(path, out var text) ? text ?? throw Missing(path) : File.ReadAllText(path);

    public override byte[] ReadFileAllBytes(string path) => TryStaged(path, out var text) ? Encoding.UTF8.GetBytes(text ?? throw Missing(path)) : File.ReadAllBytes(path);

    public override FileAttributes GetAttributes(string path) => TryStaged(path, out var text) ? (text is null ? throw Missing(path) : FileAttributes.Normal) : File.GetAttributes(path);

    public override DateTime GetLastWriteTimeUtc(string path) => TryStaged(path, out var text) ? (text is null ? DateTime.MinValue : DateTime.UtcNow) : File.GetLastWriteTimeUtc(path);

    public override IEnumerable<string> EnumerateFiles(string path, string searchPattern = "*", SearchOption searchOption = SearchOption.TopDirectoryOnly) =>
        Merge(Directory.Exists(path) ? Directory.EnumerateFiles(path, searchPattern, searchOption) : [], path, searchPattern, searchOption);

    public override IEnumerable<string> EnumerateFileSystemEntries(string path, string searchPattern = "*", SearchOption searchOption = SearchOption.TopDirectoryOnly) =>
        Merge(Directory.Exists(path) ? Directory.EnumerateFileSystemEntries(path, searchPattern, searchOption) : [], path, searchPattern, searchOption);

    // The disk's folders, with the ones only created files are in (a glob walks folder by folder).
    public override IEnumerable<string> EnumerateDirectories(string path, string searchPattern = "*", SearchOption searchOption = SearchOption.TopDirectoryOnly)
    {
        var folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var seen = new HashSet<string>(MSBuildFiles.PathComparer);
        foreach (var entry in Directory.Exists(path) ? Directory.EnumerateDirectories(path, searchPattern, searchOption) : [])
        {
            seen.Add(Path.GetFullPath(entry));
            yield return entry;
        }

        foreach (var created in CreatedUnder(folder))
        {
            for (var dir = Path.GetDirectoryName(created); dir is not null && !MSBuildFiles.PathComparer.Equals(dir, folder); dir = Path.GetDirectoryName(dir))
            {
                var inTop = MSBuildFiles.PathComparer.Equals(Path.GetDirectoryName(dir), folder);
                if ((inTop || searchOption == SearchOption.AllDirectories)
                    && System.IO.Enumeration.FileSystemName.MatchesSimpleExpression(searchPattern, Path.GetFileName(dir), ignoreCase: MSBuildFiles.PathComparison == StringComparison.OrdinalIgnoreCase)
                    && seen.Add(dir))
                {
                    yield return Path.Combine(path, Path.GetRelativePath(folder, dir));
                }
            }
        }
    }

    // The disk's entries without the deleted files, with the created ones that match, named as the caller named the folder.
    private IEnumerable<string> Merge(IEnumerable<string> onDisk, string path, string searchPattern, SearchOption searchOption)
    {
        var seen = new HashSet<string>(MSBuildFiles.PathComparer);
        foreach (var entry in onDisk)
        {
            if (!TryStaged(entry, out var text) || text is not null)
            {
                seen.Add(Path.GetFullPath(entry));
                yield return entry;
            }
        }

        var folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        foreach (var created in CreatedUnder(folder))
        {
            var inTop = MSBuildFiles.PathComparer.Equals(Path.GetDirectoryName(created), folder);
            if ((inTop || searchOption == SearchOption.AllDirectories)
                && System.IO.Enumeration.FileSystemName.MatchesSimpleExpression(searchPattern, Path.GetFileName(created), ignoreCase: MSBuildFiles.PathComparison == StringComparison.OrdinalIgnoreCase)
                && seen.Add(created))
            {
                yield return Path.Combine(path, Path.GetRelativePath(folder, created));
            }
        }
    }

    private static FileNotFoundException Missing(string path) => new($"'{path}' is deleted by the transaction.", path);
}
