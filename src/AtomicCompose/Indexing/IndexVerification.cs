namespace AtomicCompose.Indexing;

/// <summary>The result of comparing the index with the files on disk.</summary>
/// <param name="IsConsistent">Whether the index matches the disk exactly (no problems).</param>
/// <param name="Problems">One line per difference, ordered by path: missing or changed files, stale entities, files not indexed.</param>
public sealed record IndexVerification(bool IsConsistent, IReadOnlyList<string> Problems);
