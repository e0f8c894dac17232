using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.CodeAnalysis;

namespace AtomicCompose.Validation;

/// <summary>
/// The compile-time assemblies of a restored project's packages, read from <c>obj/project.assets.json</c>
/// (what NuGet restore wrote; we never restore ourselves). Without a restore a project simply has no
/// package references, and uses of package types are errors before and after an edit alike.
/// </summary>
internal static class PackageReferences
{
    // One instance per file version, shared by every project and validation, like the framework references.
    private static readonly ConcurrentDictionary<(string Path, DateTime Stamp), MetadataReference> Cache = new();

    /// <summary>Full paths of the compile assemblies for <paramref name="targetFramework"/>, or none when the project is not restored.</summary>
    public static ImmutableArray<string> Resolve(string assetsFile, string? targetFramework)
    {
        if (!File.Exists(assetsFile))
        {
            return [];
        }

        try
        {
            using var stream = File.OpenRead(assetsFile);
            using var json = JsonDocument.Parse(stream);
            var root = json.RootElement;
            if (!root.TryGetProperty("targets", out var targets) || !root.TryGetProperty("libraries", out var libraries))
            {
                return [];
            }

            var target = targets.EnumerateObject()
                .OrderByDescending(t => t.Name == targetFramework)
                .ThenBy(t => t.Name.Contains('/', StringComparison.Ordinal)) // a RID-specific target is a superset we do not need
                .Select(t => (JsonElement?)t.Value)
                .FirstOrDefault();
            if (target is null)
            {
                return [];
            }

            var folders = root.TryGetProperty("packageFolders", out var pf) ? pf.EnumerateObject().Select(f => f.Name).ToList() : [];
            var result = new List<string>();
            foreach (var package in target.Value.EnumerateObject())
            {
                if (!package.Value.TryGetProperty("type", out var type) || type.GetString() != "package"
                    || !package.Value.TryGetProperty("compile", out var compile)
                    || !libraries.TryGetProperty(package.Name, out var library)
                    || !library.TryGetProperty("path", out var libraryPath))
                {
                    continue;
                }

                foreach (var asset in compile.EnumerateObject())
                {
                    // "_._" marks "nothing to reference for this framework".
                    if (!asset.Name.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
                    {
                        continue;
                    }

                    var file = folders
                        .Select(folder => Path.Combine(folder, libraryPath.GetString()!, asset.Name.Replace('/', Path.DirectorySeparatorChar)))
                        .FirstOrDefault(File.Exists);
                    if (file is not null)
                    {
                        result.Add(file);
                    }
                }
            }

            return [.. result];
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // A half-written or foreign assets file must not stop validation; the project is treated as not restored.
            return [];
        }
    }

    public static MetadataReference Get(string path)
    {
        var stamp = File.GetLastWriteTimeUtc(path);
        return Cache.GetOrAdd((path, stamp), key => MetadataReference.CreateFromFile(key.Path));
    }
}
