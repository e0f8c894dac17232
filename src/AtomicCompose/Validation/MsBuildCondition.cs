using System.Globalization;
using System.Text.RegularExpressions;

namespace AtomicCompose.Validation;

/// <summary>
/// The common part of MSBuild's condition language, for the project files the loader reads without MSBuild:
/// comparisons of quoted strings with <c>$(Property)</c> references (<c>'$(Configuration)' == 'Debug'</c>),
/// <c>and</c>, <c>or</c>, <c>!</c>, parentheses, <c>true</c>/<c>false</c>, and <c>Exists('path')</c>. Strings compare
/// without regard to case and numbers as numbers, as MSBuild does. Anything else (property functions, item lists,
/// <c>HasTrailingSlash</c>) is not understood: the result is null, and the loader then skips the element, as it
/// did with every condition before.
/// </summary>
internal static partial class MsBuildCondition
{
    /// <summary>Whether <paramref name="condition"/> holds; null when it uses something this evaluator does not know.</summary>
    /// <param name="condition">The <c>Condition</c> attribute's text.</param>
    /// <param name="properties">The properties defined so far (an undefined one is empty).</param>
    /// <param name="directory">The project's folder, against which <c>Exists</c> resolves a relative path.</param>
    public static bool? Evaluate(string condition, IReadOnlyDictionary<string, string> properties, string directory)
    {
        if (string.IsNullOrWhiteSpace(condition))
        {
            return true; // as in MSBuild
        }

        try
        {
            var parser = new Parser(Tokenize(condition), properties, directory);
            var result = parser.Or();
            return parser.AtEnd ? AsBool(result) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static bool AsBool(string value) => Boolean(value) ?? throw new FormatException($"not a boolean: {value}");

    // MSBuild's boolean words.
    private static bool? Boolean(string text) => text.Trim().ToLowerInvariant() switch
    {
        "true" or "on" or "yes" => true,
        "false" or "off" or "no" => false,
        _ => null,
    };

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        foreach (Match m in Token().Matches(text))
        {
            if (m.Groups["bad"].Success)
            {
                throw new FormatException($"unexpected '{m.Value}'");
            }

            if (!m.Groups["space"].Success)
            {
                tokens.Add(m.Value);
            }
        }

        return tokens;
    }

    [GeneratedRegex(@"(?<space>\s+)|'[^']*'|==|!=|<=|>=|<|>|!|\(|\)|,|[A-Za-z_][A-Za-z0-9_.\-]*|[0-9][0-9.]*|\$\([A-Za-z_][A-Za-z0-9_]*\)|(?<bad>.)", RegexOptions.CultureInvariant)]
    private static partial Regex Token();

    // A property name has no dots: $(Name.Length) is a property function, which stays unexpanded and so not understood.
    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_]*)\)", RegexOptions.CultureInvariant)]
    private static partial Regex PropertyReference();

    /// <summary>Recursive descent over the tokens; every level returns a string, booleans as <c>true</c>/<c>false</c>.</summary>
    private sealed class Parser(List<string> tokens, IReadOnlyDictionary<string, string> properties, string directory)
    {
        private int _next;

        public bool AtEnd => _next == tokens.Count;

        // Whether operands are evaluated: after `or` is decided (or `and`), MSBuild does not evaluate the rest, so a guard
        // such as '$(X)' == '' or '$(X)' > '5' holds without comparing an empty string as a number.
        private bool _evaluating = true;

        public string Or()
        {
            var left = And();
            while (Accept("or"))
            {
                var decided = _evaluating && AsBool(left);
                var right = Skipping(decided, And);
                left = decided ? "true" : Bool(_evaluating && AsBool(right));
            }

            return left;
        }

        private string And()
        {
            var left = Unary();
            while (Accept("and"))
            {
                var decided = _evaluating && !AsBool(left);
                var right = Skipping(decided, Unary);
                left = decided ? "false" : Bool(_evaluating && AsBool(right));
            }

            return left;
        }

        private string Skipping(bool skip, Func<string> parse)
        {
            var was = _evaluating;
            _evaluating = was && !skip;
            try
            {
                return parse();
            }
            finally
            {
                _evaluating = was;
            }
        }

        private string Unary()
        {
            if (!Accept("!"))
            {
                return Comparison();
            }

            var operand = Unary();
            return _evaluating ? Bool(!AsBool(operand)) : "false";
        }

        private string Comparison()
        {
            var left = Operand();
            if (_next < tokens.Count && tokens[_next] is "==" or "!=" or "<" or ">" or "<=" or ">=")
            {
                var op = tokens[_next++];
                var right = Operand();
                if (!_evaluating)
                {
                    return "false";
                }

                return Bool(op switch
                {
                    "==" => AreEqual(left, right),
                    "!=" => !AreEqual(left, right),
                    _ => Compare(op, left, right),
                });
            }

            return left;
        }

        // MSBuild compares numbers as numbers ('10.0' == '10', '0x10' == '16') and booleans as booleans ('true' == 'on'),
        // everything else as strings without regard to case.
        private static bool AreEqual(string left, string right)
        {
            if (Number(left) is { } l && Number(right) is { } r)
            {
                return l == r;
            }

            if (Boolean(left) is { } lb && Boolean(right) is { } rb)
            {
                return lb == rb;
            }

            return string.Equals(left, right, StringComparison.OrdinalIgnoreCase);
        }

        private static double? Number(string text)
        {
            var t = text.Trim();
            if (t.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            {
                return long.TryParse(t[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var hex) ? hex : null;
            }

            return double.TryParse(t, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) ? value : null;
        }

        // Numbers compare as numbers, versions (1.2.3 against 1.10.0) as versions.
        private static bool Compare(string op, string left, string right)
        {
            int order;
            if (Number(left) is { } l && Number(right) is { } r)
            {
                order = l.CompareTo(r);
            }
            else if (Version.TryParse(left.Trim(), out var lv) && Version.TryParse(right.Trim(), out var rv))
            {
                order = lv.CompareTo(rv);
            }
            else
            {
                throw new FormatException("numbers or versions only");
            }

            return op switch { "<" => order < 0, ">" => order > 0, "<=" => order <= 0, _ => order >= 0 };
        }

        private string Operand()
        {
            if (_next >= tokens.Count)
            {
                throw new FormatException("condition ends early");
            }

            var token = tokens[_next++];
            if (token == "(")
            {
                var inner = Or();
                Expect(")");
                return inner;
            }

            if (token.StartsWith('\''))
            {
                return Expand(token[1..^1]);
            }

            if (token.StartsWith("$(", StringComparison.Ordinal))
            {
                return Expand(token);
            }

            if (string.Equals(token, "Exists", StringComparison.OrdinalIgnoreCase))
            {
                Expect("(");
                var path = Operand();
                Expect(")");
                if (!_evaluating)
                {
                    return "false";
                }

                // MSBuild takes either slash on any system.
                var normalized = path.Trim().Replace('\\', Path.DirectorySeparatorChar);
                var full = Path.IsPathRooted(normalized) ? normalized : Path.Combine(directory, normalized);
                return Bool(normalized.Length > 0 && (File.Exists(full) || Directory.Exists(full)));
            }

            // A number, true/false, or an unquoted word (MSBuild reads `== Release` as the string Release).
            if (char.IsLetterOrDigit(token[0]) || token[0] == '_')
            {
                if (_next < tokens.Count && tokens[_next] == "(")
                {
                    throw new FormatException($"function not understood: {token}");
                }

                return token;
            }

            throw new FormatException($"not understood: {token}");
        }

        private string Expand(string text)
        {
            if (text.Contains("$([", StringComparison.Ordinal) || text.Contains("@(", StringComparison.Ordinal) || text.Contains("%(", StringComparison.Ordinal))
            {
                throw new FormatException("property functions and item lists are not evaluated");
            }

            var expanded = PropertyReference().Replace(text, m => properties.GetValueOrDefault(m.Groups[1].Value) ?? "");
            return expanded.Contains("$(", StringComparison.Ordinal) ? throw new FormatException("property function") : expanded;
        }

        private static string Bool(bool value) => value ? "true" : "false";

        private bool Accept(string token)
        {
            if (_next < tokens.Count && string.Equals(tokens[_next], token, StringComparison.OrdinalIgnoreCase))
            {
                _next++;
                return true;
            }

            return false;
        }

        private void Expect(string token)
        {
            if (!Accept(token))
            {
                throw new FormatException($"expected {token}");
            }
        }
    }
}
