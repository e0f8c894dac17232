using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AtomicCompose.Validation.Build;

/// <summary>
/// Turns the compiler command line of a design-time build into a <see cref="ProjectContext"/>, with Roslyn's own
/// <see cref="CSharpCommandLineParser"/>: sources (the SDK's generated files included), references, analyzers, analyzer
/// config files, additional files, parse and compilation options are the ones the build's compiler would get.
/// </summary>
internal static class BuildContexts
{
    /// <summary>The context of one project and framework, from <paramref name="invocation"/>.</summary>
    /// <param name="root">The workspace root.</param>
    /// <param name="evaluation">The project's evaluation (its restore output, its imports).</param>
    /// <param name="invocation">The design-time build's command line.</param>
    public static ProjectContext From(string root, ProjectEvaluationResult evaluation, CompilerInvocation invocation)
    {
        var projectFull = invocation.ProjectFullPath;
        var projectDir = Path.GetDirectoryName(projectFull)!;
        var parsed = CSharpCommandLineParser.Default.Parse(invocation.Arguments, projectDir, sdkDirectory: null);

        // Compiled from source instead, for the framework MSBuild picked for each.
        var projectOutputs = invocation.ProjectReferences.Select(r => Path.GetFullPath(r.OutputPath, projectDir)).ToHashSet(StringComparer.Ordinal);
        var references = parsed.MetadataReferences
            .Where(r => !projectOutputs.Contains(Path.GetFullPath(r.Reference, projectDir)))
            .Select(r => new BuildReference(Path.GetFullPath(r.Reference, projectDir), r.Properties.Aliases))
            .ToImmutableArray();
        var referencedProjects = invocation.ProjectReferences
            .Select(r => (Path: ProjectLoader.ToRelative(root, r.ProjectFullPath), r.NearestTargetFramework))
            .Where(r => !r.Path.StartsWith("../", StringComparison.Ordinal))
            .DistinctBy(r => r.Path, StringComparer.Ordinal)
            .ToList();

        // The documentation validator reads doc comments in every project, as the policy asks (docs/validation.md); a
        // project that turns the documentation file off explicitly opts out of the missing-docs rule.
        var parse = parsed.ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose);
        var compilation = parsed.CompilationOptions;
        if (parsed.DocumentationPath is null && string.Equals(invocation.Properties.GetValueOrDefault("GenerateDocumentationFile"), "false", StringComparison.OrdinalIgnoreCase))
        {
            compilation = compilation.WithSpecificDiagnosticOptions(compilation.SpecificDiagnosticOptions.SetItem("CS1591", ReportDiagnostic.Suppress));
        }

        var analyzers = parsed.AnalyzerReferences.Select(a => Path.GetFullPath(a.FilePath, projectDir)).Distinct(StringComparer.Ordinal).ToList();
        var sdkAnalyzers = analyzers.Where(IsSdkAnalyzer).ToImmutableArray();
        var packAnalyzers = analyzers.Where(a => !IsSdkAnalyzer(a) && IsTargetingPackAnalyzer(a)).ToImmutableArray();
        var sources = parsed.SourceFiles.Select(s => ProjectLoader.ToRelative(root, Path.GetFullPath(s.Path, projectDir))).Distinct(StringComparer.Ordinal).ToImmutableArray();

        // The SDK writes its generated sources into the intermediate folder: one deleted (a clean) asks for a new build.
        var intermediate = parsed.OutputDirectory is { Length: > 0 } output ? Path.GetFullPath(output, projectDir) + Path.DirectorySeparatorChar : null;
        var generated = intermediate is null
            ? []
            : parsed.SourceFiles.Select(s => Path.GetFullPath(s.Path, projectDir)).Where(s => s.StartsWith(intermediate, StringComparison.Ordinal));

