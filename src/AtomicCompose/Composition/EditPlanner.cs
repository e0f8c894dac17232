using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace AtomicCompose.Composition;

/// <summary>The text changes one operation makes; <paramref name="Anchor"/> places an empty outcome.</summary>
internal sealed record EditPlan(IReadOnlyList<TextChange> Changes, int Anchor);

/// <summary>
/// Turns one operation into text changes against one tree. Works at the text level so every byte
/// outside the changed span stays as it was; only the caller's code is re-indented.
/// </summary>
internal sealed partial class EditPlanner
{
    private readonly SourceText _text;
    private readonly SyntaxNode _root;
    private readonly CompositionOptions _options;
    private readonly string _nl;
    private readonly Func<IndentStyle> _style;
    private readonly CSharpParseOptions? _parseOptions;
    private readonly Dictionary<SyntaxNode, Extent> _extents = [];

    public EditPlanner(SyntaxTree tree, SourceText text, CompositionOptions options, string newLine, Func<IndentStyle> style)
    {
        _text = text;
        _root = tree.GetRoot();
        _options = options;
        _nl = newLine;
        _style = style;
        _parseOptions = tree.Options as CSharpParseOptions;
    }

    public EditPlan Plan(EditOperation op)
    {
        try
        {
            return PlanCore(op);
        }
        finally
        {
            if (_chars is not null)
            {
                System.Buffers.ArrayPool<char>.Shared.Return(_chars);
                _chars = null;
            }

            _needleAt = null;
        }
    }

    private EditPlan PlanCore(EditOperation op)
    {
        if (op.Kind == EditKind.AddUsing)
        {
            return AddUsing(op.Code);
        }

        var query = NamePathQuery.TryParse(op.Target ?? "", out string? error);
        if (query is null)
        {
            throw NamePathResolver.NotFound(NamePathBuilder.Build(_root), op.Target ?? "", null, _text, error);
        }

        if (query.IsLineRange)
        {
            return LineRange(op, query);
        }

        // A body can only hold a local function the query means if its text contains the name, so only
        // those bodies are walked; the walk is the expensive part in a large file.
        string lastName = query.Segments[^1].NameKey;
        Func<SyntaxNode, bool>? searchBodies = lastName.All(NameKeys.IsWordChar)
            ? node => TextContains(BodySpan(node), lastName)
            : _ => false;
        var entries = NamePathBuilder.Build(_root, searchBodies: searchBodies, lastName: query.Segments[^1]);
        TargetEntry entry;
        try
        {
            entry = NamePathResolver.Resolve(entries, query, _text);
        }
        catch (ComposeException ex) when (ex.Code == ComposeErrorCode.TargetNotFound)
        {
            // The candidates should include local functions too, so list them from a full walk.
            entry = NamePathResolver.Resolve(NamePathBuilder.Build(_root), query, _text);
        }

        return op.Kind switch
        {
            EditKind.Replace => Replace(entry, op.Code),
            EditKind.ReplaceBody => ReplaceBody(entry, op.Code),
            EditKind.InsertBefore => InsertBeside(entry.Node, op.Code, before: true),
            EditKind.InsertAfter => InsertBeside(entry.Node, op.Code, before: false),
            EditKind.InsertFirst => InsertInto(entry, op.Code, first: true),
            EditKind.InsertLast => InsertInto(entry, op.Code, first: false),
            EditKind.Delete => Delete(entry.Node),
            _ => throw new ArgumentOutOfRangeException(nameof(op), op.Kind, "Unknown edit kind."),
        };
    }

    // ---- Replace -------------------------------------------------------------------------------

    private EditPlan Replace(TargetEntry entry, string? code)
    {
        var node = entry.Node;
        if (node is VariableDeclaratorSyntax declarator)
        {
            return ReplaceDeclarator(declarator, code);
        }

        var parsed = Parse(code, ContextOf(node));
        var ext = Extent(node);
        int start = ext.Start;
        if (_options.KeepExistingDocComment && ext.DocEnd > start && !parsed.FirstItemHasDoc)
        {
            start = ext.DocEnd;
        }

        var lines = node is EnumMemberDeclarationSyntax ? StripTrailingComma(parsed.Lines) : parsed.Lines;
        bool atLineStart = _text.Lines.GetLineFromPosition(start).Start == start;
        string body = Reindent(lines, MemberExtent.IndentOfLine(_text, node.SpanStart), atLineStart, parsed.Verbatim);
        int end = ext.ReplaceEnd;
        if (_options.KeepExistingTrailingComment && ext.WholeLines && HasTrailingComment(node.GetLastToken()) && !HasTrailingComment(parsed.Items[^1].GetLastToken()))
        {
            // Like the doc comment: code without a comment at the end of its last line keeps the member's.
            end = node.Span.End;
        }

        return Single(start, end, body);
    }

