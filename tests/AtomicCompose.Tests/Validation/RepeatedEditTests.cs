using System.Globalization;
using AtomicCompose.Tests.TestSupport;
using AtomicCompose.Validation;
using Microsoft.CodeAnalysis;

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
