using System.Diagnostics;
using Microsoft.CodeAnalysis;

namespace AtomicCompose.Validation;

/// <summary>
/// Judges a transaction that stages MSBuild files (a <c>.props</c>, <c>.targets</c> or project file created or deleted)
/// against the evaluation those files give, before any of them is written:
/// <list type="number">
/// <item>Each project whose evaluation reads a staged file is evaluated and design-time built again with the staged texts
/// (<see cref="Build.StagedProjectContexts"/>); a project that reads none keeps its contexts.</item>
/// <item>The C# edits are judged by a service of their own on those contexts, as any edit is (only what they introduce
/// blocks, dependents included).</item>
/// <item>What the staged files do to the code that is already there is judged too: for each such project and framework,
/// every diagnostic of its whole compilation with the new inputs against the one with the inputs on disk, each severity
/// on its own (a warning that <c>TreatWarningsAsErrors</c> makes an error is a new error). That is the
/// <see cref="ValidatorName"/> verdict; its cost is the projects' full compilations, paid only by such a transaction.</item>
/// </list>
/// </summary>
internal static class StagedBuildFiles
{
    /// <summary>The verdict on what the staged MSBuild files change in the code already there.</summary>
    public const string ValidatorName = "project-files";

    public static ValidationReport Validate(
        ValidationService onDisk, IReadOnlyList<ValidationDocument> documents, IReadOnlyDictionary<string, string?> stagedBuildFiles, CancellationToken cancellationToken)
    {
        var root = onDisk.Root;
        var staged = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (path, text) in stagedBuildFiles)
        {
            staged[Full(root, path)] = text;
        }

        // The staged C# files too, so that the evaluation's globs see the files the transaction creates and deletes.
        foreach (var document in documents)
        {
            staged.TryAdd(Full(root, document.Path), document.After?.GetText(cancellationToken).ToString());
        }

        using var contexts = new Build.StagedProjectContexts(root, staged, onDisk.ContextSource);
        var affected = Candidates(onDisk.AllProjects(), stagedBuildFiles.Keys)
            .Where(project => contexts.InputsOf(project, cancellationToken) is not null)
            .ToList();
        if (affected.Count == 0)
        {
            return documents.Count == 0 ? ValidationReport.Empty : onDisk.Validate(documents, cancellationToken);
        }

        var judge = onDisk.WithContexts(contexts);
        try
        {
            var report = documents.Count == 0 ? ValidationReport.Empty : judge.Validate(documents, cancellationToken);
            var watch = Stopwatch.StartNew();
            var found = new List<(ValidationDiagnostic Diagnostic, string? Framework)>();
            var judged = new List<JudgedProject>();
            foreach (var project in affected)
            {
                var before = onDisk.Baselines(project, cancellationToken);
                var after = judge.Baselines(project, cancellationToken);
                foreach (var (framework, compilation) in after)
                {
                    var old = before.FirstOrDefault(b => string.Equals(b.Framework, framework, StringComparison.OrdinalIgnoreCase)).Compilation;
                    found.AddRange(NewDiagnostics(root, old, compilation, cancellationToken).Select(d => (d, after.Count > 1 ? framework : null)));
                    judged.Add(new JudgedProject(project, framework, ProjectInputsSource.MSBuildWithStagedFiles));
                }
            }

            // One finding for the frameworks that report it alike, as the rest of the report gives it.
            List<ValidationDiagnostic> diagnostics = [.. found
                .GroupBy(f => f.Diagnostic)
                .Select(g => g.Key with { TargetFramework = g.All(f => f.Framework is null) ? null : string.Join(';', g.Select(f => f.Framework)) })];
            watch.Stop();
            var verdict = new ValidatorVerdict(ValidatorName, !diagnostics.Any(onDisk.Policy.Blocks), Skipped: false, watch.Elapsed, diagnostics);
            var verdicts = report.Verdicts.Append(verdict).ToList();
            return new ValidationReport(verdicts, [.. verdicts.SelectMany(v => v.Diagnostics).Where(onDisk.Policy.Blocks)])
            {
                Projects = [.. report.Projects.Where(p => !judged.Any(j => j.ProjectPath == p.ProjectPath && j.TargetFramework == p.TargetFramework)), .. judged],
            };
        }
        finally
        {
            judge.Release();
        }
    }

    /// <summary>
    /// The projects whose evaluation a staged file can change: below the folder of a file MSBuild finds by walking up
    /// (<c>Directory.Build.props</c> and the like), any for another import. A project file staged is a project created or
    /// deleted (an existing file cannot be created): which files it owns changes when it lands, and the edits are judged by
    /// the projects on disk until then.
    /// </summary>
    private static IEnumerable<string> Candidates(IReadOnlyList<string> projects, IEnumerable<string> stagedPaths)
    {
        var candidates = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in stagedPaths)
        {
            var name = Path.GetFileName(path);
            var folder = path.Contains('/', StringComparison.Ordinal) ? path[..(path.LastIndexOf('/') + 1)] : "";
            if (name.StartsWith("Directory.", StringComparison.OrdinalIgnoreCase))
            {
                candidates.UnionWith(projects.Where(p => p.StartsWith(folder, StringComparison.Ordinal)));
            }
            else if (!name.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase))
            {
                candidates.UnionWith(projects);
            }
        }

        return candidates.Order(StringComparer.Ordinal);
    }

    // Each file's diagnostics of one severity after, against the same file's of that severity before.
    private static IEnumerable<ValidationDiagnostic> NewDiagnostics(string root, Compilation? before, Compilation after, CancellationToken cancellationToken)
    {
        var old = before is null ? [] : before.GetDiagnostics(cancellationToken).Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        var now = after.GetDiagnostics(cancellationToken).Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        foreach (var group in now.GroupBy(d => (PathOf(root, d), d.Severity)))
        {
            var list = BaselineMatcher.InFileOrder(group).ToList();
            var isNew = BaselineMatcher.FindNew([.. BaselineMatcher.InFileOrder(old.Where(d => PathOf(root, d) == group.Key.Item1 && d.Severity == group.Key.Severity))], list, region: null);
            for (var i = 0; i < list.Count; i++)
            {
                if (isNew[i])
                {
                    yield return SemanticDiff.ToValidationDiagnostic(list[i], group.Key.Item1, isNew: true, ValidatorName, ValidationCategory.Compilation);
                }
            }
        }
    }

    private static string PathOf(string root, Diagnostic diagnostic) =>
        diagnostic.Location.SourceTree?.FilePath is { Length: > 0 } path
            ? (Path.IsPathRooted(path) ? Build.ProjectFiles.ToRelative(root, path) : path.Replace('\\', '/'))
            : "";

    private static string Full(string root, string relative) => Path.GetFullPath(Path.Combine(root, relative.Replace('/', Path.DirectorySeparatorChar)));
}
