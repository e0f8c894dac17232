using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;
using AtomicCompose.Tests.TestSupport;
using AtomicCompose.Validation;
using AtomicCompose.Validation.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit.Abstractions;

namespace AtomicCompose.Tests.Validation;

/// <summary>The analyzer validator on real projects on disk: instances, config severities, analyzer assemblies.</summary>
public sealed class AnalyzerValidatorTests(ITestOutputHelper output)
{
    private const string Lib = """
        namespace Lib;

        /// <summary>Lib.</summary>
        public class Worker
        {
            /// <summary>Run.</summary>
            /// <returns>1.</returns>
            public int Run() => 1;

            /// <summary>Old.</summary>
            /// <returns>2.</returns>
            public int BadOld() => 2;
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

    private static ValidationHarness Create(IReadOnlyList<DiagnosticAnalyzer>? analyzers = null, ValidationPolicy? policy = null, Dictionary<string, string>? extra = null)
    {
        var files = new Dictionary<string, string> { ["Lib.csproj"] = SampleProjects.Csproj, ["src/Worker.cs"] = Lib, ["src/Other.cs"] = Other };
        foreach (var (path, text) in extra ?? [])
        {
            files[path] = text;
        }

        return ValidationHarness.Create(files, policy, analyzers: analyzers ?? [new NamingAnalyzer()]);
    }

    private static ValidationDocument AddMethod(ValidationHarness h, string name, string path = "src/Other.cs") =>
        h.Edit(path, "    public int Stop() => 3;\n", $"    public int Stop() => 3;\n\n    /// <summary>Added.</summary>\n    /// <returns>4.</returns>\n    public int {name}() => 4;\n");

    [Fact]
    public void An_analyzer_instance_blocks_an_edit_that_introduces_its_diagnostic_and_not_one_that_does_not()
    {
        using var h = Create();

        var blocked = h.Validate(AddMethod(h, "BadNew"));
        var d = blocked.AssertBlockedBy("TST001", "src/Other.cs");
        Assert.Equal(("analyzers", ValidationCategory.Analyzer, DiagnosticSeverity.Error, true), (d.Validator, d.Category, d.Severity, d.IsNew));
        Assert.Equal((12, 16), (d.Line, d.Column));
        Assert.Equal("Method 'BadNew' has a bad name", d.Message);
        Assert.False(blocked.Verdict("analyzers").Passed);

        var passed = h.Validate(AddMethod(h, "GoodNew"));
        passed.AssertPassed();
        var verdict = passed.Verdict("analyzers");
        Assert.True(verdict.Passed);
        Assert.False(verdict.Skipped);
        Assert.True(verdict.Elapsed > TimeSpan.Zero);
    }

    [Fact]
    public void A_preexisting_analyzer_diagnostic_that_moved_does_not_block_an_unrelated_edit()
    {
        using var h = Create();

        // Lines inserted above BadOld move it; it is still the old finding.
        var report = h.Validate(h.Edit("src/Worker.cs", "    public int Run() => 1;\n", "    public int Run() => 1 + 0;\n\n    /// <summary>More.</summary>\n    /// <returns>5.</returns>\n    public int More() => 5;\n"));
        report.AssertPassed();
        var old = Assert.Single(report.Diagnostics, x => x.Id == "TST001");
        Assert.False(old.IsNew);
        Assert.Equal(16, old.Line);

        // An edit in another file does not even report it.
        var elsewhere = h.Validate(AddMethod(h, "Fine"));
        elsewhere.AssertPassed();
        Assert.DoesNotContain(elsewhere.Diagnostics, x => x.Id == "TST001");

        // Renaming the old offender is a new finding: its message names the new method.
        h.Validate(h.Edit("src/Worker.cs", "BadOld()", "BadOlder()")).AssertBlockedBy("TST001");
    }

    [Fact]
    public void Warnings_block_only_when_the_policy_says_so()
    {
        using var h = Create();
        var report = h.Validate(AddMethod(h, "MehNew"));
        report.AssertPassed();
        var warning = Assert.Single(report.Diagnostics, x => x.Id == "TST002");
        Assert.Equal((DiagnosticSeverity.Warning, true), (warning.Severity, warning.IsNew));

        using var strict = Create(policy: new ValidationPolicy { BlockOnNewWarnings = true });
        strict.Validate(AddMethod(strict, "MehNew")).AssertBlockedBy("TST002");
    }

    [Fact]
    public void Editorconfig_raises_an_analyzer_rule_to_error_and_none_silences_it()
    {
        using var h = Create();
        h.Workspace.Write(".editorconfig", "root = true\n\n[*.cs]\ndotnet_diagnostic.TST002.severity = error\n");
        var d = h.Validate(AddMethod(h, "MehNew")).AssertBlockedBy("TST002");
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);

        // The config file is read again when it changes; none removes the rule's findings entirely.
        h.Workspace.Write(".editorconfig", "root = true\n\n[*.cs]\ndotnet_diagnostic.TST001.severity = none\ndotnet_diagnostic.TST002.severity = none\n");
        var silenced = h.Validate(AddMethod(h, "BadNew"));
        silenced.AssertPassed();
        Assert.DoesNotContain(silenced.Diagnostics, x => x.Id.StartsWith("TST", StringComparison.Ordinal));
    }

    [Fact]
    public void Editorconfig_sections_and_nested_files_apply_by_path()
    {
        using var h = Create();
        h.Workspace.Write(".editorconfig", "root = true\n\n[*.cs]\ndotnet_diagnostic.TST002.severity = error\n");

        // A nearer file wins for the files below it; a section for other files does not apply.
        h.Workspace.Write("src/.editorconfig", "[Other.cs]\ndotnet_diagnostic.TST002.severity = suggestion\n\n[Nope.cs]\ndotnet_diagnostic.TST001.severity = none\n");
        var report = h.Validate(AddMethod(h, "MehNew"), h.Edit("src/Worker.cs", "public int Run()", "public int BadRun()"));
        Assert.Equal(DiagnosticSeverity.Info, Assert.Single(report.Diagnostics, x => x.Id == "TST002").Severity);
        report.AssertBlockedBy("TST001", "src/Worker.cs");
    }

    [Fact]
    public void An_editorconfig_marked_root_hides_the_ones_above_it()
    {
        using var h = Create();
        h.Workspace.Write(".editorconfig", "[*.cs]\ndotnet_diagnostic.TST002.severity = error\n");
        h.Workspace.Write("src/.editorconfig", "root = true\n\n[*.cs]\nindent_style = space\n");
        h.Validate(AddMethod(h, "MehNew")).AssertPassed();
    }

    [Fact]
    public void Globalconfig_in_the_project_folder_sets_severities()
    {
        using var h = Create();
        h.Workspace.Write(".globalconfig", "is_global = true\ndotnet_diagnostic.TST002.severity = error\n");
        h.Validate(AddMethod(h, "MehNew")).AssertBlockedBy("TST002");

        h.Workspace.Write(".globalconfig", "is_global = true\ndotnet_diagnostic.TST001.severity = none\n");
        var silenced = h.Validate(AddMethod(h, "BadNew"));
        silenced.AssertPassed();
        Assert.DoesNotContain(silenced.Diagnostics, x => x.Id == "TST001");
    }

    [Fact]
    public void A_file_named_globalconfig_is_global_without_saying_so()
    {
        using var h = Create();
        h.Workspace.Write(".globalconfig", "dotnet_diagnostic.TST002.severity = error\n");
        h.Validate(AddMethod(h, "MehNew")).AssertBlockedBy("TST002");
    }

    [Fact]
    public void Project_warning_options_apply_to_analyzer_diagnostics()
    {
        var csproj = SampleProjects.Csproj.Replace("</PropertyGroup>", "  <TreatWarningsAsErrors>true</TreatWarningsAsErrors>\n    <NoWarn>TST001</NoWarn>\n  </PropertyGroup>", StringComparison.Ordinal);
        using var h = Create(extra: new() { ["Lib.csproj"] = csproj });
        h.Validate(AddMethod(h, "MehNew")).AssertBlockedBy("TST002");
        var report = h.Validate(AddMethod(h, "BadNew"));
        report.AssertPassed();
        Assert.DoesNotContain(report.Diagnostics, x => x.Id == "TST001");
    }

    [Fact]
    public void Pragma_in_the_edited_code_suppresses_an_analyzer_diagnostic()
    {
        using var h = Create();
        var report = h.Validate(h.Edit("src/Other.cs", "    public int Stop() => 3;\n", "    public int Stop() => 3;\n\n#pragma warning disable TST001\n    /// <summary>Added.</summary>\n    /// <returns>4.</returns>\n    public int BadButAllowed() => 4;\n#pragma warning restore TST001\n"));
        report.AssertPassed();
    }

    [Fact]
    public void An_analyzer_assembly_referenced_with_an_Analyzer_item_is_loaded_and_runs()
    {
        var csproj = SampleProjects.Csproj.Replace("</Project>", "  <ItemGroup>\n    <Analyzer Include=\"tools/Lint.dll\" />\n  </ItemGroup>\n</Project>", StringComparison.Ordinal);
        using var h = Create(analyzers: [], extra: new() { ["Lib.csproj"] = csproj });
        File.WriteAllBytes(h.Workspace.PathOf("tools/Lint.dll").EnsureFolder(), CompileAnalyzerAssembly("Lint" + Guid.NewGuid().ToString("N")[..8], "LNT001", "Zap"));

        var watch = Stopwatch.StartNew();
        var d = h.Validate(AddMethod(h, "ZapIt")).AssertBlockedBy("LNT001", "src/Other.cs");
        output.WriteLine($"first validation with the assembly: {watch.ElapsedMilliseconds} ms");
        Assert.Equal("analyzers", d.Validator);
        h.Validate(AddMethod(h, "Fine")).AssertPassed();

        // Loaded once per project: later validations only run it.
        watch.Restart();
        h.Validate(AddMethod(h, "Fine2")).AssertPassed();
        output.WriteLine($"later validation: {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void An_analyzer_assembly_that_cannot_be_loaded_does_not_stop_validation()
    {
        var csproj = SampleProjects.Csproj.Replace("</Project>", "  <ItemGroup>\n    <Analyzer Include=\"tools/Missing.dll\" />\n    <Analyzer Include=\"tools/Junk.dll\" />\n  </ItemGroup>\n</Project>", StringComparison.Ordinal);
        using var h = Create(extra: new() { ["Lib.csproj"] = csproj, ["tools/Junk.dll"] = "not an assembly" });
        h.Validate(AddMethod(h, "BadNew")).AssertBlockedBy("TST001"); // the caller's analyzers still run
        h.Validate(AddMethod(h, "Fine")).AssertPassed();
    }

    [Fact]
    public void Without_analyzers_the_validator_costs_nothing_and_reports_nothing()
    {
        using var h = Create(analyzers: []);
        var report = h.Validate(AddMethod(h, "BadNew"));
        report.AssertPassed();
        Assert.Empty(report.Verdict("analyzers").Diagnostics);
    }

    [Fact]
    public void A_syntax_error_skips_the_analyzers()
    {
        using var h = Create();
        var report = h.Validate(h.Edit("src/Other.cs", "=> 3;", "=> 3"));
        Assert.True(report.Verdict("analyzers").Skipped);
    }

    [Fact]
    public void Created_and_deleted_files_are_analyzed_as_such()
    {
        using var h = Create();
        var created = "namespace Lib;\n\n/// <summary>N.</summary>\npublic class N\n{\n    /// <summary>B.</summary>\n    /// <returns>1.</returns>\n    public int BadOne() => 1;\n}\n";
        h.Validate(h.Rewrite("src/N.cs", created)).AssertBlockedBy("TST001", "src/N.cs");
        h.Validate(h.Rewrite("src/Worker.cs", null)).AssertPassed();
    }

    [Fact]
    public void The_engine_runs_the_analyzers_of_its_options()
    {
        using var ws = TempWorkspace.Create();
        SampleProjects.WriteDemo(ws);
        var options = new ComposeOptions();
        options.Analyzers.Add(new NamingAnalyzer());
        using var engine = ComposeEngine.Open(ws.Root, options);

        using (var tx = engine.Begin("bad name"))
        {
            tx.Replace("src/Greeter.cs", "Demo.Greeter.Farewell(string)", "public string BadFarewell(string name) => \"Bye, \" + name;");
            var preview = tx.Preview();
            Assert.False(preview.Validation.Passed);
            Assert.Contains(preview.Validation.Blocking, d => d.Id == "TST001" && d.Validator == AnalyzerValidator.ValidatorName);
            Assert.Equal(["syntax", "compilation", "documentation", "analyzers"], preview.Validation.Verdicts.Select(v => v.Validator));
        }

        using (var tx = engine.Begin("fine"))
        {
            tx.Replace("src/Greeter.cs", "Demo.Greeter.Farewell(string)", "public string Farewell(string name) => \"Bye bye, \" + name;");
            Assert.NotNull(tx.Complete().CommitSha);
        }
    }

    [Fact]
    public void The_public_validator_runs_on_a_context_built_from_sources()
    {
        var before = new Dictionary<string, string> { ["A.cs"] = "class A { void BadOld() { } void Run() { } }" };
        var after = new Dictionary<string, string> { ["A.cs"] = "class A { void BadOld() { } void Run() { } void BadNew() { } }" };
        var found = new AnalyzerValidator([new NamingAnalyzer()]).Validate(ValidationContext.FromSources(before, after), CancellationToken.None);
        Assert.Equal([("TST001", false), ("TST001", true)], found.OrderBy(d => d.Column).Select(d => (d.Id, d.IsNew)));
    }

    /// <summary>A tiny analyzer assembly, compiled here so that the test needs nothing but the compiler.</summary>
    private static byte[] CompileAnalyzerAssembly(string assemblyName, string id, string prefix)
    {
        var source = $$"""
            using System.Collections.Immutable;
            using Microsoft.CodeAnalysis;
            using Microsoft.CodeAnalysis.Diagnostics;