        return new ProjectContext(ProjectLoader.ToRelative(root, projectFull), sources, parse, compilation, null, [.. referencedProjects.Select(r => r.Path)])
        {
            Origin = ProjectContextOrigin.Build,
            References = references,
            ReferencedFrameworks = referencedProjects.Where(r => r.NearestTargetFramework is not null).ToImmutableDictionary(r => r.Path, r => r.NearestTargetFramework!, StringComparer.Ordinal),
            AnalyzerAssemblies = [.. analyzers.Where(a => !sdkAnalyzers.Contains(a) && !packAnalyzers.Contains(a))],
            SdkAnalyzerAssemblies = sdkAnalyzers,
            FrameworkAnalyzerAssemblies = packAnalyzers,
            SdkAnalyzerConfigs = [.. parsed.AnalyzerConfigPaths.Select(p => Path.GetFullPath(p, projectDir))],
            AdditionalFiles = [.. parsed.AdditionalFiles.Select(f => Path.GetFullPath(f.Path, projectDir))],
            AssemblyName = parsed.CompilationName ?? Path.GetFileNameWithoutExtension(projectFull),
            TargetFrameworkMoniker = invocation.TargetFramework ?? (invocation.Properties.GetValueOrDefault("TargetFramework") is { Length: > 0 } tfm ? tfm : null),
            ProjectFiles = [.. InputFiles(root, evaluation).Concat(generated).Select(f => ProjectLoader.ToRelative(root, f)).Distinct(StringComparer.Ordinal)],
        };
    }

    /// <summary>
    /// The files the evaluation read that the workspace can change: the project file, its restore output, the
    /// Directory.Build and central package files, and every MSBuild file of the repository (an <c>eng/</c> import) —
    /// more than MSBuild imported, never less; the SDK's and the packages' own files change only with the SDK version and
    /// the assets file.
    /// </summary>
    public static IEnumerable<string> InputFiles(string root, ProjectEvaluationResult evaluation)
    {
        yield return evaluation.ProjectFullPath;
        if (evaluation.AssetsFile is { } assets)
        {
            yield return assets;
            var extensions = Path.GetDirectoryName(assets)!;
            var name = Path.GetFileName(evaluation.ProjectFullPath);
            yield return Path.Combine(extensions, name + ".nuget.g.props");
            yield return Path.Combine(extensions, name + ".nuget.g.targets");
        }

        foreach (var property in new[] { "DirectoryBuildPropsPath", "DirectoryBuildTargetsPath", "DirectoryPackagesPropsPath" })
        {
            if (evaluation.Properties.GetValueOrDefault(property) is { Length: > 0 } path)
            {
                yield return Path.GetFullPath(path, Path.GetDirectoryName(evaluation.ProjectFullPath)!);
            }
        }

        // The global.json that picks the SDK may sit above the repository, and a Directory.Build or central package
        // file created above the project changes its evaluation: their absence is part of the fingerprint too (an
        // over-approximation for noticing a change; what they contribute is still MSBuild's to say).
        for (var dir = Path.GetDirectoryName(evaluation.ProjectFullPath); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            yield return Path.Combine(dir, "global.json");
            yield return Path.Combine(dir, "Directory.Build.props");
            yield return Path.Combine(dir, "Directory.Build.targets");
            yield return Path.Combine(dir, "Directory.Packages.props");
        }

        foreach (var file in RepositoryBuildFiles(root))
        {
            yield return file;
        }
    }

    private static IEnumerable<string> RepositoryBuildFiles(string root)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        var rootFull = Path.GetFullPath(root);
        foreach (var file in Directory.EnumerateFiles(rootFull, "*", options))
        {
            var name = Path.GetFileName(file);
            if ((name.EndsWith(".props", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".targets", StringComparison.OrdinalIgnoreCase) || name == "global.json")
                && !IsOutput(Path.GetRelativePath(rootFull, file)))
            {
                yield return file;
            }
        }
    }

    private static bool IsOutput(string relative)
    {
        var parts = relative.Split(Path.DirectorySeparatorChar);
        return parts.Take(parts.Length - 1).Any(p => p is "bin" or "obj" or ".git" or "artifacts" or "node_modules");
    }

    // The SDK's CA and code-style analyzers (Sdks/Microsoft.NET.Sdk/analyzers, and codestyle/), run as built-ins.
    private static bool IsSdkAnalyzer(string path) =>
        path.Replace('\\', '/').Contains("/Sdks/Microsoft.NET.Sdk/", StringComparison.OrdinalIgnoreCase);

    // A targeting pack's analyzers and generators (packs/Microsoft.NETCore.App.Ref/…/analyzers, or the downloaded pack).
    private static bool IsTargetingPackAnalyzer(string path)
    {
        var normalized = path.Replace('\\', '/');
        return normalized.Contains(".Ref/", StringComparison.OrdinalIgnoreCase) && normalized.Contains("/analyzers/", StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>A metadata reference the build's compiler gets: a full path, with the aliases of an <c>Aliases</c> reference.</summary>
internal sealed record BuildReference(string Path, ImmutableArray<string> Aliases);

/// <summary>Where a <see cref="ProjectContext"/> came from.</summary>
internal enum ProjectContextOrigin
{
    /// <summary>Read from the project XML by <see cref="ProjectLoader"/> (the imitation being replaced).</summary>
    ProjectXml,

    /// <summary>MSBuild's own evaluation and design-time build.</summary>
    Build,

    /// <summary>Handed in by the caller.</summary>
    Caller,
}
