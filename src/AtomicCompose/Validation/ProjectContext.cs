using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AtomicCompose.Validation;

/// <summary>
/// What a build compiles for one project and target framework: its sources, references, analyzers, analyzer config
/// files, additional files, parse and compilation options. The engine gets it from MSBuild (a design-time build of the
/// project); a caller without the .NET SDK, or with a project system of its own, hands it in through
/// <see cref="ComposeOptions.ProjectContexts"/>, made from the compiler command line with <see cref="FromCompilerArguments"/>.
/// </summary>
public sealed class ProjectContext
{
    internal ProjectContext(
        string? projectPath,
        ImmutableArray<string> sourcePaths,
        CSharpParseOptions parseOptions,
        CSharpCompilationOptions compilationOptions,
        ImmutableArray<string> projectReferences)
    {
        ProjectPath = projectPath;
        SourcePaths = sourcePaths;
        ParseOptions = parseOptions;
        CompilationOptions = compilationOptions;
        ProjectReferences = projectReferences;
        AssemblyName = projectPath is null ? "Default" : System.IO.Path.GetFileNameWithoutExtension(projectPath);
    }

    /// <summary>Root-relative path of the project file; <see langword="null"/> for the context of a file outside any project.</summary>
    public string? ProjectPath { get; }

    /// <summary>The framework this context compiles the project for (<c>net8.0</c>); null when the project names none.</summary>
    public string? TargetFramework { get; internal init; }

    /// <summary>Root-relative paths of the compiled sources (starting with <c>../</c> for one outside the root), the build's generated ones included.</summary>
    public ImmutableArray<string> SourcePaths { get; }

    /// <summary>Parse options: language version, preprocessor symbols, features.</summary>
    public CSharpParseOptions ParseOptions { get; }

    /// <summary>Compilation options: nullable context, unsafe, checked, warning options.</summary>
    public CSharpCompilationOptions CompilationOptions { get; }

    /// <summary>Where this context came from: MSBuild's design-time build, or the caller.</summary>
    public ProjectInputsSource Source { get; internal init; } = ProjectInputsSource.MSBuild;

    /// <summary>Root-relative paths of the referenced project files, compiled from source.</summary>
    internal ImmutableArray<string> ProjectReferences { get; }

    /// <summary>Root-relative paths of the files the context was made from (the project file, its imports, its restore output); a change to one invalidates it.</summary>
    internal ImmutableArray<string> ProjectFiles { get; init; } = [];

    /// <summary>The metadata references the compiler gets (framework, packages, plain references; not the referenced projects).</summary>
    internal ImmutableArray<Build.BuildReference> References { get; init; } = [];

    /// <summary>For each of <see cref="ProjectReferences"/>, the framework of it MSBuild picked for this one (its nearest).</summary>
    internal ImmutableDictionary<string, string> ReferencedFrameworks { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Full paths of the analyzer and generator assemblies the project references (packages, <c>Analyzer</c> items).</summary>
    internal ImmutableArray<string> AnalyzerAssemblies { get; init; } = [];

    /// <summary>Full paths of the SDK's own analyzer assemblies (the CA and code-style rules).</summary>
    internal ImmutableArray<string> SdkAnalyzerAssemblies { get; init; } = [];

    /// <summary>Full paths of the analyzer assemblies of the shared frameworks' targeting packs (.NET's source generators, ASP.NET Core's analyzers).</summary>
    internal ImmutableArray<string> FrameworkAnalyzerAssemblies { get; init; } = [];

    /// <summary>Full paths of the analyzer config files the compiler gets (<c>/analyzerconfig</c>: the generated editorconfig with <c>build_property.*</c>, the analysis-level global configs).</summary>
    internal ImmutableArray<string> AnalyzerConfigFiles { get; init; } = [];

    /// <summary>Full paths of the additional files, which analyzers and generators read.</summary>
    internal ImmutableArray<string> AdditionalFiles { get; init; } = [];

    /// <summary>The assembly name: other projects' <c>InternalsVisibleTo</c> attributes name it.</summary>
    internal string AssemblyName { get; init; }

    /// <summary>The context of a file no project claims: the file alone, latest language, nullable off, .NET's embedded references.</summary>
    internal static ProjectContext Default { get; } = new(
        null,
        [],
        new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.Diagnose),
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Disable),
        []);

    /// <summary>
    /// The context a compiler command line gives (the <c>csc</c> arguments a build of the project runs, as MSBuild's
    /// <c>CscCommandLineArgs</c> items or a project system give them), parsed by Roslyn's <see cref="CSharpCommandLineParser"/>.
    /// </summary>
    /// <param name="root">The workspace root (the folder given to <see cref="ComposeEngine.Open(string, ComposeOptions?, IProgress{OpenProgress}?, CancellationToken)"/>).</param>
    /// <param name="projectPath">Path of the project file, root-relative or full; relative paths in <paramref name="arguments"/> are relative to its folder.</param>
    /// <param name="arguments">The compiler's arguments: sources, <c>/reference</c>, <c>/analyzer</c>, <c>/analyzerconfig</c>, <c>/additionalfile</c>, <c>/define</c>, <c>/nullable</c>, <c>/langversion</c>, <c>/warnaserror</c>, <c>/nowarn</c>…</param>
    /// <param name="targetFramework">The framework the arguments compile the project for, or null when it names none.</param>
    /// <param name="projectReferences">Paths (root-relative or full) of the projects it references, which the engine compiles from source with their own contexts; their outputs among the references are left out.</param>
    /// <returns>The context, with <see cref="Source"/> <see cref="ProjectInputsSource.Caller"/>.</returns>
    /// <exception cref="ArgumentException">The project is outside the root, or the arguments have errors (named in the message).</exception>
    public static ProjectContext FromCompilerArguments(string root, string projectPath, IEnumerable<string> arguments, string? targetFramework = null, IEnumerable<string>? projectReferences = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(projectPath);
        ArgumentNullException.ThrowIfNull(arguments);
        var rootFull = System.IO.Path.GetFullPath(root);
        var projectFull = System.IO.Path.GetFullPath(projectPath, rootFull);
        var relative = Build.ProjectFiles.ToRelative(rootFull, projectFull);
        if (relative.StartsWith("../", StringComparison.Ordinal))
        {
            throw new ArgumentException($"Project {projectPath} is outside the root {rootFull}.", nameof(projectPath));
        }

        var references = (projectReferences ?? [])
            .Select(r => new Build.ProjectReferenceOutput(System.IO.Path.GetFullPath(r, rootFull), OutputPath: "", NearestTargetFramework: null))
            .ToImmutableArray();
        var invocation = new Build.CompilerInvocation(projectFull, targetFramework, [.. arguments], references, ImmutableDictionary<string, string>.Empty);
        var parsed = CSharpCommandLineParser.Default.Parse(invocation.Arguments, System.IO.Path.GetDirectoryName(projectFull)!, sdkDirectory: null);
        if (parsed.Errors.FirstOrDefault(e => e.Severity == DiagnosticSeverity.Error) is { } error)
        {
            throw new ArgumentException($"The compiler arguments for {relative} have an error: {error.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}", nameof(arguments));
        }

        return Build.BuildContexts.From(rootFull, [projectFull], invocation, ProjectInputsSource.Caller, parsed);
    }
}
