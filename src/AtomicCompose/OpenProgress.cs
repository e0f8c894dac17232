namespace AtomicCompose;

/// <summary>What <see cref="ComposeEngine.Open(string, ComposeOptions?, IProgress{OpenProgress}?, CancellationToken)"/> is doing.</summary>
public enum OpenStage
{
    /// <summary>Repairing what an earlier process left unfinished (the journal).</summary>
    Recovering,

    /// <summary>Bringing the index in step with the C# files on disk: every file is hashed, only new and changed ones are parsed.</summary>
    Indexing,

    /// <summary>The engine is open.</summary>
    Opened,
}

/// <summary>How far an <c>Open</c> has come.</summary>
/// <param name="Stage">The stage.</param>
/// <param name="Completed">Files looked at so far in <see cref="OpenStage.Indexing"/>; otherwise 0.</param>
/// <param name="Total">Files to look at in <see cref="OpenStage.Indexing"/>; otherwise 0.</param>
/// <param name="Parsed">Of <paramref name="Completed"/>, the files that were new or changed and so were parsed again.</param>
public sealed record OpenProgress(OpenStage Stage, int Completed, int Total, int Parsed);
