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

    private static bool AsBool(string value) => value.ToLowerInvariant() switch
    {
        "true" or "on" or "yes" => true,
        "false" or "off" or "no" => false,
        _ => throw new FormatException($"not a boolean: {value}"),
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

        public string Or()
        {
            var left = And();
            while (Accept("or"))
            {
                var right = And();
                left = Bool(AsBool(left) | AsBool(right));
            }

            return left;
        }

        private string And()
        {
            var left = Unary();
            while (Accept("and"))
            {
                var right = Unary();
                left = Bool(AsBool(left) & AsBool(right));
            }

            return left;
        }

        private string Unary() => Accept("!") ? Bool(!AsBool(Unary())) : Comparison();

        private string Comparison()
        {
            var left = Operand();
            if (_next < tokens.Count && tokens[_next] is "==" or "!=" or "<" or ">" or "<=" or ">=")
            {
                var op = tokens[_next++];
                var right = Operand();
                return Bool(op switch
                {
                    "==" => string.Equals(left, right, StringComparison.OrdinalIgnoreCase),
                    "!=" => !string.Equals(left, right, StringComparison.OrdinalIgnoreCase),
                    _ => CompareNumbers(op, left, right),
                });
            }

            return left;
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
                var full = Path.IsPathRooted(path) ? path : Path.Combine(directory, path.Replace('\\', Path.DirectorySeparatorChar));
                return Bool(path.Trim().Length > 0 && (File.Exists(full) || Directory.Exists(full)));
            }

            if (token is "true" or "false" || char.IsDigit(token[0]))
            {
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

        private static bool CompareNumbers(string op, string left, string right)
        {
            if (!double.TryParse(left, NumberStyles.Float, CultureInfo.InvariantCulture, out var l) || !double.TryParse(right, NumberStyles.Float, CultureInfo.InvariantCulture, out var r))
            {
                throw new FormatException("numbers only");
            }

            return op switch { "<" => l < r, ">" => l > r, "<=" => l <= r, _ => l >= r };
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
