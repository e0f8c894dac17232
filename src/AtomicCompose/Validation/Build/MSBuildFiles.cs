namespace AtomicCompose.Validation.Build;

/// <summary>
/// Which staged files are MSBuild's, and how paths compare. Compiled into the library and, as a linked source, into
/// <c>AtomicCompose.BuildHost</c>, so that both sides agree on them.
/// </summary>
internal static class MSBuildFiles
{
    /// <summary>How the file system compares paths: ignoring case on Windows and macOS, ordinal elsewhere.</summary>
    public static StringComparer PathComparer { get; } = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

    /// <summary>The <see cref="StringComparison"/> of <see cref="PathComparer"/>.</summary>
    public static StringComparison PathComparison { get; } = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>Whether the file is one MSBuild evaluates: a project file or an import.</summary>
    public static bool IsBuildFile(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".csproj" or ".props" or ".targets" or ".proj";

    /// <summary>Whether MSBuild and the SDK find a file of this name by walking up from the project's folder.</summary>
    public static bool IsFoundAbove(string fileName) =>
        fileName.ToLowerInvariant() is "directory.build.props" or "directory.build.targets" or "directory.packages.props";
}
