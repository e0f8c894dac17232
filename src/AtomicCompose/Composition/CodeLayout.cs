using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace AtomicCompose.Composition;

/// <summary>How a file indents: tabs, or spaces of some width.</summary>
internal readonly record struct IndentStyle(bool UseTabs, int Width)
{
    public string Unit => UseTabs ? "\t" : new string(' ', Width);

    /// <summary>Reads the style from the first lines of a file; enough lines to be sure, few enough to stay cheap.</summary>
    public static IndentStyle Detect(SourceText text, int maxLines = 2000)
    {
        int tabLines = 0, spaceLines = 0;
        var steps = new int[9];
        int prevIndent = -1;
        int count = Math.Min(text.Lines.Count, maxLines);
        for (int li = 0; li < count; li++)
        {
            var line = text.Lines[li];
            int i = line.Start;
            int spaces = 0;
            bool tab = false;
            while (i < line.End && (text[i] == ' ' || text[i] == '\t'))
            {
                if (text[i] == '\t')
                {
                    tab = true;
                }
                else
                {
                    spaces++;
                }

                i++;
            }

            // Blank lines say nothing; directives often sit at column 0 whatever the nesting, so a step from
            // one to the next code line is not a level (a 2-space file with '#pragma' lines would look 4-space).
            if (i == line.End || text[i] == '#')
            {
                continue;
            }

            if (tab)
            {
                tabLines++;
                prevIndent = -1;
                continue;
            }

            if (spaces > 0)
            {
                spaceLines++;
            }

            // A doc or block comment continuation (" * ") is alignment, not a level.
            if (text[i] == '*')
            {
                continue;
            }

            if (prevIndent >= 0 && spaces > prevIndent && spaces - prevIndent <= 8)
            {
                steps[spaces - prevIndent]++;
            }

            prevIndent = spaces;
        }

        if (tabLines > spaceLines)
        {
            return new IndentStyle(true, 4);
        }

        int best = 4;
        for (int w = 2; w <= 8; w++)
        {
            if (steps[w] > steps[best])
            {
                best = w;
            }
        }

        return new IndentStyle(false, best);
    }
}

/// <summary>Fits caller code into a destination: its indentation and its line break, nothing else.</summary>
internal static class CodeLayout
{
    /// <summary>Splits on any line break (CRLF, LF, CR).</summary>
    public static List<string> SplitLines(string code)
    {
        var lines = new List<string>();
        int start = 0;
        for (int i = 0; i < code.Length; i++)
        {
            if (code[i] == '\r' || code[i] == '\n')
            {
                lines.Add(code[start..i]);
                if (code[i] == '\r' && i + 1 < code.Length && code[i + 1] == '\n')
                {
                    i++;
                }

                start = i + 1;
            }
        }

        lines.Add(code[start..]);
        return lines;
    }

