using System.Collections.Concurrent;
using System.Collections.Immutable;
using AtomicCompose.Tests.TestSupport;
using AtomicCompose.Validation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AtomicCompose.Tests.Validation;

/// <summary>
/// Analyzers whose rules report at the end of the compilation (here: every public method must be listed in an
/// additional file, as the public API analyzers require) judge the whole project, before and after the edit.
/// </summary>
public sealed class CompilationEndAnalyzerTests
{
    private static readonly string Csproj = SampleProjects.CsprojWith(items: """<AdditionalFiles Include="api/*.txt" />""");

    private const string Worker = """
        namespace Lib;

        /// <summary>Lib.</summary>
        public class Worker
        {
            /// <summary>Run.</summary>
            /// <returns>1.</returns>
            public int Run() => 1;

            /// <summary>Never listed.</summary>
            /// <returns>2.</returns>
            public int Unlisted() => 2;
        }

        """;

    private const string Other = """
        namespace Lib;

        /// <summary>Other.</summary>
        public class Other
        {
            /// <summary>Stop.</summary>
            /// <returns>3.</returns>
            public int Stop() => 3;
        }

        """;

    private static ValidationHarness Create() => ValidationHarness.Create(
        new Dictionary<string, string>
        {
            ["Lib.csproj"] = Csproj,
            ["src/Worker.cs"] = Worker,
            ["src/Other.cs"] = Other,
            ["api/PublicAPI.txt"] = "Run\nStop\nPlanned\n",
        },
        analyzers: [new ListedApiAnalyzer()]);

    private static TempWorkspace CommittedWorkspace(string apiList)
    {
        var ws = TempWorkspace.Create();
        ws.Write(".gitignore", "bin/\nobj/\n");
        ws.Write("Lib.csproj", Csproj);
        ws.Write("src/Worker.cs", Worker);
        ws.Write("src/Other.cs", Other);
        ws.Write("api/PublicAPI.txt", apiList);
        DotnetCli.Restore(ws.Root, "Lib.csproj");
        ws.CommitAll();
        return ws;
    }

    private static ValidationDocument AddMethod(ValidationHarness h, string name) =>
        h.Edit("src/Other.cs", "    public int Stop() => 3;\n", $"    public int Stop() => 3;\n\n    /// <summary>Added.</summary>\n    /// <returns>4.</returns>\n    public int {name}() => 4;\n");

    [Fact]
    public void A_new_public_method_missing_from_the_list_blocks_and_a_listed_one_passes()
    {
        using var h = Create();

        var blocked = h.Validate(AddMethod(h, "Surprise"));
        var d = blocked.AssertBlockedBy("TST900", "src/Other.cs");
        Assert.Equal(("Public method 'Surprise' is not in the API list", true, 12), (d.Message, d.IsNew, d.Line));

        // Listed in the additional file: the analyzer read it.
        h.Validate(AddMethod(h, "Planned")).AssertPassed();
    }

    [Fact]
    public void A_finding_that_existed_before_does_not_block_and_is_listed_as_pre_existing_in_its_file()
    {
        using var h = Create();

        var report = h.Validate(h.Edit("src/Worker.cs", "public int Run() => 1;", "public int Run() => 10;"));

        report.AssertPassed();
        var old = Assert.Single(report.Verdict("analyzers").Diagnostics, x => x.Id == "TST900");
        Assert.Equal(("Public method 'Unlisted' is not in the API list", false, "src/Worker.cs"), (old.Message, old.IsNew, old.Path));

        // In a file the edit did not touch, a pre-existing finding is not listed.
        var elsewhere = h.Validate(h.Edit("src/Other.cs", "public int Stop() => 3;", "public int Stop() => 30;"));
        elsewhere.AssertPassed();
        Assert.DoesNotContain(elsewhere.Verdict("analyzers").Diagnostics, x => x.Id == "TST900");
    }

    [Fact]
    public void Removing_a_listed_method_in_one_file_gives_a_finding_in_the_list_file()
    {
        using var h = Create();

        var report = h.Validate(h.Edit("src/Other.cs", "    /// <summary>Stop.</summary>\n    /// <returns>3.</returns>\n    public int Stop() => 3;\n", ""));

        var d = report.AssertBlockedBy("TST901", "api/PublicAPI.txt");
        Assert.Equal(("'Stop' is listed but does not exist", true, 2), (d.Message, d.IsNew, d.Line));
    }

