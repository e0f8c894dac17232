namespace AtomicCompose.Validation;

/// <summary>
/// Reports XML documentation findings: a visible member of a public type without a doc comment (CS1591),
/// malformed XML (CS1570), <c>param</c> tags that do not match the parameters (CS1572, CS1573), and the
/// compiler's other documentation-comment diagnostics. Requires documentation comments to be parsed in
/// <see cref="Microsoft.CodeAnalysis.DocumentationMode.Diagnose"/> mode, which the service and
/// <see cref="ValidationContext.FromSources"/> use.
/// </summary>
public sealed class DocumentationValidator : IValidator
{
    /// <summary>The name shown in reports: <c>documentation</c>.</summary>
    public const string ValidatorName = "documentation";

    private static readonly HashSet<string> DocumentationIds = new(StringComparer.Ordinal)
    {
        "CS1570", "CS1571", "CS1572", "CS1573", "CS1574", "CS1580", "CS1581", "CS1584", "CS1587", "CS1589",
        "CS1590", "CS1591", "CS1592", "CS1710", "CS1711", "CS1712", "CS1723", "CS1734", "CS1735",
    };

    /// <inheritdoc />
    public string Name => ValidatorName;

    /// <inheritdoc />
    public IReadOnlyList<ValidationDiagnostic> Validate(ValidationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.GetSemanticDiff(cancellationToken).Entries
            .Where(e => IsDocumentationId(e.Diagnostic.Id))
            .Select(e => SemanticDiff.ToValidationDiagnostic(e, ValidatorName, ValidationCategory.Documentation))
            .ToList();
    }

    /// <summary>Whether a compiler diagnostic id is about documentation comments.</summary>
    internal static bool IsDocumentationId(string id) => DocumentationIds.Contains(id);
}