    /// <summary>Whether a comment follows <paramref name="token"/> on its line (<c>=> default; // why</c>).</summary>
    private static bool HasTrailingComment(SyntaxToken token)
    {
        foreach (var t in token.TrailingTrivia)
        {
            if (t.IsKind(SyntaxKind.EndOfLineTrivia))
            {
                return false;
            }

            if (t.IsKind(SyntaxKind.SingleLineCommentTrivia) || t.IsKind(SyntaxKind.MultiLineCommentTrivia))
            {
                return true;
            }
        }

        return false;
    }

    private EditPlan ReplaceDeclarator(VariableDeclaratorSyntax v, string? code)
    {
        var field = (BaseFieldDeclarationSyntax)v.Parent!.Parent!;
        ParsedCode parsed;
        try
        {
            parsed = Parse(code, CodeContext.FieldDeclarator);
        }
        catch (ComposeException declaratorError) when (declaratorError.Code == ComposeErrorCode.InvalidCode)
        {
            try
            {
                parsed = Parse(code, CodeContext.TypeMember);
            }
            catch (ComposeException) when (code is not null && !code.Contains(';', StringComparison.Ordinal))
            {
                throw declaratorError;
            }

            string Shape(BaseFieldDeclarationSyntax f) => NameKeys.Key(string.Join(' ', f.Modifiers.Select(m => m.Text)) + " " + f.Declaration.Type);
            if (parsed.Items is not [BaseFieldDeclarationSyntax { Declaration.Variables.Count: 1 } replacement]
                || replacement.GetType() != field.GetType() || Shape(replacement) != Shape(field) || replacement.AttributeLists.Count > 0)
            {
                throw new ComposeException(
                    ComposeErrorCode.InvalidCode,
                    ComposeStep.Compose,
                    $"The target is one declarator of the multi-variable declaration '{field.WithoutTrivia()}'. Give a declarator ('{v.Identifier.Text} = ...') or one declaration with the same modifiers and type; to change the type, replace each declarator or split the declaration first.");
            }

            return Single(v.SpanStart, v.Span.End, replacement.Declaration.Variables[0].ToString());
        }

        return Single(v.SpanStart, v.Span.End, parsed.Items[0].ToString());
    }

    // ---- ReplaceBody ---------------------------------------------------------------------------

    private EditPlan ReplaceBody(TargetEntry entry, string? code)
    {
        var node = entry.Node;
        switch (node)
        {
            case BaseMethodDeclarationSyntax m:
                return MethodBody(node, m.Body, m.ExpressionBody, m.SemicolonToken, code);
            case LocalFunctionStatementSyntax l:
                return MethodBody(node, l.Body, l.ExpressionBody, l.SemicolonToken, code);
            case PropertyDeclarationSyntax p:
                return PropertyBody(node, p.AccessorList, p.ExpressionBody, p.SemicolonToken, code);
            case IndexerDeclarationSyntax ix:
                return PropertyBody(node, ix.AccessorList, ix.ExpressionBody, ix.SemicolonToken, code);
            default:
                throw new ComposeException(
                    ComposeErrorCode.TargetNotFound,
                    ComposeStep.Compose,
                    $"ReplaceBody needs a method, constructor, destructor, operator, local function, property or indexer; '{entry.NamePath}' is a {entry.Kind}. Use Replace for it.",
                    candidates: [NamePathResolver.ToTarget(entry, _text).ToString()]);
        }
    }

    private EditPlan MethodBody(SyntaxNode node, BlockSyntax? block, ArrowExpressionClauseSyntax? arrow, SyntaxToken semicolon, string? code)
    {
        string trimmed = code?.Trim() ?? "";
        string memberIndent = MemberExtent.IndentOfLine(_text, node.SpanStart);
        string blockIndent = block is null ? memberIndent : MemberExtent.IndentOfLine(_text, block.SpanStart);
        if (trimmed.StartsWith("=>", StringComparison.Ordinal))
        {
            var parsed = Parse(trimmed.EndsWith(';') ? code : code!.TrimEnd() + ";", CodeContext.MethodExpression);
            string dest = arrow is null ? memberIndent : MemberExtent.IndentOfLine(_text, arrow.SpanStart);
            string expr = Reindent(parsed.Lines, dest, false, parsed.Verbatim);
            if (arrow is not null)
            {
                return Single(arrow.SpanStart, semicolon.Span.End, expr);
            }

            return CrossForm(block, arrow, semicolon, " " + expr);
        }

        string blockText;
        ParsedCode? asBlock = null;
        if (trimmed.StartsWith('{'))
        {
            try
            {
                asBlock = Parse(code, CodeContext.MethodBlock);
            }
            catch (ComposeException) when (TryParse(code, CodeContext.Statements) is not null)
            {
                // "{ a(); } b();" is statements that happen to start with a block.
            }
        }

        if (asBlock is not null)
        {
            blockText = Reindent(asBlock.Lines, blockIndent, false, asBlock.Verbatim);
        }
        else
        {
            var statements = Parse(code, CodeContext.Statements);
            blockText = "{" + _nl + Reindent(statements.Lines, blockIndent + _style().Unit, true, statements.Verbatim) + _nl + blockIndent + "}";
        }

        if (block is not null)
        {
            return Single(block.SpanStart, block.Span.End, blockText);
        }

        bool oneLine = !blockText.Contains('\n', StringComparison.Ordinal) && !blockText.Contains('\r', StringComparison.Ordinal);
        return CrossForm(block, arrow, semicolon, oneLine ? " " + blockText : _nl + blockIndent + blockText);
    }

