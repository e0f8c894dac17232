namespace AtomicCompose.Validation.Build;

/// <summary>
/// Which project a source file belongs to before MSBuild is asked (the nearest project file above it, as the IDE and
/// <c>dotnet build</c> in a folder pick one), and the projects of the workspace, for finding an edited project's dependents.
/// </summary>
internal static class ProjectFiles
{
    /// <summary>The root-relative path of the nearest .csproj at or above <paramref name="relativePath"/>'s folder, up to the root.</summary>
    public static string? FindProjectFile(string root, string relativePath)
    {
        var rootFull = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar);
        var dir = Path.GetDirectoryName(Path.GetFullPath(Path.Combine(rootFull, relativePath.Replace('/', Path.DirectorySeparatorChar))));
        while (dir is not null && (dir.Length == rootFull.Length ? dir == rootFull : dir.StartsWith(rootFull + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
        {
            if (Directory.Exists(dir))
            {
                // Several project files in one folder is unusual; the ordinal-first one is at least deterministic.
                if (Directory.EnumerateFiles(dir, "*.csproj").Order(StringComparer.Ordinal).FirstOrDefault() is { } project)
                {
                    return ToRelative(rootFull, project);
                }
            }

            dir = dir.Length == rootFull.Length ? null : Path.GetDirectoryName(dir);
        }

        return null;
    }

    /// <summary>The root-relative paths of every .csproj of the workspace, outside build output and <c>.git</c>.</summary>
    public static IEnumerable<string> All(string root)
    {
        var rootFull = Path.GetFullPath(root);
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        return Directory.EnumerateFiles(rootFull, "*.csproj", options)
            .Select(p => ToRelative(rootFull, p))
            .Where(p => !IsOutput(p))
            .Order(StringComparer.Ordinal);
    }

    /// <summary>Whether a root-relative path lies in build output, <c>.git</c> or <c>node_modules</c>, which are nobody's project.</summary>
    public static bool IsOutput(string relativePath) =>
        relativePath.Split('/')[..^1].Any(part => part is "bin" or "obj" or ".git" or "artifacts" or "node_modules");

    /// <summary>A full path relative to the root, with forward slashes (<c>../</c> for one outside it).</summary>
    public static string ToRelative(string root, string fullPath) =>
        Path.GetRelativePath(Path.GetFullPath(root), fullPath).Replace('\\', '/');
}
