using System.Globalization;
using AtomicCompose.Tests.TestSupport;
using AtomicCompose.Validation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit.Abstractions;

namespace AtomicCompose.Tests.Validation;

/// <summary>
/// Proof of truth with source generators: over generated edits of a project that uses <c>[GeneratedRegex]</c> and a
/// <c>[JsonSerializable]</c> context (methods and properties added, removed, broken, called), the incremental verdict
/// equals that of compiling the project from scratch, with the targeting pack's generators run on it, before and
/// after the edit.
/// </summary>
public sealed class GeneratorDifferentialTests(ITestOutputHelper output)
{
    private const int Users = 3;

    private const string Patterns = """
        using System.Text.RegularExpressions;

        namespace Demo;

        /// <summary>Patterns.</summary>
        public static partial class Patterns
        {
            /// <summary>P0.</summary>
            /// <returns>R.</returns>
            [GeneratedRegex("a+")]
            public static partial Regex P0();

            /// <summary>P1.</summary>
            /// <returns>R.</returns>
            [GeneratedRegex("[0-9]{2}")]
            public static partial Regex P1();
        }
        """;

    private const string Json = """
        using System.Text.Json.Serialization;

        namespace Demo;

        /// <summary>A person.</summary>
        /// <param name="Name">Name.</param>
        public sealed record Person(string Name);

        /// <summary>An order.</summary>
        /// <param name="Id">Id.</param>
        public sealed record Order(int Id);

        /// <summary>The JSON context.</summary>
        [JsonSerializable(typeof(Person))]
        public sealed partial class AppJson : JsonSerializerContext
        {
        }
        """;

    private static string UserType(int u) => $$"""
        namespace Demo;

        /// <summary>User {{u}}.</summary>
        public static class U{{u}}
        {
            /// <summary>M0.</summary>
            /// <param name="s">S.</param>
            /// <returns>R.</returns>
            public static int M0(string s) { return s.Length; }

            /// <summary>M1.</summary>
            /// <param name="s">S.</param>
            /// <returns>R.</returns>
            public static int M1(string s) { return Patterns.P0().Count(s); }
        }
        """;

    /// <summary>Two seeds of 120 edits; each edit compiles the project twice with generators, hence Slow (about 20 s a seed).</summary>
    [Theory]
    [Trait("Category", "Slow")]
    [InlineData(21)]
    [InlineData(22)]
    public void Incremental_verdict_equals_a_fresh_compile_with_generators_over_generated_edits(int seed)
    {
        const int Steps = 120;
        var random = new Random(seed);
        var files = new Dictionary<string, string> { ["Demo.csproj"] = SampleProjects.Csproj, ["src/Patterns.cs"] = Patterns, ["src/Json.cs"] = Json };
        for (var u = 0; u < Users; u++)
        {
            files[$"src/U{u}.cs"] = UserType(u);
        }

        using var h = ValidationHarness.Create(files);
        var oracle = new FullCompileWithGenerators(h);
        var blocked = 0;
        var kinds = new Dictionary<string, int>();
        for (var step = 1; step <= Steps; step++)
        {
            var (kind, path, text) = RandomEdit(h, random);
            var doc = h.Rewrite(path, text);
            var report = h.Validate(doc);
            var expected = oracle.Verdict(path, text);
            var label = $"seed {seed}, step {step} ({kind} on {path})";
            Assert.True(expected.Passed == report.Passed, $"{label}: full compile says passed={expected.Passed}, incremental says {report.Summary()}\nexpected new: {string.Join("; ", expected.New)}");
            if (!expected.SyntaxBroken)
            {
                var actualNew = report.Diagnostics.Where(FullCompileFindings.Counts).Select(d => FullCompileFindings.KeyOf(d.Id, d.Path, d.Message)).Order(StringComparer.Ordinal).ToList();
                Assert.True(expected.New.SequenceEqual(actualNew), $"{label}:\nfull:        {string.Join("; ", expected.New)}\nincremental: {string.Join("; ", actualNew)}");
            }

            kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
            blocked += report.Passed ? 0 : 1;
            if (random.Next(2) == 0)
            {
                h.Commit(doc);
                oracle.Invalidate();
            }
        }

        output.WriteLine($"seed {seed}: {Steps} edits, {blocked} blocked; " + string.Join(", ", kinds.OrderBy(k => k.Key).Select(k => $"{k.Key}={k.Value}")));
        Assert.InRange(blocked, Steps / 5, Steps * 4 / 5);
        Assert.True(kinds.Count >= 10, "too few kinds of edit");
    }