    private EditPlan PropertyBody(SyntaxNode node, AccessorListSyntax? accessors, ArrowExpressionClauseSyntax? arrow, SyntaxToken semicolon, string? code)
    {
        string trimmed = code?.Trim() ?? "";
        string memberIndent = MemberExtent.IndentOfLine(_text, node.SpanStart);
        if (trimmed.StartsWith("=>", StringComparison.Ordinal))
        {
            var parsed = Parse(trimmed.EndsWith(';') ? code : code!.TrimEnd() + ";", CodeContext.PropertyExpression);
            string expr = Reindent(parsed.Lines, arrow is null ? memberIndent : MemberExtent.IndentOfLine(_text, arrow.SpanStart), false, parsed.Verbatim);
            if (arrow is not null)
            {
                return Single(arrow.SpanStart, semicolon.Span.End, expr);
            }

            return CrossForm(accessors, null, semicolon, " " + expr);
        }

        var list = Parse(code, CodeContext.AccessorList);
        string indent = accessors is null ? memberIndent : MemberExtent.IndentOfLine(_text, accessors.SpanStart);
        string text = Reindent(list.Lines, indent, false, list.Verbatim);
        if (accessors is not null)
        {
            return Single(accessors.SpanStart, accessors.Span.End, text);
        }

        return CrossForm(null, arrow, semicolon, list.Lines.Count > 1 ? _nl + indent + text : " " + text);
    }

    /// <summary>Swaps one body form for another: everything from the end of the signature to the end of the old body.</summary>
    private EditPlan CrossForm(SyntaxNode? block, SyntaxNode? arrow, SyntaxToken semicolon, string replacement)
    {
        var firstToken = (block ?? arrow)?.GetFirstToken() ?? semicolon;
        int start = firstToken.GetPreviousToken().Span.End;
        int end = block?.Span.End ?? arrow?.Span.End ?? semicolon.Span.End;
        if (semicolon.IsKind(SyntaxKind.SemicolonToken) && !semicolon.IsMissing)
        {
            // A property initializer's semicolon, or an expression body's: it goes with the old body.
            end = Math.Max(end, semicolon.Span.End);
        }

        return Single(start, end, replacement);
    }

    // ---- Insert --------------------------------------------------------------------------------

    private EditPlan InsertBeside(SyntaxNode target, string? code, bool before)
    {
        var anchor = Anchor(target);
        if (anchor is EnumMemberDeclarationSyntax member)
        {
            return InsertEnumMember(member, Parse(code, CodeContext.EnumMember), before);
        }

        var parsed = Parse(code, ContextOf(anchor));
        var ext = Extent(anchor);
        string indent = MemberExtent.IndentOfLine(_text, anchor.SpanStart);
        if (!ext.WholeLines)
        {
            if (before && ext.StartsLine)
            {
                // Above the anchor's doc comment, so the comment stays with the member it documents.
                return Single(ext.Start, ext.Start, Reindent(parsed.Lines, indent, true, parsed.Verbatim) + _nl);
            }

            string inline = Reindent(parsed.Lines, indent, false, parsed.Verbatim);
            return before
                ? Single(anchor.SpanStart, anchor.SpanStart, inline + " ")
                : Single(anchor.Span.End, anchor.Span.End, " " + inline);
        }

        string body = Reindent(parsed.Lines, indent, true, parsed.Verbatim);
        var change = before
            ? LinesBefore(anchor, body, parsed.Items[0], parsed.Items[^1])
            : LinesAfter(anchor, body, parsed.Items[0], parsed.Items[^1]);
        return new EditPlan([change], change.Span.Start);
    }

