using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AtomicCompose.Validation;

/// <summary>What a project contributes to a compilation: its source files and the compiler options its project file asks for.</summary>
/// <param name="ProjectPath">Root-relative path of the .csproj; <see langword="null"/> for the default context of a file outside any project.</param>
/// <param name="SourcePaths">Root-relative paths of the compile items (may start with <c>../</c> for items outside the root).</param>
/// <param name="ParseOptions">Parse options (language version, preprocessor symbols, documentation mode).</param>
/// <param name="CompilationOptions">Compilation options (nullable, unsafe, warning options).</param>
/// <param name="GlobalUsings">The text the SDK would generate (global usings, and assembly attributes such as <c>InternalsVisibleTo</c> and <c>TargetFramework</c>), or <see langword="null"/> when there is none.</param>
/// <param name="ProjectReferences">Root-relative paths of the referenced .csproj files.</param>
internal sealed record ProjectContext(
    string? ProjectPath,
    ImmutableArray<string> SourcePaths,
    CSharpParseOptions ParseOptions,
    CSharpCompilationOptions CompilationOptions,
    string? GlobalUsings,
    ImmutableArray<string> ProjectReferences)
{
    /// <summary>Root-relative paths of the project file and the Directory.Build.props it imports; a change to one invalidates the context.</summary>
    public ImmutableArray<string> ProjectFiles { get; init; } = [];

    /// <summary>
    /// Full paths of .NET's own reference assemblies when the project targets another .NET version than the embedded
    /// ones (.NET 10) and its targeting pack is here (restored, or installed with an SDK); empty means the embedded ones.
    /// </summary>
    public ImmutableArray<string> NetAssemblies { get; init; } = [];

    /// <summary>Full paths of the reference assemblies of the shared frameworks besides .NET's own the project compiles against (ASP.NET Core's for a web project), from the installed targeting packs.</summary>
    public ImmutableArray<string> FrameworkAssemblies { get; init; } = [];

    /// <summary>
    /// Full paths of the analyzer assemblies the shared frameworks' targeting packs give a build (.NET's source generators
    /// for regular expressions, JSON, interop; ASP.NET Core's for logging, options, configuration…).
    /// </summary>
    public ImmutableArray<string> FrameworkAnalyzerAssemblies { get; init; } = [];

    /// <summary>Full paths of the packages' compile assemblies, from <c>obj/project.assets.json</c> when the project was restored.</summary>
    public ImmutableArray<string> PackageAssemblies { get; init; } = [];

    /// <summary>Full paths of the analyzer assemblies the project references: <c>&lt;Analyzer Include&gt;</c> items, then the packages' analyzers.</summary>
    public ImmutableArray<string> AnalyzerAssemblies { get; init; } = [];

    /// <summary>Full paths of the SDK's own analyzer assemblies (the CA rules), when a build of the project would run them.</summary>
    public ImmutableArray<string> SdkAnalyzerAssemblies { get; init; } = [];

    /// <summary>Full paths of the SDK's analysis-level global configs for the project (lowest precedence): the CA rules', and the code-style rules' when the project picks its own style level or mode.</summary>
    public ImmutableArray<string> SdkAnalyzerConfigs { get; init; } = [];

    /// <summary>The <c>build_property.*</c> options a build gives the project's analyzers (see <see cref="Analyzers.BuildProperties"/>), or null.</summary>
    public AnalyzerConfig? BuildProperties { get; init; }

    /// <summary>Full paths of the project's <c>&lt;AdditionalFiles&gt;</c> items, which analyzers read.</summary>
    public ImmutableArray<string> AdditionalFiles { get; init; } = [];

    /// <summary>The assembly name: other projects' <c>InternalsVisibleTo</c> attributes name it.</summary>
    public string AssemblyName { get; init; } = ProjectPath is null ? "Default" : System.IO.Path.GetFileNameWithoutExtension(ProjectPath);

    /// <summary>The framework this context compiles the project for (<c>net8.0</c>), one of its <c>TargetFrameworks</c>; null when it names none.</summary>
    public string? TargetFrameworkMoniker { get; init; }

    /// <summary>Where this context came from: MSBuild's design-time build, the project XML, or the caller.</summary>
    public Build.ProjectContextOrigin Origin { get; init; } = Build.ProjectContextOrigin.ProjectXml;

    /// <summary>
    /// The metadata references the build's compiler gets (framework, packages, plain references; not the referenced
    /// projects, compiled from source); default (not set) for a context read from the project XML.
    /// </summary>
    public ImmutableArray<Build.BuildReference> References { get; init; }

    /// <summary>For each of <see cref="ProjectReferences"/>, the framework of it MSBuild picked for this one (its nearest).</summary>
    public ImmutableDictionary<string, string> ReferencedFrameworks { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>The context of a file no project claims: the file alone, latest language, nullable off.</summary>
    public static ProjectContext Default { get; } = new(
        null,
        [],
        new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.Diagnose),
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Disable),
        null,
        []);

    /// <summary>Root-relative path given to the generated global usings tree.</summary>
    public string GlobalUsingsPath
    {
        get
        {
            var dir = ProjectPath is null ? "" : ProjectPath[..(ProjectPath.LastIndexOf('/') + 1)];
            var name = ProjectPath is null ? "Default" : System.IO.Path.GetFileNameWithoutExtension(ProjectPath);
            return $"{dir}obj/{name}.GlobalUsings.g.cs";
        }
    }
}
