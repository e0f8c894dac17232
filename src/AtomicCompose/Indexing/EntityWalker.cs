using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace AtomicCompose.Indexing;

/// <summary>
/// Walks a syntax tree and produces one <see cref="EntityRecord"/> per type and member, named by
/// its name path. Deliberately independent of the composition code: the index only needs names,
/// spans and hashes.
/// </summary>
/// <remarks>
/// Name paths: namespace + containing types + member. Generic types and methods carry their type
/// parameter names (<c>Box&lt;T&gt;</c>, <c>Map&lt;T&gt;(T)</c>). Methods, constructors, indexers,
/// operators, conversions and local functions carry their parameter types as written, separated by
/// <c>", "</c>, with <c>ref</c>/<c>out</c>/<c>in</c>/<c>readonly</c> modifiers kept (they tell
/// overloads apart) and <c>this</c>/<c>params</c>/<c>scoped</c> dropped. Constructors are named
/// like the type (<c>Greeter(string)</c>), the static constructor <c>static Greeter()</c>, the
/// finalizer <c>~Greeter()</c>, indexers <c>this[int]</c>, operators <c>operator +(A, A)</c>,
/// conversions <c>implicit operator int(A)</c>. Explicit interface implementations are prefixed
/// by the interface (<c>IDisposable.Dispose()</c>). Each declarator of a field or event field is
/// its own entity. Local functions are nested under their containing member.
/// </remarks>
internal sealed class EntityWalker
{
    private readonly string _path;
    private readonly SyntaxTree _tree;
    private readonly SourceText _text;
    private readonly string? _transactionId;
    private readonly List<EntityRecord> _result = [];

    private EntityWalker(string path, SyntaxTree tree, string? transactionId)
    {
        _path = path;
        _tree = tree;
        _text = tree.GetText();
        _transactionId = transactionId;
    }

    /// <summary>The entities of <paramref name="tree"/> in document order, with unique ids.</summary>
    public static List<EntityRecord> Walk(string path, SyntaxTree tree, string? transactionId)
    {
        var walker = new EntityWalker(path, tree, transactionId);
        var root = (CompilationUnitSyntax)tree.GetRoot();
        walker.VisitMembers(root.Members, "", root);
        walker.AssignIds();
        return walker._result;
    }

    private void VisitMembers(SyntaxList<MemberDeclarationSyntax> members, string prefix, SyntaxNode container)
    {
        foreach (var member in members)
        {
            VisitMember(member, prefix, container);
        }
    }

