using System.Text;
using System.Text.RegularExpressions;

namespace AtomicCompose.Composition;

/// <summary>What a name-path segment stands for, where that changes how a query may spell it.</summary>
internal enum SegmentFlavor
{
    Normal,
    Constructor,
    StaticConstructor,
}

/// <summary>One segment of a member's name path, e.g. <c>Repo&lt;T&gt;</c> or <c>Save(int, string)</c>.</summary>
internal sealed class NameSegment
{
    private Func<IReadOnlyList<string>>? _parameterFactory;
    private IReadOnlyList<string>? _parameters;

    public NameSegment(string name, IReadOnlyList<string>? typeParameters = null, Func<IReadOnlyList<string>>? parameters = null, bool bracketParameters = false, SegmentFlavor flavor = SegmentFlavor.Normal)
    {
        Name = name;
        TypeParameters = typeParameters is { Count: > 0 } ? typeParameters : null;
        _parameterFactory = parameters;
        BracketParameters = bracketParameters;
        Flavor = flavor;
        NameKey = NameKeys.Key(name);
    }

    public string Name { get; }

    public string NameKey { get; }

    /// <summary>Type parameters in display form; <see langword="null"/> when the member is not generic.</summary>
    public IReadOnlyList<string>? TypeParameters { get; }

    /// <summary>Parameter types in display form; <see langword="null"/> when the member has no parameter list.</summary>
    /// <remarks>Computed on first use: resolving a target in a large file compares names first and formats few parameter lists.</remarks>
    public IReadOnlyList<string>? Parameters
    {
        get
        {
            if (_parameterFactory is not null)
            {
                _parameters = _parameterFactory();
                _parameterFactory = null;
            }

            return _parameters;
        }
    }

    public bool BracketParameters { get; }

    public SegmentFlavor Flavor { get; }

    public override string ToString()
    {
        var sb = new StringBuilder(Name);
        if (TypeParameters is not null)
        {
            sb.Append('<').AppendJoin(", ", TypeParameters).Append('>');
        }

        if (Parameters is not null)
        {
            sb.Append(BracketParameters ? '[' : '(').AppendJoin(", ", Parameters).Append(BracketParameters ? ']' : ')');
        }

        return sb.ToString();
    }
}

/// <summary>Whitespace-insensitive keys, so <c>Dictionary&lt;string,int&gt;</c> and <c>Dictionary&lt;string, int&gt;</c> are one name.</summary>
internal static class NameKeys
{
    /// <summary>Drops whitespace except the single space two words need (<c>ref int</c>).</summary>
    public static string Key(string s) => Build(s, display: false);

    /// <summary>The key with a space after each list comma, as name paths are shown.</summary>
    public static string Display(string s) => Build(s, display: true);

    private static string Build(string s, bool display)
    {
        // Most names are plain identifiers; skip the copy for them.
        bool plain = true;
        foreach (char c in s)
        {
            if (char.IsWhiteSpace(c) || (display && c == ','))
            {
                plain = false;
                break;
            }
        }

        if (plain)
        {
            return s;
        }

        var sb = new StringBuilder(s.Length);
        bool pendingSpace = false;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = sb.Length > 0;
                continue;
            }

            if (pendingSpace && IsWordChar(c) && IsWordChar(sb[^1]))
            {
                sb.Append(' ');
            }

            pendingSpace = false;
            sb.Append(c);
            if (display && c == ',')
            {
                int j = i + 1;
                while (j < s.Length && char.IsWhiteSpace(s[j]))
                {
                    j++;
                }

                // Array ranks (int[,]) stay tight; argument lists get a space.
                if (j < s.Length && s[j] != ',' && s[j] != ']')
                {
                    sb.Append(' ');
                }
            }
        }

        return sb.ToString();
    }

    public static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_' || c == '@';

    /// <summary>A parameter's key for matching: modifiers that do not distinguish overloads are dropped.</summary>
    public static string ParameterKey(string p)
    {
        string k = Key(p);
        foreach (string prefix in (string[])["this ", "scoped "])
        {
            if (k.StartsWith(prefix, StringComparison.Ordinal))
            {
                k = k[prefix.Length..];
            }
        }

        return k;
    }
}

