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

/// <summary>The contexts <see cref="ProjectLoader"/> reads from the project XML, without MSBuild.</summary>
internal sealed class ProjectXmlContexts(string root) : IProjectContexts
{
    public IReadOnlyList<string> Frameworks(string projectRelativePath) => ProjectLoader.Frameworks(root, projectRelativePath);

    public ProjectContext Load(string projectRelativePath, string? targetFramework, CancellationToken cancellationToken) =>
        ProjectLoader.Load(root, projectRelativePath, targetFramework: targetFramework);

    public ImmutableArray<string> ProjectReferences(string projectRelativePath) => ProjectLoader.ReadProjectReferences(root, projectRelativePath);

    public void Prefetch(string projectRelativePath, CancellationToken cancellationToken)
    {
    }

    public void Clear()
    {
    }
}