    [Fact]
    public void An_edited_list_file_is_read_again()
    {
        using var h = Create();
        Assert.False(h.Validate(AddMethod(h, "Later")).Verdict("analyzers").Passed);

        h.Workspace.Write("api/PublicAPI.txt", "Run\nStop\nPlanned\nLater\n");

        h.Validate(AddMethod(h, "Later")).AssertPassed();
    }

    [Fact]
    public void The_engine_runs_them_by_default_and_not_when_switched_off()
    {
        foreach (var run in new[] { true, false })
        {
            using var ws = CommittedWorkspace("Run\nStop\n");
            var options = new ComposeOptions { RunCompilationEndAnalyzers = run };
            options.Analyzers.Add(new ListedApiAnalyzer());
            using var engine = ComposeEngine.Open(ws.Root, options);
            using var tx = engine.Begin("add an unlisted method");
            tx.InsertAfter("src/Other.cs", "Lib.Other.Stop()", "/// <summary>Go.</summary>\n/// <returns>5.</returns>\npublic int Go() => 5;");

            var report = tx.Preview().Validation;

            Assert.Equal(!run, report.Passed);
            Assert.Equal(run, report.Blocking.Any(x => x.Id == "TST900"));
        }
    }

    [Fact]
    public void After_a_commit_the_next_edit_does_not_analyze_the_adopted_baseline_again()
    {
        using var ws = CommittedWorkspace("Run\nStop\nUnlisted\n");
        var analyzer = new ListedApiAnalyzer();
        var options = new ComposeOptions();
        options.Analyzers.Add(analyzer);
        using var engine = ComposeEngine.Open(ws.Root, options);
        using (var first = engine.Begin("first"))
        {
            first.ReplaceBody("src/Other.cs", "Lib.Other.Stop()", "=> 30;");
            first.Complete();
        }

        var before = analyzer.CompilationStarts;
        using var second = engine.Begin("second");
        second.ReplaceBody("src/Other.cs", "Lib.Other.Stop()", "=> 300;");
        Assert.True(second.Preview().Validation.Passed);

        // Only the edited compilation is analyzed: the edited file (its syntax and its semantic pass each start the
        // analyzer) and the whole project. Analyzing the adopted baseline again would make it 6.
        Assert.Equal(3, analyzer.CompilationStarts - before);
    }
}

/// <summary>Every public method must be named in an additional file; checked once the whole compilation has been seen.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class ListedApiAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Unlisted = new(
        "TST900", "Unlisted API", "Public method '{0}' is not in the API list", "Api", DiagnosticSeverity.Error, isEnabledByDefault: true, customTags: [WellKnownDiagnosticTags.CompilationEnd]);

    private static readonly DiagnosticDescriptor Missing = new(
        "TST901", "Missing API", "'{0}' is listed but does not exist", "Api", DiagnosticSeverity.Error, isEnabledByDefault: true, customTags: [WellKnownDiagnosticTags.CompilationEnd]);

    private int _compilationStarts;

    public int CompilationStarts => Volatile.Read(ref _compilationStarts);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Unlisted, Missing];

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            Interlocked.Increment(ref _compilationStarts);
            var list = start.Options.AdditionalFiles.FirstOrDefault(f => f.Path.EndsWith("PublicAPI.txt", StringComparison.Ordinal));
            var lines = list?.GetText(start.CancellationToken)?.Lines.Select(l => l.ToString().Trim()).ToList() ?? [];
            var seen = new ConcurrentDictionary<string, IMethodSymbol>(StringComparer.Ordinal);
            start.RegisterSymbolAction(
                a =>
                {
                    if (a.Symbol is IMethodSymbol { DeclaredAccessibility: Accessibility.Public, MethodKind: MethodKind.Ordinary } method)
                    {
                        seen[method.Name] = method;
                    }
                },
                SymbolKind.Method);
            start.RegisterCompilationEndAction(end =>
            {
                foreach (var (name, method) in seen.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!lines.Contains(name))
                    {
                        end.ReportDiagnostic(Diagnostic.Create(Unlisted, method.Locations[0], name));
                    }
                }

                for (var i = 0; i < lines.Count; i++)
                {
                    if (list is not null && lines[i].Length > 0 && lines[i] != "Planned" && !seen.ContainsKey(lines[i]))
                    {
                        var text = list.GetText(end.CancellationToken)!;
                        var span = text.Lines[i].Span;
                        end.ReportDiagnostic(Diagnostic.Create(Missing, Location.Create(list.Path, span, text.Lines.GetLinePositionSpan(span)), lines[i]));
                    }
                }
            });
        });
    }
}