    private EditPlan InsertInto(TargetEntry entry, string? code, bool first)
    {
        var container = entry.Node;
        IReadOnlyList<SyntaxNode>? members = container switch
        {
            TypeDeclarationSyntax t => t.Members,
            EnumDeclarationSyntax e => e.Members,
            BaseNamespaceDeclarationSyntax n => n.Members,
            _ => null,
        };
        if (members is null)
        {
            throw new ComposeException(
                ComposeErrorCode.TargetNotFound,
                ComposeStep.Compose,
                $"{(first ? "InsertFirst" : "InsertLast")} needs a type or namespace; '{entry.NamePath}' is a {entry.Kind}. Use InsertBefore or InsertAfter to place a sibling.",
                candidates: [NamePathResolver.ToTarget(entry, _text).ToString()]);
        }

        if (members.Count > 0)
        {
            return InsertBeside(first ? members[0] : members[^1], code, before: first);
        }

        var parsed = Parse(code, container switch
        {
            EnumDeclarationSyntax => CodeContext.EnumMember,
            BaseNamespaceDeclarationSyntax => CodeContext.NamespaceMember,
            _ => CodeContext.TypeMember,
        });
        var lines = container is EnumDeclarationSyntax ? StripTrailingComma(parsed.Lines) : parsed.Lines;

        if (container is FileScopedNamespaceDeclarationSyntax)
        {
            int end = _text.Length;
            string tail = _text.ToString(TextSpan.FromBounds(Math.Max(0, end - 2 * _nl.Length), end));
            string lead = end == 0 || !EndsWithNewLine() ? _nl + _nl : tail == _nl + _nl ? "" : _nl;
            return Single(end, end, lead + Reindent(lines, "", true, parsed.Verbatim) + _nl);
        }

        (SyntaxToken open, SyntaxToken close) = container switch
        {
            BaseTypeDeclarationSyntax t => (t.OpenBraceToken, t.CloseBraceToken),
            NamespaceDeclarationSyntax n => (n.OpenBraceToken, n.CloseBraceToken),
            _ => (default, default),
        };
        if (!open.IsKind(SyntaxKind.OpenBraceToken) || open.IsMissing || close.IsMissing)
        {
            throw new ComposeException(
                ComposeErrorCode.TargetNotFound,
                ComposeStep.Compose,
                $"'{entry.NamePath}' has no body in braces to insert into; replace the whole declaration instead.",
                candidates: [NamePathResolver.ToTarget(entry, _text).ToString()]);
        }

        string outer = MemberExtent.IndentOfLine(_text, open.SpanStart);
        string inner = outer + _style().Unit;
        string body = Reindent(lines, inner, true, parsed.Verbatim);
        var closeLine = _text.Lines.GetLineFromPosition(close.SpanStart);
        if (MemberExtent.IsWhitespace(_text, closeLine.Start, close.SpanStart) && closeLine.LineNumber > _text.Lines.GetLineFromPosition(open.SpanStart).LineNumber)
        {
            return Single(closeLine.Start, closeLine.Start, body + _nl);
        }

        return Single(open.Span.End, close.SpanStart, _nl + body + _nl + outer);
    }

    private EditPlan InsertEnumMember(EnumMemberDeclarationSyntax member, ParsedCode parsed, bool before)
    {
        var members = ((EnumDeclarationSyntax)member.Parent!).Members;
        int idx = members.IndexOf(member);
        bool hasComma = idx < members.SeparatorCount;
        var lines = StripTrailingComma(parsed.Lines);
        var ext = Extent(member);
        string indent = MemberExtent.IndentOfLine(_text, member.SpanStart);
        if (!ext.WholeLines)
        {
            string inline = Reindent(lines, indent, false, parsed.Verbatim);
            if (before)
            {
                return Single(member.SpanStart, member.SpanStart, inline + ", ");
            }

            return hasComma
                ? Single(members.GetSeparator(idx).Span.End, members.GetSeparator(idx).Span.End, " " + inline + ",")
                : Single(member.Span.End, member.Span.End, ", " + inline);
        }

        string body = Reindent(lines, indent, true, parsed.Verbatim);
        if (before)
        {
            var change = LinesBefore(member, body + ",", parsed.Items[0], parsed.Items[^1]);
            return new EditPlan([change], change.Span.Start);
        }

        if (hasComma)
        {
            var change = LinesAfter(member, body + ",", parsed.Items[0], parsed.Items[^1]);
            return new EditPlan([change], change.Span.Start);
        }

        var lineChange = LinesAfter(member, body, parsed.Items[0], parsed.Items[^1]);
        return new EditPlan([new TextChange(new TextSpan(member.Span.End, 0), ","), lineChange], member.Span.End);
    }

    /// <summary>Whole lines before <paramref name="anchor"/>; the gaps on both sides follow the container's spacing.</summary>
    private TextChange LinesBefore(SyntaxNode anchor, string body, SyntaxNode first, SyntaxNode last)
    {
        var ext = Extent(anchor);
        var siblings = Siblings(anchor);
        int idx = IndexOf(siblings, anchor);
        var prev = idx > 0 ? siblings[idx - 1] : null;
        string after = Gap(last, anchor, siblings) ? _nl : "";
        if (prev is not null && Extent(prev) is { WholeLines: true } pext && MemberExtent.IsBlankRegion(_text, pext.End, ext.Start))
        {
            return new TextChange(TextSpan.FromBounds(pext.End, ext.Start), (Gap(prev, first, siblings) ? _nl : "") + body + _nl + after);
        }

        return new TextChange(new TextSpan(ext.Start, 0), body + _nl + after);
    }

    private TextChange LinesAfter(SyntaxNode anchor, string body, SyntaxNode first, SyntaxNode last)
    {
        var ext = Extent(anchor);
        var siblings = Siblings(anchor);
        int idx = IndexOf(siblings, anchor);
        var next = idx >= 0 && idx + 1 < siblings.Count ? siblings[idx + 1] : null;
        string before = Gap(anchor, first, siblings) ? _nl : "";
        if (next is not null && Extent(next) is { WholeLines: true } nextExt && MemberExtent.IsBlankRegion(_text, ext.End, nextExt.Start))
        {
            return new TextChange(TextSpan.FromBounds(ext.End, nextExt.Start), before + body + _nl + (Gap(last, next, siblings) ? _nl : ""));
        }

        if (ext.End == _text.Length && !EndsWithNewLine())
        {
            return new TextChange(new TextSpan(ext.End, 0), _nl + before + body);
        }

        return new TextChange(new TextSpan(ext.End, 0), before + body + _nl);
    }

