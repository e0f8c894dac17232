using System.Globalization;
using AtomicCompose.Tests.TestSupport;
using AtomicCompose.Validation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AtomicCompose.Tests.Validation;

/// <summary>
/// Repeated validations of one file build the after-compilation from the previous one (to keep the compiler's
/// declaration merge); switching files builds it from the baseline again. Either way the verdict must be a full
/// compile's, and the after-compilation must hold the baseline's trees in the baseline's order.
/// </summary>
public sealed class RepeatedEditTests
{
    private const string A = """
        namespace Lib;

        /// <summary>A.</summary>
        public static class A
        {
            /// <summary>Computes.</summary>
            /// <param name="x">Input.</param>
            /// <returns>Output.</returns>
            public static int Compute(int x)
            {
                return x + 1;
            }

            /// <summary>Helps.</summary>
            /// <param name="x">Input.</param>
            /// <returns>Output.</returns>
            public static int Helper(int x) => B.Twice(x);
        }
        """;

    private const string B = """
        namespace Lib;

        /// <summary>B.</summary>
        public static class B
        {
            /// <summary>Twice.</summary>
            /// <param name="x">Input.</param>
            /// <returns>Output.</returns>
            public static int Twice(int x)
            {
                return x * 2;
            }
        }
        """;

    private const string C = """
        namespace Lib;

        /// <summary>C.</summary>
        public static class C
        {
            /// <summary>Uses A.</summary>
            /// <returns>Output.</returns>
            public static int Use()
            {
                return A.Compute(3);
            }
        }
        """;

    [Fact]
    public void Body_edits_of_one_file_then_another_and_back_are_judged_like_a_full_compile()
    {
        var recorder = new TreeOrderRecorder();
        using var h = ValidationHarness.Create(
            new Dictionary<string, string> { ["Gen.csproj"] = SampleProjects.Csproj, ["src/A.cs"] = A, ["src/B.cs"] = B, ["src/C.cs"] = C },
            custom: [recorder]);

        (string Path, string Find, string Replace, string? Blocks)[] steps =
        [
            ("src/A.cs", "return x + 1;", "return x + 2;", null),
            ("src/A.cs", "return x + 1;", "string s = x; return 0;", "CS0029"),
            ("src/A.cs", "return x + 1;", "int y; return y + x;", "CS0165"),
            ("src/B.cs", "return x * 2;", "if (x > 0) { return 1; }", "CS0161"),
            ("src/A.cs", "return x + 1;", "return Helper(x, x);", "CS1501"),
            ("src/A.cs", "return x + 1;", "return Helper(\"x\");", "CS1503"),
            ("src/A.cs", "return x + 1;", "return x + 3;", null),
            ("src/C.cs", "return A.Compute(3);", "return A.Compute(3, 4);", "CS1501"),
            ("src/A.cs", "return x + 1;", "return y;", "CS0103"),
        ];

        foreach (var commitFirst in new[] { false, true })
        {
            foreach (var (path, find, replace, blocks) in steps)
            {
                var doc = h.Edit(path, find, replace);
                var report = h.Validate(doc);
                var label = $"{path}: {replace} (after commit: {commitFirst})";
                Assert.True(blocks is null == report.Passed, $"{label}: {report.Summary()}");
                if (blocks is not null)
                {
                    report.AssertBlockedBy(blocks, path);
                }

                var actual = report.Diagnostics.Where(d => d.IsNew && d.Severity == DiagnosticSeverity.Error)
                    .Select(d => $"{d.Id} {d.Path}: {d.Message}").Order(StringComparer.Ordinal).ToList();
                Assert.Equal(FullCompileNewErrors(h, path, doc.After!.GetText().ToString()), actual);
                recorder.AssertSameTreesExcept(path, label);
            }

            // Commit a passing edit of A: the baseline moves on, the next edits start from it.
            var accepted = h.Edit("src/A.cs", "return x + 1;", "return x + 1 + 0;");
            h.Validate(accepted).AssertPassed();
            h.Commit(accepted);
            h.Commit(h.Edit("src/A.cs", "return x + 1 + 0;", "return x + 1;"));
        }
    }

    private const string Warned = """
        namespace Lib;

        /// <summary>W.</summary>
        public static class W
        {
            /// <summary>A.</summary>
            /// <returns>A value.</returns>
            public static int A()
            {
                return 1;
            }

            /// <summary>B.</summary>
            /// <returns>A value.</returns>
            public static int B()
            {
                int unused;
                return 2;
            }

            /// <summary>C.</summary>
            /// <returns>A value.</returns>
            public static int C()
            {
                int assigned = 3;
                return 3;
            }
        }

        """;