    private void VisitMember(MemberDeclarationSyntax member, string prefix, SyntaxNode container)
    {
        switch (member)
        {
            case BaseNamespaceDeclarationSyntax ns:
                VisitMembers(ns.Members, Join(prefix, Compact(ns.Name)), ns);
                break;

            case EnumDeclarationSyntax e:
            {
                var name = Join(prefix, e.Identifier.ValueText);
                Add(e, "enum", name, Accessibility(e.Modifiers, e, container), TypeSignature(e));
                foreach (var em in e.Members)
                {
                    Add(em, "enum-member", Join(name, em.Identifier.ValueText), "public",
                        Signature(em, n => n is EqualsValueClauseSyntax));
                }

                break;
            }

            case ExtensionBlockDeclarationSyntax ext:
            {
                var name = Join(prefix, "extension" + TypeParameters(ext.TypeParameterList) + Parameters(ext.ParameterList));
                // An extension block has no accessibility of its own; its members carry theirs.
                Add(ext, "extension", name, "public", TypeSignature(ext));
                VisitMembers(ext.Members, name, ext);
                break;
            }

            case TypeDeclarationSyntax t:
            {
                var name = Join(prefix, t.Identifier.ValueText + TypeParameters(t.TypeParameterList));
                Add(t, TypeKind(t), name, Accessibility(t.Modifiers, t, container), TypeSignature(t));
                VisitMembers(t.Members, name, t);
                break;
            }

            case DelegateDeclarationSyntax d:
                Add(d, "delegate", Join(prefix, d.Identifier.ValueText + TypeParameters(d.TypeParameterList)),
                    Accessibility(d.Modifiers, d, container), Signature(d, static _ => false));
                break;

            case MethodDeclarationSyntax m:
            {
                var name = Join(prefix, ExplicitPrefix(m.ExplicitInterfaceSpecifier) + m.Identifier.ValueText
                    + TypeParameters(m.TypeParameterList) + Parameters(m.ParameterList));
                AddMember(m, "method", name, Accessibility(m.Modifiers, m, container), MethodSignature(m));
                break;
            }

            case ConstructorDeclarationSyntax c:
            {
                var isStatic = c.Modifiers.Any(SyntaxKind.StaticKeyword);
                var name = Join(prefix, (isStatic ? "static " : "") + c.Identifier.ValueText + Parameters(c.ParameterList));
                AddMember(c, isStatic ? "static-constructor" : "constructor", name,
                    Accessibility(c.Modifiers, c, container), MethodSignature(c));
                break;
            }

            case DestructorDeclarationSyntax dt:
                AddMember(dt, "destructor", Join(prefix, "~" + dt.Identifier.ValueText + Parameters(dt.ParameterList)),
                    Accessibility(dt.Modifiers, dt, container), MethodSignature(dt));
                break;

            case OperatorDeclarationSyntax o:
            {
                var op = "operator " + (o.CheckedKeyword.IsKind(SyntaxKind.None) ? "" : "checked ") + o.OperatorToken.Text;
                AddMember(o, "operator", Join(prefix, ExplicitPrefix(o.ExplicitInterfaceSpecifier) + op + Parameters(o.ParameterList)),
                    Accessibility(o.Modifiers, o, container), MethodSignature(o));
                break;
            }

            case ConversionOperatorDeclarationSyntax cv:
            {
                var op = cv.ImplicitOrExplicitKeyword.Text + " operator "
                    + (cv.CheckedKeyword.IsKind(SyntaxKind.None) ? "" : "checked ") + Compact(cv.Type);
                AddMember(cv, "conversion", Join(prefix, ExplicitPrefix(cv.ExplicitInterfaceSpecifier) + op + Parameters(cv.ParameterList)),
                    Accessibility(cv.Modifiers, cv, container), MethodSignature(cv));
                break;
            }

            case PropertyDeclarationSyntax p:
                AddMember(p, "property", Join(prefix, ExplicitPrefix(p.ExplicitInterfaceSpecifier) + p.Identifier.ValueText),
                    Accessibility(p.Modifiers, p, container), PropertySignature(p, p.AccessorList));
                break;

            case IndexerDeclarationSyntax ix:
                AddMember(ix, "indexer", Join(prefix, ExplicitPrefix(ix.ExplicitInterfaceSpecifier) + "this" + BracketedParameters(ix.ParameterList)),
                    Accessibility(ix.Modifiers, ix, container), PropertySignature(ix, ix.AccessorList));
                break;

            case EventDeclarationSyntax ev:
                AddMember(ev, "event", Join(prefix, ExplicitPrefix(ev.ExplicitInterfaceSpecifier) + ev.Identifier.ValueText),
                    Accessibility(ev.Modifiers, ev, container), PropertySignature(ev, ev.AccessorList));
                break;

            case BaseFieldDeclarationSyntax f:
            {
                var kind = f is EventFieldDeclarationSyntax ? "event" : "field";
                var head = Signature(f, n => n is VariableDeclarationSyntax);
                var type = Signature(f.Declaration.Type, static _ => false);
                var access = Accessibility(f.Modifiers, f, container);
                foreach (var v in f.Declaration.Variables)
                {
                    var declarator = Signature(v, n => n is EqualsValueClauseSyntax);
                    var name = Join(prefix, v.Identifier.ValueText);
                    Add(f, kind, name, access, JoinWords(head, type, declarator));
                    VisitLocalFunctions(v, name);
                }

                break;
            }

            default:
                // Global statements, incomplete members: not addressable entities.
                break;
        }
    }

    private void AddMember(SyntaxNode node, string kind, string namePath, string accessibility, string signature)
    {
        Add(node, kind, namePath, accessibility, signature);
        VisitLocalFunctions(node, namePath);
    }

    /// <summary>Local functions directly owned by <paramref name="owner"/> (not those nested in another local function).</summary>
    private void VisitLocalFunctions(SyntaxNode owner, string ownerName)
    {
        var locals = owner
            .DescendantNodes(n => n == owner || n is not LocalFunctionStatementSyntax)
            .OfType<LocalFunctionStatementSyntax>();
        foreach (var lf in locals)
        {
            var name = ownerName + "." + lf.Identifier.ValueText + TypeParameters(lf.TypeParameterList) + Parameters(lf.ParameterList);
            Add(lf, "local-function", name, "private", MethodSignature(lf));
            VisitLocalFunctions(lf, name);
        }
    }

