using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.CodeAnalysis;

namespace AtomicCompose.Validation.Analyzers;

/// <summary>
/// The C# analyzer assemblies of a restored project's packages, from <c>obj/project.assets.json</c>: NuGet
/// lists them only among a library's files, so this picks them the way the SDK's package asset resolution
/// does, from <c>analyzers/dotnet[/roslynX.Y][/cs]/*.dll</c> (another language's folder, satellite
/// resource assemblies and Roslyn versions newer than ours are left out).
/// </summary>
internal static class PackageAnalyzers
{
    private static readonly Version CompilerVersion = typeof(Compilation).Assembly.GetName().Version ?? new Version(0, 0);

    /// <summary>Full paths of the analyzer assemblies of the packages in the target for <paramref name="targetFramework"/>; none when not restored.</summary>
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
                .ThenBy(t => t.Name.Contains('/', StringComparison.Ordinal))
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
                    || !libraries.TryGetProperty(package.Name, out var library)
                    || !library.TryGetProperty("path", out var libraryPath)
                    || !library.TryGetProperty("files", out var files))
                {
                    continue;
                }

                foreach (var asset in Select(files.EnumerateArray().Select(f => f.GetString() ?? "")))
                {
                    var file = folders
                        .Select(folder => Path.Combine(folder, libraryPath.GetString()!, asset.Replace('/', Path.DirectorySeparatorChar)))
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
            // Like the compile assets: a broken assets file means "not restored", not "cannot validate".
            return [];
        }
    }

    /// <summary>The C# analyzer files among a package's files.</summary>
    internal static IEnumerable<string> Select(IEnumerable<string> packageFiles)
    {
        var candidates = new List<(string File, Version? Roslyn)>();
        foreach (var file in packageFiles)
        {
            var parts = file.Split('/');
            if (parts.Length < 3 || parts[0] != "analyzers" || parts[1] != "dotnet"
                || !file.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".resources.dll", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            Version? roslyn = null;
            var ok = true;
            foreach (var folder in parts[2..^1])
            {
                if (folder.StartsWith("roslyn", StringComparison.Ordinal) && roslyn is null && Version.TryParse(folder["roslyn".Length..], out var v))
                {
                    roslyn = v;
                }
                else if (folder != "cs")
                {
                    ok = false; // vb, fs, a culture folder
                }
            }

            if (ok)
            {
                candidates.Add((file, roslyn));
            }
        }

        // A package built for several compilers ships one folder per Roslyn version: take the newest we can run.
        var versions = candidates.Where(c => c.Roslyn is not null).Select(c => c.Roslyn!).Distinct().ToList();
        if (versions.Count == 0)
        {
            return candidates.Select(c => c.File);
        }

        var best = versions.Where(v => v <= CompilerVersion).DefaultIfEmpty().Max();
        return best is null ? candidates.Where(c => c.Roslyn is null).Select(c => c.File) : candidates.Where(c => c.Roslyn == best).Select(c => c.File);
    }
}