    /// <summary>
    /// After a committed body edit the next edit's baseline for the file is carried over from the last validation (the
    /// member's findings, and the rest of the file's moved), not bound again: over many committed and uncommitted edits
    /// that add and remove lines and warnings, every compiler finding of the file is reported where a fresh compile of
    /// the whole project puts it, and as many are new as the fresh compiles before and after the edit say.
    /// </summary>
    [Fact]
    public void Findings_carried_over_committed_body_edits_are_where_a_fresh_compile_puts_them()
    {
        const string path = "src/W.cs";
        using var h = ValidationHarness.Create(new Dictionary<string, string> { ["Lib.csproj"] = SampleProjects.Csproj, [path] = Warned });
        string[] bodies =
        [
            "return 1;",
            "int a;\n        return 1;",
            "int b = 2;\n        int c;\n        return 1;",
            "return 1\n            + 1;",
            "int unused;\n        return 2;",
            "int assigned = 3;\n        return 3;",
            "int y;\n        return y;",
            "string s = 1;\n        return 0;",
        ];
        var current = new Dictionary<string, string> { ["A"] = "return 1;", ["B"] = "int unused;\n        return 2;", ["C"] = "int assigned = 3;\n        return 3;" };
        var random = new Random(1707);
        var committed = 0;
        for (var i = 0; i < 40; i++)
        {
            var method = "ABC"[random.Next(3)].ToString();
            var body = bodies[random.Next(bodies.Length)];
            var doc = h.Edit(path, $"int {method}()\n    {{\n        {current[method]}", $"int {method}()\n    {{\n        {body}");
            var report = h.Validate(doc);
            var label = $"step {i}: {method} <- {body}";

            var context = h.Context("Lib.csproj");
            var files = context.SourcePaths.ToDictionary(p => p, h.Read, StringComparer.Ordinal);
            var beforeFindings = CompilerFindings(FullCompileFindings.Compile(context, files), path);
            files[path] = doc.After!.GetText().ToString();
            var afterFindings = CompilerFindings(FullCompileFindings.Compile(context, files), path);

            var reported = report.Diagnostics.Where(d => d.Validator == CompilationValidator.ValidatorName && d.Path == path).ToList();
            Assert.Equal(afterFindings.Select(f => f.At).Order(StringComparer.Ordinal), reported.Select(d => $"{d.Id} ({d.Line},{d.Column}) {d.Severity}: {d.Message}").Order(StringComparer.Ordinal));
            var expectedNew = afterFindings.GroupBy(f => f.Key).Select(g => $"{g.Key} x{g.Count() - beforeFindings.Count(b => b.Key == g.Key)}").Where(k => !k.EndsWith(" x0", StringComparison.Ordinal) && !k.Contains(" x-", StringComparison.Ordinal));
            var actualNew = reported.Where(d => d.IsNew).GroupBy(d => $"{d.Id}: {d.Message}").Select(g => $"{g.Key} x{g.Count()}");
            Assert.True(expectedNew.Order(StringComparer.Ordinal).SequenceEqual(actualNew.Order(StringComparer.Ordinal)), $"{label}: expected new [{string.Join("; ", expectedNew)}], reported [{string.Join("; ", actualNew)}]");

            if (report.Passed && random.Next(3) > 0)
            {
                h.Commit(doc);
                current[method] = body;
                committed++;
            }
        }

        Assert.True(committed >= 10, $"only {committed} edits were committed: the carried-over baseline was hardly exercised");

        static List<(string Key, string At)> CompilerFindings(CSharpCompilation compilation, string path) =>
            [.. compilation.GetDiagnostics()
                .Where(d => d.Location.IsInSource && d.Location.SourceTree!.FilePath == path && d.Severity is DiagnosticSeverity.Warning or DiagnosticSeverity.Error && !d.Id.StartsWith("CS15", StringComparison.Ordinal))
                .Select(d =>
                {
                    var message = d.GetMessage(CultureInfo.InvariantCulture);
                    var at = d.Location.GetLineSpan().StartLinePosition;
                    return ($"{d.Id}: {message}", $"{d.Id} ({at.Line + 1},{at.Character + 1}) {d.Severity}: {message}");
                })];
    }

    /// <summary>New errors of compiling the whole project from scratch before and after the edit.</summary>
    private static List<string> FullCompileNewErrors(ValidationHarness h, string path, string after)
    {
        var context = h.Context("Gen.csproj");
        var before = context.SourcePaths.ToDictionary(p => p, h.Read, StringComparer.Ordinal);
        var edited = new Dictionary<string, string>(before, StringComparer.Ordinal) { [path] = after };
        var remaining = Errors(context, before).GroupBy(e => e).ToDictionary(g => g.Key, g => g.Count());
        var fresh = new List<string>();
        foreach (var e in Errors(context, edited))
        {
            if (remaining.TryGetValue(e, out var n) && n > 0)
            {
                remaining[e] = n - 1;
            }
            else
            {
                fresh.Add(e);
            }
        }

        return [.. fresh.Order(StringComparer.Ordinal)];
    }

    private static IEnumerable<string> Errors(ProjectContext context, Dictionary<string, string> files)
    {
        return FullCompileFindings.Compile(context, files).GetDiagnostics()
            .Where(d => d.Location.IsInSource && d.Severity == DiagnosticSeverity.Error)
            .Select(d => $"{d.Id} {d.Location.SourceTree!.FilePath}: {d.GetMessage(CultureInfo.InvariantCulture)}");
    }

    /// <summary>Remembers the compilations it was given, to check how the after-compilation was built.</summary>
    private sealed class TreeOrderRecorder : IValidator
    {
        private Compilation? _before;
        private Compilation? _after;

        public string Name => "tree-order";

        public IReadOnlyList<ValidationDiagnostic> Validate(ValidationContext context, CancellationToken cancellationToken)
        {
            (_before, _after) = (context.BeforeCompilation, context.AfterCompilation);
            return [];
        }

        public void AssertSameTreesExcept(string path, string label)
        {
            Assert.NotNull(_before);
            Assert.NotNull(_after);
            var before = _before!.SyntaxTrees.ToList();
            var after = _after!.SyntaxTrees.ToList();
            Assert.Equal(before.Select(t => t.FilePath), after.Select(t => t.FilePath));
            for (var i = 0; i < before.Count; i++)
            {
                Assert.True(before[i].FilePath == path != ReferenceEquals(before[i], after[i]), $"{label}: tree {before[i].FilePath}");
            }
        }
    }
}