    private void Add(SyntaxNode node, string kind, string namePath, string accessibility, string signature)
    {
        var docStart = DocumentationStart(node);
        var start = docStart ?? node.SpanStart;
        var text = _text.ToString(TextSpan.FromBounds(start, node.Span.End));
        _result.Add(new EntityRecord
        {
            Path = _path,
            Kind = kind,
            NamePath = namePath,
            Signature = signature,
            Accessibility = accessibility,
            StartLine = _text.Lines.GetLineFromPosition(start).LineNumber + 1,
            EndLine = _text.Lines.GetLineFromPosition(node.Span.End).LineNumber + 1,
            HasDocs = docStart is not null,
            TextHash = Hashing.Sha256Hex(text),
            StructuralHash = StructuralHash(node),
            LastTransaction = _transactionId,
        });
    }

    /// <summary>
    /// Id = path + '#' + name path. Name paths that occur more than once (partial methods,
    /// <c>#if</c> branches, invalid code) get <c>@line</c>, and <c>@line:column</c> if that is
    /// still not unique, so every id is a valid unique key.
    /// </summary>
    private void AssignIds()
    {
        var counts = _result.GroupBy(e => e.NamePath, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var ordinal = 0;
        foreach (var e in _result)
        {
            var id = _path + "#" + e.NamePath;
            if (counts[e.NamePath] > 1)
            {
                id += "@" + e.StartLine.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            if (!used.Add(id))
            {
                id += ":" + (++ordinal).ToString(System.Globalization.CultureInfo.InvariantCulture);
                used.Add(id);
            }

            e.Id = id;
        }
    }

    private static int? DocumentationStart(SyntaxNode node)
    {
        foreach (var trivia in node.GetLeadingTrivia())
        {
            if (trivia.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia) || trivia.IsKind(SyntaxKind.MultiLineDocumentationCommentTrivia))
            {
                // FullSpan: the Span of a doc comment excludes its leading "///" exterior.
                return trivia.FullSpan.Start;
            }
        }

        return null;
    }

    /// <summary>SHA-256 over the kinds and texts of the node's tokens: trivia (whitespace, comments, doc comments, directives) does not count.</summary>
    private static string StructuralHash(SyntaxNode node)
    {
        var sb = new StringBuilder();
        foreach (var token in node.DescendantTokens())
        {
            sb.Append((int)token.Kind()).Append('\u0001').Append(token.Text).Append('\u0002');
        }

        return Hashing.Sha256Hex(sb.ToString());
    }

    private static string TypeKind(TypeDeclarationSyntax t) => t switch
    {
        ClassDeclarationSyntax => "class",
        StructDeclarationSyntax => "struct",
        InterfaceDeclarationSyntax => "interface",
        RecordDeclarationSyntax r => r.IsKind(SyntaxKind.RecordStructDeclaration) ? "record-struct" : "record",
        _ => "type",
    };

    /// <summary>Declared accessibility, or the C# default for the declaration's place.</summary>
    private static string Accessibility(SyntaxTokenList modifiers, SyntaxNode node, SyntaxNode container)
    {
        var isPublic = modifiers.Any(SyntaxKind.PublicKeyword);
        var isPrivate = modifiers.Any(SyntaxKind.PrivateKeyword);
        var isProtected = modifiers.Any(SyntaxKind.ProtectedKeyword);
        var isInternal = modifiers.Any(SyntaxKind.InternalKeyword);
        if (isPublic)
        {
            return "public";
        }

        if (isPrivate && isProtected)
        {
            return "private protected";
        }

        if (isProtected && isInternal)
        {
            return "protected internal";
        }

        if (isProtected)
        {
            return "protected";
        }

        if (isInternal)
        {
            return "internal";
        }

        if (isPrivate)
        {
            return "private";
        }

        if (modifiers.Any(SyntaxKind.FileKeyword))
        {
            return "file";
        }

        if (container is InterfaceDeclarationSyntax)
        {
            return "public";
        }

        if (node is BaseTypeDeclarationSyntax or DelegateDeclarationSyntax
            && container is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax)
        {
            return "internal";
        }

        return "private";
    }

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;

    private static string ExplicitPrefix(ExplicitInterfaceSpecifierSyntax? spec) => spec is null ? "" : Compact(spec.Name) + ".";

    private static string TypeParameters(TypeParameterListSyntax? list) =>
        list is null || list.Parameters.Count == 0 ? "" : "<" + string.Join(", ", list.Parameters.Select(p => p.Identifier.ValueText)) + ">";

    private static string Parameters(BaseParameterListSyntax? list) =>
        list is null ? "" : "(" + ParameterTypes(list) + ")";

    private static string BracketedParameters(BaseParameterListSyntax list) => "[" + ParameterTypes(list) + "]";

    private static string ParameterTypes(BaseParameterListSyntax list) =>
        string.Join(", ", list.Parameters.Select(ParameterType));

    private static string ParameterType(ParameterSyntax p)
    {
        var parts = new List<string>();
        foreach (var m in p.Modifiers)
        {
            if (m.IsKind(SyntaxKind.RefKeyword) || m.IsKind(SyntaxKind.OutKeyword) || m.IsKind(SyntaxKind.InKeyword) || m.IsKind(SyntaxKind.ReadOnlyKeyword))
            {
                parts.Add(m.Text);
            }
        }

        parts.Add(p.Type is null ? p.Identifier.Text : Compact(p.Type));
        return string.Join(" ", parts);
    }

    /// <summary>
    /// A type or name as written, without trivia: tokens are concatenated, with one space after a
    /// comma (unless a comma or closer follows) and between two word-like tokens.
    /// </summary>
    internal static string Compact(SyntaxNode node)
    {
        var sb = new StringBuilder();
        SyntaxToken previous = default;
        foreach (var token in node.DescendantTokens())
        {
            if (token.IsMissing)
            {
                continue;
            }

            if (sb.Length > 0)
            {
                var afterComma = previous.IsKind(SyntaxKind.CommaToken)
                    && !token.IsKind(SyntaxKind.CommaToken) && !token.IsKind(SyntaxKind.CloseBracketToken) && !token.IsKind(SyntaxKind.GreaterThanToken);
                if (afterComma || (IsWordLike(previous) && IsWordLike(token)))
                {
                    sb.Append(' ');
                }
            }

            sb.Append(token.Text);
            previous = token;
        }

        return sb.ToString();
    }

    private static bool IsWordLike(SyntaxToken token) =>
        token.Text.Length > 0 && (char.IsLetterOrDigit(token.Text[^1]) || token.Text[^1] == '_' || char.IsLetterOrDigit(token.Text[0]) || token.Text[0] == '_' || token.Text[0] == '@');

    private static string TypeSignature(BaseTypeDeclarationSyntax t) =>
        Signature(
            t,
            n => n.Parent == t && n is MemberDeclarationSyntax,
            tok => tok.Parent == t && (tok.IsKind(SyntaxKind.OpenBraceToken) || tok.IsKind(SyntaxKind.CloseBraceToken)
                                       || tok.IsKind(SyntaxKind.SemicolonToken) || tok.IsKind(SyntaxKind.CommaToken)));

    private static string MethodSignature(SyntaxNode m) =>
        Signature(
            m,
            n => n.Parent == m && n is BlockSyntax or ArrowExpressionClauseSyntax or ConstructorInitializerSyntax);

    private static string PropertySignature(SyntaxNode p, AccessorListSyntax? accessors)
    {
        var head = Signature(p, n => n.Parent == p && n is AccessorListSyntax or ArrowExpressionClauseSyntax or EqualsValueClauseSyntax);
        if (accessors is null)
        {
            return head;
        }

        var parts = accessors.Accessors.Select(a => Signature(a, n => n.Parent == a && n is BlockSyntax or ArrowExpressionClauseSyntax) + ";");
        return head + " { " + string.Join(" ", parts) + " }";
    }

    private static string Signature(SyntaxNode node, Func<SyntaxNode, bool> skipNode, Func<SyntaxToken, bool>? skipToken = null)
    {
        var sb = new StringBuilder();
        SyntaxToken previous = default;
        var descend = (SyntaxNode n) => n == node || (n is not AttributeListSyntax && !skipNode(n));
        foreach (var token in node.DescendantTokens(descend))
        {
            if (token.IsMissing
                || (token.IsKind(SyntaxKind.SemicolonToken) && token.Parent == node)
                || (skipToken?.Invoke(token) ?? false))
            {
                continue;
            }

            if (sb.Length > 0 && (previous.HasTrailingTrivia || token.HasLeadingTrivia))
            {
                sb.Append(' ');
            }

            sb.Append(token.Text);
            previous = token;
        }

        return CollapseWhitespace(sb.ToString());
    }

    private static string JoinWords(params string[] parts) => string.Join(" ", parts.Where(p => p.Length > 0));

    private static string CollapseWhitespace(string s)
    {
        var sb = new StringBuilder(s.Length);
        var pendingSpace = false;
        foreach (var c in s)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = sb.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                sb.Append(' ');
                pendingSpace = false;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }
}
