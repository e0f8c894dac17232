using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace AtomicCompose.Composition;

/// <summary>
/// The text a member owns. A member owns its attributes, its XML doc comment (also when blank lines part
/// it from the declaration) and any plain comments between the doc comment and the declaration; not
/// directives, not plain comments above the doc comment (those are often section headers). The one
/// directive it owns is an <c>#if</c> whose <c>#else</c>/<c>#endif</c> lies inside its header: alternative
/// signatures sharing one body are one member, from the <c>#if</c> on.
/// </summary>
/// <param name="Start">Where the member's text begins: the start of its first line when <see cref="StartsLine"/>.</param>
/// <param name="ReplaceEnd">Where a replacement stops: end of the last line without its line break (an enum member's comma stays).</param>
/// <param name="End">Where a deletion stops: after the line break when <see cref="WholeLines"/>.</param>
/// <param name="StartsLine">Only whitespace precedes the member on its first line.</param>
/// <param name="WholeLines">The member owns its lines outright, so line-level splicing is safe.</param>
/// <param name="DocEnd">Start of the line after the member's doc comment; -1 when it has none.</param>
/// <param name="LastLinePosition">A position on the member's last line.</param>
internal readonly record struct Extent(int Start, int ReplaceEnd, int End, bool StartsLine, bool WholeLines, int DocEnd, int LastLinePosition);

/// <summary>Computes <see cref="Extent"/>s and small text facts the composer splices with.</summary>
internal static class MemberExtent
{
    public static Extent Of(SyntaxNode node, SourceText text)
    {
        int spanStart = node.SpanStart;
        var firstLine = text.Lines.GetLineFromPosition(spanStart);
        bool startsLine = IsWhitespace(text, firstLine.Start, spanStart);
        int start = spanStart;
        int docEnd = -1;
        if (startsLine && node is not VariableDeclaratorSyntax)
        {
            // Two signatures under '#if ... #else ... #endif' sharing one body: the member starts at its '#if'.
            if (OpeningConditional(node) is { } conditional)
            {
                firstLine = text.Lines.GetLineFromPosition(conditional.SpanStart);
            }

            start = firstLine.Start;
            var leading = node.GetLeadingTrivia();
            int fullStart = node.FullSpan.Start;
            int li = firstLine.LineNumber - 1;
            while (li >= 0)
            {
                var line = text.Lines[li];
                if (line.Start < fullStart)
                {
                    break;
                }

                int p = FirstNonWhitespace(text, line.Start, line.End);
                if (p < 0)
                {
                    // Blank lines between a doc comment and its member do not make it anyone else's: the
                    // compiler still reads it as the member's documentation.
                    int above = li - 1;
                    while (above >= 0 && text.Lines[above].Start >= fullStart && IsWhitespace(text, text.Lines[above].Start, text.Lines[above].End))
                    {
                        above--;
                    }

                    if (above >= 0 && text.Lines[above].Start >= fullStart
                        && FirstNonWhitespace(text, text.Lines[above].Start, text.Lines[above].End) is int q and >= 0
                        && FindTrivia(leading, q) is { } docAbove && IsDocComment(docAbove)
                        && LineStartAfter(text, docAbove.FullSpan.End) == text.Lines[above + 1].Start)
                    {
                        li = above;
                        continue;
                    }

                    break;
                }

                var trivia = FindTrivia(leading, p);
                if (trivia is not { } t)
                {
                    break;
                }

                // A doc comment's Span starts after its "///"; its FullSpan is where the text begins.
                var triviaLine = text.Lines.GetLineFromPosition(t.FullSpan.Start);
                if (!IsWhitespace(text, triviaLine.Start, t.FullSpan.Start) || triviaLine.Start < fullStart)
                {
                    break;
                }

                if (IsDocComment(t))
                {
                    if (docEnd < 0)
                    {
                        docEnd = LineStartAfter(text, t.FullSpan.End);
                    }

                    start = triviaLine.Start;
                }
                else if (!IsPlainComment(t))
                {
                    break;
                }

                li = triviaLine.LineNumber - 1;
            }
        }

        // An enum member's separating comma shares its line; deletion takes it, replacement leaves it.
        SyntaxToken last = node.GetLastToken();
        if (node is EnumMemberDeclarationSyntax)
        {
            var next = last.GetNextToken();
            if (next.IsKind(SyntaxKind.CommaToken))
            {
                last = next;
            }
        }

        int replaceEnd = node.Span.End;
        int end = replaceEnd;
        bool endsLine = false;
        foreach (var t in last.TrailingTrivia)
        {
            if (t.IsKind(SyntaxKind.EndOfLineTrivia))
            {
                endsLine = true;
                end = t.Span.End;
                if (node is not EnumMemberDeclarationSyntax)
                {
                    replaceEnd = t.SpanStart;
                }

                break;
            }
        }

        if (!endsLine && last.FullSpan.End == text.Length)
        {
            endsLine = true;
            end = text.Length;
            if (node is not EnumMemberDeclarationSyntax)
            {
                replaceEnd = text.Length;
            }
        }

        int lastLinePosition = Math.Max(start, node.Span.End - 1);
        if (endsLine && ClosingDirective(node) is { } closer)
        {
            // '#endregion'/'#endif' right after the member closing what opened inside it (a file-scoped namespace's last region).
            var closerLine = text.Lines.GetLineFromPosition(closer.SpanStart);
            replaceEnd = closerLine.End;
            end = closerLine.EndIncludingLineBreak;
            lastLinePosition = closer.SpanStart;
        }

        bool wholeLines = startsLine && endsLine && node is not VariableDeclaratorSyntax;
        if (!wholeLines)
        {
            replaceEnd = node.Span.End;
            end = node.Span.End;
            if (!startsLine)
            {
                docEnd = -1;
            }
        }

        if (docEnd > spanStart)
        {
            docEnd = -1;
        }

        // What a kept doc comment keeps: the comment and the blank lines that part it from the member.
        while (docEnd >= 0 && docEnd < spanStart)
        {
            var line = text.Lines.GetLineFromPosition(docEnd);
            if (line.EndIncludingLineBreak <= docEnd || !IsWhitespace(text, line.Start, line.End) || line.EndIncludingLineBreak > spanStart)
            {
                break;
            }

            docEnd = line.EndIncludingLineBreak;
        }

        return new Extent(start, replaceEnd, end, startsLine && node is not VariableDeclaratorSyntax, wholeLines, docEnd, wholeLines ? lastLinePosition : Math.Max(start, node.Span.End - 1));
    }

