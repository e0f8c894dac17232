using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AtomicCompose.Composition;

/// <summary>An addressable member with its name path as segments, before lines are computed.</summary>
/// <param name="Kind">The kind name (see <see cref="MemberTarget.Kind"/>).</param>
/// <param name="Segments">The name path.</param>
/// <param name="Node">The member; a <see cref="VariableDeclaratorSyntax"/> for one declarator of a multi-variable field or event.</param>
internal sealed record TargetEntry(string Kind, ImmutableArray<NameSegment> Segments, SyntaxNode Node)
{
    public string NamePath => string.Join('.', Segments);
}

/// <summary>Walks a syntax tree and names every addressable member; the indexer reuses this for entity records.</summary>
internal static class NamePathBuilder
{
    /// <summary>Every addressable member of <paramref name="root"/>, in source order (containers before their members).</summary>
    /// <param name="root">The compilation unit.</param>
    /// <param name="cancellationToken">Cancels the walk.</param>
    /// <param name="searchBodies">Which members' bodies to search for local functions; all when <see langword="null"/>.
    /// Walking every body is most of the cost of resolving a target in a large file.</param>
    /// <param name="lastName">When given, only entries whose last segment this query segment names are listed
    /// (containers are still walked). Resolving a target then allocates nothing for the other members.</param>
    public static List<TargetEntry> Build(SyntaxNode root, CancellationToken cancellationToken = default, Func<SyntaxNode, bool>? searchBodies = null, QuerySegment? lastName = null)
    {
        var walker = new Walker(new List<TargetEntry>(), searchBodies, lastName);
        if (root is CompilationUnitSyntax cu)
        {
            foreach (var member in cu.Members)
            {
                cancellationToken.ThrowIfCancellationRequested();
                walker.VisitMember(member, []);
            }
        }

        return walker.Acc;
    }

    private sealed class Walker(List<TargetEntry> acc, Func<SyntaxNode, bool>? searchBodies, QuerySegment? lastName)
    {
        public List<TargetEntry> Acc => acc;

        private void Add(TargetEntry entry)
        {
            if (lastName is null || lastName.MatchesName(entry.Segments[^1]))
            {
                acc.Add(entry);
            }
        }

        /// <summary>Whether a member with this identifier can be what the query names; constructor aliases and
        /// non-identifier names (operators, indexers, finalizers) always can.</summary>
        private bool MayName(string identifier)
            => lastName is null || lastName.NameKey == identifier;

        /// <summary>A member that is not named by the query and whose body cannot hold a local function it names.</summary>
        private bool Skip(string identifier, SyntaxNode localsRoot)
            => !MayName(identifier) && searchBodies is not null && !searchBodies(localsRoot);

        public void VisitMember(MemberDeclarationSyntax member, ImmutableArray<NameSegment> prefix)
        {
            switch (member)
            {
                case BaseNamespaceDeclarationSyntax ns:
                {
                    var path = prefix.AddRange(NameParts(ns.Name));
                    Add(new TargetEntry("namespace", path, ns));
                    foreach (var m in ns.Members)
                    {
                        VisitMember(m, path);
                    }

                    break;
                }

                case EnumDeclarationSyntax e:
                {
                    var path = prefix.Add(new NameSegment(e.Identifier.Text));
                    Add(new TargetEntry("enum", path, e));
                    foreach (var m in e.Members)
                    {
                        if (!MayName(m.Identifier.Text))
                        {
                            continue;
                        }

                        Add(new TargetEntry("enum-member", path.Add(new NameSegment(m.Identifier.Text)), m));
                    }

                    break;
                }

                case TypeDeclarationSyntax t:
                {
                    string kind = t switch
                    {
                        ClassDeclarationSyntax => "class",
                        StructDeclarationSyntax => "struct",
                        InterfaceDeclarationSyntax => "interface",
                        RecordDeclarationSyntax r => r.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) ? "record-struct" : "record",
                        _ => "extension",
                    };
                    NameSegment segment = t.Identifier.Text.Length > 0
                        ? new NameSegment(t.Identifier.Text, TypeParameters(t.TypeParameterList))
                        : new NameSegment(t.Keyword.Text, TypeParameters(t.TypeParameterList), () => Parameters(t.ParameterList));
                    var path = prefix.Add(segment);
                    Add(new TargetEntry(kind, path, t));
                    foreach (var m in t.Members)
                    {
                        VisitMember(m, path);
                    }

                    break;
                }

                case DelegateDeclarationSyntax d:
                    if (!MayName(d.Identifier.Text))
                    {
                        break;
                    }

                    Add(new TargetEntry("delegate", prefix.Add(new NameSegment(d.Identifier.Text, TypeParameters(d.TypeParameterList))), d));
                    break;

                case MethodDeclarationSyntax m:
                    if (Skip(m.Identifier.Text, m))
                    {
                        break;
                    }

                    AddWithLocals("method", ExplicitInterface(prefix, m.ExplicitInterfaceSpecifier)
                        .Add(new NameSegment(m.Identifier.Text, TypeParameters(m.TypeParameterList), () => Parameters(m.ParameterList))), m);
                    break;

                case ConstructorDeclarationSyntax c:
                {
                    bool isStatic = c.Modifiers.Any(SyntaxKind.StaticKeyword);
                    var segment = isStatic
                        ? new NameSegment("static " + c.Identifier.Text, null, () => Parameters(c.ParameterList), flavor: SegmentFlavor.StaticConstructor)
                        : new NameSegment(c.Identifier.Text, null, () => Parameters(c.ParameterList), flavor: SegmentFlavor.Constructor);
                    AddWithLocals(isStatic ? "static-constructor" : "constructor", prefix.Add(segment), c);
                    break;
                }

                case DestructorDeclarationSyntax d:
                    AddWithLocals("destructor", prefix.Add(new NameSegment("~" + d.Identifier.Text, null, () => Parameters(d.ParameterList))), d);
                    break;

                case OperatorDeclarationSyntax o:
                {
                    string name = "operator " + (o.CheckedKeyword.IsKind(SyntaxKind.CheckedKeyword) ? "checked " : "") + o.OperatorToken.Text;
                    AddWithLocals("operator", ExplicitInterface(prefix, o.ExplicitInterfaceSpecifier).Add(new NameSegment(name, null, () => Parameters(o.ParameterList))), o);
                    break;
                }

                case ConversionOperatorDeclarationSyntax c:
                {
                    string name = c.ImplicitOrExplicitKeyword.Text + " operator " + (c.CheckedKeyword.IsKind(SyntaxKind.CheckedKeyword) ? "checked " : "") + NameKeys.Display(c.Type.ToString());
                    AddWithLocals("conversion", ExplicitInterface(prefix, c.ExplicitInterfaceSpecifier).Add(new NameSegment(name, null, () => Parameters(c.ParameterList))), c);
                    break;
                }

                case PropertyDeclarationSyntax p:
                    if (Skip(p.Identifier.Text, p))
                    {
                        break;
                    }

                    AddWithLocals("property", ExplicitInterface(prefix, p.ExplicitInterfaceSpecifier).Add(new NameSegment(p.Identifier.Text)), p);
                    break;

                case IndexerDeclarationSyntax ix:
                    AddWithLocals("indexer", ExplicitInterface(prefix, ix.ExplicitInterfaceSpecifier)
                        .Add(new NameSegment("this", null, () => Parameters(ix.ParameterList.Parameters), bracketParameters: true)), ix);
                    break;

                case EventDeclarationSyntax ev:
                    if (Skip(ev.Identifier.Text, ev))
                    {
                        break;
                    }

                    AddWithLocals("event", ExplicitInterface(prefix, ev.ExplicitInterfaceSpecifier).Add(new NameSegment(ev.Identifier.Text)), ev);
                    break;

                case BaseFieldDeclarationSyntax f:
                {
                    string kind = f is EventFieldDeclarationSyntax ? "event" : "field";
                    var variables = f.Declaration.Variables;
                    foreach (var v in variables)
                    {
                        // One declarator stands for the whole declaration; several are addressed one by one.
                        SyntaxNode node = variables.Count == 1 ? f : v;
                        if (Skip(v.Identifier.Text, v))
                        {
                            continue;
                        }

                        AddWithLocals(kind, prefix.Add(new NameSegment(v.Identifier.Text)), node, v);
                    }

                    break;
                }

                case GlobalStatementSyntax g:
                    VisitLocals(g, prefix);
                    break;
            }
        }