/// <summary>A parsed target: either a name path or a line range.</summary>
internal sealed partial class NamePathQuery
{
    private NamePathQuery(string text, IReadOnlyList<QuerySegment> segments, int firstLine, int lastLine)
    {
        Text = text;
        Segments = segments;
        FirstLine = firstLine;
        LastLine = lastLine;
    }

    public string Text { get; }

    public IReadOnlyList<QuerySegment> Segments { get; }

    /// <summary>1-based first line of a line-range target; 0 for a name path.</summary>
    public int FirstLine { get; }

    public int LastLine { get; }

    public bool IsLineRange => FirstLine > 0;

    /// <summary>Parses <paramref name="target"/>; <see langword="null"/> with <paramref name="error"/> set when it is malformed.</summary>
    public static NamePathQuery? TryParse(string target, out string? error)
    {
        error = null;
        string text = target.Trim();
        if (text.Length == 0)
        {
            error = "The target is empty.";
            return null;
        }

        var lines = LineRangeRegex().Match(text);
        if (lines.Success)
        {
            int a = int.Parse(lines.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            int b = lines.Groups[2].Success ? int.Parse(lines.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) : a;
            if (a < 1 || b < a)
            {
                error = $"The line range '{text}' is not a 1-based range with start <= end.";
                return null;
            }

            return new NamePathQuery(text, [], a, b);
        }

        // ".ctor" spellings: "Type..ctor(int)" and a bare ".ctor".
        string normalized = CtorAliasRegex().Replace(text, "$1$2");
        var raw = SplitSegments(normalized);
        if (raw is null)
        {
            error = $"The target '{text}' has unbalanced brackets.";
            return null;
        }

        var segments = new List<QuerySegment>(raw.Count);
        foreach (string s in raw)
        {
            var seg = QuerySegment.TryParse(s);
            if (seg is null)
            {
                error = $"The target '{text}' has a malformed segment '{s}'.";
                return null;
            }

            segments.Add(seg);
        }

        return new NamePathQuery(text, segments, 0, 0);
    }

    private static List<string>? SplitSegments(string text)
    {
        var result = new List<string>();
        int i = 0;
        while (i <= text.Length)
        {
            int start = i;
            var op = OperatorStartRegex().Match(text, i);
            bool conversion = op.Success && op.Index == i && op.Groups[1].Success;
            bool symbolOperator = op.Success && op.Index == i && !conversion;
            int depth = 0;
            bool inParams = false;
            for (; i < text.Length; i++)
            {
                char c = text[i];
                if (symbolOperator && !inParams)
                {
                    // Operator symbols contain < and >, so only the parameter list nests.
                    if (c == '(')
                    {
                        inParams = true;
                        depth = 1;
                    }

                    continue;
                }

                if (c is '(' or '[' or '<')
                {
                    depth++;
                }
                else if (c is ')' or ']' or '>')
                {
                    depth--;
                    if (depth < 0)
                    {
                        return null;
                    }
                }
                else if (c == '.' && depth == 0)
                {
                    break;
                }
            }

            if (depth != 0)
            {
                return null;
            }

            result.Add(text[start..i].Trim());
            i++;
        }

        return result;
    }

    [GeneratedRegex(@"^lines?\s*:\s*(\d+)\s*(?:-\s*(\d+))?$", RegexOptions.IgnoreCase)]
    private static partial Regex LineRangeRegex();

    [GeneratedRegex(@"(^|\.)\.(c?ctor)\b")]
    private static partial Regex CtorAliasRegex();

    [GeneratedRegex(@"\G\s*(?:(implicit|explicit)\s+)?operator\b")]
    private static partial Regex OperatorStartRegex();
}

/// <summary>One segment of a query; type arguments and parameters are optional filters.</summary>
internal sealed class QuerySegment
{
    private QuerySegment(string nameKey, IReadOnlyList<string>? typeArguments, IReadOnlyList<string>? parameters)
    {
        NameKey = nameKey;
        TypeArguments = typeArguments;
        Parameters = parameters;
    }

    public string NameKey { get; }

    public IReadOnlyList<string>? TypeArguments { get; }

    public IReadOnlyList<string>? Parameters { get; }

