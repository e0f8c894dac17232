using System.Globalization;
using Microsoft.CodeAnalysis;

namespace AtomicCompose.Validation;

/// <summary>
/// The compiler's diagnostics (binding, flow analysis, documentation comments) of the trees an edit can
/// affect, each marked new or pre-existing. A body-only edit can only change the diagnostics of its own
/// file; a declaration change (not equivalent at top level) can break other files, so then every tree the
/// change can reach (see <see cref="DeclarationScope"/>) is compared as well.
/// </summary>
internal sealed class SemanticDiff
{
    private SemanticDiff(IReadOnlyList<Entry> entries, int checkedOtherTrees)
    {
        Entries = entries;
        CheckedOtherTrees = checkedOtherTrees;
    }

    internal readonly record struct Entry(Diagnostic Diagnostic, string Path, bool IsNew);

    public IReadOnlyList<Entry> Entries { get; }

    /// <summary>How many trees besides the edited ones were checked (none for a body-only edit).</summary>
    public int CheckedOtherTrees { get; }

    public static SemanticDiff Compute(ValidationContext context, CancellationToken cancellationToken)
    {
        var entries = new List<Entry>();
        var before = context.BeforeCompilation;
        var after = context.AfterCompilation;
        if (after is null)
        {
            return new SemanticDiff(entries, 0);
        }

        var declarationChange = context.ExternalScope is not null || context.Documents.Any(IsDeclarationChange);
        var checkedOthers = 0;
        var editedAfterTrees = new HashSet<SyntaxTree>();

        foreach (var doc in context.Documents)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (doc.After is null || !after.ContainsSyntaxTree(doc.After))
            {
                continue;
            }

            editedAfterTrees.Add(doc.After);
            var oldTree = doc.Before is not null && before is not null && before.ContainsSyntaxTree(doc.Before) ? doc.Before : null;
            var region = oldTree is null ? null : TextRegion.Between(oldTree.GetText(cancellationToken), doc.After.GetText(cancellationToken));
            Compare(context, doc.Path, oldTree, doc.After, region, reportOld: true, entries, cancellationToken);
        }

        if (declarationChange)
        {
            var beforeByPath = new Dictionary<string, SyntaxTree>(StringComparer.Ordinal);
            foreach (var tree in before?.SyntaxTrees ?? [])
            {
                beforeByPath.TryAdd(tree.FilePath, tree);
            }

            var scope = context.ExternalScope ?? DeclarationScope.Compute(context.Documents, cancellationToken);
            var others = after.SyntaxTrees.Where(t => !editedAfterTrees.Contains(t) && scope.Affects(t.GetText(cancellationToken).ToString())).ToList();
            checkedOthers = others.Count;
            var results = new List<Entry>[others.Count];

            // Binding every file is the slow part of a declaration change; files are independent.
            Parallel.For(
                0,
                others.Count,
                new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount },
                i =>
                {
                    var tree = others[i];
                    var oldTree = beforeByPath.GetValueOrDefault(tree.FilePath);
                    var region = oldTree is null || ReferenceEquals(oldTree, tree) ? null : TextRegion.Between(oldTree.GetText(cancellationToken), tree.GetText(cancellationToken));
                    results[i] = [];
                    Compare(context, tree.FilePath, oldTree, tree, region, reportOld: false, results[i], cancellationToken);
                });

            foreach (var r in results)
            {
                entries.AddRange(r);
            }
        }

        return new SemanticDiff(entries, checkedOthers);
    }

    internal static bool IsDeclarationChange(ValidationDocument doc) =>
        doc.Before is null || doc.After is null || !doc.After.IsEquivalentTo(doc.Before, topLevel: true);

    private static void Compare(
        ValidationContext context, string path, SyntaxTree? oldTree, SyntaxTree newTree, TextRegion? region, bool reportOld, List<Entry> entries, CancellationToken cancellationToken)
    {
        var afterDiagnostics = WithoutSyntax(context.AfterDiagnostics.Get(context.AfterCompilation!, newTree, cancellationToken), newTree, cancellationToken);
        if (afterDiagnostics.Count == 0)
        {
            return; // nothing can be new, so the before side need not be bound at all
        }

        var beforeDiagnostics = oldTree is null
            ? []
            : WithoutSyntax(context.BeforeDiagnostics.Get(context.BeforeCompilation!, oldTree, cancellationToken), oldTree, cancellationToken);

        var isNew = BaselineMatcher.FindNew(beforeDiagnostics, afterDiagnostics, region);
        for (var i = 0; i < afterDiagnostics.Count; i++)
        {
            if (isNew[i] || reportOld)
            {
                entries.Add(new Entry(afterDiagnostics[i], path, isNew[i]));
            }
        }
    }

    // The syntax validator owns parse errors; the semantic model repeats them. Malformed doc comments
    // (CS1570) are parse diagnostics too, but they belong to the documentation validator.
    private static List<Diagnostic> WithoutSyntax(IEnumerable<Diagnostic> diagnostics, SyntaxTree tree, CancellationToken cancellationToken)
    {
        var syntax = tree.GetDiagnostics(cancellationToken).Where(d => !DocumentationValidator.IsDocumentationId(d.Id)).ToHashSet();
        return syntax.Count == 0 ? diagnostics.ToList() : diagnostics.Where(d => !syntax.Contains(d)).ToList();
    }

    internal static ValidationDiagnostic ToValidationDiagnostic(Diagnostic d, string path, bool isNew, string validator, ValidationCategory category)
    {
        var position = d.Location.GetLineSpan().StartLinePosition;
        return new ValidationDiagnostic(d.Id, d.Severity, d.GetMessage(CultureInfo.InvariantCulture), path, position.Line + 1, position.Character + 1, validator, category, isNew);
    }
}
