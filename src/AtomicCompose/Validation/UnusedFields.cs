using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AtomicCompose.Validation;

/// <summary>
/// The compiler's unused-field warnings (CS0169 never used, CS0414 assigned but never read, CS0649 never assigned, and
/// CS0067 for an event never used, whose field-like event is a field too),
/// which it gives only after compiling every method body of the assembly (its <c>MethodCompiler</c> reports them only
/// without a filter), so a check of the edited span never sees them. A private field's uses all lie in its type's own
/// declarations (nested types included), so for the types the edited files declare that have private fields, the
/// trees declaring them (with the project's global usings) are compiled whole, before and after the edit, and the
/// warnings on their private fields compared: a cost bounded by those types, not by the project.
/// </summary>
internal static class UnusedFields
{
    private static readonly HashSet<string> Ids = ["CS0169", "CS0414", "CS0649", "CS0067"];

    /// <summary>Adds the new unused-field findings of the edit to <paramref name="entries"/>.</summary>
    public static void Compare(ValidationContext context, List<SemanticDiff.Entry> entries, CancellationToken cancellationToken)
    {
        if (context.AfterCompilation is not CSharpCompilation after)
        {
            return;
        }

        var afterFindings = Findings(after, context.Documents.Select(d => d.After), cancellationToken);
        if (afterFindings.Count == 0)
        {
            return;
        }

        var beforeKeys = context.BeforeCompilation is CSharpCompilation before
            ? Findings(before, context.Documents.Select(d => d.Before), cancellationToken).Select(f => f.Key).ToHashSet(StringComparer.Ordinal)
            : [];
        foreach (var (diagnostic, key) in afterFindings)
        {
            if (!beforeKeys.Contains(key))
            {
                entries.Add(new SemanticDiff.Entry(diagnostic, diagnostic.Location.SourceTree!.FilePath, IsNew: true));
            }
        }
    }

    /// <summary>The unused-field warnings on private fields of the types <paramref name="edited"/> declares, keyed by id and field.</summary>
    private static List<(Diagnostic Diagnostic, string Key)> Findings(CSharpCompilation compilation, IEnumerable<SyntaxTree?> edited, CancellationToken cancellationToken)
    {
        var types = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        foreach (var tree in edited)
        {
            if (tree is null || !compilation.ContainsSyntaxTree(tree))
            {
                continue;
            }

            var model = compilation.GetSemanticModel(tree);
            foreach (var declaration in TopLevelTypes(tree.GetRoot(cancellationToken)))
            {
                if (model.GetDeclaredSymbol(declaration, cancellationToken) is INamedTypeSymbol type && HasPrivateFields(type))
                {
                    types.Add(type);
                }
            }
        }

        if (types.Count == 0)
        {
            return [];
        }

        var declaring = types.SelectMany(t => t.DeclaringSyntaxReferences).Select(r => r.SyntaxTree).ToHashSet();

        // The global usings (the SDK's generated file, the project's own) change what the declarations bind to.
        var trees = compilation.SyntaxTrees.Where(t => declaring.Contains(t) || HasGlobalUsings(t, cancellationToken)).ToList();
        var whole = CSharpCompilation.Create(compilation.AssemblyName, trees, compilation.References, compilation.Options);
        var findings = new List<(Diagnostic, string)>();
        foreach (var diagnostic in whole.GetDiagnostics(cancellationToken))
        {
            if (!Ids.Contains(diagnostic.Id) || diagnostic.Location.SourceTree is not { } tree || !declaring.Contains(tree))
            {
                continue;
            }

            var node = tree.GetRoot(cancellationToken).FindNode(diagnostic.Location.SourceSpan);
            var declarator = node.FirstAncestorOrSelf<VariableDeclaratorSyntax>();
            if (declarator is not null
                && whole.GetSemanticModel(tree).GetDeclaredSymbol(declarator, cancellationToken) is { DeclaredAccessibility: Accessibility.Private } symbol and (IFieldSymbol or IEventSymbol))
            {
                findings.Add((diagnostic, diagnostic.Id + " " + symbol.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)));
            }
        }

        return findings;
    }

    private static IEnumerable<BaseTypeDeclarationSyntax> TopLevelTypes(SyntaxNode root) =>
        root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax).OfType<BaseTypeDeclarationSyntax>();

    private static bool HasPrivateFields(INamedTypeSymbol type) =>
        type.GetMembers().Any(m => m is IFieldSymbol { DeclaredAccessibility: Accessibility.Private, IsImplicitlyDeclared: false, IsConst: false }
            or IEventSymbol { DeclaredAccessibility: Accessibility.Private })
        || type.GetTypeMembers().Any(HasPrivateFields);

    private static bool HasGlobalUsings(SyntaxTree tree, CancellationToken cancellationToken) =>
        tree.GetRoot(cancellationToken) is CompilationUnitSyntax unit && unit.Usings.Any(u => u.GlobalKeyword.IsKind(SyntaxKind.GlobalKeyword));
}
