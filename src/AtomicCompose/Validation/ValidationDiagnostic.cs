using Microsoft.CodeAnalysis;

namespace AtomicCompose.Validation;

/// <summary>Which kind of validator produced a diagnostic; the policy treats kinds differently.</summary>
public enum ValidationCategory
{
    /// <summary>The code does not parse.</summary>
    Syntax,
    /// <summary>Compiler diagnostics (type checking).</summary>
    Compilation,
    /// <summary>Documentation rules (missing or malformed XML docs).</summary>
    Documentation,
    /// <summary>Analyzer (linter) diagnostics.</summary>
    Analyzer,
    /// <summary>A caller's own validator.</summary>
    Custom,
}

/// <summary>One finding of a validator.</summary>
/// <param name="Id">The diagnostic id, e.g. <c>CS0103</c>.</param>
/// <param name="Severity">Error, warning, info or hidden.</param>
/// <param name="Message">The message.</param>
/// <param name="Path">Workspace-relative path of the file.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
/// <param name="Validator">The validator's <see cref="IValidator.Name"/>.</param>
/// <param name="Category">The validator's category.</param>
/// <param name="IsNew"><see langword="true"/> when the edit introduced it; pre-existing ones never block by default.</param>
public sealed record ValidationDiagnostic(
    string Id,
    DiagnosticSeverity Severity,
    string Message,
    string Path,
    int Line,
    int Column,
    string Validator,
    ValidationCategory Category,
    bool IsNew)
{
    /// <summary>
    /// For a project that builds for several target frameworks, those whose build reports it (<c>net8.0</c>, or
    /// <c>net10.0;net8.0</c> when several report it alike); <see langword="null"/> for a project with one.
    /// </summary>
    public string? TargetFramework { get; init; }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Path}({Line},{Column}): {Severity.ToString().ToLowerInvariant()} {Id}: {Message} [{Validator}{(IsNew ? ", new" : ", pre-existing")}{(TargetFramework is null ? "" : ", " + TargetFramework)}]";
}
