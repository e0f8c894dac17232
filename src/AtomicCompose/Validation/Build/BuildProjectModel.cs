using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using AtomicCompose.Indexing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AtomicCompose.Validation.Build;

/// <summary>
/// The project model of a workspace as MSBuild gives it: each project's evaluation (its frameworks, its restore output)
/// and, per framework, the context its design-time build gives. A project that is not restored is said, never guessed
/// (<see cref="ComposeErrorCode.ProjectNotRestored"/>), unless the engine is asked to restore it; no SDK is said too.
/// Evaluations are kept until the caller drops them (a project file changed).
/// </summary>
internal sealed class BuildProjectModel(string root, bool restoreProjects, ILogger? logger = null, IProjectInputsCache? cache = null, string? dotnet = null) : IProjectContexts
{
    private int _msBuildRuns;

    private readonly string _root = Path.GetFullPath(root);
    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private readonly ConcurrentDictionary<string, ProjectEvaluationResult> _evaluations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CompilerInvocation> _prefetched = new(StringComparer.Ordinal);

    /// <summary>How many times MSBuild ran (evaluations, design-time builds, restores): none when the cache answered.</summary>
    public int MsBuildRuns => _msBuildRuns;

    /// <summary>The frameworks a build compiles the project for, first first; empty when it names none.</summary>
    public IReadOnlyList<string> Frameworks(string projectRelativePath) => Evaluation(projectRelativePath).Frameworks;

    /// <summary>The projects the project's evaluation references (every framework's, for a multi-targeting one: the outer evaluation's items).</summary>
    public ImmutableArray<string> ProjectReferences(string projectRelativePath)
    {
        try
        {
            return Evaluation(projectRelativePath).ReferencedProjects(_root);
        }
        catch (ComposeException ex) when (ex.Code == ComposeErrorCode.ProjectEvaluationFailed)
        {
            // A project MSBuild cannot evaluate is no dependent of anything a build would judge.
            _logger.LogWarning("Cannot evaluate {Project} for its references: {Reason}", projectRelativePath, ex.Reason);
            return [];
        }
    }

    /// <summary>
    /// Runs the design-time builds of a multi-targeting project's frameworks that the index does not hold side by side,
    /// each in its own MSBuild process (as <c>dotnet build</c> builds a project's frameworks in parallel), for the
    /// <see cref="Load"/> calls that follow: an edit of the project is judged for every framework.
    /// </summary>
    public void Prefetch(string projectRelativePath, CancellationToken cancellationToken)
    {
        var evaluation = EnsureRestored(projectRelativePath, Evaluation(projectRelativePath), cancellationToken);
        var missing = evaluation.Frameworks
            .Where(f => !_prefetched.ContainsKey(KeyOf(projectRelativePath, f)) && ProjectInputsStore.Read(cache, KeyOf(projectRelativePath, f)) is not { Invocation: not null })
            .ToList();
        if (missing.Count < 2)
        {
            return;
        }

        var check = StartRestoreCheck(projectRelativePath, evaluation, cancellationToken);
        try
        {
            Parallel.ForEach(
                missing,
                new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
                framework => _prefetched[KeyOf(projectRelativePath, framework)] =
                    Ask(projectRelativePath, () => DesignTimeBuild.CompilerInputs(evaluation.ProjectFullPath, framework, cancellationToken, dotnet)));
            if (FinishRestoreCheck(projectRelativePath, evaluation, check, cancellationToken).Restored)
            {
                _prefetched.Clear(); // built before the restore: the loads that follow ask again
            }
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Any(e => e is ComposeException { Code: ComposeErrorCode.ProjectNotRestored }) && restoreProjects)
        {
            // Said by the SDK during the builds (a framework the restore does not cover): the loads that follow restore it.
            _prefetched.Clear();
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
        }
    }

    private static string KeyOf(string projectRelativePath, string? framework) => $"build|{projectRelativePath}|{framework}";

