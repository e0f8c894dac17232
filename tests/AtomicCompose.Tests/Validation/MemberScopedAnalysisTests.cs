using System.Collections.Concurrent;
using System.Collections.Immutable;
using AtomicCompose.Tests.TestSupport;
using AtomicCompose.Validation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AtomicCompose.Tests.Validation;

/// <summary>
/// A body edit with analyzers whose every action is about one member: only that member is analyzed, and the
/// verdict and report are those of analyzing the whole file.
/// </summary>
public sealed class MemberScopedAnalysisTests
{
    private const string Calc = """
        namespace Lib;

        /// <summary>Calc.</summary>
        public class Calc
        {
            /// <summary>A.</summary>
            /// <returns>A value.</returns>
            public int A()
            {
                return 1;
            }

            /// <summary>B.</summary>
            /// <returns>A value.</returns>
            public int B()
            {
                return 42;
            }

            /// <summary>C.</summary>
            /// <returns>A value.</returns>
            public int C() => 3;
        }

        """;

    private static ValidationHarness Create(params DiagnosticAnalyzer[] analyzers) =>
        ValidationHarness.Create(new Dictionary<string, string> { ["Lib.csproj"] = SampleProjects.Csproj, ["src/Calc.cs"] = Calc }, analyzers: analyzers);

    [Fact]
    public void A_body_edit_analyzes_only_the_edited_member_and_reports_the_rest_of_the_file_as_it_was()
    {
        var analyzer = new PerMemberAnalyzer();
        using var h = Create(analyzer);

        // The first validation learns what the analyzer registers, analyzing the whole file.
        h.Validate(h.Edit("src/Calc.cs", "return 1;", "return 2;")).AssertPassed();
        Assert.Contains("B", analyzer.Visited);

        analyzer.Visited.Clear();
        var blocked = h.Validate(h.Edit("src/Calc.cs", "return 1;", "var x = 42;\n        return x;"));
        Assert.Equal(["A"], analyzer.Visited.Distinct().Order());
        var d = blocked.AssertBlockedBy("TST112");
        Assert.Equal((10, 17, true), (d.Line, d.Column, d.IsNew));

        // B's finding (line 17 before the edit) is not new, and sits where the edit moved it.
        var old = Assert.Single(blocked.Diagnostics, x => x.Id == "TST112" && !x.IsNew);
        Assert.Equal((18, 16, "The literal 42"), (old.Line, old.Column, old.Message));
    }

    [Fact]
    public void Each_framework_of_a_multi_targeting_project_keeps_analyzing_only_the_edited_member()
    {
        // The two frameworks share the analyzers but not their build properties, and are validated in turn: what was
        // learnt for one must not be forgotten when the other is validated.
        var analyzer = new PerMemberAnalyzer();
        var csproj = SampleProjects.Csproj.Replace("<TargetFramework>net10.0</TargetFramework>", "<TargetFrameworks>net10.0;net8.0</TargetFrameworks>", StringComparison.Ordinal);
        using var h = ValidationHarness.Create(new Dictionary<string, string> { ["Lib.csproj"] = csproj, ["src/Calc.cs"] = Calc }, analyzers: [analyzer]);
        h.Validate(h.Edit("src/Calc.cs", "return 1;", "return 2;")).AssertPassed();

        analyzer.Visited.Clear();
        var d = h.Validate(h.Edit("src/Calc.cs", "return 1;", "return 42;")).AssertBlockedBy("TST112");
        Assert.Equal(["A", "A"], analyzer.Visited.Order());
        Assert.Equal("net10.0;net8.0", d.TargetFramework);
    }

    [Fact]
    public void An_analyzer_that_can_report_anywhere_in_the_file_keeps_the_whole_file_analyzed()
    {
        using var h = Create(new PerMemberAnalyzer(), new PerFileAnalyzer());
        h.Validate(h.Edit("src/Calc.cs", "return 1;", "return 2;")).AssertPassed();

        // A second 42 in A: the per-file rule reports on the class, outside the edited member.
        var d = h.Validate(h.Edit("src/Calc.cs", "return 1;", "return 42;")).AssertBlockedBy("TST120");
        Assert.Equal(4, d.Line);
    }

