namespace AtomicCompose.Vcs;

/// <summary>
/// Version control for composed paths. The commit contains exactly the given paths, built on the
/// parent's tree, so the user's unrelated staged and unstaged changes are neither committed nor lost.
/// </summary>
public interface IVcs : IDisposable
{
    /// <summary><see langword="false"/> for the no-op implementation used where the root is not a repository.</summary>
    bool IsEnabled { get; }

    /// <summary>The sha of HEAD, or <see langword="null"/> in an empty repository or without VCS.</summary>
    /// <returns>The sha or <see langword="null"/>.</returns>
    string? Head();

    /// <summary>Commits the working-tree content of <paramref name="request"/>'s paths on top of its parent.</summary>
    /// <param name="request">Paths, message, transaction id and expected parent.</param>
    /// <returns>The new commit's sha (or <see langword="null"/> without VCS).</returns>
    /// <exception cref="ComposeException">The branch moved, the repository is locked, or a write failed (<see cref="ComposeErrorCode.Vcs"/>).</exception>
    string? Commit(VcsCommitRequest request);

    /// <summary>Finds the commit carrying the <c>Compose-Transaction: &lt;id&gt;</c> trailer among HEAD's recent history.</summary>
    /// <param name="transactionId">The transaction id.</param>
    /// <returns>The sha, or <see langword="null"/> when no such commit exists.</returns>
    string? FindTransactionCommit(string transactionId);

    /// <summary>Makes sure <paramref name="relativeDirectory"/> is listed in <c>.git/info/exclude</c> (never in <c>.gitignore</c>).</summary>
    /// <param name="relativeDirectory">A root-relative directory such as <c>.atomiccompose/</c>.</param>
    void EnsureExcluded(string relativeDirectory);
}

/// <summary>What to commit.</summary>
/// <param name="Paths">Root-relative paths ('/'-separated); each is committed as it is in the working tree, or removed from the tree if it does not exist.</param>
/// <param name="Message">The commit message (the trailer is appended).</param>
/// <param name="TransactionId">Written as the <c>Compose-Transaction</c> trailer.</param>
/// <param name="ExpectedParent">The HEAD the transaction started from; the branch must still point there. <see langword="null"/> for an unborn branch.</param>
public sealed record VcsCommitRequest(IReadOnlyList<string> Paths, string Message, string TransactionId, string? ExpectedParent);
