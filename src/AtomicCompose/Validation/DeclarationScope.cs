using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AtomicCompose.Validation;

/// <summary>
/// Which other files a declaration change can affect. When the change is confined to ordinary named
/// members (methods, properties, fields, events) of classes, and leaves every type, namespace and using
/// directive as it was, another file can only be affected by naming one of those members: in a call,
/// a <c>cref</c>, an override, a partial part. Everything else — constructors, operators, indexers,
/// members of interfaces and structs, virtual members, members the language calls by convention
/// (<c>GetEnumerator</c>, <c>Deconstruct</c>, <c>Add</c>…) — can change other files without naming
/// anything, so it widens the scope to the whole project.
/// </summary>
internal sealed class DeclarationScope
{
    private static readonly HashSet<string> ImplicitlyUsed = new(StringComparer.Ordinal)
    {
        "GetEnumerator", "GetAsyncEnumerator", "MoveNext", "MoveNextAsync", "Current", "Dispose", "DisposeAsync",
        "GetAwaiter", "IsCompleted", "GetResult", "OnCompleted", "UnsafeOnCompleted", "Deconstruct", "Add", "Invoke",
        "Length", "Count", "Slice", "Item", "GetPinnableReference", "Main", "Select", "SelectMany", "Where", "Join",
        "GroupJoin", "OrderBy", "OrderByDescending", "ThenBy", "ThenByDescending", "GroupBy", "Cast", "AppendLiteral",
        "AppendFormatted", "Create", "Equals", "GetHashCode", "ToString", "Clone", "EqualityContract", "PrintMembers",
        "Task", "Start", "SetResult", "SetException", "AwaitOnCompleted", "AwaitUnsafeOnCompleted", "SetStateMachine",
    };

    private DeclarationScope(bool everything, IReadOnlySet<string> names)
    {
        Everything = everything;
        Names = names;
    }

    /// <summary>Every file of the project must be checked.</summary>
    public bool Everything { get; }

    /// <summary>Otherwise: the names of the changed members; a file that mentions none of them is unaffected.</summary>
    public IReadOnlySet<string> Names { get; }

    public static DeclarationScope All { get; } = new(true, new HashSet<string>());

    /// <summary>
    /// The files of <paramref name="after"/>, besides the edited ones, that the context's declaration change can
    /// affect, each with its baseline tree (null for a file the baseline lacks); none when every edit stays inside
    /// bodies and no referenced project changed its declarations. Use <see cref="ValidationContext.GetAffectedTrees"/>,
    /// which computes it once for every validator.
    /// </summary>
    public static List<(SyntaxTree After, SyntaxTree? Before)> AffectedTrees(ValidationContext context, Compilation after, CancellationToken cancellationToken)
    {
        if (context.ExternalScope is null && !context.Documents.Any(SemanticDiff.IsDeclarationChange))
        {
            return [];
        }

        var edited = context.Documents.Select(d => d.After).Concat(context.GeneratedChanges.Select(g => g.After)).OfType<SyntaxTree>().ToHashSet();

        var beforeByPath = new Dictionary<string, SyntaxTree>(StringComparer.Ordinal);
        foreach (var tree in context.BeforeCompilation?.SyntaxTrees ?? [])
        {
            beforeByPath.TryAdd(tree.FilePath, tree);
        }

        var scope = context.ExternalScope ?? Compute(context.Documents, cancellationToken);
        return [.. after.SyntaxTrees
            .Where(t => !edited.Contains(t) && scope.Affects(t.GetText(cancellationToken).ToString()))
            .Select(t => (t, (SyntaxTree?)beforeByPath.GetValueOrDefault(t.FilePath)))];
    }