    public static QuerySegment? TryParse(string s)
    {
        if (s.Length == 0)
        {
            return null;
        }

        bool isOperator = System.Text.RegularExpressions.Regex.IsMatch(s, @"^(?:(?:implicit|explicit)\s+)?operator\b");
        bool conversion = isOperator && !s.StartsWith("operator", StringComparison.Ordinal);
        int i = 0;
        if (isOperator && !conversion)
        {
            i = s.IndexOf('(', StringComparison.Ordinal);
            if (i < 0)
            {
                i = s.Length;
            }

            return Finish(NameKeys.Key(OperatorName(s[..i])), null, s, i);
        }

        int depth = 0;
        for (; i < s.Length; i++)
        {
            char c = s[i];
            if (conversion)
            {
                if (c == '<')
                {
                    depth++;
                }
                else if (c == '>')
                {
                    depth--;
                }
                else if (c == '(' && depth == 0)
                {
                    break;
                }

                continue;
            }

            if (c is '<' or '(' or '[')
            {
                break;
            }
        }

        string name = s[..i].Trim();
        if (name.Length == 0)
        {
            return null;
        }

        IReadOnlyList<string>? typeArgs = null;
        if (!conversion && i < s.Length && s[i] == '<')
        {
            int close = MatchClose(s, i, '>');
            if (close < 0)
            {
                return null;
            }

            typeArgs = SplitList(s[(i + 1)..close]).Select(NameKeys.Key).ToList();
            i = close + 1;
        }

        return Finish(NameKeys.Key(conversion ? OperatorName(name) : name), typeArgs, s, i);
    }

    private static QuerySegment? Finish(string nameKey, IReadOnlyList<string>? typeArgs, string s, int i)
    {
        IReadOnlyList<string>? parameters = null;
        while (i < s.Length && char.IsWhiteSpace(s[i]))
        {
            i++;
        }

        if (i < s.Length)
        {
            char open = s[i];
            if (open is not ('(' or '['))
            {
                return null;
            }

            int close = MatchClose(s, i, open == '(' ? ')' : ']');
            if (close < 0 || s[(close + 1)..].Trim().Length != 0)
            {
                return null;
            }

            parameters = SplitList(s[(i + 1)..close]).Select(NameKeys.ParameterKey).ToList();
        }

        return new QuerySegment(nameKey, typeArgs, parameters);
    }

    /// <summary>"operator+" and "operator  +" both mean "operator +".</summary>
    private static string OperatorName(string s)
    {
        string t = string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        int at = t.IndexOf("operator", StringComparison.Ordinal);
        string head = t[..(at + "operator".Length)];
        string rest = t[(at + "operator".Length)..].Trim();
        return rest.Length == 0 ? head : head + " " + rest;
    }

    /// <summary>The index of the bracket closing the one at <paramref name="open"/>; -1 when it is missing or of the wrong kind.</summary>
    private static int MatchClose(string s, int open, char c)
    {
        int depth = 0;
        for (int i = open; i < s.Length; i++)
        {
            if (s[i] is '(' or '[' or '<')
            {
                depth++;
            }
            else if (s[i] is ')' or ']' or '>')
            {
                depth--;
                if (depth == 0)
                {
                    return s[i] == c ? i : -1;
                }
            }
        }

        return -1;
    }

    /// <summary>Splits a comma list at nesting depth 0.</summary>
    public static List<string> SplitList(string s)
    {
        var result = new List<string>();
        if (s.Trim().Length == 0)
        {
            return result;
        }

        int depth = 0, start = 0;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c is '(' or '[' or '<')
            {
                depth++;
            }
            else if (c is ')' or ']' or '>')
            {
                depth--;
            }
            else if (c == ',' && depth == 0)
            {
                result.Add(s[start..i].Trim());
                start = i + 1;
            }
        }

        result.Add(s[start..].Trim());
        return result;
    }

    public bool MatchesName(NameSegment segment)
        => NameKey == segment.NameKey
            || (segment.Flavor == SegmentFlavor.Constructor && NameKey == "ctor")
            || (segment.Flavor == SegmentFlavor.StaticConstructor && NameKey == "cctor");

    public bool Matches(NameSegment segment)
    {
        if (!MatchesName(segment))
        {
            return false;
        }

        if (TypeArguments is not null)
        {
            var actual = segment.TypeParameters ?? [];
            if (!TypeArguments.SequenceEqual(actual.Select(NameKeys.Key)))
            {
                return false;
            }
        }

        if (Parameters is not null)
        {
            if (segment.Parameters is null || !Parameters.SequenceEqual(segment.Parameters.Select(NameKeys.ParameterKey)))
            {
                return false;
            }
        }

        return true;
    }
}
