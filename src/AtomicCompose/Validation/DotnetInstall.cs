using System.Runtime.InteropServices;

namespace AtomicCompose.Validation;

/// <summary>
/// The .NET installation next to the running runtime (and under <c>DOTNET_ROOT</c>): where the SDK's analyzers and the
/// targeting packs a build compiles against are found. A machine with a runtime but no SDK has neither, as it could
/// not build either.
/// </summary>
internal static class DotnetInstall
{
    /// <summary>The installation folders, the running runtime's first.</summary>
    public static IEnumerable<string> Roots
    {
        get
        {
            // <dotnet>/shared/Microsoft.NETCore.App/<version>/ -> <dotnet>
            var runtime = RuntimeEnvironment.GetRuntimeDirectory().TrimEnd(Path.DirectorySeparatorChar);
            return new[] { Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(runtime))), Environment.GetEnvironmentVariable("DOTNET_ROOT") }
                .Where(r => !string.IsNullOrEmpty(r) && Directory.Exists(r))
                .Select(r => r!)
                .Distinct(StringComparer.Ordinal);
        }
    }

    /// <summary>The subfolders of <paramref name="folder"/> named by a version (<c>10.0.12</c>, <c>10.0.100-rc.1</c>), newest first.</summary>
    public static IEnumerable<(string Path, Version Version)> Versions(string folder) =>
        Directory.Exists(folder)
            ? Directory.EnumerateDirectories(folder)
                .Select(d => (Path: d, Version: Version.TryParse(System.IO.Path.GetFileName(d).Split('-')[0], out var v) ? v : null))
                .Where(x => x.Version is not null)
                .Select(x => (x.Path, x.Version!))
                .OrderByDescending(x => x.Item2)
            : [];
}
