using System.Collections.Immutable;

namespace AtomicCompose.Validation.Build;

/// <summary>Where the validation service gets a project's frameworks, references and compilation context from.</summary>
internal interface IProjectContexts
{
    /// <summary>The frameworks a build compiles the project for (root-relative path), first first; empty when it names none.</summary>
    IReadOnlyList<string> Frameworks(string projectRelativePath);

    /// <summary>The context of the project for <paramref name="targetFramework"/> (null: its first, or only, one).</summary>
    ProjectContext Load(string projectRelativePath, string? targetFramework, CancellationToken cancellationToken);

    /// <summary>The root-relative paths of the projects the project references, for finding dependents.</summary>
    ImmutableArray<string> ProjectReferences(string projectRelativePath);

    /// <summary>Prepares the contexts of every framework of the project at once, where that is cheaper than one by one.</summary>
    void Prefetch(string projectRelativePath, CancellationToken cancellationToken);

    /// <summary>Forgets what was read (a project file changed).</summary>
    void Clear();
}

/// <summary>
/// The contexts the caller handed in (<see cref="ComposeOptions.ProjectContexts"/>), each for its project and framework;
/// a project the caller gave none for is asked of <paramref name="fallback"/> (MSBuild).
/// </summary>
internal sealed class CallerProjectContexts(IEnumerable<ProjectContext> given, IProjectContexts fallback) : IProjectContexts
{
    private readonly ILookup<string, ProjectContext> _byProject = given.ToLookup(c => c.ProjectPath!, StringComparer.Ordinal);

    public IReadOnlyList<string> Frameworks(string projectRelativePath) =>
        _byProject.Contains(projectRelativePath)
            ? [.. _byProject[projectRelativePath].Select(c => c.TargetFramework).OfType<string>()]
            : fallback.Frameworks(projectRelativePath);

    public ProjectContext Load(string projectRelativePath, string? targetFramework, CancellationToken cancellationToken)
    {
        if (!_byProject.Contains(projectRelativePath))
        {
            return fallback.Load(projectRelativePath, targetFramework, cancellationToken);
        }

        var contexts = _byProject[projectRelativePath];
        return targetFramework is null
            ? contexts.First()
            : contexts.FirstOrDefault(c => string.Equals(c.TargetFramework, targetFramework, StringComparison.OrdinalIgnoreCase))
                ?? throw new ComposeException(
                    ComposeErrorCode.ProjectEvaluationFailed,
                    ComposeStep.Validate,
                    $"The caller gave contexts for {projectRelativePath} but none for {targetFramework}.",
                    [projectRelativePath]);
    }

    public ImmutableArray<string> ProjectReferences(string projectRelativePath) =>
        _byProject.Contains(projectRelativePath)
            ? [.. _byProject[projectRelativePath].SelectMany(c => c.ProjectReferences).Distinct(StringComparer.Ordinal)]
            : fallback.ProjectReferences(projectRelativePath);

    public void Prefetch(string projectRelativePath, CancellationToken cancellationToken)
    {
        if (!_byProject.Contains(projectRelativePath))
        {
            fallback.Prefetch(projectRelativePath, cancellationToken);
        }
    }

    public void Clear() => fallback.Clear();
}
