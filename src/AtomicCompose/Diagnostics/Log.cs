using Microsoft.Extensions.Logging;

namespace AtomicCompose.Diagnostics;

/// <summary>
/// Every log line of the protocol, one EventId per step, so a log reader can follow a transaction
/// step by step (filter by EventId) and find the code of a step by its name here.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Opened workspace {Root} (vcs: {Vcs}, recovered: {Recovered})")]
    public static partial void Opened(ILogger logger, string root, string vcs, int recovered);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Indexed {Count} new or changed files of the workspace in {ElapsedMs:0.0} ms")]
    public static partial void IndexedOnOpen(ILogger logger, int count, double elapsedMs);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Indexing the workspace: {Completed} of {Total} files looked at, {Parsed} parsed")]
    public static partial void Indexing(ILogger logger, int completed, int total, int parsed);

    [LoggerMessage(EventId = 10, Level = LogLevel.Debug, Message = "Tx {TransactionId}: staged {Kind} {Target} in {Path}")]
    public static partial void Staged(ILogger logger, string transactionId, string kind, string target, string path);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "Tx {TransactionId}: compose done for {Files} file(s) in {ElapsedMs:0.0} ms")]
    public static partial void Composed(ILogger logger, string transactionId, int files, double elapsedMs);

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "Tx {TransactionId}: validate {Verdict} in {ElapsedMs:0.0} ms: {Summary}")]
    public static partial void Validated(ILogger logger, string transactionId, string verdict, double elapsedMs, string summary);

    [LoggerMessage(EventId = 13, Level = LogLevel.Information, Message = "Tx {TransactionId}: journal written and synced in {ElapsedMs:0.0} ms")]
    public static partial void Journaled(ILogger logger, string transactionId, double elapsedMs);

    [LoggerMessage(EventId = 14, Level = LogLevel.Information, Message = "Tx {TransactionId}: temp files written and synced in {ElapsedMs:0.0} ms")]
    public static partial void TempsWritten(ILogger logger, string transactionId, double elapsedMs);

    [LoggerMessage(EventId = 15, Level = LogLevel.Information, Message = "Tx {TransactionId}: backups written in {ElapsedMs:0.0} ms")]
    public static partial void BackedUp(ILogger logger, string transactionId, double elapsedMs);

    [LoggerMessage(EventId = 16, Level = LogLevel.Information, Message = "Tx {TransactionId}: index changes staged ({Files} files, {Entities} entities) in {ElapsedMs:0.0} ms")]
    public static partial void IndexStaged(ILogger logger, string transactionId, int files, int entities, double elapsedMs);

    [LoggerMessage(EventId = 17, Level = LogLevel.Information, Message = "Tx {TransactionId}: moved {Files} file(s) into place in {ElapsedMs:0.0} ms")]
    public static partial void Moved(ILogger logger, string transactionId, int files, double elapsedMs);

    [LoggerMessage(EventId = 18, Level = LogLevel.Information, Message = "Tx {TransactionId}: index committed (commit point) in {ElapsedMs:0.0} ms")]
    public static partial void IndexCommitted(ILogger logger, string transactionId, double elapsedMs);

    [LoggerMessage(EventId = 19, Level = LogLevel.Information, Message = "Tx {TransactionId}: git commit {CommitSha} in {ElapsedMs:0.0} ms")]
    public static partial void VcsCommitted(ILogger logger, string transactionId, string commitSha, double elapsedMs);

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Tx {TransactionId}: done, journal retired")]
    public static partial void Done(ILogger logger, string transactionId);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "Tx {TransactionId}: committed, but its journal entry could not be retired; the next recovery retires it")]
    public static partial void RetireFailed(ILogger logger, Exception exception, string transactionId);

    [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "Tx {TransactionId}: rolled back {Files} file(s)")]
    public static partial void RolledBack(ILogger logger, string transactionId, int files);

    [LoggerMessage(EventId = 31, Level = LogLevel.Error, Message = "Tx {TransactionId}: rollback could not finish; the journal keeps it for recovery")]
    public static partial void RollbackFailed(ILogger logger, Exception exception, string transactionId);

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "Recovery: {Count} unfinished transaction(s) in the journal")]
    public static partial void RecoveryStarted(ILogger logger, int count);

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning, Message = "Recovery: tx {TransactionId} had not reached its commit point; rolled back")]
    public static partial void RecoveredBack(ILogger logger, string transactionId);

    [LoggerMessage(EventId = 42, Level = LogLevel.Warning, Message = "Recovery: tx {TransactionId} was committed; rolled forward (git commit {CommitSha})")]
    public static partial void RecoveredForward(ILogger logger, string transactionId, string? commitSha);

    [LoggerMessage(EventId = 43, Level = LogLevel.Error, Message = "Recovery: {Path} of tx {TransactionId} was changed by someone else; not overwritten, backup kept at {BackupPath}")]
    public static partial void RecoveryConflict(ILogger logger, string transactionId, string path, string? backupPath);

    [LoggerMessage(EventId = 50, Level = LogLevel.Error, Message = "Tx {TransactionId}: step {Step} failed; transaction is now {State}")]
    public static partial void StepFailed(ILogger logger, Exception exception, string transactionId, ComposeStep step, TransactionState state);
}
