namespace AtomicCompose;

/// <summary>What went wrong, as a stable code a caller can switch on.</summary>
public enum ComposeErrorCode
{
    /// <summary>A name path or line range matched no node.</summary>
    TargetNotFound,
    /// <summary>A name path matched more than one node; <see cref="ComposeException.Candidates"/> lists them.</summary>
    AmbiguousTarget,
    /// <summary>The code given for an operation does not parse in the place it goes.</summary>
    InvalidCode,
    /// <summary>Validation found diagnostics the edit introduced and the policy blocks them.</summary>
    ValidationFailed,
    /// <summary>A path resolves outside the workspace root, into <c>.git</c> or into <c>.atomiccompose</c>.</summary>
    PathOutsideRoot,
    /// <summary>A file changed on disk after the transaction read it.</summary>
    FileChangedSinceRead,
    /// <summary>A file is not valid UTF-8 and would be corrupted by decoding it.</summary>
    NotUtf8,
    /// <summary>A file that must exist does not, or one that must not exist does.</summary>
    FileState,
    /// <summary>A file-system operation failed (disk full, permission, ...).</summary>
    IO,
    /// <summary>The index store failed.</summary>
    Index,
    /// <summary>The version-control step failed (locked repository, moved branch, ...).</summary>
    Vcs,
    /// <summary>The workspace is held by another engine.</summary>
    WorkspaceLocked,
    /// <summary>The call is not allowed in the transaction's current state.</summary>
    WrongTransactionState,
    /// <summary>The operation was cancelled through its <see cref="CancellationToken"/>.</summary>
    Cancelled,
    /// <summary>Recovery found a file changed by someone else and kept its backup instead of overwriting it.</summary>
    RecoveryConflict,
    /// <summary>No committed transaction with that id is recorded in the index (or it recorded no files, so it cannot be undone).</summary>
    UnknownTransaction,
    /// <summary>The transaction was already undone; undo the undo to redo it.</summary>
    AlreadyUndone,
    /// <summary>A file a transaction wrote changed since (by a later transaction or by hand), so taking the transaction back would overwrite that change.</summary>
    ChangedSinceTransaction,

    /// <summary>A project's packages are not restored (no assets file where MSBuild looks, or the SDK says the restore does not cover what the project builds): run <c>dotnet restore</c>, or set <see cref="ComposeOptions.RestoreProjects"/>.</summary>
    ProjectNotRestored,

    /// <summary>No .NET SDK to ask what a project compiles; a caller without one supplies the project context itself.</summary>
    SdkNotFound,

    /// <summary>MSBuild could not evaluate a project, or its design-time build gave no compiler command line.</summary>
    ProjectEvaluationFailed,
}

/// <summary>The step of the unit of work at which something happened.</summary>
public enum ComposeStep
{
    /// <summary>Opening the workspace: lock, index, VCS.</summary>
    Open,
    /// <summary>Staging an operation (reading and checking the target file).</summary>
    Stage,
    /// <summary>Applying the operations to the syntax tree.</summary>
    Compose,
    /// <summary>Running the validator pipeline.</summary>
    Validate,
    /// <summary>Writing and syncing the write-ahead journal.</summary>
    Journal,
    /// <summary>Writing the new texts to temp files beside their targets.</summary>
    WriteTemp,
    /// <summary>Copying the pre-images into the backup store.</summary>
    Backup,
    /// <summary>Computing the index changes.</summary>
    IndexStage,
    /// <summary>Renaming temp files onto their targets.</summary>
    Move,
    /// <summary>Committing the index: the commit point of the transaction.</summary>
    IndexCommit,
    /// <summary>Creating the git commit.</summary>
    VcsCommit,
    /// <summary>Retiring the journal entry.</summary>
    Done,
    /// <summary>Restoring files after a rollback.</summary>
    Rollback,
    /// <summary>Repairing unfinished transactions found in the journal.</summary>
    Recovery,
    /// <summary>Checking that a completed transaction can be taken back (before its undo transaction is staged).</summary>
    Undo,
}

/// <summary>Where a transaction stands, as seen after an error or a call.</summary>
public enum TransactionState
{
    /// <summary>Staging; nothing is on disk.</summary>
    Active,
    /// <summary>New files are on disk, backups and journal exist, the index commit is pending.</summary>
    Applied,
    /// <summary>Index and git commit done; durable.</summary>
    Completed,
    /// <summary>Everything the transaction touched is as it was before.</summary>
    RolledBack,
    /// <summary>Something could not be undone; the journal keeps it and the next <c>Open</c> (or <see cref="ComposeEngine.Recover"/>) repairs it.</summary>
    NeedsRecovery,
    /// <summary>Durable in files and index, but a later step (git) failed; recovery rolls it forward.</summary>
    CommittedNeedsRecovery,
}

/// <summary>The one exception family of AtomicCompose: a code, the failing step, the paths and the transaction state.</summary>
public class ComposeException : Exception
{
    /// <summary>Creates an error.</summary>
    /// <param name="code">What went wrong.</param>
    /// <param name="step">The step that failed.</param>
    /// <param name="message">What happened and what to do next.</param>
    /// <param name="paths">Workspace-relative paths involved.</param>
    /// <param name="state">The transaction state after the failure.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    /// <param name="candidates">For target errors: the name paths (with lines) that were available or matched.</param>
    public ComposeException(
        ComposeErrorCode code,
        ComposeStep step,
        string message,
        IReadOnlyList<string>? paths = null,
        TransactionState state = TransactionState.Active,
        Exception? innerException = null,
        IReadOnlyList<string>? candidates = null)
        : base(message, innerException)
    {
        Code = code;
        Step = step;
        Paths = paths ?? [];
        State = state;
        Candidates = candidates ?? [];
    }

    /// <summary>What went wrong.</summary>
    public ComposeErrorCode Code { get; }

    /// <summary>The step that failed.</summary>
    public ComposeStep Step { get; }

    /// <summary>Workspace-relative paths involved.</summary>
    public IReadOnlyList<string> Paths { get; }

    /// <summary>The transaction's state after the failure.</summary>
    public TransactionState State { get; internal set; }

    /// <summary>For target errors: candidate name paths with their lines.</summary>
    public IReadOnlyList<string> Candidates { get; }

    /// <inheritdoc />
    public override string Message =>
        $"{base.Message} [code={Code}, step={Step}, state={State}{(Paths.Count > 0 ? ", paths=" + string.Join(", ", Paths) : "")}]";

    /// <summary>The message without the bracketed code/step/state suffix.</summary>
    public string Reason => base.Message;
}

/// <summary>Validation blocked the transaction; nothing was written.</summary>
public sealed class ComposeValidationException : ComposeException
{
    /// <summary>Creates the error from the report that blocked.</summary>
    /// <param name="report">The full validation report.</param>
    /// <param name="paths">The files that were validated.</param>
    public ComposeValidationException(Validation.ValidationReport report, IReadOnlyList<string> paths)
        : base(ComposeErrorCode.ValidationFailed, ComposeStep.Validate,
            $"Validation blocked the edit: {report.Summary()}. Nothing was written; fix the code and stage again.",
            paths, TransactionState.Active)
    {
        Report = report;
    }

    /// <summary>The report, with every diagnostic and per-validator verdict.</summary>
    public Validation.ValidationReport Report { get; }
}