    // ---- Delete --------------------------------------------------------------------------------

    private EditPlan Delete(SyntaxNode node)
    {
        if (node is VariableDeclaratorSyntax v)
        {
            return RemoveFromList(((VariableDeclarationSyntax)v.Parent!).Variables, v);
        }

        var ext = Extent(node);
        if (!ext.WholeLines)
        {
            if (node is EnumMemberDeclarationSyntax em)
            {
                return RemoveFromList(((EnumDeclarationSyntax)em.Parent!).Members, em);
            }

            var lastToken = node.GetLastToken();
            int end = lastToken.FullSpan.End;
            foreach (var t in lastToken.TrailingTrivia)
            {
                if (t.IsKind(SyntaxKind.EndOfLineTrivia))
                {
                    end = t.SpanStart;
                    break;
                }
            }

            return ext.StartsLine
                ? Single(ext.Start, end, MemberExtent.IndentOfLine(_text, node.SpanStart))
                : Single(node.SpanStart, end, "");
        }

        var changes = new List<TextChange>();
        var siblings = Siblings(node);
        int idx = IndexOf(siblings, node);
        var prev = idx > 0 ? siblings[idx - 1] : null;
        var next = idx >= 0 && idx + 1 < siblings.Count ? siblings[idx + 1] : null;

        if (node is EnumMemberDeclarationSyntax member)
        {
            // Deleting the last member must not leave a trailing comma the file did not have.
            var members = ((EnumDeclarationSyntax)member.Parent!).Members;
            if (idx == members.Count - 1 && idx > 0 && members.SeparatorCount < members.Count)
            {
                var sep = members.GetSeparator(idx - 1);
                changes.Add(new TextChange(sep.Span, ""));
            }
        }

        if (prev is not null && next is not null && Extent(prev) is { WholeLines: true } pext && Extent(next) is { WholeLines: true } nextExt
            && MemberExtent.IsBlankRegion(_text, pext.End, ext.Start) && MemberExtent.IsBlankRegion(_text, ext.End, nextExt.Start))
        {
            changes.Add(new TextChange(TextSpan.FromBounds(pext.End, nextExt.Start), Gap(prev, next, siblings) ? _nl : ""));
            return new EditPlan(changes, pext.End);
        }

        int s = ext.Start, e = ext.End;
        var startLine = _text.Lines.GetLineFromPosition(s);
        bool prevBlank = startLine.LineNumber > 0 && IsBlankLine(startLine.LineNumber - 1);
        int endLineNumber = e < _text.Length ? _text.Lines.GetLineFromPosition(e).LineNumber : -1;
        bool nextBlank = endLineNumber >= 0 && IsBlankLine(endLineNumber) && _text.Lines[endLineNumber].EndIncludingLineBreak > _text.Lines[endLineNumber].End;
        if (prevBlank && (nextBlank || next is null))
        {
            s = _text.Lines[startLine.LineNumber - 1].Start;
        }
        else if (nextBlank && prev is null)
        {
            e = _text.Lines[endLineNumber].EndIncludingLineBreak;
        }

        // The member ends the file without a final newline: take the line break before it too, so the
        // file still has no final newline.
        if (e == _text.Length && !EndsWithNewLine())
        {
            int line = _text.Lines.GetLineFromPosition(s).LineNumber;
            if (line > 0 && _text.Lines[line].Start == s)
            {
                s = _text.Lines[line - 1].End;
            }
        }

        changes.Add(new TextChange(TextSpan.FromBounds(s, e), ""));
        return new EditPlan(changes, s);
    }

    private static EditPlan RemoveFromList<T>(SeparatedSyntaxList<T> list, T item)
        where T : SyntaxNode
    {
        int idx = list.IndexOf(item);
        TextSpan span;
        if (idx < list.Count - 1)
        {
            span = TextSpan.FromBounds(item.SpanStart, list[idx + 1].SpanStart);
        }
        else if (idx > 0)
        {
            span = TextSpan.FromBounds(list.GetSeparator(idx - 1).SpanStart, item.Span.End);
        }
        else
        {
            span = TextSpan.FromBounds(item.SpanStart, list.SeparatorCount > 0 ? list.GetSeparator(0).Span.End : item.Span.End);
        }

        return new EditPlan([new TextChange(span, "")], span.Start);
    }

    // ---- AddUsing ------------------------------------------------------------------------------

    private EditPlan AddUsing(string? code)
    {
        string trimmed = code?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            throw new ComposeException(ComposeErrorCode.InvalidCode, ComposeStep.Compose, "AddUsing needs a namespace ('System.Text') or a using directive ('using static System.Math;').");
        }