        private void AddWithLocals(string kind, ImmutableArray<NameSegment> path, SyntaxNode node, SyntaxNode? localsRoot = null)
        {
            Add(new TargetEntry(kind, path, node));
            if (searchBodies is null || searchBodies(localsRoot ?? node))
            {
                VisitLocals(localsRoot ?? node, path);
            }
        }

        private void VisitLocals(SyntaxNode root, ImmutableArray<NameSegment> prefix)
        {
            foreach (var node in root.DescendantNodes(n => n == root || n is not LocalFunctionStatementSyntax))
            {
                if (node is LocalFunctionStatementSyntax local)
                {
                    var path = prefix.Add(new NameSegment(local.Identifier.Text, TypeParameters(local.TypeParameterList), () => Parameters(local.ParameterList)));
                    Add(new TargetEntry("local-function", path, local));
                    VisitLocals(local, path);
                }
            }
        }
    }

    private static ImmutableArray<NameSegment> ExplicitInterface(ImmutableArray<NameSegment> prefix, ExplicitInterfaceSpecifierSyntax? specifier)
        => specifier is null ? prefix : prefix.AddRange(NameParts(specifier.Name));

    /// <summary>A dotted name as segments: <c>A.B&lt;T&gt;</c> is <c>A</c> and <c>B&lt;T&gt;</c>.</summary>
    public static IEnumerable<NameSegment> NameParts(NameSyntax name) => name switch
    {
        QualifiedNameSyntax q => NameParts(q.Left).Concat(NameParts(q.Right)),
        AliasQualifiedNameSyntax a => NameParts(a.Name),
        GenericNameSyntax g => [new NameSegment(g.Identifier.Text, g.TypeArgumentList.Arguments.Select(x => NameKeys.Display(x.ToString())).ToList())],
        SimpleNameSyntax s => [new NameSegment(s.Identifier.Text)],
        _ => [new NameSegment(NameKeys.Display(name.ToString()))],
    };

    private static IReadOnlyList<string>? TypeParameters(TypeParameterListSyntax? list)
        => list is null ? null : list.Parameters.Select(p => p.Identifier.Text).ToList();

    private static List<string> Parameters(BaseParameterListSyntax? list)
        => list is null ? [] : Parameters(list.Parameters);

    private static List<string> Parameters(SeparatedSyntaxList<ParameterSyntax> parameters)
        => parameters.Select(ParameterDisplay).ToList();

    /// <summary>A parameter as a name path shows it: the modifiers that make overloads differ, then the type as written.</summary>
    public static string ParameterDisplay(ParameterSyntax p)
    {
        var parts = new List<string>();
        foreach (var m in p.Modifiers)
        {
            if (!m.IsKind(SyntaxKind.ThisKeyword) && !m.IsKind(SyntaxKind.ScopedKeyword))
            {
                parts.Add(m.Text);
            }
        }

        parts.Add(p.Type is null ? p.Identifier.Text : NameKeys.Display(p.Type.ToString()));
        return string.Join(' ', parts);
    }
}
