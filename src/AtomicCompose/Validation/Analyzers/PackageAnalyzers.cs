using Microsoft.CodeAnalysis;

namespace AtomicCompose.Validation.Analyzers;

/// <summary>
/// Which of a package's files are C# analyzer assemblies, picked the way the SDK's package asset resolution
/// does, from <c>analyzers/dotnet[/roslynX.Y][/cs]/*.dll</c> (another language's folder, satellite
/// resource assemblies and Roslyn versions newer than ours are left out). <see cref="RestoredPackages"/>
/// applies it to the files of every restored package.
/// </summary>
internal static class PackageAnalyzers
{
    private static readonly Version CompilerVersion = typeof(Compilation).Assembly.GetName().Version ?? new Version(0, 0);

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
