using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
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

    /// <summary>
    /// Builds a context from source strings, for unit-testing a validator without files or a project.
    /// Every file of <paramref name="before"/> and <paramref name="after"/> is compiled (against the embedded
    /// .NET reference assemblies); the files whose text differs become <see cref="Documents"/>, with
    /// <see cref="ValidationDocument.ChangedSpans"/> from a text diff. A path only in <paramref name="after"/>
    /// is a created file, one only in <paramref name="before"/> a deleted one.
    /// </summary>
    /// <param name="before">Path to source text before the edit.</param>
    /// <param name="after">Path to source text after the edit.</param>
    /// <param name="parseOptions">Parse options; default: latest language, documentation comments diagnosed.</param>
    /// <param name="compilationOptions">Compilation options; default: a library with nullable reference types enabled.</param>
    /// <returns>A context whose compilations contain all given files.</returns>
    public static ValidationContext FromSources(
        IReadOnlyDictionary<string, string> before,
        IReadOnlyDictionary<string, string> after,
        CSharpParseOptions? parseOptions = null,
        CSharpCompilationOptions? compilationOptions = null)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        parseOptions ??= new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.Diagnose);
        compilationOptions ??= new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable);

        SyntaxTree Parse(string path, string text) => CSharpSyntaxTree.ParseText(SourceText.From(text, System.Text.Encoding.UTF8), parseOptions, path);

        var beforeTrees = before.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => Parse(kv.Key, kv.Value), StringComparer.Ordinal);
        var afterTrees = new Dictionary<string, SyntaxTree>(StringComparer.Ordinal);
        var documents = new List<ValidationDocument>();
        foreach (var path in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            var oldTree = beforeTrees.GetValueOrDefault(path);
            if (after.TryGetValue(path, out var newText) && oldTree is not null && before[path] == newText)
            {
                afterTrees[path] = oldTree; // unchanged: share the tree, as a warm compilation would
                continue;
            }

            var newTree = newText is null ? null : Parse(path, newText);
            if (newTree is not null)
            {
                afterTrees[path] = newTree;
            }

            IReadOnlyList<TextSpan> spans = newTree is null
                ? []
                : oldTree is null
                    ? [new TextSpan(0, newTree.Length)]
                    : TextRegion.Between(oldTree.GetText(), newTree.GetText()) is { } region ? [region.NewSpan] : [];
            documents.Add(new ValidationDocument(path, oldTree, newTree, spans));
        }

        var name = "Sources";
        var beforeCompilation = CSharpCompilation.Create(name, beforeTrees.Values, FrameworkReferences.All, compilationOptions);
        var afterCompilation = CSharpCompilation.Create(name, afterTrees.Values, FrameworkReferences.All, compilationOptions);
        return new ValidationContext(documents, beforeCompilation, afterCompilation);
    }

    /// <summary>Diagnostics of the before compilation, per tree; the service shares one across validations of the same baseline.</summary>
    internal DiagnosticCache BeforeDiagnostics { get; init; } = new();

    /// <summary>Diagnostics of the after compilation, per tree; kept so that an accepted edit need not recompute them.</summary>
    internal DiagnosticCache AfterDiagnostics { get; init; } = new();

    /// <summary>The project the documents belong to (its analyzer assemblies, its folder for config files); null outside a project.</summary>
    internal ProjectContext? Project { get; init; }

    /// <summary>The generated files whose text the edit changed (through the project's source generators), before and after.</summary>
    internal IReadOnlyList<(string Path, SyntaxTree? Before, SyntaxTree? After)> GeneratedChanges { get; init; } = [];

    /// <summary>What the source generators reported before and after the edit.</summary>
    internal (System.Collections.Immutable.ImmutableArray<Diagnostic> Before, System.Collections.Immutable.ImmutableArray<Diagnostic> After) GeneratorDiagnostics { get; init; } = ([], []);

    /// <summary>Set when this context judges a project the edit did not touch (a dependent): which of its files the edit can reach.</summary>
    internal DeclarationScope? ExternalScope { get; init; }

    private SemanticDiff? _semanticDiff;
    private List<(SyntaxTree After, SyntaxTree? Before)>? _affectedTrees;

    // One lock each: the analyzers run beside the compile check, and ask for the affected trees while the diff is computed.
    private readonly object _affectedGate = new();
    private readonly object _diffGate = new();

    /// <summary>
    /// The unedited files a declaration change can affect (<see cref="DeclarationScope.AffectedTrees"/>), computed
    /// once and shared by the compilation check and the analyzer validator.
    /// </summary>
    internal List<(SyntaxTree After, SyntaxTree? Before)> GetAffectedTrees(CancellationToken cancellationToken)
    {
        lock (_affectedGate)
        {
            return _affectedTrees ??= AfterCompilation is null ? [] : DeclarationScope.AffectedTrees(this, AfterCompilation, cancellationToken);
        }
    }

    /// <summary>The compiler's baseline-relative diagnostics, computed once and shared by the compilation and documentation validators.</summary>
    internal SemanticDiff GetSemanticDiff(CancellationToken cancellationToken)
    {
        lock (_diffGate)
        {
            return _semanticDiff ??= SemanticDiff.Compute(this, cancellationToken);
        }
    }
}
