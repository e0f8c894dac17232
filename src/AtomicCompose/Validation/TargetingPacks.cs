using System.Collections.Immutable;

namespace AtomicCompose.Validation;

/// <summary>
/// The reference assemblies of a shared framework other than .NET itself (<c>Microsoft.AspNetCore.App</c>), which a
/// build compiles against from the targeting pack (<c>&lt;dotnet&gt;/packs/Microsoft.AspNetCore.App.Ref</c>). The
/// pack of the project's .NET version is taken when installed, else the newest one, as the .NET reference assemblies
/// themselves are always .NET 10's (<see cref="FrameworkReferences"/>).
/// </summary>
internal static class TargetingPacks
{
    /// <summary>The shared frameworks the embedded .NET reference assemblies already cover.</summary>
    public const string NetCoreApp = "Microsoft.NETCore.App";

    /// <summary>Full paths of <paramref name="frameworkName"/>'s reference assemblies for <paramref name="framework"/>; none when no pack is installed.</summary>
    public static ImmutableArray<string> Assemblies(string frameworkName, TargetFramework framework, IEnumerable<string> dotnetRoots)
    {
        var packs = dotnetRoots.SelectMany(root => DotnetInstall.Versions(Path.Combine(root, "packs", frameworkName + ".Ref"))).ToList();
        var pack = packs.FirstOrDefault(p => p.Version.Major == framework.Version.Major).Path ?? packs.FirstOrDefault().Path;
        if (pack is null || !Directory.Exists(Path.Combine(pack, "ref")))
        {
            return [];
        }

        // ref/net10.0: the folder of the project's framework, else the newest the pack has.
        var folder = Path.Combine(pack, "ref", $"net{framework.Version.Major}.{framework.Version.Minor}");
        if (!Directory.Exists(folder))
        {
            folder = Directory.EnumerateDirectories(Path.Combine(pack, "ref"), "net*")
                .OrderByDescending(d => TargetFramework.Parse(Path.GetFileName(d))?.Version)
                .FirstOrDefault();
        }

        return folder is null ? [] : [.. Directory.EnumerateFiles(folder, "*.dll").Order(StringComparer.Ordinal)];
    }
}