    /// <summary>
    /// The <c>#if</c> in <paramref name="node"/>'s leading trivia whose <c>#else</c>, <c>#elif</c> or <c>#endif</c> lies
    /// inside the member's header (alternative signatures sharing one body); <see langword="null"/> when there is none.
    /// Only the header is read (up to the first brace or arrow), so a large body costs nothing.
    /// </summary>
    private static DirectiveTriviaSyntax? OpeningConditional(SyntaxNode node)
    {
        if (!node.ContainsDirectives || node is BaseNamespaceDeclarationSyntax)
        {
            return null;
        }

        DirectiveTriviaSyntax? opening = null;
        bool first = true, headerEnded = false;
        foreach (var token in node.DescendantTokens())
        {
            if (!first && token.HasLeadingTrivia)
            {
                foreach (var t in token.LeadingTrivia)
                {
                    if (t.GetStructure() is ConditionalDirectiveTriviaSyntax or ElseDirectiveTriviaSyntax or EndIfDirectiveTriviaSyntax
                        && ((DirectiveTriviaSyntax)t.GetStructure()!).GetRelatedDirectives() is [IfDirectiveTriviaSyntax ifDirective, ..]
                        && ifDirective.SpanStart >= node.FullSpan.Start && ifDirective.SpanStart < node.SpanStart
                        && (opening is null || ifDirective.SpanStart < opening.SpanStart))
                    {
                        opening = ifDirective;
                    }
                }
            }

            first = false;
            if (headerEnded)
            {
                break;
            }

            // One token more: with K&R braces the '#endif' follows the brace ('M(string s) {' then '#endif').
            headerEnded = token.IsKind(SyntaxKind.OpenBraceToken) || token.IsKind(SyntaxKind.EqualsGreaterThanToken) || token.IsKind(SyntaxKind.SemicolonToken);
        }

        return opening;
    }

    /// <summary>
    /// The last directive in the trivia right after <paramref name="node"/> that closes or continues one opened inside
    /// it, when only such directives (and what they disable) lie there; <see langword="null"/> otherwise.
    /// </summary>
    private static DirectiveTriviaSyntax? ClosingDirective(SyntaxNode node)
    {
        if (!node.ContainsDirectives)
        {
            return null;
        }

        var next = node.GetLastToken().GetNextToken(includeZeroWidth: true);
        DirectiveTriviaSyntax? closer = null;
        foreach (var t in next.LeadingTrivia)
        {
            if (t.IsKind(SyntaxKind.WhitespaceTrivia) || t.IsKind(SyntaxKind.EndOfLineTrivia) || t.IsKind(SyntaxKind.DisabledTextTrivia))
            {
                continue;
            }

            if (t.GetStructure() is DirectiveTriviaSyntax d and (EndIfDirectiveTriviaSyntax or ElseDirectiveTriviaSyntax or ElifDirectiveTriviaSyntax or EndRegionDirectiveTriviaSyntax)
                && d.GetRelatedDirectives() is [var opening, ..] && opening.SpanStart > node.SpanStart && opening.SpanStart < node.Span.End)
            {
                closer = d;
                continue;
            }

            break;
        }

        return closer;
    }

