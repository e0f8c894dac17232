namespace AtomicCompose.Vcs;

/// <summary>The <see cref="IVcs"/> used where the root is not a git repository: every call is a no-op.</summary>
public sealed class NoVcs : IVcs
{
    /// <inheritdoc />
    public bool IsEnabled => false;
    /// <inheritdoc />
    public string? Head() => null;
    /// <inheritdoc />
    public string? Commit(VcsCommitRequest request) => null;
    /// <inheritdoc />
    public string? FindTransactionCommit(string transactionId) => null;
    /// <inheritdoc />
    public void EnsureExcluded(string relativeDirectory) { }
    /// <inheritdoc />
    public void Dispose() { }
}
