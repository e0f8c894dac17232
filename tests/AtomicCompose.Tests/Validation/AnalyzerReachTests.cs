using System.Collections.Immutable;
using AtomicCompose.Tests.TestSupport;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AtomicCompose.Tests.Validation;

/// <summary>A declaration change reaches analyzer findings in files it did not edit, as it reaches their compile errors.</summary>
public sealed class AnalyzerReachTests
{
    private const string Worker = """
        namespace Lib;

        /// <summary>Marks a method whose callers are flagged.</summary>
        [System.AttributeUsage(System.AttributeTargets.Method)]
        public sealed class DangerousAttribute : System.Attribute
        {
        }

        /// <summary>Worker.</summary>
        public class Worker
        {
            /// <summary>Run.</summary>
            /// <returns>1.</returns>
            public int Run() => 1;

            /// <summary>Old.</summary>
            /// <returns>2.</returns>
            [Dangerous]
            public int Old() => 2;
        }

        """;

    private const string Caller = """
        namespace Lib;

        /// <summary>Caller.</summary>
        public class Caller
        {
            /// <summary>Calls.</summary>
            /// <returns>The sum.</returns>
            public int Call() => new Worker().Run() + new Worker().Old();
        }

        """;

    private static ValidationHarness Create() => ValidationHarness.Create(
        new Dictionary<string, string> { ["Lib.csproj"] = SampleProjects.Csproj, ["src/Worker.cs"] = Worker, ["src/Caller.cs"] = Caller },
        analyzers: [new DangerousCallAnalyzer()]);

    [Fact]
    public void Marking_a_called_method_dangerous_blocks_with_the_finding_in_the_unedited_caller()
    {
        using var h = Create();

        var report = h.Validate(h.Edit("src/Worker.cs", "    public int Run() => 1;", "    [Dangerous]\n    public int Run() => 1;"));

        var d = report.AssertBlockedBy("TST003", "src/Caller.cs");
        Assert.True(d.IsNew);
        Assert.Equal("Call to dangerous 'Run'", d.Message);
        Assert.Equal(8, d.Line);
    }

    [Fact]
    public void A_preexisting_finding_in_an_unedited_file_neither_blocks_nor_is_listed()
    {
        using var h = Create();

        // A declaration change (a new method) that callers do not use.
        var report = h.Validate(h.Edit("src/Worker.cs", "    public int Run() => 1;", "    public int Run() => 1;\n\n    /// <summary>New.</summary>\n    /// <returns>3.</returns>\n    public int Old2() => 3;"));

        report.AssertPassed();
        Assert.DoesNotContain(report.Diagnostics, x => x.Id == "TST003");
    }

    [Fact]
    public void A_declaration_change_reaches_the_finding_in_a_dependent_project()
    {
        const string app = """
            namespace App;

            /// <summary>Uses the library.</summary>
            public class User
            {
                /// <summary>Uses.</summary>
                /// <returns>1.</returns>
                public int Use() => new Lib.Worker().Run();
            }

            """;
        using var h = ValidationHarness.Create(
            new Dictionary<string, string>
            {
                ["lib/Lib.csproj"] = SampleProjects.Csproj,
                ["lib/Worker.cs"] = Worker,
                ["app/App.csproj"] = "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup><ItemGroup><ProjectReference Include=\"../lib/Lib.csproj\" /></ItemGroup></Project>",
                ["app/User.cs"] = app,
            },
            analyzers: [new DangerousCallAnalyzer()]);

        var report = h.Validate(h.Edit("lib/Worker.cs", "    public int Run() => 1;", "    [Dangerous]\n    public int Run() => 1;"));

        var d = report.AssertBlockedBy("TST003", "app/User.cs");
        Assert.True(d.IsNew);
    }

    [Fact]
    public void A_type_level_change_reaching_every_file_finds_each_new_finding_in_its_own_file_and_no_old_one()
    {
        // Enough files that the whole compilation is analyzed at once rather than file by file.
        var files = new Dictionary<string, string> { ["Lib.csproj"] = SampleProjects.Csproj, ["src/Worker.cs"] = Worker };
        for (var i = 1; i <= 12; i++)
        {
            files[$"src/Caller{i}.cs"] = Caller.Replace("class Caller", $"class Caller{i}", StringComparison.Ordinal);
        }

        using var h = ValidationHarness.Create(files, analyzers: [new DangerousCallAnalyzer()]);

        // A nested type is a change of the file's skeleton: every file of the project is judged.
        var report = h.Validate(h.Edit(
            "src/Worker.cs",
            "    public int Run() => 1;",
            "    [Dangerous]\n    public int Run() => 1;\n\n    /// <summary>Options.</summary>\n    public sealed class Options\n    {\n    }"));

        var findings = report.Diagnostics.Where(d => d.Id == "TST003").ToList();
        Assert.Equal(Enumerable.Range(1, 12).Select(i => $"src/Caller{i}.cs").Order(StringComparer.Ordinal), findings.Select(d => d.Path).Order(StringComparer.Ordinal));
        Assert.All(findings, d =>
        {
            Assert.True(d.IsNew);
            Assert.Equal("Call to dangerous 'Run'", d.Message);
            Assert.Equal(8, d.Line);
        });
        Assert.Equal(12, report.Blocking.Count(d => d.Id == "TST003"));
    }

    [Fact]
    public void A_body_edit_does_not_reach_other_files()
    {
        using var h = Create();

        var report = h.Validate(h.Edit("src/Worker.cs", "public int Run() => 1;", "public int Run() => 1 + 1;"));

        report.AssertPassed();
        Assert.DoesNotContain(report.Diagnostics, x => x.Path == "src/Caller.cs");
    }
}

/// <summary>TST003 (error): a call to a method marked <c>[Dangerous]</c>.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class DangerousCallAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Rule = new("TST003", "Dangerous call", "Call to dangerous '{0}'", "Safety", DiagnosticSeverity.Error, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Rule];

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterOperationAction(
            a =>
            {
                var method = ((IInvocationOperation)a.Operation).TargetMethod;
                if (method.GetAttributes().Any(x => x.AttributeClass?.Name == "DangerousAttribute"))
                {
                    a.ReportDiagnostic(Diagnostic.Create(Rule, a.Operation.Syntax.GetLocation(), method.Name));
                }
            },
            OperationKind.Invocation);
    }
}