    /// <summary>The lines of <paramref name="extent"/>, 1-based inclusive.</summary>
    public static LineRange Lines(Extent extent, SourceText text)
        => new(text.Lines.GetLineFromPosition(extent.Start).LineNumber + 1, text.Lines.GetLineFromPosition(extent.LastLinePosition).LineNumber + 1);

    /// <summary>The lines covering [<paramref name="start"/>, <paramref name="end"/>); an empty range at the line of <paramref name="start"/> when empty.</summary>
    public static LineRange Lines(SourceText text, int start, int end)
    {
        int first = text.Lines.GetLineFromPosition(Math.Min(start, text.Length)).LineNumber + 1;
        if (end <= start)
        {
            return new LineRange(first, first - 1);
        }

        return new LineRange(first, text.Lines.GetLineFromPosition(end - 1).LineNumber + 1);
    }

    public static bool IsDocComment(SyntaxTrivia t)
    {
        if (t.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia) || t.IsKind(SyntaxKind.MultiLineDocumentationCommentTrivia))
        {
            return true;
        }

        // With DocumentationMode.None the parser leaves doc comments as plain comments.
        if (t.IsKind(SyntaxKind.SingleLineCommentTrivia))
        {
            string s = t.ToString();
            return s.StartsWith("///", StringComparison.Ordinal) && !s.StartsWith("////", StringComparison.Ordinal);
        }

        if (t.IsKind(SyntaxKind.MultiLineCommentTrivia))
        {
            string s = t.ToString();
            return s.StartsWith("/**", StringComparison.Ordinal) && !s.StartsWith("/**/", StringComparison.Ordinal);
        }

        return false;
    }

    public static bool HasDocComment(SyntaxNode node)
    {
        foreach (var t in node.GetLeadingTrivia())
        {
            if (IsDocComment(t))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsPlainComment(SyntaxTrivia t)
        => t.IsKind(SyntaxKind.SingleLineCommentTrivia) || t.IsKind(SyntaxKind.MultiLineCommentTrivia);

    private static SyntaxTrivia? FindTrivia(SyntaxTriviaList leading, int position)
    {
        foreach (var t in leading)
        {
            if (t.FullSpan.Contains(position))
            {
                return t;
            }
        }

        return null;
    }

    public static bool IsWhitespace(SourceText text, int start, int end)
    {
        for (int i = start; i < end; i++)
        {
            char c = text[i];
            if (c != ' ' && c != '\t')
            {
                return false;
            }
        }

        return true;
    }

    public static int FirstNonWhitespace(SourceText text, int start, int end)
    {
        for (int i = start; i < end; i++)
        {
            if (!char.IsWhiteSpace(text[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The start of the next line when only whitespace follows <paramref name="position"/> on its line.</summary>
    public static int LineStartAfter(SourceText text, int position)
    {
        var line = text.Lines.GetLineFromPosition(position);
        if (position == line.Start)
        {
            return position;
        }

        return IsWhitespace(text, position, line.End) ? line.EndIncludingLineBreak : -1;
    }

    /// <summary>The indentation of the line holding <paramref name="position"/>.</summary>
    public static string IndentOfLine(SourceText text, int position)
    {
        var line = text.Lines.GetLineFromPosition(position);
        int i = line.Start;
        while (i < line.End && (text[i] == ' ' || text[i] == '\t'))
        {
            i++;
        }

        return text.ToString(TextSpan.FromBounds(line.Start, i));
    }

    /// <summary>Whether [<paramref name="start"/>, <paramref name="end"/>) holds only whole whitespace lines.</summary>
    public static bool IsBlankRegion(SourceText text, int start, int end)
    {
        if (start > end)
        {
            return false;
        }

        if (start == end)
        {
            return true;
        }

        if (text.Lines.GetLineFromPosition(start).Start != start || text.Lines.GetLineFromPosition(end).Start != end)
        {
            return false;
        }

        for (int i = start; i < end; i++)
        {
            if (!char.IsWhiteSpace(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether a whitespace-only line lies in [<paramref name="start"/>, <paramref name="end"/>).</summary>
    public static bool HasBlankLine(SourceText text, int start, int end)
    {
        if (end <= start)
        {
            return false;
        }

        int li = text.Lines.GetLineFromPosition(start).LineNumber;
        for (; li < text.Lines.Count; li++)
        {
            var line = text.Lines[li];
            if (line.Start >= end)
            {
                break;
            }

            if (line.Start >= start && line.EndIncludingLineBreak <= end && line.End > line.Start - 1 && IsWhitespace(text, line.Start, line.End) && line.EndIncludingLineBreak > line.End)
            {
                return true;
            }
        }

        return false;
    }
}
