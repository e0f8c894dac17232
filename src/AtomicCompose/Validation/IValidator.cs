namespace AtomicCompose.Validation;

/// <summary>
/// Judges a composed result. Validators run as a pipeline (syntax, compilation, documentation,
/// analyzers, then custom ones); each reports diagnostics, and the <see cref="ValidationPolicy"/>
/// decides which of them block. A validator must not write anything.
/// </summary>
public interface IValidator
{
    /// <summary>A short, stable name shown in reports (for example <c>syntax</c>).</summary>
    string Name { get; }

    /// <summary>Reports diagnostics about the composed documents of <paramref name="context"/>.</summary>
    /// <param name="context">The documents before and after the edit, with their compilations.</param>
    /// <param name="cancellationToken">Cancels validation.</param>
    /// <returns>The diagnostics found, each marked new or pre-existing.</returns>
    IReadOnlyList<ValidationDiagnostic> Validate(ValidationContext context, CancellationToken cancellationToken);
}
