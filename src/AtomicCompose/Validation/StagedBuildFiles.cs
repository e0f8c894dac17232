using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

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
/// every diagnostic of its whole compilation as the transaction lands it (new inputs, new texts) against the one on disk
/// (inputs and texts), each severity on its own (a warning that <c>TreatWarningsAsErrors</c> makes an error is a new
/// error, unless the same transaction removes it), less what the C# verdicts already report. That is the
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
            staged[Path.GetFullPath(path, root)] = text;
        }

        // The staged C# files too, so that the evaluation's globs see the files the transaction creates and deletes.
        foreach (var document in documents)
        {
            staged.TryAdd(Path.GetFullPath(document.Path, root), document.After?.GetText(cancellationToken).ToString());
        }

        var candidates = Candidates([.. Build.ProjectFiles.All(root)], stagedBuildFiles);
        using var contexts = new Build.StagedProjectContexts(root, staged, candidates, onDisk.ContextSource, cancellationToken);
        var affected = candidates.Order(StringComparer.Ordinal).Where(project => contexts.InputsOf(project) is not null).ToList();
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
            var reported = report.Verdicts.SelectMany(v => v.Diagnostics).Where(d => d.IsNew).Select(d => (d.Id, d.Path, d.Line, d.Column)).ToHashSet();
            foreach (var project in affected)
            {
                var before = BaselinesOnDisk(onDisk, project, cancellationToken);
                var after = judge.Baselines(project, cancellationToken);
                var edits = documents.Where(d => Build.ProjectFiles.FindProjectFile(root, d.Path) == project).ToList();
                foreach (var (framework, compilation) in after)
                {
                    var old = before.FirstOrDefault(b => string.Equals(b.Framework, framework, StringComparison.OrdinalIgnoreCase)).Compilation;
                    found.AddRange(NewDiagnostics(root, contexts.IntermediateRoot, old, WithEdits(compilation, edits, cancellationToken), edits, cancellationToken)
                        .Where(d => !reported.Contains((d.Id, d.Path, d.Line, d.Column)))
                        .Select(d => (d, after.Count > 1 ? framework : null)));
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

    // A project whose files on disk MSBuild cannot evaluate (an import the transaction creates) has no state to compare
    // with: every finding of the state it lands counts as new.
    private static IReadOnlyList<(string? Framework, CSharpCompilation Compilation)> BaselinesOnDisk(ValidationService onDisk, string project, CancellationToken cancellationToken)
    {
        try
        {
            return onDisk.Baselines(project, cancellationToken);
        }
        catch (ComposeException ex) when (ex.Code == ComposeErrorCode.ProjectEvaluationFailed)
        {
            return [];
        }
    }

    /// <summary>
    /// The projects whose evaluation a staged file can change: below the folder of a file MSBuild finds by walking up
    /// (<c>Directory.Build.props</c> and the like), the project itself for its replaced project file, any for another
    /// import. A project file created or deleted changes which files it owns when it lands; until then the edits are
    /// judged by the projects on disk.
    /// </summary>
    private static HashSet<string> Candidates(IReadOnlyList<string> projects, IReadOnlyDictionary<string, string?> staged)
    {
        var candidates = new HashSet<string>(Build.MSBuildFiles.PathComparer);
        foreach (var (path, text) in staged)
        {
            var name = Path.GetFileName(path);
            var folder = path.Contains('/', StringComparison.Ordinal) ? path[..(path.LastIndexOf('/') + 1)] : "";
            if (Build.MSBuildFiles.IsFoundAbove(name))
            {
                candidates.UnionWith(projects.Where(p => p.StartsWith(folder, Build.MSBuildFiles.PathComparison)));
            }
            else if (name.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase))
            {
                candidates.UnionWith(projects.Where(p => Build.MSBuildFiles.PathComparer.Equals(p, path) && text is not null));
            }
            else
            {
                candidates.UnionWith(projects);
            }
        }

        return candidates;
    }

    // The project's compilation with the new inputs and the edited files' new texts (parsed with the new options): the
    // state the transaction lands. Its generators' output stays the baseline's; the C# verdicts judge what they change.
    private static CSharpCompilation WithEdits(CSharpCompilation baseline, List<ValidationDocument> edits, CancellationToken cancellationToken)
    {
        var compilation = baseline;
        var options = baseline.SyntaxTrees.FirstOrDefault()?.Options as CSharpParseOptions ?? CSharpParseOptions.Default;
        foreach (var edit in edits)
        {
            var current = compilation.SyntaxTrees.FirstOrDefault(t => t.FilePath == edit.Path);
            var tree = edit.After is null ? null : CSharpSyntaxTree.ParseText(edit.After.GetText(cancellationToken), options, edit.Path, cancellationToken: cancellationToken);
            compilation = (current, tree) switch
            {
                (null, null) => compilation,
                (null, { } added) => compilation.AddSyntaxTrees(added),
                ({ } removed, null) => compilation.RemoveSyntaxTrees(removed),
                ({ } replaced, { } with) => compilation.ReplaceSyntaxTree(replaced, with),
            };
        }

        return compilation;
    }

    // Each file's diagnostics of one severity after, against the same file's of that severity before (positions in an
    // edited file mapped across its edit).
    private static IEnumerable<ValidationDiagnostic> NewDiagnostics(
        string root, string stagedIntermediate, Compilation? before, Compilation after, List<ValidationDocument> edits, CancellationToken cancellationToken)
    {
        var old = before is null ? [] : before.GetDiagnostics(cancellationToken).Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        var now = after.GetDiagnostics(cancellationToken).Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();

        // The SDK's generated sources are in obj/ before and in the staged builds' folder after: the same file by name.
        var oldByPlace = old.ToLookup(d => (Key(root, stagedIntermediate, d), d.Severity));
        foreach (var group in now.GroupBy(d => (Path: PathOf(root, d), Key: Key(root, stagedIntermediate, d), d.Severity)))
        {
            var edit = edits.FirstOrDefault(e => e.Path == group.Key.Path);
            var region = edit is { Before: { } b, After: { } a } ? TextRegion.Between(b.GetText(cancellationToken), a.GetText(cancellationToken)) : null;
            var list = BaselineMatcher.InFileOrder(group).ToList();
            var isNew = BaselineMatcher.FindNew(
                [.. BaselineMatcher.InFileOrder(oldByPlace[(group.Key.Key, group.Key.Severity)])], list, region);
            for (var i = 0; i < list.Count; i++)
            {
                if (isNew[i])
                {
                    yield return SemanticDiff.ToValidationDiagnostic(list[i], group.Key.Path, isNew: true, ValidatorName, ValidationCategory.Compilation);
                }
            }
        }
    }

    private static string PathOf(string root, Diagnostic diagnostic) =>
        diagnostic.Location.SourceTree?.FilePath is { Length: > 0 } path
            ? (Path.IsPathRooted(path) ? Build.ProjectFiles.ToRelative(root, path) : path.Replace('\\', '/'))
            : "";

    // Where a finding is, for matching before with after: its file, or for a source the SDK generated (in an obj/ folder
    // on disk, in the staged builds' folder after) its file name.
    private static string Key(string root, string stagedIntermediate, Diagnostic d)
    {
        if (d.Location.SourceTree?.FilePath is not { Length: > 0 } file)
        {
            return "";
        }

        var full = Path.GetFullPath(file, root);
        var generated = full.StartsWith(stagedIntermediate + Path.DirectorySeparatorChar, Build.MSBuildFiles.PathComparison)
            || full.Replace('\\', '/').Contains("/obj/", StringComparison.Ordinal);
        return generated ? "generated:" + Path.GetFileName(full) : PathOf(root, d);
    }
}