    public static DeclarationScope Compute(IEnumerable<ValidationDocument> documents, CancellationToken cancellationToken)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var doc in documents)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (doc.Before is null || doc.After is null)
            {
                return All; // a created or deleted file brings or takes whole types
            }

            if (doc.After.IsEquivalentTo(doc.Before, topLevel: true))
            {
                continue;
            }

            var before = doc.Before.GetRoot(cancellationToken);
            var after = doc.After.GetRoot(cancellationToken);
            if (!Skeleton(before).IsEquivalentTo(Skeleton(after), topLevel: true))
            {
                return All;
            }

            var beforeMembers = MembersByContainer(before);
            var afterMembers = MembersByContainer(after);
            foreach (var container in beforeMembers.Keys.Union(afterMembers.Keys))
            {
                var olds = beforeMembers.GetValueOrDefault(container) ?? [];
                var news = afterMembers.GetValueOrDefault(container) ?? [];
                foreach (var changed in Unmatched(olds, news).Concat(Unmatched(news, olds)))
                {
                    if (!AddNames(changed, names))
                    {
                        return All;
                    }
                }
            }
        }

        return new DeclarationScope(false, names);
    }

    /// <summary>The files either scope reaches.</summary>
    public DeclarationScope Union(DeclarationScope other) =>
        Everything || other.Everything ? All : new DeclarationScope(false, Names.Union(other.Names, StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal));

    /// <summary>Whether <paramref name="text"/> can be affected, i.e. mentions a changed name.</summary>
    public bool Affects(string text) => Everything || Names.Any(n => text.Contains(n, StringComparison.Ordinal));

    // The tree without its ordinary members: what is left are usings, namespaces, type headers and enum members.
    private static SyntaxNode Skeleton(SyntaxNode root)
    {
        var members = root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax)
            .OfType<MemberDeclarationSyntax>()
            .Where(IsOrdinaryMember)
            .ToList();
        return members.Count == 0 ? root : root.RemoveNodes(members, SyntaxRemoveOptions.KeepNoTrivia)!;
    }

    private static bool IsOrdinaryMember(MemberDeclarationSyntax m) =>
        m.Parent is TypeDeclarationSyntax && m is BaseMethodDeclarationSyntax or BasePropertyDeclarationSyntax or BaseFieldDeclarationSyntax;

    private static Dictionary<TypeDeclarationSyntax, List<MemberDeclarationSyntax>> MembersByContainerRaw(SyntaxNode root) =>
        root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax)
            .OfType<MemberDeclarationSyntax>()
            .Where(IsOrdinaryMember)
            .GroupBy(m => (TypeDeclarationSyntax)m.Parent!)
            .ToDictionary(g => g.Key, g => g.ToList());

    // Containers are matched by their path of names, which the skeleton comparison proved identical on both sides.
    private static Dictionary<string, List<MemberDeclarationSyntax>> MembersByContainer(SyntaxNode root)
    {
        var result = new Dictionary<string, List<MemberDeclarationSyntax>>(StringComparer.Ordinal);
        var ordinal = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (type, members) in MembersByContainerRaw(root))
        {
            var path = string.Join(".", type.AncestorsAndSelf().Select(a => a switch
            {
                BaseNamespaceDeclarationSyntax ns => ns.Name.ToString(),
                TypeDeclarationSyntax t => $"{t.Kind()}:{t.Identifier.ValueText}`{t.Arity}",
                _ => null,
            }).Where(s => s is not null).Reverse());

            // Two declarations with one path (partial parts in one file) stay apart by occurrence.
            var n = ordinal.GetValueOrDefault(path);
            ordinal[path] = n + 1;
            result[$"{path}#{n}"] = members;
        }

        return result;
    }

    private static IEnumerable<MemberDeclarationSyntax> Unmatched(List<MemberDeclarationSyntax> from, List<MemberDeclarationSyntax> against)
    {
        var used = new bool[against.Count];
        foreach (var m in from)
        {
            var match = -1;
            for (var i = 0; i < against.Count; i++)
            {
                if (!used[i] && against[i].IsEquivalentTo(m, topLevel: true))
                {
                    match = i;
                    break;
                }
            }

            if (match < 0)
            {
                yield return m;
            }
            else
            {
                used[match] = true;
            }
        }
    }

    /// <summary>Adds the member's names; false when the member is of a kind other files can depend on without naming it.</summary>
    private static bool AddNames(MemberDeclarationSyntax member, HashSet<string> names)
    {
        if (member.Parent is not ClassDeclarationSyntax and not RecordDeclarationSyntax { ClassOrStructKeyword.RawKind: not (int)SyntaxKind.StructKeyword })
        {
            return false;
        }

        // Derived types must implement abstract members, and object creations must set required ones,
        // without naming them.
        if (member.Modifiers.Any(m => m.IsKind(SyntaxKind.AbstractKeyword) || m.IsKind(SyntaxKind.VirtualKeyword) || m.IsKind(SyntaxKind.OverrideKeyword) || m.IsKind(SyntaxKind.RequiredKeyword)))
        {
            return false;
        }

        var identifiers = member switch
        {
            MethodDeclarationSyntax { ExplicitInterfaceSpecifier: null } method => [method.Identifier],
            PropertyDeclarationSyntax { ExplicitInterfaceSpecifier: null } property => [property.Identifier],
            EventDeclarationSyntax { ExplicitInterfaceSpecifier: null } e => [e.Identifier],
            BaseFieldDeclarationSyntax field => field.Declaration.Variables.Select(v => v.Identifier).ToList(),
            _ => (List<SyntaxToken>?)null, // constructors, operators, conversions, indexers, destructors, explicit implementations
        };

        if (identifiers is null)
        {
            return false;
        }

        foreach (var id in identifiers)
        {
            if (ImplicitlyUsed.Contains(id.ValueText))
            {
                return false;
            }

            names.Add(id.ValueText);
        }

        return true;
    }
}
