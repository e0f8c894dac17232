using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

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

    /// <param name="Diagnostic">The compiler's diagnostic.</param>
    /// <param name="Path">The file.</param>
    /// <param name="IsNew">Whether the edit introduced it.</param>
    /// <param name="At">Where it is in the edited file when <paramref name="Diagnostic"/> is the baseline's, located in the file before the edit.</param>
    internal readonly record struct Entry(Diagnostic Diagnostic, string Path, bool IsNew, LinePosition? At = null);

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

        foreach (var doc in context.Documents)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (doc.After is null || !after.ContainsSyntaxTree(doc.After))
            {
                continue;
            }

            var oldTree = doc.Before is not null && before is not null && before.ContainsSyntaxTree(doc.Before) ? doc.Before : null;
            var region = oldTree is null ? null : TextRegion.Between(oldTree.GetText(cancellationToken), doc.After.GetText(cancellationToken));
            if (!declarationChange && oldTree is not null && region is { } r && BodyScope.Find(oldTree, doc.After, r, cancellationToken) is { } scope)
            {
                CompareMember(context, doc.Path, oldTree, doc.After, r, scope, entries, cancellationToken);
                continue;
            }

            Compare(context, doc.Path, oldTree, doc.After, region, reportOld: true, entries, cancellationToken);
        }

        // The warnings the compiler gives only over a whole compilation, for the types the edited files declare.
        UnusedFields.Compare(context, entries, cancellationToken);

        // What the generators made differently is compared like an edited file (its errors are the build's too).
        foreach (var (path, oldTree, newTree) in context.GeneratedChanges)
        {
            if (newTree is not null)
            {
                var region = oldTree is null ? null : TextRegion.Between(oldTree.GetText(cancellationToken), newTree.GetText(cancellationToken));
                Compare(context, path, oldTree, newTree, region, reportOld: false, entries, cancellationToken);
            }
        }

        CompareGeneratorDiagnostics(context, entries, cancellationToken);

        if (declarationChange)
        {
            var others = context.GetAffectedTrees(cancellationToken);
            checkedOthers = others.Count;
            var results = new List<Entry>[others.Count];

            // Roslyn publishes a type's lazily built members before it adds the diagnostics found building them (CS0116
            // for a method directly in a namespace, for one), so a thread reading a tree's diagnostics while another
            // thread builds the same symbols (the global usings file's unused-import check completes every symbol) can
            // miss them now and then; cached as the baseline's, the miss turns the finding "new" at a later edit.
            // Completing the declarations of these trees first, on one thread, leaves the parallel loop nothing to race on.
            foreach (var (tree, oldTree) in others)
            {
                cancellationToken.ThrowIfCancellationRequested();
                after.GetSemanticModel(tree).GetDeclarationDiagnostics(cancellationToken: cancellationToken);
                if (oldTree is not null && before is not null && !context.BeforeDiagnostics.Contains(oldTree) && before.ContainsSyntaxTree(oldTree))
                {
                    before.GetSemanticModel(oldTree).GetDeclarationDiagnostics(cancellationToken: cancellationToken);
                }
            }

            // Binding every file is the slow part of a declaration change; files are independent.
            Parallel.For(
                0,
                others.Count,
                new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount },
                i =>
                {
                    var (tree, oldTree) = others[i];
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

    /// <summary>
    /// The generators' own diagnostics (SYSLIB1042, an invalid <c>[GeneratedRegex]</c> pattern), matched per file like the
    /// compiler's: in an edited file with the edit's shift, elsewhere at the same place.
    /// </summary>
    private static void CompareGeneratorDiagnostics(ValidationContext context, List<Entry> entries, CancellationToken cancellationToken)
    {
        var (before, after) = context.GeneratorDiagnostics;
        if (after.IsDefaultOrEmpty)
        {
            return;
        }

        // Incremental generators may not hold trees, so they locate by path (an external location) rather than by tree.
        static string PathOf(Diagnostic d) => d.Location.SourceTree?.FilePath ?? d.Location.GetLineSpan().Path ?? "";
        var beforeByPath = (before.IsDefault ? [] : before).ToLookup(PathOf, StringComparer.Ordinal);
        foreach (var group in after.GroupBy(PathOf, StringComparer.Ordinal))
        {
            var doc = context.Documents.FirstOrDefault(d => d.Path == group.Key && d.Before is not null && d.After is not null);
            var region = doc is null ? null : TextRegion.Between(doc.Before!.GetText(cancellationToken), doc.After!.GetText(cancellationToken));
            var afterList = group.ToList();
            var isNew = BaselineMatcher.FindNew([.. beforeByPath[group.Key]], afterList, region);
            for (var i = 0; i < afterList.Count; i++)
            {
                entries.Add(new Entry(afterList[i], group.Key, isNew[i]));
            }
        }
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

    /// <summary>
    /// A body-only edit inside one member: only that member is bound in the edited compilation (which is what
    /// keeps the cost from growing with the project), and compared with the same member in the baseline.
    /// The baseline's diagnostics elsewhere in the file are unchanged by such an edit; they are reported as
    /// pre-existing at their shifted positions.
    /// </summary>
    /// <remarks>
    /// What still grows with the project (measured on generated projects, 300 vs 3,000 files): every new
    /// <see cref="Compilation"/> merges the root declarations of all trees again, sorted by tree order
    /// (Roslyn's <c>DeclarationTable.CalculateMergedRoot</c>, even when its cache of the other trees' merge is
    /// kept, which <see cref="ProjectState"/> arranges for repeated edits of one file), and building the
    /// namespaces of the edited compilation plus the first binding in it cost several ms more at 3,000 files
    /// than at 300. Avoiding that needs a way to bind a body with diagnostics without a new compilation, which
    /// Roslyn's public API does not offer (speculative semantic models report no diagnostics).
    /// </remarks>
    private static void CompareMember(
        ValidationContext context, string path, SyntaxTree oldTree, SyntaxTree newTree, TextRegion region, BodyScope scope, List<Entry> entries, CancellationToken cancellationToken)
    {
        var beforeAll = WithoutSyntax(context.BeforeDiagnostics.Get(context.BeforeCompilation!, oldTree, cancellationToken), oldTree, cancellationToken);
        var beforeInside = beforeAll.Where(d => BodyScope.Contains(scope.OldMember, oldTree, d)).ToList();
        var afterInside = WithoutSyntax(
            context.AfterCompilation!.GetSemanticModel(newTree).GetDiagnostics(scope.NewMember, cancellationToken)
                .Where(d => d.Severity != DiagnosticSeverity.Hidden && BodyScope.Contains(scope.NewMember, newTree, d)),
            newTree,
            cancellationToken);

        var isNew = BaselineMatcher.FindNew(beforeInside, afterInside, region);
        for (var i = 0; i < afterInside.Count; i++)
        {
            entries.Add(new Entry(afterInside[i], path, isNew[i]));
        }

        // What a run over the whole edited file would find: the member's findings and the rest of the file's, moved. Once
        // the edit is committed the engine adopts the edited compilation as the baseline, and this is then the next
        // edit's before side, which would otherwise bind every member of the file again.
        List<Diagnostic>? afterAll = new(afterInside.Count + beforeAll.Count);
        afterAll.AddRange(afterInside);
        var lines = newTree.GetText(cancellationToken).Lines;
        foreach (var d in beforeAll)
        {
            if (BodyScope.Contains(scope.OldMember, oldTree, d))
            {
                continue;
            }

            LinePosition? at = null;
            if (d.Location.IsInSource && d.Location.SourceTree == oldTree && region.Map(d.Location.SourceSpan.Start) is { } moved)
            {
                at = lines.GetLinePosition(moved);
                afterAll?.Add(MovedDiagnostic.To(d, newTree, moved));
            }
            else if (!d.Location.IsInSource)
            {
                afterAll?.Add(d);
            }
            else
            {
                afterAll = null; // a finding with no place in the new file: let the next edit bind the file itself
            }

            entries.Add(new Entry(d, path, IsNew: false, at));
        }

        if (afterAll is not null)
        {
            context.AfterDiagnostics.Add(newTree, [.. BaselineMatcher.InFileOrder(afterAll)]);
        }
    }

    // The syntax validator owns parse errors; the semantic model repeats them. Malformed doc comments
    // (CS1570) are parse diagnostics too, but they belong to the documentation validator.
    private static List<Diagnostic> WithoutSyntax(IEnumerable<Diagnostic> diagnostics, SyntaxTree tree, CancellationToken cancellationToken)
    {
        var syntax = tree.GetDiagnostics(cancellationToken).Where(d => !DocumentationValidator.IsDocumentationId(d.Id)).ToHashSet();
        return syntax.Count == 0 ? diagnostics.ToList() : diagnostics.Where(d => !syntax.Contains(d)).ToList();
    }

    internal static ValidationDiagnostic ToValidationDiagnostic(Entry e, string validator, ValidationCategory category) =>
        ToValidationDiagnostic(e.Diagnostic, e.Path, e.IsNew, validator, category, e.At);

    internal static ValidationDiagnostic ToValidationDiagnostic(Diagnostic d, string path, bool isNew, string validator, ValidationCategory category, LinePosition? at = null)
    {
        var position = at ?? d.Location.GetLineSpan().StartLinePosition;
        return new ValidationDiagnostic(d.Id, d.Severity, d.GetMessage(CultureInfo.InvariantCulture), path, position.Line + 1, position.Character + 1, validator, category, isNew);
    }
}
