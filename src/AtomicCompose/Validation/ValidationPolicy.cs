namespace AtomicCompose.Validation;

/// <summary>Decides which diagnostics block a transaction. By default only new errors and new documentation findings block.</summary>
public sealed class ValidationPolicy
{
    /// <summary>New errors (syntax, compiler, analyzer or custom) block. Default <see langword="true"/>.</summary>
    public bool BlockOnNewErrors { get; set; } = true;

    /// <summary>New warnings block. Default <see langword="false"/>.</summary>
    public bool BlockOnNewWarnings { get; set; }

    /// <summary>New documentation findings (for example a public member without XML docs) block. Default <see langword="true"/>.</summary>
    public bool BlockOnNewDocumentation { get; set; } = true;

    /// <summary>Pre-existing errors in the edited files block too (not baseline-relative). Default <see langword="false"/>.</summary>
    public bool BlockOnPreexistingErrors { get; set; }

    /// <summary>Whether <paramref name="diagnostic"/> blocks under this policy.</summary>
    /// <param name="diagnostic">The diagnostic to judge.</param>
    /// <returns><see langword="true"/> if it blocks.</returns>
    public bool Blocks(ValidationDiagnostic diagnostic)
    {
        ArgumentNullException.ThrowIfNull(diagnostic);
        var isError = diagnostic.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error;
        if (!diagnostic.IsNew)
        {
            return isError && BlockOnPreexistingErrors;
        }

        if (diagnostic.Category == ValidationCategory.Documentation)
        {
            return BlockOnNewDocumentation || (isError && BlockOnNewErrors);
        }

        return (isError && BlockOnNewErrors)
            || (diagnostic.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Warning && BlockOnNewWarnings);
    }
}
