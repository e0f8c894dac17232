namespace AtomicCompose.Validation;

/// <summary>The verdict of one validator.</summary>
/// <param name="Validator">Its name.</param>
/// <param name="Passed"><see langword="false"/> when one of its diagnostics blocks.</param>
/// <param name="Skipped"><see langword="true"/> when it did not run (an earlier syntax error short-circuits the pipeline).</param>
/// <param name="Elapsed">How long it took.</param>
/// <param name="Diagnostics">What it found.</param>
public sealed record ValidatorVerdict(string Validator, bool Passed, bool Skipped, TimeSpan Elapsed, IReadOnlyList<ValidationDiagnostic> Diagnostics);

/// <summary>The result of the validator pipeline.</summary>
/// <param name="Verdicts">Per validator, in pipeline order.</param>
/// <param name="Blocking">The diagnostics the policy blocks on.</param>
public sealed record ValidationReport(IReadOnlyList<ValidatorVerdict> Verdicts, IReadOnlyList<ValidationDiagnostic> Blocking)
{
    /// <summary>An empty, passing report (nothing to validate).</summary>
    public static ValidationReport Empty { get; } = new([], []);

    /// <summary>The projects (per framework) whose compilations judged the edited files, and where their inputs came from.</summary>
    public IReadOnlyList<JudgedProject> Projects { get; init; } = [];

    /// <summary><see langword="true"/> when nothing blocks.</summary>
    public bool Passed => Blocking.Count == 0;

    /// <summary>Every diagnostic of every validator.</summary>
    public IEnumerable<ValidationDiagnostic> Diagnostics => Verdicts.SelectMany(v => v.Diagnostics);

    /// <summary>One line: the verdict and the first blocking diagnostics.</summary>
    /// <returns>A human-readable summary.</returns>
    public string Summary() => Passed
        ? $"passed ({string.Join(", ", Verdicts.Select(v => $"{v.Validator} {(v.Skipped ? "skipped" : "ok")} {v.Elapsed.TotalMilliseconds:0.0} ms"))})"
        : $"{Blocking.Count} blocking diagnostic(s): {string.Join("; ", Blocking.Take(5))}{(Blocking.Count > 5 ? "; ..." : "")}";
}

/// <summary>Where the inputs of a project's compilation (sources, references, options) came from.</summary>
public enum ProjectInputsSource
{
    /// <summary>MSBuild's evaluation and design-time build: the compiler command line the build would run.</summary>
    MSBuild,

    /// <summary>Handed in by the caller (<see cref="ComposeOptions.ProjectContexts"/>).</summary>
    Caller,

    /// <summary>
    /// MSBuild's evaluation and design-time build with the MSBuild files the transaction stages (a created
    /// <c>Directory.Build.props</c>, a deleted import) in place of the ones on disk.
    /// </summary>
    MSBuildWithStagedFiles,
}

/// <summary>A project that judged an edit, for one of its frameworks.</summary>
/// <param name="ProjectPath">Root-relative path of the project file.</param>
/// <param name="TargetFramework">The framework (<c>net8.0</c>), or null when the project names none.</param>
/// <param name="Inputs">Where its compilation inputs came from.</param>
public sealed record JudgedProject(string ProjectPath, string? TargetFramework, ProjectInputsSource Inputs);
