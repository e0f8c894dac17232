using Microsoft.Extensions.Logging;

namespace AtomicCompose.Validation;

/// <summary>
/// Runs the validator pipeline for the engine, keeping one warm compilation per project.
/// (Stub: being implemented.)
/// </summary>
internal sealed class ValidationService
{
    public ValidationService(string root, IReadOnlyList<IValidator> customValidators, ValidationPolicy policy, ILogger logger)
    {
        _ = root; _ = customValidators; _ = policy; _ = logger;
    }

    /// <summary>Validates the documents (paths root-relative) against their projects.</summary>
    public ValidationReport Validate(IReadOnlyList<ValidationDocument> documents, CancellationToken cancellationToken)
        => throw new NotImplementedException();

    /// <summary>The documents' after-state became the committed state: make it the new baseline.</summary>
    public void Accept(IReadOnlyList<ValidationDocument> documents) => throw new NotImplementedException();
}
