using AtomicCompose.Tests.TestSupport;
using AtomicCompose.Validation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Microsoft.Extensions.Logging.Abstractions;

namespace AtomicCompose.Tests.Validation;

/// <summary>A real workspace on disk with a <see cref="ValidationService"/> over it, and edits built the way the engine builds them.</summary>
internal sealed class ValidationHarness : IDisposable
{
    private ValidationHarness(TempWorkspace workspace, ValidationPolicy policy, IReadOnlyList<IValidator> custom, IReadOnlyList<DiagnosticAnalyzer>? analyzers = null, bool runSourceGenerators = true, AtomicCompose.Validation.Build.IProjectContexts? contexts = null)
    {
        Workspace = workspace;
        Policy = policy;
        _model = new AtomicCompose.Validation.Build.BuildProjectModel(workspace.Root, restoreProjects: false);

        // With analyzers (even none), the pipeline is the engine's: the analyzer validator before the custom ones.
        IReadOnlyList<IValidator> validators = analyzers is null
            ? custom
            : [new AnalyzerValidator(workspace.Root, analyzers, loadProjectAnalyzers: true, runCompilationEndAnalyzers: true, policy, NullLogger.Instance), .. custom];
        Service = new ValidationService(workspace.Root, validators, policy, NullLogger.Instance) { RunSourceGenerators = runSourceGenerators, ProjectContexts = contexts };
    }

    public TempWorkspace Workspace { get; }

    private readonly AtomicCompose.Validation.Build.BuildProjectModel _model;
    private readonly Dictionary<(string, string?), ProjectContext> _contexts = [];

    /// <summary>What MSBuild says the project compiles for <paramref name="framework"/> (null: its first), asked once per harness: the oracles' inputs.</summary>
    public ProjectContext Context(string project, string? framework = null)
    {
        if (!_contexts.TryGetValue((project, framework), out var context))
        {
            _contexts[(project, framework)] = context = _model.Load(project, framework, CancellationToken.None);
        }

        return context;
    }

    public ValidationPolicy Policy { get; }

    public ValidationService Service { get; }

    public static ValidationHarness Create(
        IReadOnlyDictionary<string, string> files,
        ValidationPolicy? policy = null,
        IReadOnlyList<IValidator>? custom = null,
        IReadOnlyList<DiagnosticAnalyzer>? analyzers = null,
        bool runSourceGenerators = true,
        bool restore = true)
    {
        var ws = TempWorkspace.Create(git: false);
        foreach (var (path, text) in files)
        {
            ws.Write(path, text);
        }

        // The projects are restored first, as a build's are (unless the test is about one that is not).
        if (restore)
        {
            foreach (var project in files.Keys.Where(p => p.EndsWith(".csproj", StringComparison.Ordinal)))
            {
                DotnetCli.Restore(ws.Root, project);
            }
        }

        return new ValidationHarness(ws, policy ?? new ValidationPolicy(), custom ?? [], analyzers, runSourceGenerators);
    }

    public static ValidationHarness Demo(ValidationPolicy? policy = null, IReadOnlyList<IValidator>? custom = null, string? csproj = null, bool restore = true)
    {
        var ws = TempWorkspace.Create(git: false);
        SampleProjects.WriteDemo(ws, commit: false, restore: false);
        if (csproj is not null)
        {
            ws.Write("Demo.csproj", csproj);
        }

        if (restore)
        {
            DotnetCli.Restore(ws.Root, "Demo.csproj");
        }

        return new ValidationHarness(ws, policy ?? new ValidationPolicy(), custom ?? []);
    }

    public string Read(string path) => File.Exists(Workspace.PathOf(path)) ? Workspace.ReadText(path) : throw new FileNotFoundException(path);

    /// <summary>An edit replacing the single occurrence of <paramref name="find"/> in the file on disk.</summary>
    public ValidationDocument Edit(string path, string find, string replace)
    {
        var before = Read(path);
        var at = before.IndexOf(find, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{find}' not in {path}");
        Assert.True(before.IndexOf(find, at + 1, StringComparison.Ordinal) < 0, $"'{find}' is ambiguous in {path}");
        return Doc(path, before, before[..at] + replace + before[(at + find.Length)..]);
    }

    public ValidationDocument Rewrite(string path, string? after) =>
        Doc(path, File.Exists(Workspace.PathOf(path)) ? Read(path) : null, after);

    /// <summary>
    /// Trees as a composer makes them: default parse options and an absolute file path, so the service
    /// has to bring them into its project's shape itself.
    /// </summary>
    public ValidationDocument Doc(string path, string? before, string? after)
    {
        var full = Workspace.PathOf(path);
        var oldTree = before is null ? null : CSharpSyntaxTree.ParseText(before, path: full);
        var newTree = after is null ? null : CSharpSyntaxTree.ParseText(after, path: full);
        IReadOnlyList<TextSpan> spans = newTree is null ? [] : [new TextSpan(0, newTree.Length)];
        return new ValidationDocument(path, oldTree, newTree, spans);
    }

    public ValidationReport Validate(params ValidationDocument[] docs) => Service.Validate(docs, CancellationToken.None);

    /// <summary>Writes the edit to disk and tells the service, as the engine does after a commit.</summary>
    public void Commit(params ValidationDocument[] docs)
    {
        foreach (var doc in docs)
        {
            if (doc.After is null)
            {
                File.Delete(Workspace.PathOf(doc.Path));
            }
            else
            {
                Workspace.Write(doc.Path, doc.After.GetText().ToString());
            }
        }

        // A created or deleted file changes what MSBuild's globs give the compiler: the oracles ask MSBuild again.
        if (docs.Any(d => d.Before is null || d.After is null))
        {
            _contexts.Clear();
        }

        Service.Accept(docs);
    }

    public void Dispose() => Workspace.Dispose();
}

internal static class ReportAssertions
{
    public static ValidatorVerdict Verdict(this ValidationReport report, string validator) =>
        Assert.Single(report.Verdicts, v => v.Validator == validator);

    public static void AssertPassed(this ValidationReport report) =>
        Assert.True(report.Passed, report.Summary());

    public static ValidationDiagnostic AssertBlockedBy(this ValidationReport report, string id, string? path = null)
    {
        Assert.False(report.Passed, "expected a blocking " + id);
        return Assert.Single(report.Blocking, d => d.Id == id && (path is null || d.Path == path));
    }

    public static DiagnosticSeverity SeverityOf(this ValidationReport report, string id) =>
        report.Diagnostics.First(d => d.Id == id).Severity;
}
