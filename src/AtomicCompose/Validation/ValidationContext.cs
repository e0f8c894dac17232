using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace AtomicCompose.Validation;

/// <summary>One document of a transaction, before and after the edit.</summary>
/// <param name="Path">Workspace-relative path.</param>
/// <param name="Before">The tree before the edit; <see langword="null"/> for a created file.</param>
/// <param name="After">The tree after the edit; <see langword="null"/> for a deleted file.</param>
/// <param name="ChangedSpans">The spans of <paramref name="After"/> the edit wrote.</param>
public sealed record ValidationDocument(string Path, SyntaxTree? Before, SyntaxTree? After, IReadOnlyList<TextSpan> ChangedSpans);

/// <summary>What a validator judges: the edited documents and the project's compilations before and after the edit.</summary>
public sealed class ValidationContext
{
    /// <summary>Creates a context.</summary>
    /// <param name="documents">The edited documents.</param>
    /// <param name="before">The project compilation before the edit, if known.</param>
    /// <param name="after">The project compilation after the edit, if known.</param>
    public ValidationContext(IReadOnlyList<ValidationDocument> documents, Compilation? before, Compilation? after)
    {
        Documents = documents ?? throw new ArgumentNullException(nameof(documents));
        BeforeCompilation = before;
        AfterCompilation = after;
    }

    /// <summary>The edited documents.</summary>
    public IReadOnlyList<ValidationDocument> Documents { get; }

    /// <summary>The project compilation before the edit, or <see langword="null"/>.</summary>
    public Compilation? BeforeCompilation { get; }

    /// <summary>The project compilation after the edit, or <see langword="null"/>.</summary>
    public Compilation? AfterCompilation { get; }
}