            [DiagnosticAnalyzer(LanguageNames.CSharp)]
            public sealed class PrefixAnalyzer : DiagnosticAnalyzer
            {
                private static readonly DiagnosticDescriptor Rule = new("{{id}}", "Prefix", "Method '{0}' starts with {{prefix}}", "Naming", DiagnosticSeverity.Error, isEnabledByDefault: true);

                public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

                public override void Initialize(AnalysisContext context)
                {
                    context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
                    context.EnableConcurrentExecution();
                    context.RegisterSymbolAction(a =>
                    {
                        if (a.Symbol.Name.StartsWith("{{prefix}}"))
                        {
                            a.ReportDiagnostic(Diagnostic.Create(Rule, a.Symbol.Locations[0], a.Symbol.Name));
                        }
                    }, SymbolKind.Method);
                }
            }
            """;
        var compilation = CSharpCompilation.Create(
            assemblyName,
            [CSharpSyntaxTree.ParseText(source)],
            [.. Basic.Reference.Assemblies.Net100.References.All, MetadataReference.CreateFromFile(typeof(DiagnosticAnalyzer).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return stream.ToArray();
    }
}

/// <summary>TST001 (error): a method named Bad…; TST002 (warning): a method named Meh….</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class NamingAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Bad = new("TST001", "Bad name", "Method '{0}' has a bad name", "Naming", DiagnosticSeverity.Error, isEnabledByDefault: true);
    private static readonly DiagnosticDescriptor Meh = new("TST002", "Meh name", "Method '{0}' has a meh name", "Naming", DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Bad, Meh];

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSymbolAction(
            a =>
            {
                var rule = a.Symbol.Name.StartsWith("Bad", StringComparison.Ordinal) ? Bad : a.Symbol.Name.StartsWith("Meh", StringComparison.Ordinal) ? Meh : null;
                if (rule is not null)
                {
                    a.ReportDiagnostic(Diagnostic.Create(rule, a.Symbol.Locations[0], a.Symbol.Name));
                }
            },
            SymbolKind.Method);
    }
}

internal static class PathExtensions
{
    public static string EnsureFolder(this string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }
}