        string directive = UsingStartRegex().IsMatch(trimmed)
            ? (trimmed.EndsWith(';') ? trimmed : trimmed + ";")
            : "using " + trimmed.TrimEnd(';').Trim() + ";";
        var unit = SyntaxFactory.ParseCompilationUnit(directive, options: _parseOptions);
        var error = unit.GetDiagnostics().FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error);
        if (error is not null || unit.Usings.Count != 1 || unit.Members.Count > 0 || unit.Externs.Count > 0)
        {
            throw new ComposeException(
                ComposeErrorCode.InvalidCode,
                ComposeStep.Compose,
                $"'{trimmed}' is not one using directive{(error is null ? "" : ": " + error.GetMessage(System.Globalization.CultureInfo.InvariantCulture) + $" at column {error.Location.GetLineSpan().StartLinePosition.Character + 1} of '{directive}'")}.");
        }

        var added = unit.Usings[0];
        string key = UsingKey(added);
        var root = (CompilationUnitSyntax)_root;
        var scopes = new List<SyntaxList<UsingDirectiveSyntax>> { root.Usings };
        scopes.AddRange(root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax).OfType<BaseNamespaceDeclarationSyntax>().Select(n => n.Usings));
        foreach (var scope in scopes)
        {
            foreach (var u in scope)
            {
                if (UsingKey(u) == key)
                {
                    return new EditPlan([], u.SpanStart);
                }
            }
        }

        // Join the existing usings wherever they are: file level first, else the first namespace that has some.
        var list = root.Usings;
        if (list.Count == 0 && scopes.Skip(1).FirstOrDefault(u => u.Count > 0) is { Count: > 0 } nested)
        {
            list = nested;
        }

        string text = added.WithoutTrivia().ToFullString();
        if (list.Count == 0)
        {
            if (root.Externs.Count > 0)
            {
                var ext = Extent(root.Externs[^1]);
                return Single(ext.End, ext.End, text + _nl);
            }

            SyntaxNode? firstNode = root.AttributeLists.Cast<SyntaxNode>().Concat(root.Members).OrderBy(n => n.SpanStart).FirstOrDefault();
            if (firstNode is null)
            {
                int end = _text.Length;
                return Single(end, end, (end > 0 && !EndsWithNewLine() ? _nl : "") + text + _nl);
            }

            int at = Extent(firstNode).Start;
            return Single(at, at, text + _nl + _nl);
        }

        int index = InsertionIndex(list, added);
        if (index < list.Count)
        {
            var follower = list[index];
            var line = _text.Lines.GetLineFromPosition(follower.SpanStart);
            return Single(line.Start, line.Start, MemberExtent.IndentOfLine(_text, follower.SpanStart) + text + _nl);
        }

        var lastUsing = list[index - 1];
        var lastExt = Extent(lastUsing);
        string indent = MemberExtent.IndentOfLine(_text, lastUsing.SpanStart);
        if (lastExt.End == _text.Length && !EndsWithNewLine())
        {
            return Single(lastExt.End, lastExt.End, _nl + indent + text);
        }

        return Single(lastExt.End, lastExt.End, indent + text + _nl);
    }

    private static string UsingKey(UsingDirectiveSyntax u) => NameKeys.Key(u.WithoutTrivia().ToFullString());

    /// <summary>Where a new directive goes: its sorted place when the list is sorted, else after its own group.</summary>
    private static int InsertionIndex(SyntaxList<UsingDirectiveSyntax> list, UsingDirectiveSyntax added)
    {
        foreach (var comparer in (Comparison<UsingDirectiveSyntax>[])[(a, b) => CompareUsings(a, b, systemFirst: true), (a, b) => CompareUsings(a, b, systemFirst: false)])
        {
            bool sorted = true;
            for (int i = 1; i < list.Count && sorted; i++)
            {
                sorted = comparer(list[i - 1], list[i]) <= 0;
            }

            if (sorted)
            {
                for (int i = 0; i < list.Count; i++)
                {
                    if (comparer(added, list[i]) < 0)
                    {
                        return i;
                    }
                }

                return list.Count;
            }
        }

        // Unsorted: keep global usings ahead of the rest, as the compiler requires.
        int lastOfGroup = -1;
        for (int i = 0; i < list.Count; i++)
        {
            if (Group(list[i]) <= Group(added))
            {
                lastOfGroup = i;
            }
        }

        return lastOfGroup + 1;
    }

    private static int Group(UsingDirectiveSyntax u)
        => (u.GlobalKeyword.IsKind(SyntaxKind.GlobalKeyword) ? 0 : 3) + (u.Alias is not null ? 2 : u.StaticKeyword.IsKind(SyntaxKind.StaticKeyword) ? 1 : 0);

    private static int CompareUsings(UsingDirectiveSyntax a, UsingDirectiveSyntax b, bool systemFirst)
    {
        int g = Group(a).CompareTo(Group(b));
        if (g != 0)
        {
            return g;
        }

        string x = a.Alias is not null ? a.Alias.Name.ToString() : a.NamespaceOrType.ToString();
        string y = b.Alias is not null ? b.Alias.Name.ToString() : b.NamespaceOrType.ToString();
        if (systemFirst)
        {
            bool sx = x == "System" || x.StartsWith("System.", StringComparison.Ordinal);
            bool sy = y == "System" || y.StartsWith("System.", StringComparison.Ordinal);
            if (sx != sy)
            {
                return sx ? -1 : 1;
            }
        }

        return string.CompareOrdinal(NameKeys.Key(x), NameKeys.Key(y));
    }

    // ---- Line ranges ---------------------------------------------------------------------------

    private EditPlan LineRange(EditOperation op, NamePathQuery query)
    {
        int lineCount = _text.Lines.Count;
        if (query.LastLine > lineCount)
        {
            throw new ComposeException(
                ComposeErrorCode.TargetNotFound,
                ComposeStep.Compose,
                $"The line range '{query.Text}' ends after the last line; the file has {lineCount} lines.",
                candidates: [$"lines:1-{lineCount}"]);
        }

        var first = _text.Lines[query.FirstLine - 1];
        var last = _text.Lines[query.LastLine - 1];
        string indent = MemberExtent.IndentOfLine(_text, first.Start);
        switch (op.Kind)
        {
            case EditKind.Delete:
                return Single(first.Start, last.EndIncludingLineBreak, "");
            case EditKind.Replace:
            case EditKind.InsertBefore:
            case EditKind.InsertAfter:
            {
                if (op.Code is null || op.Code.Trim().Length == 0)
                {
                    throw new ComposeException(ComposeErrorCode.InvalidCode, ComposeStep.Compose, "The code is empty; use Delete to remove lines.");
                }

                var lines = CodeLayout.SplitLines(op.Code.TrimEnd());
                while (lines.Count > 1 && lines[0].Trim().Length == 0)
                {
                    lines.RemoveAt(0);
                }

                // Lines inside a multi-line string keep their bytes, as in member code.
                var inStrings = CodeParser.LinesInsideStrings(string.Join("\n", lines), _parseOptions);
                if (op.Kind == EditKind.Replace)
                {
                    return Single(first.Start, last.End, Reindent(lines, indent, true, inStrings));
                }

                if (op.Kind == EditKind.InsertBefore)
                {
                    return Single(first.Start, first.Start, Reindent(lines, indent, true, inStrings) + _nl);
                }

                string body = Reindent(lines, MemberExtent.IndentOfLine(_text, last.Start), true, inStrings);
                return last.EndIncludingLineBreak == last.End
                    ? Single(last.End, last.End, _nl + body)
                    : Single(last.EndIncludingLineBreak, last.EndIncludingLineBreak, body + _nl);
            }

            default:
                throw new ComposeException(
                    ComposeErrorCode.TargetNotFound,
                    ComposeStep.Compose,
                    $"{op.Kind} needs a member target; a line range supports Replace, Delete, InsertBefore and InsertAfter.");
        }
    }

    // ---- Helpers -------------------------------------------------------------------------------

    private ParsedCode Parse(string? code, CodeContext context) => CodeParser.Parse(code, context, _parseOptions);

    private ParsedCode? TryParse(string? code, CodeContext context)
    {
        try
        {
            return Parse(code, context);
        }
        catch (ComposeException)
        {
            return null;
        }
    }

    private string Reindent(IReadOnlyList<string> lines, string indent, bool atLineStart, ISet<int> verbatim)
        => CodeLayout.Reindent(lines, indent, atLineStart, _nl, verbatim, _style);

    private static EditPlan Single(int start, int end, string text) => new([new TextChange(TextSpan.FromBounds(start, end), text)], start);

    private Extent Extent(SyntaxNode node)
    {
        if (!_extents.TryGetValue(node, out var ext))
        {
            ext = MemberExtent.Of(node, _text);
            _extents[node] = ext;
        }

        return ext;
    }

    private char[]? _chars;

    private List<int>? _needleAt;

    /// <summary>Whether <paramref name="needle"/> occurs inside <paramref name="span"/>. The text is scanned once per
    /// plan for the one needle a query has; each member is then a binary search over the occurrences.</summary>
    private bool TextContains(TextSpan span, string needle)
    {
        if (_needleAt is null)
        {
            // Pooled: a fresh copy of a large file per operation would be a large-object allocation each time.
            _chars = System.Buffers.ArrayPool<char>.Shared.Rent(Math.Max(1, _text.Length));
            _text.CopyTo(0, _chars, 0, _text.Length);
            _needleAt = [];
            var all = _chars.AsSpan(0, _text.Length);
            int from = 0;
            while (from < all.Length)
            {
                int i = all[from..].IndexOf(needle.AsSpan(), StringComparison.Ordinal);
                if (i < 0)
                {
                    break;
                }

                _needleAt.Add(from + i);
                from += i + 1;
            }
        }

        // The first occurrence at or after the span's start must end inside the span.
        int idx = _needleAt.BinarySearch(span.Start);
        if (idx < 0)
        {
            idx = ~idx;
        }

        return idx < _needleAt.Count && _needleAt[idx] + needle.Length <= span.End;
    }

    /// <summary>The part of a member after its name and parameters, where a local function can be declared.</summary>
    private static TextSpan BodySpan(SyntaxNode node)
    {
        int start = node switch
        {
            BaseMethodDeclarationSyntax m => m.ParameterList.Span.End,
            LocalFunctionStatementSyntax l => l.ParameterList.Span.End,
            BasePropertyDeclarationSyntax p => p.AccessorList?.SpanStart ?? (p as PropertyDeclarationSyntax)?.ExpressionBody?.SpanStart ?? (p as IndexerDeclarationSyntax)?.ExpressionBody?.SpanStart ?? node.Span.End,
            VariableDeclaratorSyntax v => v.Identifier.Span.End,
            _ => node.SpanStart,
        };
        return TextSpan.FromBounds(Math.Min(start, node.Span.End), node.Span.End);
    }

    private bool EndsWithNewLine() => _text.Length > 0 && _text[_text.Length - 1] is '\n' or '\r';

    private bool IsBlankLine(int lineNumber)
    {
        var line = _text.Lines[lineNumber];
        return MemberExtent.IsWhitespace(_text, line.Start, line.End);
    }

    private static IReadOnlyList<string> StripTrailingComma(IReadOnlyList<string> lines)
    {
        string last = lines[^1].TrimEnd();
        if (!last.EndsWith(','))
        {
            return lines;
        }

        var copy = lines.ToList();
        copy[^1] = last[..^1].TrimEnd();
        return copy;
    }

    /// <summary>The node inserted code sits beside: the whole declaration for one of its declarators, the global statement for a top-level local function.</summary>
    private static SyntaxNode Anchor(SyntaxNode target) => target switch
    {
        VariableDeclaratorSyntax v => v.Parent!.Parent!,
        LocalFunctionStatementSyntax { Parent: GlobalStatementSyntax g } => g,
        _ => target,
    };

    private static CodeContext ContextOf(SyntaxNode node) => node switch
    {
        EnumMemberDeclarationSyntax => CodeContext.EnumMember,
        StatementSyntax or GlobalStatementSyntax => CodeContext.Statements,
        _ => node.Parent switch
        {
            BaseNamespaceDeclarationSyntax => CodeContext.NamespaceMember,
            CompilationUnitSyntax => CodeContext.CompilationUnitMember,
            _ => CodeContext.TypeMember,
        },
    };

    private static IReadOnlyList<SyntaxNode> Siblings(SyntaxNode node) => node.Parent switch
    {
        TypeDeclarationSyntax t => t.Members,
        EnumDeclarationSyntax e => e.Members,
        BaseNamespaceDeclarationSyntax n => n.Members,
        CompilationUnitSyntax c => c.Members,
        BlockSyntax b => b.Statements,
        SwitchSectionSyntax s => s.Statements,
        _ => [node],
    };

    private static int IndexOf(IReadOnlyList<SyntaxNode> list, SyntaxNode node)
    {
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i] == node)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// Whether a blank line belongs between <paramref name="x"/> and <paramref name="y"/>, learned from the
    /// container: runs of one-line fields, enum members or statements are usually tight, everything else spaced.
    /// </summary>
    private bool Gap(SyntaxNode x, SyntaxNode y, IReadOnlyList<SyntaxNode> siblings)
    {
        bool tightKind = CompactPair(x, y);
        int blank = 0, tight = 0;
        for (int i = 1; i < siblings.Count; i++)
        {
            var a = siblings[i - 1];
            var b = siblings[i];
            // Tight runs are learned per kind: one-line properties spaced apart say nothing about fields.
            if (CompactPair(a, b) != tightKind || (tightKind && a.RawKind != x.RawKind))
            {
                continue;
            }

            var ea = Extent(a);
            if (MemberExtent.HasBlankLine(_text, ea.WholeLines ? ea.End : a.Span.End, Extent(b).Start))
            {
                blank++;
            }
            else
            {
                tight++;
            }
        }

        if (blank + tight == 0)
        {
            // Nothing to learn from: enum members sit tight, other members get air.
            return !tightKind && !(x is EnumMemberDeclarationSyntax && y is EnumMemberDeclarationSyntax);
        }

        return blank > tight || (blank == tight && !tightKind);
    }

    private static bool CompactPair(SyntaxNode a, SyntaxNode b) => a.RawKind == b.RawKind && IsCompact(a) && IsCompact(b);

    private static bool IsCompact(SyntaxNode n)
        => n is BaseFieldDeclarationSyntax or EnumMemberDeclarationSyntax or PropertyDeclarationSyntax or GlobalStatementSyntax or StatementSyntax
            && n is not LocalFunctionStatementSyntax && n is not GlobalStatementSyntax { Statement: LocalFunctionStatementSyntax }
            && !MemberExtent.HasDocComment(n)
            && !n.ToString().Contains('\n', StringComparison.Ordinal);

    [GeneratedRegex(@"^(global\s+)?using\b")]
    private static partial Regex UsingStartRegex();
}
