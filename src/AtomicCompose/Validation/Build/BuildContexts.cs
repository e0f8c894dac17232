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
    public static ProjectContext From(string root, ProjectEvaluationResult evaluation, CompilerInvocation invocation) =>
        From(root, InputFiles(root, evaluation), invocation, ProjectInputsSource.MSBuild);

    /// <summary>The context a compiler command line gives, stamped by <paramref name="inputFiles"/> (full paths).</summary>
    /// <param name="root">The workspace root.</param>
    /// <param name="inputFiles">The files the context was made from.</param>
    /// <param name="invocation">The compiler command line.</param>
    /// <param name="source">Who gave the command line.</param>
    /// <param name="parsed">The command line already parsed by the caller (who checked it for errors); null: parsed here.</param>
    public static ProjectContext From(string root, IEnumerable<string> inputFiles, CompilerInvocation invocation, ProjectInputsSource source, CSharpCommandLineArguments? parsed = null)
    {
        var projectFull = invocation.ProjectFullPath;
        var projectDir = Path.GetDirectoryName(projectFull)!;
        parsed ??= CSharpCommandLineParser.Default.Parse(invocation.Arguments, projectDir, sdkDirectory: null);

        // Compiled from source instead, for the framework MSBuild picked for each.
        var projectOutputs = invocation.ProjectReferences.Where(r => r.OutputPath.Length > 0).Select(r => Path.GetFullPath(r.OutputPath, projectDir)).ToHashSet(StringComparer.Ordinal);
        var references = parsed.MetadataReferences
            .Where(r => !projectOutputs.Contains(Path.GetFullPath(r.Reference, projectDir)))
            .Select(r => new BuildReference(Path.GetFullPath(r.Reference, projectDir), r.Properties.Aliases))
            .ToImmutableArray();
        var referencedProjects = invocation.ProjectReferences
            .Select(r => (Path: ProjectFiles.ToRelative(root, r.ProjectFullPath), r.NearestTargetFramework))
            .Where(r => !r.Path.StartsWith("../", StringComparison.Ordinal))
            .DistinctBy(r => r.Path, StringComparer.Ordinal)
            .ToList();

        // Doc comments are parsed in Diagnose mode in every project (the documentation validator's other findings need it),
        // but a missing one (CS1591) counts only where the project generates a documentation file, as in its build: the
        // compiler gets /doc: exactly then (GenerateDocumentationFile), and without it never reports CS1591.
        var parse = parsed.ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose);
        var compilation = parsed.CompilationOptions;
        if (parsed.DocumentationPath is null)
        {
            compilation = compilation.WithSpecificDiagnosticOptions(compilation.SpecificDiagnosticOptions.SetItem("CS1591", ReportDiagnostic.Suppress));
        }

        var analyzers = parsed.AnalyzerReferences.Select(a => Path.GetFullPath(a.FilePath, projectDir)).Distinct(StringComparer.Ordinal).ToList();
        var sdkAnalyzers = analyzers.Where(IsSdkAnalyzer).ToImmutableArray();
        var packAnalyzers = analyzers.Where(a => !IsSdkAnalyzer(a) && IsTargetingPackAnalyzer(a)).ToImmutableArray();
        var sources = parsed.SourceFiles.Select(s => ProjectFiles.ToRelative(root, Path.GetFullPath(s.Path, projectDir))).Distinct(StringComparer.Ordinal).ToImmutableArray();

        // The SDK writes its generated sources into the intermediate folder: one deleted (a clean) asks for a new build.
        var intermediate = parsed.OutputDirectory is { Length: > 0 } output ? Path.GetFullPath(output, projectDir) + Path.DirectorySeparatorChar : null;
        var generated = intermediate is null
            ? []
            : parsed.SourceFiles.Select(s => Path.GetFullPath(s.Path, projectDir)).Where(s => s.StartsWith(intermediate, StringComparison.Ordinal));

        return new ProjectContext(ProjectFiles.ToRelative(root, projectFull), sources, parse, compilation, [.. referencedProjects.Select(r => r.Path)])
        {
            Source = source,
            References = references,
            ReferencedFrameworks = referencedProjects.Where(r => r.NearestTargetFramework is not null).ToImmutableDictionary(r => r.Path, r => r.NearestTargetFramework!, StringComparer.Ordinal),
            AnalyzerAssemblies = [.. analyzers.Where(a => !sdkAnalyzers.Contains(a) && !packAnalyzers.Contains(a))],
            SdkAnalyzerAssemblies = sdkAnalyzers,
            FrameworkAnalyzerAssemblies = packAnalyzers,
            AnalyzerConfigFiles = [.. parsed.AnalyzerConfigPaths.Select(p => Path.GetFullPath(p, projectDir))],
            AdditionalFiles = [.. parsed.AdditionalFiles.Select(f => Path.GetFullPath(f.Path, projectDir))],
            AssemblyName = parsed.CompilationName ?? Path.GetFileNameWithoutExtension(projectFull),
            TargetFramework = invocation.TargetFramework ?? (invocation.Properties.GetValueOrDefault("TargetFramework") is { Length: > 0 } tfm ? tfm : null),
            ProjectFiles = [.. inputFiles.Concat(generated).Concat(SourceFolders(projectDir, intermediate, sources.Select(s => Path.GetFullPath(s, root))))
                .Concat(source != ProjectInputsSource.Caller ? ConfigFilePlaces(parsed, projectDir) : [])
                .Select(f => ProjectFiles.ToRelative(root, f)).Distinct(StringComparer.Ordinal)],
        };
    }

    // Where the SDK's DiscoverEditorConfigFiles / DiscoverGlobalAnalyzerConfigFiles looked for this command line: a
    // .editorconfig and a .globalconfig in every folder from each Compile item's up, above the workspace root too. The
    // /analyzerconfig arguments are the ones it found; the others' absence is as much an input of the answer (one created
    // later is on the next command line), so all of them are stamped (present: size and time, absent: "-"). An edit of a
    // present one asks MSBuild again too, more than needed, never less.
    private static IEnumerable<string> ConfigFilePlaces(CSharpCommandLineArguments parsed, string projectDir) =>
        Analyzers.AnalyzerConfigFiles.PlacesAbove(parsed.SourceFiles.Select(s => Path.GetDirectoryName(Path.GetFullPath(s.Path, projectDir))!).Distinct(StringComparer.Ordinal));

    // The project folder's tree, and the folders of sources outside it (a Compile Include of ../shared/**), as listings.
    private static IEnumerable<string> SourceFolders(string projectDir, string? intermediate, IEnumerable<string> sourcesFull)
    {
        var inside = projectDir.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        return [SourceListing.EntryFor(projectDir), .. sourcesFull
            .Where(s => !s.StartsWith(inside, StringComparison.Ordinal) && (intermediate is null || !s.StartsWith(intermediate, StringComparison.Ordinal)))
            .Select(s => SourceListing.EntryFor(Path.GetDirectoryName(s)!))];
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
                && !ProjectFiles.IsOutput(ProjectFiles.ToRelative(rootFull, file)))
            {
                yield return file;
            }
        }
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
