namespace AtomicCompose.BuildHost;

/// <summary>What the library asks: one project, the files staged for it, and what to read from MSBuild.</summary>
internal sealed class HostRequest
{
    /// <summary>Full path of the project file.</summary>
    public string Project { get; set; } = "";

    /// <summary>Staged files by full path: the new text, or null for a file the transaction deletes.</summary>
    public Dictionary<string, string?> Files { get; set; } = [];

    /// <summary>Properties read from the project's evaluation.</summary>
    public List<string> EvaluationProperties { get; set; } = [];

    /// <summary>Items read from the project's evaluation.</summary>
    public List<string> EvaluationItems { get; set; } = [];

    /// <summary>
    /// Items whose change means a restore is needed (<c>PackageReference</c> and the like): compared between the evaluation
    /// with the files on disk and the one with the staged files, for the project and each of its frameworks.
    /// </summary>
    public List<string> RestoreItems { get; set; } = [];

    /// <summary>The design-time build's targets, run once per framework (none: the evaluation alone).</summary>
    public List<string> BuildTargets { get; set; } = [];

    /// <summary>Global properties of the design-time build.</summary>
    public Dictionary<string, string> BuildProperties { get; set; } = [];

    /// <summary>Where each framework's design-time build puts its intermediate files (a folder per framework below it); empty: the project's own.</summary>
    public string IntermediateOutputRoot { get; set; } = "";

    /// <summary>Properties read after the design-time build.</summary>
    public List<string> BuildResultProperties { get; set; } = [];

    /// <summary>Items read after the design-time build.</summary>
    public List<string> BuildResultItems { get; set; } = [];
}

/// <summary>What MSBuild gave, in the shape <c>dotnet msbuild -getProperty -getItem</c> prints it.</summary>
internal sealed class HostResult
{
    public Dictionary<string, string> Properties { get; set; } = [];

    /// <summary>Items by type: <c>Identity</c> and the item's own metadata.</summary>
    public Dictionary<string, List<Dictionary<string, string>>> Items { get; set; } = [];
}

/// <summary>The answer: the evaluation, what changed a restore's inputs, and one design-time build per framework.</summary>
internal sealed class HostResponse
{
    /// <summary>Whether the project's evaluation reads a staged file (the project file, or an import), with the files on disk or with the staged ones; when not, nothing else is filled in.</summary>
    public bool ReadsStagedFiles { get; set; }

    public HostResult Evaluation { get; set; } = new();

    /// <summary>The restore inputs the staged files change, as "item identity (framework)" lines; empty when none.</summary>
    public List<string> RestoreInputsChanged { get; set; } = [];

    /// <summary>Design-time builds by framework ("" for a project that builds once).</summary>
    public Dictionary<string, HostResult> Builds { get; set; } = [];
}

/// <summary>MSBuild could not evaluate or build the project; the message has its errors.</summary>
internal sealed class StagedBuildException(string message) : Exception(message);
