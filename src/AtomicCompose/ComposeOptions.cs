using AtomicCompose.Composition;
using AtomicCompose.Files;
using AtomicCompose.Indexing;
using AtomicCompose.Validation;
using AtomicCompose.Vcs;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.Extensions.Logging;

namespace AtomicCompose;

/// <summary>Options for <see cref="ComposeEngine.Open"/>. Every component can be replaced.</summary>
public sealed class ComposeOptions
{
    /// <summary>The composer; default <see cref="RoslynTreeComposer"/>.</summary>
    public ITreeComposer? Composer { get; set; }

    /// <summary>The file committer; default <see cref="AtomicFileCommitter"/>.</summary>
    public IFileCommitter? FileCommitter { get; set; }

    /// <summary>Creates the index store for a workspace data folder (<c>&lt;root&gt;/.atomiccompose</c>); default a <see cref="LiteDbIndexStore"/> at <c>index.db</c>.</summary>
    public Func<string, IIndexStore>? IndexStoreFactory { get; set; }

    /// <summary>Creates the VCS for a root; default <see cref="GitVcs"/> inside a git work tree, else <see cref="NoVcs"/>.</summary>
    public Func<string, IVcs>? VcsFactory { get; set; }

    /// <summary>Validators run after the built-in ones (syntax, compilation, documentation, analyzers), in order.</summary>
    public IList<IValidator> Validators { get; } = new List<IValidator>();

    /// <summary>
    /// Analyzers run by the built-in <see cref="AnalyzerValidator"/> on every edited file, besides the analyzer
    /// assemblies the project references. Their diagnostics are judged like the compiler's (baseline-relative,
    /// severities from <c>.editorconfig</c>/<c>.globalconfig</c>, then the <see cref="ValidationPolicy"/>).
    /// </summary>
    public IList<DiagnosticAnalyzer> Analyzers { get; } = new List<DiagnosticAnalyzer>();

    /// <summary>
    /// Load and run the analyzer assemblies the project references (<c>&lt;Analyzer Include&gt;</c> items, the
    /// analyzers of restored packages, and the .NET SDK's own CA rules that can warn), and the source generators a
    /// build runs (the targeting packs' and those assemblies'), as a build would; this runs their code in this process.
    /// Default <see langword="true"/>.
    /// </summary>
    public bool LoadProjectAnalyzers { get; set; } = true;

    /// <summary>
    /// Run <c>dotnet restore</c> for a project whose packages are not restored, before asking MSBuild what it compiles.
    /// A restore can reach the network and run the packages' build logic, so it is off by default: such a project then
    /// gives <see cref="ComposeErrorCode.ProjectNotRestored"/>. Default <see langword="false"/>.
    /// </summary>
    public bool RestoreProjects { get; set; }

    /// <summary>
    /// Contexts the caller hands in, one per project and framework (see <see cref="ProjectContext.FromCompilerArguments"/>):
    /// a project listed here is judged with them and MSBuild is never asked about it (for a machine without the .NET SDK,
    /// or a project system of its own). Every other project's context comes from MSBuild's design-time build. The
    /// report names which kind judged an edit (<see cref="ValidationReport.Projects"/>).
    /// </summary>
    public IList<ProjectContext> ProjectContexts { get; } = new List<ProjectContext>();

    /// <summary>
    /// Run the analyzers that report at the end of the compilation (rules about the project as a whole, such as a
    /// public API list check) on the whole project, before and after each edit, as a build does. This costs a full
    /// analysis of the project per edit while such an analyzer is loaded; without it their rules never report.
    /// Default <see langword="true"/>.
    /// </summary>
    public bool RunCompilationEndAnalyzers { get; set; } = true;

    /// <summary>Which diagnostics block.</summary>
    public ValidationPolicy ValidationPolicy { get; set; } = new();

    /// <summary>Skip the built-in validators (syntax always runs). Default <see langword="false"/>.</summary>
    public bool DisableBuiltInValidators { get; set; }

    /// <summary>Composition options (for example keeping existing doc comments).</summary>
    public CompositionOptions Composition { get; set; } = new();

    /// <summary>Where logs go; default none.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>How long <c>Open</c> waits for another engine to release the workspace lock. Default 10 s.</summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many completed transactions keep their backups. Default 50.</summary>
    public int BackupRetention { get; set; } = 50;

    /// <summary>Index every C# file of the workspace when the index is empty on <c>Open</c>. Default <see langword="true"/>.</summary>
    public bool IndexOnOpen { get; set; } = true;

    /// <summary>Commit author name; default from git config, else <c>AtomicCompose</c>.</summary>
    public string? AuthorName { get; set; }

    /// <summary>Test seam: called at every protocol step boundary (for example <c>after:Move</c>); crash tests kill the process there.</summary>
    internal Action<string>? ProtocolHook { get; set; }

    /// <summary>
    /// Test seam: handed to the default components (file committer, index store, VCS, journal, recovery), which call it
    /// with an operation label (<see cref="IoOp"/>) and a path right before every real write, sync, rename and delete;
    /// fault-injection tests throw from it. Components supplied through the options do not see it.
    /// </summary>
    internal Action<string, string>? IoHook { get; set; }

    /// <summary>Commit author e-mail; default from git config, else <c>atomiccompose@localhost</c>.</summary>
    public string? AuthorEmail { get; set; }
}
