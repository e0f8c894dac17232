using Microsoft.CodeAnalysis;

namespace AtomicCompose.Validation;

/// <summary>
/// Reports parse errors of the edited documents. Runs first: a file that does not parse cannot be
/// type-checked meaningfully, so a new syntax error stops the pipeline.
/// </summary>
public sealed class SyntaxValidator : IValidator
{
    /// <summary>The name shown in reports: <c>syntax</c>.</summary>
    public const string ValidatorName = "syntax";

    /// <inheritdoc />
    public string Name => ValidatorName;

    /// <inheritdoc />
    public IReadOnlyList<ValidationDiagnostic> Validate(ValidationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var result = new List<ValidationDiagnostic>();
        foreach (var doc in context.Documents)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (doc.After is null)
            {
                continue;
            }

            var after = Relevant(doc.After, cancellationToken);
            if (after.Count == 0)
            {
                continue;
            }

            var before = doc.Before is null ? [] : Relevant(doc.Before, cancellationToken);
            var region = doc.Before is null ? null : TextRegion.Between(doc.Before.GetText(cancellationToken), doc.After.GetText(cancellationToken));
            var isNew = BaselineMatcher.FindNew(before, after, region);
            for (var i = 0; i < after.Count; i++)
            {
                result.Add(SemanticDiff.ToValidationDiagnostic(after[i], doc.Path, isNew[i], ValidatorName, ValidationCategory.Syntax));
            }
        }

        return result;
    }

    // Malformed XML doc comments surface as parse diagnostics, but they are the documentation validator's.
    private static List<Diagnostic> Relevant(SyntaxTree tree, CancellationToken cancellationToken) =>
        [.. tree.GetDiagnostics(cancellationToken).Where(d => d.Severity != DiagnosticSeverity.Hidden && !DocumentationValidator.IsDocumentationId(d.Id))];
}
