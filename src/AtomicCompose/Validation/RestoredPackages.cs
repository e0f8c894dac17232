using System.Collections.Immutable;
using System.Text.Json;
using AtomicCompose.Validation.Analyzers;

namespace AtomicCompose.Validation;

/// <summary>
/// What NuGet restore wrote to <c>obj/project.assets.json</c> for one target framework (we never restore
/// ourselves): the packages' compile assemblies and their C# analyzer assemblies, as full paths of files that
/// exist. Without a restore a project simply has no packages, and uses of package types are errors before
/// and after an edit alike.
/// </summary>
/// <param name="CompileAssemblies">The assemblies to reference.</param>
/// <param name="AnalyzerAssemblies">The analyzer assemblies to run (see <see cref="PackageAnalyzers.Select"/>).</param>
/// <param name="TargetingPacks">
/// The targeting packs restore downloaded for the framework (those the SDK does not carry, such as .NET 8's for an SDK
/// 10), by pack name (<c>Microsoft.NETCore.App.Ref</c>), as full paths of their folders.
/// </param>
internal sealed record RestoredPackages(ImmutableArray<string> CompileAssemblies, ImmutableArray<string> AnalyzerAssemblies, ImmutableDictionary<string, string> TargetingPacks)
{
    public static RestoredPackages None { get; } = new([], [], ImmutableDictionary<string, string>.Empty);

    /// <summary>Reads <paramref name="assetsFile"/> once for both kinds of asset; <see cref="None"/> when the project is not restored.</summary>
    public static RestoredPackages Read(string assetsFile, string? targetFramework)
    {
        if (!File.Exists(assetsFile))
        {
            return None;
        }

        try
        {
            using var stream = File.OpenRead(assetsFile);
            using var json = JsonDocument.Parse(stream);
            var root = json.RootElement;
            if (!root.TryGetProperty("targets", out var targets) || !root.TryGetProperty("libraries", out var libraries))
            {
                return None;
            }

            var target = targets.EnumerateObject()
                .OrderByDescending(t => t.Name == targetFramework)
                .ThenBy(t => t.Name.Contains('/', StringComparison.Ordinal)) // a RID-specific target is a superset we do not need
                .Select(t => (JsonElement?)t.Value)
                .FirstOrDefault();
            if (target is null)
            {
                return None;
            }

            var folders = root.TryGetProperty("packageFolders", out var pf) ? pf.EnumerateObject().Select(f => f.Name).ToList() : [];
            var compile = new List<string>();
            var analyzers = new List<string>();
            foreach (var package in target.Value.EnumerateObject())
            {
                if (!package.Value.TryGetProperty("type", out var type) || type.GetString() != "package"
                    || !libraries.TryGetProperty(package.Name, out var library)
                    || !library.TryGetProperty("path", out var libraryPath))
                {
                    continue;
                }

                var packagePath = libraryPath.GetString()!;
                if (package.Value.TryGetProperty("compile", out var compileAssets))
                {
                    // "_._" marks "nothing to reference for this framework".
                    var dlls = compileAssets.EnumerateObject().Select(a => a.Name).Where(a => a.EndsWith(".dll", StringComparison.OrdinalIgnoreCase));
                    compile.AddRange(Existing(folders, packagePath, dlls));
                }

                // NuGet lists analyzers only among a library's files.
                if (library.TryGetProperty("files", out var files))
                {
                    analyzers.AddRange(Existing(folders, packagePath, PackageAnalyzers.Select(files.EnumerateArray().Select(f => f.GetString() ?? ""))));
                }
            }

            return new RestoredPackages([.. compile], [.. analyzers], DownloadedPacks(root, folders, targetFramework));
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // A half-written or foreign assets file must not stop validation; the project is treated as not restored.
            return None;
        }
    }

    // project.frameworks.<alias>.downloadDependencies: [{ "name": "Microsoft.NETCore.App.Ref", "version": "[8.0.11, 8.0.11]" }].
    private static ImmutableDictionary<string, string> DownloadedPacks(JsonElement root, List<string> folders, string? targetFramework)
    {
        var packs = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.OrdinalIgnoreCase);
        if (targetFramework is null || !root.TryGetProperty("project", out var project) || !project.TryGetProperty("frameworks", out var frameworks)
            || !frameworks.TryGetProperty(targetFramework, out var framework) || !framework.TryGetProperty("downloadDependencies", out var downloads))
        {
            return packs.ToImmutable();
        }

        foreach (var download in downloads.EnumerateArray())
        {
            if (download.TryGetProperty("name", out var name) && download.TryGetProperty("version", out var range)
                && name.GetString() is { } packName && range.GetString()?.Trim('[', ']', ' ').Split(',')[0].Trim() is { Length: > 0 } version)
            {
                var folder = folders.Select(f => Path.Combine(f, packName.ToLowerInvariant(), version.ToLowerInvariant())).FirstOrDefault(Directory.Exists);
                if (folder is not null)
                {
                    packs[packName] = folder;
                }
            }
        }

        return packs.ToImmutable();
    }

    // An asset is in the first package folder that has it.
    private static IEnumerable<string> Existing(List<string> folders, string packagePath, IEnumerable<string> assets)
    {
        foreach (var asset in assets)
        {
            var file = folders
                .Select(folder => Path.Combine(folder, packagePath, asset.Replace('/', Path.DirectorySeparatorChar)))
                .FirstOrDefault(File.Exists);
            if (file is not null)
            {
                yield return file;
            }
        }
    }
}
