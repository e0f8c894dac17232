using AtomicCompose.Composition;
using AtomicCompose.Validation;

namespace AtomicCompose;

/// <summary>How a file is changed by a transaction.</summary>
public enum FileChangeKind
{
    /// <summary>An existing file is edited.</summary>
    Modified,
    /// <summary>A new file is created.</summary>
    Created,
    /// <summary>An existing file is deleted.</summary>
    Deleted,
}

/// <summary>How an entity (type or member) is changed.</summary>
public enum EntityChangeKind
{
    /// <summary>It is new.</summary>
    Added,
    /// <summary>It is gone.</summary>
    Removed,
    /// <summary>Its text changed.</summary>
    Modified,
}

/// <summary>What a transaction does (or did) to one file.</summary>
/// <param name="Path">Root-relative path.</param>
/// <param name="Kind">Modified, created or deleted.</param>
/// <param name="UnifiedDiff">A unified diff (with 3 lines of context) from the old to the new text.</param>
/// <param name="Operations">Per operation staged on the file, the lines it changed.</param>
/// <param name="OldHash">SHA-256 before; <see langword="null"/> when created.</param>
/// <param name="NewHash">SHA-256 after; <see langword="null"/> when deleted.</param>
/// <param name="BackupPath">Root-relative path of the pre-image backup, once applied; <see langword="null"/> for a created file or before apply.</param>
public sealed record FileChange(
    string Path,
    FileChangeKind Kind,
    string UnifiedDiff,
    IReadOnlyList<OperationOutcome> Operations,
    string? OldHash,
    string? NewHash,
    string? BackupPath);

/// <summary>An entity the transaction adds, removes or changes.</summary>
/// <param name="Path">Root-relative file path.</param>
/// <param name="NamePath">The entity's name path.</param>
/// <param name="Kind">The entity kind.</param>
/// <param name="Change">Added, removed or modified.</param>
/// <param name="Lines">Its lines after the change (before, for a removed entity).</param>
public sealed record EntityChange(string Path, string NamePath, string Kind, EntityChangeKind Change, LineRange Lines);

/// <summary>How long a protocol step took.</summary>
/// <param name="Step">The step.</param>
/// <param name="Elapsed">Its duration.</param>
public sealed record StepTiming(ComposeStep Step, TimeSpan Elapsed);

/// <summary>What <see cref="ComposeTransaction.Preview"/> shows: the diffs and the validation report; nothing is written.</summary>
/// <param name="Files">Per file, the change.</param>
/// <param name="Validation">The validation report.</param>
/// <param name="EntityChanges">The entities added, removed or changed.</param>
public sealed record ComposePreview(IReadOnlyList<FileChange> Files, ValidationReport Validation, IReadOnlyList<EntityChange> EntityChanges);

/// <summary>The outcome of a completed transaction.</summary>
/// <param name="TransactionId">The transaction id (also the git trailer <c>Compose-Transaction</c>).</param>
/// <param name="CommitSha">The git commit, or <see langword="null"/> when the workspace is not a git repository.</param>
/// <param name="Files">Per file: diff, changed ranges, hashes and backup.</param>
/// <param name="EntityChanges">The entities added, removed or changed.</param>
/// <param name="Validation">The validation report.</param>
/// <param name="Timings">How long each step took, in protocol order.</param>
public sealed record ComposeResult(
    string TransactionId,
    string? CommitSha,
    IReadOnlyList<FileChange> Files,
    IReadOnlyList<EntityChange> EntityChanges,
    ValidationReport Validation,
    IReadOnlyList<StepTiming> Timings);