    /// <summary>The context of the project for <paramref name="targetFramework"/> (null: its first), from a design-time build.</summary>
    public ProjectContext Load(string projectRelativePath, string? targetFramework, CancellationToken cancellationToken)
    {
        var evaluation = Evaluation(projectRelativePath);
        evaluation = EnsureRestored(projectRelativePath, evaluation, cancellationToken);
        var framework = targetFramework ?? (evaluation.Frameworks.Length > 1 ? evaluation.Frameworks[0] : null);
        var key = KeyOf(projectRelativePath, framework);
        if (ProjectInputsStore.Read(cache, key) is { Invocation: { } cached })
        {
            return BuildContexts.From(_root, evaluation, cached);
        }

        var watch = Stopwatch.StartNew();
        var check = StartRestoreCheck(projectRelativePath, evaluation, cancellationToken);
        CompilerInvocation invocation;
        try
        {
            invocation = _prefetched.TryRemove(key, out var prefetched)
                ? prefetched
                : Ask(projectRelativePath, () => DesignTimeBuild.CompilerInputs(evaluation.ProjectFullPath, framework, cancellationToken, dotnet));
            (evaluation, var restored) = FinishRestoreCheck(projectRelativePath, evaluation, check, cancellationToken);
            if (restored)
            {
                invocation = Ask(projectRelativePath, () => DesignTimeBuild.CompilerInputs(evaluation.ProjectFullPath, framework, cancellationToken, dotnet));
            }
        }
        catch (ComposeException ex) when (ex.Code == ComposeErrorCode.ProjectNotRestored && restoreProjects)
        {
            // The SDK said the restore does not cover what the project builds: restore, then ask once more.
            _logger.LogInformation("Restoring {Project} ({Reason})", projectRelativePath, ex.Reason);
            Restore(projectRelativePath, evaluation, cancellationToken);
            evaluation = Evaluation(projectRelativePath);
            invocation = Ask(projectRelativePath, () => DesignTimeBuild.CompilerInputs(evaluation.ProjectFullPath, framework, cancellationToken, dotnet));
        }

        _logger.LogDebug("Design-time build of {Project} ({Framework}): {Elapsed} ms", projectRelativePath, framework, watch.ElapsedMilliseconds);
        var context = BuildContexts.From(_root, evaluation, invocation);
        ProjectInputsStore.Write(cache, key, context.ProjectFiles.Select(FullPath), null, invocation);
        return context;
    }

    /// <summary>Forgets every evaluation (a project or props file changed, or a restore ran).</summary>
    public void Clear()
    {
        _evaluations.Clear();
        _prefetched.Clear();
    }

    private ProjectEvaluationResult Evaluation(string projectRelativePath) =>
        _evaluations.GetOrAdd(projectRelativePath, path =>
        {
            var key = "evaluation|" + path;
            if (ProjectInputsStore.Read(cache, key) is { Evaluation: { } cached })
            {
                return cached;
            }

            var evaluation = Ask(path, () => DesignTimeBuild.Evaluate(FullPath(path), CancellationToken.None, dotnet));
            ProjectInputsStore.Write(cache, key, BuildContexts.InputFiles(_root, evaluation), evaluation, null);
            return evaluation;
        });

    // A design-time build does not say that the restore misses a framework (NETSDK1005): before a project's first
    // design-time builds are used, the SDK's own check runs once per evaluation, beside them (one more MSBuild process,
    // which costs about what an evaluation costs), and its pass is kept with the evaluation in the index. A project with
    // no assets file at all is EnsureRestored's. Null: nothing to check.
    private Task? StartRestoreCheck(string projectRelativePath, ProjectEvaluationResult evaluation, CancellationToken cancellationToken) =>
        evaluation.RestoreChecked || NotRestoredReason(evaluation) is not null
            ? null
            : Task.Run(() => Ask(projectRelativePath, () =>
            {
                DesignTimeBuild.CheckRestoreCovers(evaluation, cancellationToken, dotnet);
                return 0;
            }), CancellationToken.None);

    // The check's answer: the evaluation is marked checked (here and in the index). A restore that misses a framework
    // throws ProjectNotRestored, unless the engine restores: then the project is re-evaluated and checked again (not
    // beside anything), and Restored says that whatever was built beside the first check is stale.
    private (ProjectEvaluationResult Evaluation, bool Restored) FinishRestoreCheck(string projectRelativePath, ProjectEvaluationResult evaluation, Task? check, CancellationToken cancellationToken)
    {
        if (check is null)
        {
            return (evaluation, false);
        }

        var restored = false;
        try
        {
            check.GetAwaiter().GetResult();
        }
        catch (ComposeException ex) when (ex.Code == ComposeErrorCode.ProjectNotRestored && restoreProjects)
        {
            _logger.LogInformation("Restoring {Project} ({Reason})", projectRelativePath, ex.Reason);
            Restore(projectRelativePath, evaluation, cancellationToken);
            evaluation = EnsureRestored(projectRelativePath, Evaluation(projectRelativePath), cancellationToken);
            StartRestoreCheck(projectRelativePath, evaluation, cancellationToken)?.GetAwaiter().GetResult();
            restored = true;
        }

        var checkedEvaluation = evaluation with { RestoreChecked = true };
        _evaluations[projectRelativePath] = checkedEvaluation;
        ProjectInputsStore.Write(cache, "evaluation|" + projectRelativePath, BuildContexts.InputFiles(_root, checkedEvaluation), checkedEvaluation, null);
        return (checkedEvaluation, restored);
    }

