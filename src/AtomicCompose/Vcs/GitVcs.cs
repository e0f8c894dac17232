namespace AtomicCompose.Vcs;

/// <summary>The default <see cref="IVcs"/>: LibGit2Sharp, committing exactly the composed paths. (Stub: being implemented.)</summary>
public sealed class GitVcs : IVcs
{
    /// <summary>Opens the repository containing <paramref name="workspaceRoot"/>.</summary>
    /// <param name="workspaceRoot">The workspace root (the repository's work tree or a folder inside it).</param>
    public GitVcs(string workspaceRoot) { _ = workspaceRoot; }
    /// <inheritdoc />
    public bool IsEnabled => true;
    /// <inheritdoc />
    public string? Head() => throw new NotImplementedException();
    /// <inheritdoc />
    public string? Commit(VcsCommitRequest request) => throw new NotImplementedException();
    /// <inheritdoc />
    public string? FindTransactionCommit(string transactionId) => throw new NotImplementedException();
    /// <inheritdoc />
    public void EnsureExcluded(string relativeDirectory) => throw new NotImplementedException();
    /// <inheritdoc />
    public void Dispose() { }

    /// <summary>Whether <paramref name="workspaceRoot"/> is inside a git work tree.</summary>
    /// <param name="workspaceRoot">The folder.</param>
    /// <returns><see langword="true"/> if a repository is found.</returns>
    public static bool IsRepository(string workspaceRoot) => throw new NotImplementedException();
}
