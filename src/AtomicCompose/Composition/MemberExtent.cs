using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace AtomicCompose.Composition;

/// <summary>
/// The text a member owns. A member owns its attributes, its XML doc comment and any plain comments
/// between the doc comment and the declaration; not directives, not blank lines, not plain comments above
/// the doc comment (those are often section headers).
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

        return new Extent(start, replaceEnd, end, startsLine && node is not VariableDeclaratorSyntax, wholeLines, docEnd, Math.Max(start, node.Span.End - 1));
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