    /// <summary>
    /// Re-indents <paramref name="lines"/> (already trimmed of leading and trailing blank lines) to
    /// <paramref name="destIndent"/>. Relative indentation is kept; it is converted between tabs and spaces
    /// only when the code's style plainly differs from the file's. Lines listed in <paramref name="verbatim"/>
    /// (they start inside a multi-line string) are left untouched.
    /// </summary>
    public static string Reindent(IReadOnlyList<string> lines, string destIndent, bool firstLineAtLineStart, string newLine, ISet<int> verbatim, Func<IndentStyle> fileStyle)
    {
        var indents = new string[lines.Count];
        for (int i = 0; i < lines.Count; i++)
        {
            indents[i] = LeadingWhitespace(lines[i]);
        }

        string baseAll = CommonPrefix(lines, indents, verbatim, 0);
        string baseFirst = baseAll;
        string baseRest = baseAll;
        if (lines.Count > 1 && indents[0].Length == 0 && !verbatim.Contains(0))
        {
            // Code copied without its first line's indentation: trust the rest when it closes at its own minimum.
            string rest = CommonPrefix(lines, indents, verbatim, 1);
            int lastIdx = LastNonBlank(lines, verbatim);
            if (rest.Length > 0 && lastIdx > 0 && indents[lastIdx] == rest && lines[lastIdx].TrimStart().StartsWith('}'))
            {
                baseRest = rest;
            }
        }

        var rel = new string?[lines.Count];
        bool relTabs = false, relSpaces = false;
        int gcd = 0;
        for (int i = 0; i < lines.Count; i++)
        {
            if (verbatim.Contains(i))
            {
                continue;
            }

            string b = i == 0 ? baseFirst : baseRest;
            if (!indents[i].StartsWith(b, StringComparison.Ordinal))
            {
                rel[i] = null;
                continue;
            }

            string r = indents[i][b.Length..];
            rel[i] = r;
            if (lines[i].Length == indents[i].Length)
            {
                continue;
            }

            relTabs |= r.Contains('\t');
            int sp = r.Count(c => c == ' ');
            relSpaces |= sp > 0;
            if (sp > 0 && !r.Contains('\t'))
            {
                gcd = Gcd(gcd, sp);
            }
        }

        Func<string, string> convert = r => r;
        if (relTabs || relSpaces)
        {
            var style = fileStyle();
            if (relTabs && !relSpaces && !style.UseTabs)
            {
                convert = r => r.Replace("\t", style.Unit, StringComparison.Ordinal);
            }
            else if (relSpaces && !relTabs && style.UseTabs && gcd is 2 or 4 or 8)
            {
                convert = r => new string('\t', r.Length / gcd);
            }
            else if (relSpaces && !relTabs && !style.UseTabs && gcd is 2 or 4 or 8 && gcd != style.Width)
            {
                convert = r => new string(' ', r.Length / gcd * style.Width);
            }
        }

        var sb = new StringBuilder();
        for (int i = 0; i < lines.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(newLine);
            }

            string line = lines[i];
            if (verbatim.Contains(i))
            {
                sb.Append(line);
                continue;
            }

            if (line.Length == 0)
            {
                continue;
            }

            string content = line[indents[i].Length..];
            if (i == 0 && !firstLineAtLineStart)
            {
                sb.Append(content);
                continue;
            }

            // A directive at column 0 stays there (the style Visual Studio keeps), as does one under-indented
            // relative to the code; an indented directive moves with the code like any other line.
            if (IsDirective(line) && (rel[i] is null || indents[i].Length == 0))
            {
                sb.Append(line);
                continue;
            }

            if (rel[i] is not { } r)
            {
                // Blank or under-indented lines keep what they had rather than guess.
                sb.Append(content.Length == 0 ? line : destIndent + content);
                continue;
            }

            sb.Append(destIndent).Append(convert(r)).Append(content);
        }

        return sb.ToString();
    }

    private static int LastNonBlank(IReadOnlyList<string> lines, ISet<int> verbatim)
    {
        for (int i = lines.Count - 1; i >= 0; i--)
        {
            if (!verbatim.Contains(i) && lines[i].Trim().Length > 0)
            {
                return i;
            }
        }

        return -1;
    }

    private static string CommonPrefix(IReadOnlyList<string> lines, string[] indents, ISet<int> verbatim, int from)
    {
        string? prefix = null;
        for (int i = from; i < lines.Count; i++)
        {
            // Directives often sit at column 0 whatever the nesting; they must not set the base.
            if (verbatim.Contains(i) || lines[i].Length == indents[i].Length || IsDirective(lines[i]))
            {
                continue;
            }

            if (prefix is null)
            {
                prefix = indents[i];
                continue;
            }

            int n = 0;
            while (n < prefix.Length && n < indents[i].Length && prefix[n] == indents[i][n])
            {
                n++;
            }

            prefix = prefix[..n];
        }

        return prefix ?? "";
    }

    private static bool IsDirective(string line) => line.TrimStart().StartsWith('#');

    public static string LeadingWhitespace(string line)
    {
        int i = 0;
        while (i < line.Length && (line[i] == ' ' || line[i] == '\t'))
        {
            i++;
        }

        return line[..i];
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
