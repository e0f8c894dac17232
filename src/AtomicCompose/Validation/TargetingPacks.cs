using System.Collections.Immutable;

namespace AtomicCompose.Validation;

/// <summary>
/// The reference assemblies of a shared framework (<c>Microsoft.NETCore.App</c>, <c>Microsoft.AspNetCore.App</c>) that a
/// build compiles against, from its targeting pack: the one restore downloaded for the project (listed in
/// <c>project.assets.json</c>, as for .NET 8 on an SDK 10), else one installed with the SDK
/// (<c>&lt;dotnet&gt;/packs/&lt;name&gt;.Ref</c>) for the project's .NET version. For .NET itself that is all: without
/// its pack the embedded .NET 10 reference assemblies stand in (<see cref="FrameworkReferences"/>). For another
/// framework the newest installed pack stands in, as the .NET ones are .NET 10's then.
/// </summary>
internal static class TargetingPacks
{
    /// <summary>.NET's own shared framework.</summary>
    public const string NetCoreApp = "Microsoft.NETCore.App";

    /// <summary>Full paths of <paramref name="frameworkName"/>'s reference assemblies for <paramref name="framework"/>; none when no pack can be used.</summary>
    /// <param name="frameworkName">The shared framework (<c>Microsoft.AspNetCore.App</c>).</param>
    /// <param name="framework">The project's target framework.</param>
    /// <param name="restored">The packs restore downloaded for the project (<see cref="RestoredPackages.TargetingPacks"/>).</param>
    /// <param name="dotnetRoots">Where .NET is installed (<see cref="DotnetInstall.Roots"/>).</param>
    public static ImmutableArray<string> Assemblies(string frameworkName, TargetFramework framework, IReadOnlyDictionary<string, string> restored, IEnumerable<string> dotnetRoots) =>
        Find(frameworkName, framework, restored, dotnetRoots) is { } pack && Folder(pack, framework) is { } assemblies ? assemblies : [];

    /// <summary>
    /// Full paths of the C# analyzer assemblies <paramref name="frameworkName"/>'s pack gives a build (the source generators
    /// for <c>[GeneratedRegex]</c>, <c>[JsonSerializable]</c>, <c>[LibraryImport]</c>…): the files its
    /// <c>data/FrameworkList.xml</c> lists as analyzers for C#. Found like the reference assemblies, including for .NET 10,
    /// whose reference assemblies are embedded but whose generators are not.
    /// </summary>
    public static ImmutableArray<string> Analyzers(string frameworkName, TargetFramework framework, IReadOnlyDictionary<string, string> restored, IEnumerable<string> dotnetRoots)
    {
        if (Find(frameworkName, framework, restored, dotnetRoots) is not { } pack)
        {
            return [];
        }

        var list = Path.Combine(pack, "data", "FrameworkList.xml");
        if (!File.Exists(list))
        {
            return [];
        }

        try
        {
            return [.. System.Xml.Linq.XDocument.Load(list).Root!.Elements("File")
                .Where(f => (string?)f.Attribute("Type") == "Analyzer" && ((string?)f.Attribute("Language") ?? "cs") == "cs" && f.Attribute("Path") is not null)
                .Select(f => Path.GetFullPath(Path.Combine(pack, f.Attribute("Path")!.Value.Replace('/', Path.DirectorySeparatorChar))))
                .Where(File.Exists)];
        }
        catch (System.Xml.XmlException)
        {
            return []; // a damaged pack: the build would fail on it too, and the verdict falls back to no generators
        }
    }

    // The pack restore downloaded, else one installed for the project's .NET version (another framework: the newest).
    private static string? Find(string frameworkName, TargetFramework framework, IReadOnlyDictionary<string, string> restored, IEnumerable<string> dotnetRoots)
    {
        if (restored.TryGetValue(frameworkName + ".Ref", out var downloaded) && Directory.Exists(Path.Combine(downloaded, "ref")))
        {
            return downloaded;
        }

        var installed = dotnetRoots.SelectMany(root => DotnetInstall.Versions(Path.Combine(root, "packs", frameworkName + ".Ref"))).ToList();
        var pack = installed.FirstOrDefault(p => p.Version.Major == framework.Version.Major).Path;
        if (pack is null && !string.Equals(frameworkName, NetCoreApp, StringComparison.OrdinalIgnoreCase))
        {
            pack = installed.FirstOrDefault().Path;
        }

        return pack;
    }

    // ref/net10.0: the folder of the project's framework, else the newest the pack has.
    private static ImmutableArray<string>? Folder(string pack, TargetFramework framework)
    {
        var refs = Path.Combine(pack, "ref");
        if (!Directory.Exists(refs))
        {
            return null;
        }

        var folder = Path.Combine(refs, $"net{framework.Version.Major}.{framework.Version.Minor}");
        if (!Directory.Exists(folder))
        {
            folder = Directory.EnumerateDirectories(refs, "net*")
                .OrderByDescending(d => TargetFramework.Parse(Path.GetFileName(d))?.Version)
                .FirstOrDefault();
        }

        return folder is null ? null : [.. Directory.EnumerateFiles(folder, "*.dll").Order(StringComparer.Ordinal)];
    }
}