    [Fact]
    public void After_a_committed_body_edit_the_file_findings_are_where_the_edit_moved_them()
    {
        var analyzer = new PerMemberAnalyzer();
        using var h = Create(analyzer);
        h.Validate(h.Edit("src/Calc.cs", "return 1;", "return 2;")).AssertPassed();

        var edit = h.Edit("src/Calc.cs", "return 1;", "var a = 1;\n        var b = a;\n        return b;");
        h.Validate(edit).AssertPassed();
        h.Commit(edit);

        // The next edit's baseline is the committed one: B's finding moved down two lines (17 to 19) and is still not new.
        analyzer.Visited.Clear();
        var report = h.Validate(h.Edit("src/Calc.cs", "return b;", "return b + 1;"));
        report.AssertPassed();
        Assert.DoesNotContain("B", analyzer.Visited);
        var old = Assert.Single(report.Diagnostics, x => x.Id == "TST112");
        Assert.Equal((19, 16, false, "The literal 42"), (old.Line, old.Column, old.IsNew, old.Message));

        // Removing it from B, then putting it back, is judged against that baseline.
        h.Validate(h.Edit("src/Calc.cs", "return 42;", "return 41;")).AssertPassed();
        h.Validate(h.Edit("src/Calc.cs", "public int C() => 3;", "public int C() => 42;")).AssertBlockedBy("TST112");
    }

    [Fact]
    public void Member_scoped_and_whole_file_analysis_give_the_same_report_over_many_edits()
    {
        // The same analyzer in both harnesses; in the second an extra per-file analyzer that reports nothing keeps
        // every edit on the whole-file path.
        using var scoped = Create(new PerMemberAnalyzer());
        using var whole = Create(new PerMemberAnalyzer(), new PerFileAnalyzer(report: false));
        var bodies = new[] { "return 1;", "return 42;", "Log(); return 2;", "var t = 42; return t + 42;", "return 7;", "Log(); Log(); return 42;", "return 3 + 4;" };
        var random = new Random(4242);
        var current = new Dictionary<string, string> { ["A"] = "return 1;", ["B"] = "return 42;" };
        for (var i = 0; i < 60; i++)
        {
            var method = random.Next(2) == 0 ? "A" : "B";
            var body = bodies[random.Next(bodies.Length)];
            var find = $"public int {method}()\n    {{\n        {current[method]}";
            var replace = $"public int {method}()\n    {{\n        {body}";
            var edits = (scoped.Edit("src/Calc.cs", find, replace), whole.Edit("src/Calc.cs", find, replace));
            var (a, b) = (scoped.Validate(edits.Item1), whole.Validate(edits.Item2));
            Assert.Equal(Shape(b), Shape(a));
            Assert.Equal(b.Passed, a.Passed);
            if (random.Next(2) == 0)
            {
                scoped.Commit(edits.Item1);
                whole.Commit(edits.Item2);
                current[method] = body;
            }
        }

        static List<string> Shape(ValidationReport r) =>
            [.. r.Diagnostics.Where(d => d.Id.StartsWith("TST", StringComparison.Ordinal)).Select(d => $"{d.Id} {d.Line}:{d.Column} {d.IsNew} {d.Severity} {d.Message}").Order(StringComparer.Ordinal)];
    }

    [Fact]
    public void With_the_sdks_CA_rules_as_errors_member_scoped_and_whole_file_analysis_give_the_same_report()
    {
        const string strings = """
            using System.Collections.Generic;
            using System.Linq;
            using System.Text;

            namespace Lib;

            /// <summary>Strings.</summary>
            public class Strings
            {
                /// <summary>A.</summary>
                /// <param name="s">S.</param>
                /// <param name="list">List.</param>
                /// <returns>A value.</returns>
                public bool A(string s, List<int> list)
                {
                    return s.Length > 0;
                }

                /// <summary>B.</summary>
                /// <param name="s">S.</param>
                /// <param name="list">List.</param>
                /// <returns>A value.</returns>
                public bool B(string s, List<int> list)
                {
                    return list.Any();
                }
            }

            """;

        // Rules of analyzers that act per member, made errors (in a build they would fail it).
        var config = "root = true\n\n[*.cs]\n" + string.Concat(
            new[] { "CA2249", "CA1310", "CA1307", "CA1860", "CA1305", "CA1304", "CA1311", "CA1862", "CA1834", "CA1847", "CA1858", "CA1865" }.Select(id => $"dotnet_diagnostic.{id}.severity = error\n"));
        ValidationHarness Harness(params DiagnosticAnalyzer[] analyzers) => ValidationHarness.Create(
            new Dictionary<string, string> { ["Lib.csproj"] = SampleProjects.Csproj, ["src/Strings.cs"] = strings, [".editorconfig"] = config }, analyzers: analyzers);

        var recorder = new PerMemberAnalyzer();
        using var scoped = Harness(recorder);
        using var whole = Harness(new PerMemberAnalyzer(), new PerFileAnalyzer(report: false));
        var bodies = new[]
        {
            "return s.Length > 0;", "return s.IndexOf(\"x\") >= 0;", "return s.StartsWith(\"x\");", "return list.Any();", "return int.Parse(s) > 0;",
            "return s.ToLower() == \"x\";", "return new StringBuilder().Append(\"x\").Length > 42;", "return s.IndexOf(\"y\") == 0;", "return list.Count > 0;",
        };
        var random = new Random(1416);
        var current = new Dictionary<string, string> { ["A"] = bodies[0], ["B"] = bodies[3] };
        var found = new HashSet<string>();
        for (var i = 0; i < 40; i++)
        {
            var method = random.Next(2) == 0 ? "A" : "B";
            var body = bodies.Where(b => b != current[method]).ElementAt(random.Next(bodies.Length - 1)); // a real edit: a no-op one analyzes the whole file
            var find = $"public bool {method}(string s, List<int> list)\n    {{\n        {current[method]}";
            var replace = $"public bool {method}(string s, List<int> list)\n    {{\n        {body}";
            var edits = (scoped.Edit("src/Strings.cs", find, replace), whole.Edit("src/Strings.cs", find, replace));
            recorder.Visited.Clear();
            var (a, b) = (scoped.Validate(edits.Item1), whole.Validate(edits.Item2));
            Assert.Equal(Shape(b), Shape(a));
            Assert.Equal(b.Passed, a.Passed);
            found.UnionWith(a.Diagnostics.Where(d => d.Id.StartsWith("CA", StringComparison.Ordinal)).Select(d => d.Id));
            if (i > 0)
            {
                // The CA analyzers chosen act per member, so the scoped harness analyzed the edited method only.
                Assert.Equal([method], recorder.Visited.Distinct());
            }

            if (random.Next(2) == 0)
            {
                scoped.Commit(edits.Item1);
                whole.Commit(edits.Item2);
                current[method] = body;
            }
        }

        // The edits did exercise the CA rules.
        Assert.True(found.Count >= 4, string.Join(", ", found));

        static List<string> Shape(ValidationReport r) =>
            [.. r.Diagnostics.Where(d => d.Validator == "analyzers").Select(d => $"{d.Id} {d.Line}:{d.Column} {d.IsNew} {d.Severity} {d.Message}").Order(StringComparer.Ordinal)];
    }

