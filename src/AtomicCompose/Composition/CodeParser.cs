using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace AtomicCompose.Composition;

/// <summary>Where code is going, which decides how it must parse.</summary>
internal enum CodeContext
{
    TypeMember,
    EnumMember,
    NamespaceMember,
    CompilationUnitMember,
    Statements,
    MethodBlock,
    MethodExpression,
    AccessorList,
    PropertyExpression,
    FieldDeclarator,
}

/// <summary>Caller code, parsed where it goes.</summary>
/// <param name="Lines">The code's lines without leading and trailing blank lines.</param>
/// <param name="Verbatim">Indexes into <paramref name="Lines"/> that start inside a multi-line string and must not be re-indented.</param>
/// <param name="Items">The parsed members or statements (nodes of a scratch tree).</param>
internal sealed record ParsedCode(IReadOnlyList<string> Lines, ISet<int> Verbatim, IReadOnlyList<SyntaxNode> Items)
{
    public bool FirstItemHasDoc => Items.Count > 0 && MemberExtent.HasDocComment(Items[0]);
}

/// <summary>Parses caller code inside a small wrapper that stands for its destination, and reports errors at the caller's line and column.</summary>
internal static class CodeParser
{
    private const string Wrapper = "__AtomicComposeWrapper";

    public static ParsedCode Parse(string? code, CodeContext context, CSharpParseOptions? options)
    {
        if (code is null || code.Trim().Length == 0)
        {
            throw new ComposeException(ComposeErrorCode.InvalidCode, ComposeStep.Compose, "The code is empty; give the C# to insert.");
        }

        // The closing text starts on its own line, so code ending in a line comment cannot swallow it.
        (string prefix, string suffix) = context switch
        {
            CodeContext.TypeMember => ($"class {Wrapper}\n{{\n", "\n}\n"),
            CodeContext.EnumMember => ($"enum {Wrapper}\n{{\n", "\n}\n"),
            CodeContext.NamespaceMember => ($"namespace {Wrapper}\n{{\n", "\n}\n"),
            CodeContext.CompilationUnitMember => ("", "\n"),
            CodeContext.Statements => ($"class {Wrapper}\n{{\nvoid {Wrapper}M()\n{{\n", "\n}\n}\n"),
            CodeContext.MethodBlock or CodeContext.MethodExpression => ($"class {Wrapper}\n{{\nvoid {Wrapper}M()\n", "\n}\n"),
            CodeContext.AccessorList or CodeContext.PropertyExpression => ($"class {Wrapper}\n{{\nint {Wrapper}P\n", "\n}\n"),
            CodeContext.FieldDeclarator => ($"class {Wrapper}\n{{\nobject ", ";\n}\n"),
            _ => throw new ArgumentOutOfRangeException(nameof(context)),
        };

        string full = prefix + code + suffix;
        var tree = CSharpSyntaxTree.ParseText(full, options ?? CSharpParseOptions.Default);
        var root = (CompilationUnitSyntax)tree.GetRoot();
        var codeText = SourceText.From(code);
        var error = tree.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).OrderBy(d => d.Location.SourceSpan.Start).FirstOrDefault();
        if (error is not null)
        {
            int pos = Math.Clamp(error.Location.SourceSpan.Start - prefix.Length, 0, code.Length);
            var lp = codeText.Lines.GetLinePosition(pos);
            throw new ComposeException(
                ComposeErrorCode.InvalidCode,
                ComposeStep.Compose,
                $"The code does not parse as {Describe(context)}: {error.GetMessage(System.Globalization.CultureInfo.InvariantCulture)} ({error.Id}) at line {lp.Line + 1}, column {lp.Character + 1} of the code. Fix the code and stage the operation again.");
        }

        IReadOnlyList<SyntaxNode>? items = context switch
        {
            CodeContext.TypeMember or CodeContext.EnumMember or CodeContext.NamespaceMember => Single(root) switch
            {
                TypeDeclarationSyntax t => t.Members,
                EnumDeclarationSyntax e => e.Members,
                BaseNamespaceDeclarationSyntax n => n.Members,
                _ => null,
            },
            CodeContext.CompilationUnitMember => root.Members.Any(m => m is GlobalStatementSyntax) || root.Usings.Count > 0 ? null : root.Members,
            CodeContext.Statements => (WrappedMember(root) as MethodDeclarationSyntax)?.Body?.Statements,
            CodeContext.MethodBlock => WrappedMember(root) is MethodDeclarationSyntax { Body: { } b } ? [b] : null,
            CodeContext.MethodExpression => WrappedMember(root) is MethodDeclarationSyntax { ExpressionBody: { } e } ? [e] : null,
            CodeContext.AccessorList => WrappedMember(root) is PropertyDeclarationSyntax { AccessorList: { } a, Initializer: null } ? [a] : null,
            CodeContext.PropertyExpression => WrappedMember(root) is PropertyDeclarationSyntax { ExpressionBody: { } e } ? [e] : null,
            CodeContext.FieldDeclarator => WrappedMember(root) is FieldDeclarationSyntax { Declaration.Variables: { Count: 1 } v } ? [v[0]] : null,
            _ => null,
        };