    private ProjectEvaluationResult EnsureRestored(string projectRelativePath, ProjectEvaluationResult evaluation, CancellationToken cancellationToken)
    {
        if (NotRestoredReason(evaluation) is not { } reason)
        {
            return evaluation;
        }

        if (!restoreProjects)
        {
            throw new ComposeException(
                ComposeErrorCode.ProjectNotRestored,
                ComposeStep.Validate,
                $"Project {projectRelativePath} is not restored ({reason}); run 'dotnet restore {projectRelativePath}', or open with ComposeOptions.RestoreProjects.",
                [projectRelativePath]);
        }

        _logger.LogInformation("Restoring {Project} ({Reason})", projectRelativePath, reason);
        Restore(projectRelativePath, evaluation, cancellationToken);
        evaluation = Evaluation(projectRelativePath);
        if (NotRestoredReason(evaluation) is { } still)
        {
            throw new ComposeException(
                ComposeErrorCode.ProjectNotRestored, ComposeStep.Validate, $"Project {projectRelativePath} is still not restored after 'dotnet restore' ({still}).", [projectRelativePath]);
        }

        return evaluation;
    }

    // A restore changes the evaluation (its assets file, the packages' props and targets): it is read again after.
    private void Restore(string projectRelativePath, ProjectEvaluationResult evaluation, CancellationToken cancellationToken)
    {
        Ask(projectRelativePath, () =>
        {
            DesignTimeBuild.Restore(evaluation.ProjectFullPath, cancellationToken, dotnet);
            return 0;
        });
        _evaluations.TryRemove(projectRelativePath, out _);
    }

    /// <summary>
    /// Why the project counts as not restored before any design-time build: MSBuild names no assets file, or there is
    /// none where it reads it. An assets file older than the project file is no sign: NuGet's no-op restore leaves it
    /// untouched when what it restores did not change, as after most project edits. The SDK's own restore errors are taken
    /// where MSBuild reports them (<see cref="RestoreErrors"/>): in a design-time build, or for a framework or runtime the
    /// assets file lacks, in the SDK's check that a design-time build skips (<see cref="DesignTimeBuild.CheckRestoreCovers"/>).
    /// </summary>
    internal static string? NotRestoredReason(ProjectEvaluationResult evaluation)
    {
        if (evaluation.AssetsFile is not { } assets)
        {
            return "MSBuild names no assets file";
        }

        return File.Exists(assets) ? null : $"no {assets}";
    }

    // The SDK's and NuGet's own errors for a restore that is missing or does not cover the project: assets file not found
    // (NETSDK1004), no target for the framework (NETSDK1005), not restored for the runtime (NETSDK1047), and NuGet's
    // restore errors (NU1xxx).
    private static readonly string[] RestoreErrors = ["error NETSDK1004", "error NETSDK1005", "error NETSDK1047", "error NU1"];

    private T Ask<T>(string projectRelativePath, Func<T> ask)
    {
        Interlocked.Increment(ref _msBuildRuns);
        _logger.LogDebug("Asking MSBuild about {Project}", projectRelativePath);
        return AskMsBuild(projectRelativePath, ask);
    }

    /// <summary>Runs <paramref name="ask"/>, saying MSBuild's failures as the engine's typed errors: no SDK, not restored, not evaluated.</summary>
    internal static T AskMsBuild<T>(string projectRelativePath, Func<T> ask)
    {
        try
        {
            return ask();
        }
        catch (DotnetNotFoundException ex)
        {
            throw new ComposeException(
                ComposeErrorCode.SdkNotFound,
                ComposeStep.Validate,
                $"No .NET SDK to ask what {projectRelativePath} compiles ({ex.Message}); install one, or supply the project context.",
                [projectRelativePath],
                innerException: ex);
        }
        catch (DesignTimeBuildException ex) when (RestoreErrors.FirstOrDefault(e => ex.Output.Contains(e, StringComparison.Ordinal)) is { } restoreError)
        {
            var line = ex.Output.Split('\n').First(l => l.Contains(restoreError, StringComparison.Ordinal)).Trim();
            throw new ComposeException(
                ComposeErrorCode.ProjectNotRestored,
                ComposeStep.Validate,
                $"Project {projectRelativePath} is not restored for what it builds (MSBuild: {line}); run 'dotnet restore {projectRelativePath}', or open with ComposeOptions.RestoreProjects.",
                [projectRelativePath],
                innerException: ex);
        }
        catch (DesignTimeBuildException ex)
        {
            throw new ComposeException(
                ComposeErrorCode.ProjectEvaluationFailed,
                ComposeStep.Validate,
                $"MSBuild could not tell what {projectRelativePath} compiles: {ex.Message}\n{Tail(ex.Output)}",
                [projectRelativePath],
                innerException: ex);
        }
    }

    private static string Tail(string output) => output.Length <= 2000 ? output : output[^2000..];

    private string FullPath(string relative) => Path.GetFullPath(Path.Combine(_root, relative.Replace('/', Path.DirectorySeparatorChar)));
}
