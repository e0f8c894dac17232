using System.Security.Cryptography;
using System.Text;

namespace AtomicCompose.Validation.Build;

/// <summary>
/// Which C# files lie in a folder tree, as a hash: part of what a design-time build's answer depends on, since MSBuild's
/// globs give the compiler the files present when it ran. A C# file created or deleted by someone else changes it, and
/// the project is asked of MSBuild again (which decides whether the file is compiled: nothing here says so). Stands in
/// the list of a context's input files as <c>folder/**/*.cs</c>.
/// </summary>
internal static class SourceListing
{
    /// <summary>The suffix that marks an input entry as a listing of the folder before it.</summary>
    public const string Suffix = "/**/*.cs";

    /// <summary>Whether an input entry (root-relative or full) is a folder listing rather than a file.</summary>
    public static bool IsListing(string entry) => entry.EndsWith(Suffix, StringComparison.Ordinal) || entry == Suffix[1..];

    /// <summary>The entry for a folder (full path).</summary>
    public static string EntryFor(string folderFull) => folderFull.TrimEnd(Path.DirectorySeparatorChar).Replace('\\', '/') + Suffix;

    /// <summary>The hash of the C# files under the entry's folder (build output, node_modules and hidden folders left out), or "-" when it is gone.</summary>
    public static string Of(string entryFull)
    {
        var folder = entryFull == Suffix[1..] ? "." : entryFull[..^Suffix.Length];
        if (!Directory.Exists(folder))
        {
            return "-";
        }

        // The folders the project's disk watch covers (build output and hidden folders left out), as it walks them.
        var files = new List<string>();
        foreach (var dir in DirectoryWatch.FoldersOf(folder, []))
        {
            try
            {
                files.AddRange(Directory.EnumerateFiles(dir, "*.cs").Select(f => Path.GetRelativePath(folder, f)));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                files.Add("?" + Path.GetRelativePath(folder, dir)); // unreadable now: a change if it was readable before
            }
        }

        files.Sort(StringComparer.Ordinal);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', files))))[..16];
    }
}
