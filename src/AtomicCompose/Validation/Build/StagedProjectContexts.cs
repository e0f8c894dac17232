using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace AtomicCompose.Validation.Build;

/// <summary>
/// The contexts of a transaction that stages MSBuild files (a <c>Directory.Build.props</c> created, an imported
/// <c>.targets</c> deleted): a project whose evaluation reads one of them is evaluated and design-time built again with the
/// staged texts (<see cref="DesignTimeBuild.WithStagedFiles"/>), any other is <paramref name="onDisk"/>'s. Nothing here
/// is cached in the index: these contexts describe files that are not on disk, and may never be.
/// </summary>
/// <param name="root">The workspace root.</param>
/// <param name="staged">The staged files by full path: new text, or null for a deleted one.</param>
/// <param name="candidates">The projects (root-relative) a staged file can reach; any other is <paramref name="onDisk"/>'s without asking MSBuild.</param>
/// <param name="onDisk">The contexts of the files on disk.</param>
/// <param name="cancellationToken">Cancels the MSBuild host (these contexts serve one validation).</param>
internal sealed class StagedProjectContexts(
    string root, IReadOnlyDictionary<string, string?> staged, IReadOnlySet<string> candidates, IProjectContexts onDisk, CancellationToken cancellationToken) : IProjectContexts, IDisposable
{
    private readonly string _intermediate = Path.Combine(Path.GetTempPath(), "atomic-compose-staged-" + Guid.NewGuid().ToString("N"));
    private readonly ConcurrentDictionary<string, Lazy<StagedProjectInputs?>> _inputs = new(StringComparer.Ordinal);

    /// <summary>The folder the staged design-time builds write their intermediate files (generated sources) below.</summary>
    public string IntermediateRoot => _intermediate;

    /// <summary>The project's inputs with the staged files; null when it is no candidate, or its evaluation reads none of them.</summary>
    public StagedProjectInputs? InputsOf(string projectRelativePath) =>
        candidates.Contains(projectRelativePath) ? _inputs.GetOrAdd(projectRelativePath, p => new Lazy<StagedProjectInputs?>(() => Evaluate(p))).Value : null;

    private StagedProjectInputs? Evaluate(string projectRelativePath)
    {
        var full = Path.GetFullPath(Path.Combine(root, projectRelativePath));
        var inputs = BuildProjectModel.AskMsBuild(projectRelativePath, () =>
            DesignTimeBuild.WithStagedFiles(full, staged, Path.Combine(_intermediate, Guid.NewGuid().ToString("N")), cancellationToken));
        if (inputs is { RestoreInputsChanged.IsEmpty: false })
        {
            // The build would restore first; judging against the old restore output would report the new packages' types
            // as missing, which is a guess the build does not make.
            throw new ComposeException(
                ComposeErrorCode.ProjectNotRestored,
                ComposeStep.Validate,
                $"The staged files change what a restore of {projectRelativePath} reads ({string.Join("; ", inputs.RestoreInputsChanged)}), so the transaction cannot be judged "
                    + "against the restore output on disk. Nothing was written. Land the package change in a transaction of its own and run 'dotnet restore', then stage the code that uses it.",
                [projectRelativePath]);
        }

        return inputs;
    }

    public IReadOnlyList<string> Frameworks(string projectRelativePath) =>
        InputsOf(projectRelativePath) is { } inputs ? inputs.Evaluation.Frameworks : onDisk.Frameworks(projectRelativePath);

    public ProjectContext Load(string projectRelativePath, string? targetFramework, CancellationToken loadCancellation)
    {
        if (InputsOf(projectRelativePath) is not { } inputs)
        {
            return onDisk.Load(projectRelativePath, targetFramework, loadCancellation);
        }

        var invocation = targetFramework is null
            ? inputs.Invocations[0]
            : inputs.Invocations.FirstOrDefault(i => string.Equals(i.TargetFramework, targetFramework, StringComparison.OrdinalIgnoreCase))
                ?? throw new ComposeException(
                    ComposeErrorCode.ProjectEvaluationFailed,
                    ComposeStep.Validate,
                    $"With the staged files, {projectRelativePath} does not build for {targetFramework}.",
                    [projectRelativePath]);
        return BuildContexts.From(root, BuildContexts.InputFiles(root, inputs.Evaluation), invocation, ProjectInputsSource.MSBuildWithStagedFiles);
    }

    public ImmutableArray<string> ProjectReferences(string projectRelativePath) =>
        InputsOf(projectRelativePath) is { } inputs ? inputs.Evaluation.ReferencedProjects(root) : onDisk.ProjectReferences(projectRelativePath);

    public void Prefetch(string projectRelativePath, CancellationToken prefetchCancellation)
    {
        if (InputsOf(projectRelativePath) is null)
        {
            onDisk.Prefetch(projectRelativePath, prefetchCancellation);
        }
    }

    public void Clear()
    {
        // These contexts live for one validation; the files on disk did not change under them.
    }

    /// <summary>Deletes the design-time builds' intermediate files (the sources they generated were read when the projects loaded).</summary>
    public void Dispose()
    {
        try
        {
            if (Directory.Exists(_intermediate))
            {
                Directory.Delete(_intermediate, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A temporary folder left behind is harmless.
        }
    }
}