    /// <summary>Every kind of action that is about one member, recording which methods it visited.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class PerMemberAnalyzer : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Literal = new("TST112", "Literal", "The literal {0}", "Test", DiagnosticSeverity.Error, isEnabledByDefault: true);
        private static readonly DiagnosticDescriptor Logs = new("TST113", "Logs", "'{0}' logs {1} time(s)", "Test", DiagnosticSeverity.Warning, isEnabledByDefault: true);
        private static readonly DiagnosticDescriptor Call = new("TST114", "Call", "A call to {0}", "Test", DiagnosticSeverity.Info, isEnabledByDefault: true);

        public ConcurrentQueue<string> Visited { get; } = new();

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Literal, Logs, Call];

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                start.RegisterOperationAction(
                    o =>
                    {
                        if (o.Operation is ILiteralOperation { ConstantValue: { HasValue: true, Value: 42 } })
                        {
                            o.ReportDiagnostic(Diagnostic.Create(Literal, o.Operation.Syntax.GetLocation(), 42));
                        }
                    },
                    OperationKind.Literal);
                start.RegisterOperationBlockStartAction(block =>
                {
                    Visited.Enqueue(block.OwningSymbol.Name);
                    var calls = 0;
                    block.RegisterOperationAction(_ => Interlocked.Increment(ref calls), OperationKind.Invocation);
                    block.RegisterOperationBlockEndAction(end =>
                    {
                        if (Volatile.Read(ref calls) > 1)
                        {
                            end.ReportDiagnostic(Diagnostic.Create(Logs, end.OwningSymbol.Locations[0], end.OwningSymbol.Name, calls));
                        }
                    });
                });
            });
            context.RegisterSyntaxNodeAction(
                n => n.ReportDiagnostic(Diagnostic.Create(Call, n.Node.GetLocation(), ((InvocationExpressionSyntax)n.Node).Expression)),
                SyntaxKind.InvocationExpression);
        }
    }

    /// <summary>Counts the literal 42 in the whole file and reports on the first type when there is more than one.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class PerFileAnalyzer(bool report = true) : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Many = new("TST120", "Many", "The file has {0} literals 42", "Test", DiagnosticSeverity.Error, isEnabledByDefault: true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Many];

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterSemanticModelAction(m =>
            {
                var root = m.SemanticModel.SyntaxTree.GetRoot(m.CancellationToken);
                var count = root.DescendantNodes().OfType<LiteralExpressionSyntax>().Count(l => l.Token.ValueText == "42");
                if (report && count > 1 && root.DescendantNodes().OfType<ClassDeclarationSyntax>().FirstOrDefault() is { } type)
                {
                    m.ReportDiagnostic(Diagnostic.Create(Many, type.Identifier.GetLocation(), count));
                }
            });
        }
    }
}