    private static (string Kind, string Path, string Text) RandomEdit(ValidationHarness h, Random random)
    {
        var patterns = h.Read("src/Patterns.cs");
        var json = h.Read("src/Json.cs");
        var user = $"src/U{random.Next(Users)}.cs";
        var userText = h.Read(user);
        var n = random.Next(4);
        string Close(string text, string insert)
        {
            var at = text.LastIndexOf('}');
            return text[..at] + insert + text[at..];
        }

        string InBody(string text, string expression)
        {
            var at = text.IndexOf("{ return ", StringComparison.Ordinal);
            return at < 0 ? text : text[..(at + 9)] + expression + " + " + text[(at + 9)..];
        }

        switch (random.Next(12))
        {
            case 0:
                return ("add-regex", "src/Patterns.cs", Close(patterns, $"\n    /// <summary>P{n}.</summary>\n    /// <returns>R.</returns>\n    [GeneratedRegex(\"b{n}+\")]\n    public static partial Regex P{n}();\n"));
            case 1:
                return ("add-bad-regex", "src/Patterns.cs", Close(patterns, $"\n    /// <summary>P{n}.</summary>\n    /// <returns>R.</returns>\n    [GeneratedRegex(\"(b{n}\")]\n    public static partial Regex P{n}();\n"));
            case 2:
            {
                var at = patterns.IndexOf("[GeneratedRegex(\"", StringComparison.Ordinal);
                return at < 0 ? ("none-pattern", "src/Patterns.cs", patterns) : ("change-pattern", "src/Patterns.cs", patterns[..(at + 17)] + (random.Next(2) == 0 ? "[x-" : "x") + patterns[(at + 17)..]);
            }

            case 3:
            {
                var lines = patterns.Split('\n').ToList();
                var at = lines.FindIndex(l => l.Contains("public static partial Regex", StringComparison.Ordinal));
                if (at >= 4)
                {
                    lines.RemoveRange(at - 3, 4);
                }

                return ("delete-regex", "src/Patterns.cs", string.Join('\n', lines));
            }

            case 4:
                return ("call-regex", user, InBody(userText, $"Patterns.P{n}().Count(s)"));
            case 5:
                return ("json-add-type", "src/Json.cs", json.Contains("typeof(Order)", StringComparison.Ordinal) ? json : json.Replace("[JsonSerializable(typeof(Person))]", "[JsonSerializable(typeof(Person))]\n[JsonSerializable(typeof(Order))]", StringComparison.Ordinal));
            case 6:
                return ("json-remove-type", "src/Json.cs", json.Replace("[JsonSerializable(typeof(Person))]\n", "", StringComparison.Ordinal));
            case 7:
                return ("json-use", user, InBody(userText, random.Next(2) == 0 ? "AppJson.Default.Order.GetHashCode()" : "AppJson.Default.Person.GetHashCode()"));
            case 8:
                return ("body-ok", user, InBody(userText, "1"));
            case 9:
                return ("not-partial", "src/Patterns.cs", ReplaceFirst(patterns, "public static partial Regex", "public static Regex"));
            case 10:
                return ("returns-string", "src/Patterns.cs", ReplaceFirst(patterns, "public static partial Regex", "public static partial string"));
            default:
                return random.Next(2) == 0 ? ("restore", "src/Patterns.cs", Patterns) : ("restore", "src/Json.cs", Json);
        }
    }

    private static string ReplaceFirst(string text, string find, string replace)
    {
        var at = text.IndexOf(find, StringComparison.Ordinal);
        return at < 0 ? text : text[..at] + replace + text[(at + find.Length)..];
    }

    /// <summary>The project compiled from scratch from the files on disk (before) and with the edit (after), its generators run on each.</summary>
    private sealed class FullCompileWithGenerators(ValidationHarness h)
    {
        private List<FullCompileFindings.Finding>? _before;

        public void Invalidate() => _before = null;

        public (List<string> New, bool Passed, bool SyntaxBroken) Verdict(string path, string text)
        {
            _before ??= Findings(null, null);
            var (fresh, syntaxBroken) = FullCompileFindings.New(_before, Findings(path, text));
            return (fresh, fresh.Count == 0, syntaxBroken);
        }

        private List<FullCompileFindings.Finding> Findings(string? editedPath, string? editedText)
        {
            var context = h.Context("Demo.csproj");
            var compilation = FullCompileFindings.Compile(context, context.SourcePaths.Select(p => KeyValuePair.Create(p, p == editedPath ? editedText! : h.Read(p))));
            var generators = context.FrameworkAnalyzerAssemblies.SelectMany(a => AtomicCompose.Validation.Analyzers.AnalyzerAssemblies.Get(a).Generators).ToList();
            Assert.NotEmpty(generators);
            CSharpGeneratorDriver.Create(generators, parseOptions: context.ParseOptions)
                .RunGeneratorsAndUpdateCompilation(compilation, out var generated, out var generatorDiagnostics);

            var findings = FullCompileFindings.Of((CSharpCompilation)generated);
            foreach (var d in generatorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error))
            {
                var span = d.Location.GetLineSpan();
                var message = d.GetMessage(CultureInfo.InvariantCulture);
                findings.Add(new FullCompileFindings.Finding(
                    FullCompileFindings.KeyOf(d.Id, span.Path, message), $"{d.Id} {span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): {message}", true, false));
            }

            return findings;
        }
    }
}