        if (items is null || items.Count == 0)
        {
            throw new ComposeException(
                ComposeErrorCode.InvalidCode,
                ComposeStep.Compose,
                $"The code is not {Describe(context)} (it parses, but as something else, or it closes its surroundings). Give only {Describe(context)}.");
        }

        return new ParsedCode(TrimmedLines(code, codeText, root, prefix.Length, out var verbatim), verbatim, items);
    }

    /// <summary>
    /// The lines of <paramref name="code"/> (split as <see cref="CodeLayout.SplitLines"/> splits) that start inside a
    /// multi-line string, found by lexing alone, for code that need not parse (a line range's).
    /// </summary>
    public static ISet<int> LinesInsideStrings(string code, CSharpParseOptions? options)
    {
        var text = SourceText.From(code);
        var result = new HashSet<int>();
        foreach (var token in SyntaxFactory.ParseTokens(code, options: options ?? CSharpParseOptions.Default))
        {
            if (token.Span.Length == 0)
            {
                continue;
            }

            int first = text.Lines.GetLineFromPosition(token.SpanStart).LineNumber;
            int last = text.Lines.GetLineFromPosition(token.Span.End).LineNumber;
            for (int i = first + 1; i <= last; i++)
            {
                if (text.Lines[i].Start < token.Span.End)
                {
                    result.Add(i);
                }
            }
        }

        return result;
    }

    private static MemberDeclarationSyntax? Single(CompilationUnitSyntax root)
        => root.Members.Count == 1 && root.Usings.Count == 0 ? root.Members[0] : null;

    private static MemberDeclarationSyntax? WrappedMember(CompilationUnitSyntax root)
        => Single(root) is ClassDeclarationSyntax { Members.Count: 1 } c ? c.Members[0] : null;

    private static List<string> TrimmedLines(string code, SourceText codeText, CompilationUnitSyntax root, int offset, out ISet<int> verbatim)
    {
        var lines = CodeLayout.SplitLines(code);
        var stringSpans = new List<TextSpan>();
        foreach (var node in root.DescendantNodesAndTokens(descendIntoTrivia: false))
        {
            TextSpan span;
            if (node.IsToken)
            {
                var token = node.AsToken();
                if (!token.IsKind(SyntaxKind.StringLiteralToken) && !token.IsKind(SyntaxKind.MultiLineRawStringLiteralToken)
                    && !token.IsKind(SyntaxKind.Utf8StringLiteralToken) && !token.IsKind(SyntaxKind.Utf8MultiLineRawStringLiteralToken)
                    && !token.IsKind(SyntaxKind.InterpolatedStringTextToken))
                {
                    continue;
                }

                span = token.Span;
            }
            else if (node.AsNode() is InterpolatedStringExpressionSyntax s)
            {
                span = s.Span;
            }
            else
            {
                continue;
            }

            if (span.Length > 0)
            {
                stringSpans.Add(new TextSpan(span.Start - offset, span.Length));
            }
        }

        var allVerbatim = new HashSet<int>();
        for (int i = 1; i < codeText.Lines.Count && i < lines.Count; i++)
        {
            int start = codeText.Lines[i].Start;
            if (stringSpans.Any(s => s.Start < start && start < s.End))
            {
                allVerbatim.Add(i);
            }
        }

        int first = 0;
        while (first < lines.Count - 1 && lines[first].Trim().Length == 0)
        {
            first++;
        }

        int last = lines.Count - 1;
        while (last > first && lines[last].Trim().Length == 0 && !allVerbatim.Contains(last))
        {
            last--;
        }

        var result = lines.GetRange(first, last - first + 1);
        if (!allVerbatim.Contains(last))
        {
            result[^1] = result[^1].TrimEnd();
        }

        verbatim = allVerbatim.Where(i => i >= first && i <= last).Select(i => i - first).ToHashSet();
        return result;
    }

    private static string Describe(CodeContext context) => context switch
    {
        CodeContext.TypeMember => "type member declarations",
        CodeContext.EnumMember => "enum members",
        CodeContext.NamespaceMember => "namespace member declarations",
        CodeContext.CompilationUnitMember => "top-level declarations",
        CodeContext.Statements => "statements",
        CodeContext.MethodBlock => "a block body '{ ... }'",
        CodeContext.MethodExpression => "an expression body '=> ...;'",
        CodeContext.AccessorList => "an accessor list '{ get ...; set ...; }'",
        CodeContext.PropertyExpression => "an expression body '=> ...;'",
        CodeContext.FieldDeclarator => "a variable declarator 'name = value'",
        _ => context.ToString(),
    };
}
