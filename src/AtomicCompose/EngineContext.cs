using AtomicCompose.Composition;
using AtomicCompose.Files;
using AtomicCompose.Indexing;
using AtomicCompose.Journal;
using AtomicCompose.Validation;
using AtomicCompose.Vcs;
using AtomicCompose.Workspace;
using Microsoft.Extensions.Logging;

namespace AtomicCompose;

/// <summary>The components an engine's transactions share.</summary>
internal sealed record EngineContext(
    WorkspacePaths Paths,
    ComposeOptions Options,
    ITreeComposer Composer,
    IFileCommitter Files,
    IIndexStore Index,
    IVcs Vcs,
    JournalStore Journal,
    JournalRecovery Recovery,
    ValidationService Validation,
    ILogger Logger)
{
    /// <summary>Called at every protocol step boundary with a label such as <c>after:Move</c>; the crash tests kill the process there.</summary>
    public void Hook(string label) => Options.ProtocolHook?.Invoke(label);

    /// <summary>The I/O fault seam (<see cref="ComposeOptions.IoHook"/>), for the few writes the engine makes itself.</summary>
    public void Io(string operation, string path) => Options.IoHook?.Invoke(operation, path);
}
