namespace AtomicCompose.Validation;

/// <summary>
/// Reports the compiler's errors and warnings (type checking, flow analysis) that the edit introduces,
/// in the edited files and, after a declaration change, in every other file of the project. Parse
/// errors belong to <see cref="SyntaxValidator"/>, documentation comments to <see cref="DocumentationValidator"/>.
/// </summary>
public sealed class CompilationValidator : IValidator
{
    /// <summary>The name shown in reports: <c>compilation</c>.</summary>
    public const string ValidatorName = "compilation";

    /// <inheritdoc />
    public string Name => ValidatorName;

    /// <inheritdoc />
    public IReadOnlyList<ValidationDiagnostic> Validate(ValidationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.GetSemanticDiff(cancellationToken).Entries
            .Where(e => !DocumentationValidator.IsDocumentationId(e.Diagnostic.Id))
            .Select(e => SemanticDiff.ToValidationDiagnostic(e, ValidatorName, ValidationCategory.Compilation))
            .ToList();
    }
}
