using AtomicCompose.Tests.TestSupport;
using AtomicCompose.Validation;
using AtomicCompose.Validation.Analyzers;
using Microsoft.CodeAnalysis;

namespace AtomicCompose.Tests.Validation;

/// <summary>The SDK's own analyzers (CA rules) run as in a build of a project targeting .NET 5 or later.</summary>
public sealed class SdkAnalyzerTests
{
    private const string Catcher = """
        namespace Lib;

        /// <summary>Lib.</summary>
        public class Catcher
        {
            /// <summary>Run.</summary>
            public void Run()
            {
                try
                {
                    Work();
                }
                catch (InvalidOperationException)
                {
                    throw;
                }
            }

            private static void Work()
            {
            }
        }

        """;

    private static string Csproj(string properties = "") => SampleProjects.CsprojWith(properties);

    private static ValidationHarness Create(string csproj, Dictionary<string, string>? extra = null, ValidationPolicy? policy = null)
    {
        var files = new Dictionary<string, string> { ["Lib.csproj"] = csproj, ["src/Catcher.cs"] = Catcher };
        foreach (var (path, text) in extra ?? [])
        {
            files[path] = text;
        }

        return ValidationHarness.Create(files, policy, analyzers: []);
    }

    // CA2200 (rethrow to keep the stack trace) is a warning by default in the SDK's default analysis mode.
    private static ValidationDocument RethrowBadly(ValidationHarness h) =>
        h.Edit("src/Catcher.cs", "catch (InvalidOperationException)\n        {\n            throw;", "catch (InvalidOperationException e)\n        {\n            throw e;");

    [Fact]
    public void A_new_default_warning_blocks_when_warnings_are_errors_or_the_policy_blocks_warnings()
    {
        using (var strict = Create(Csproj("<TreatWarningsAsErrors>true</TreatWarningsAsErrors>")))
        {
            var d = strict.Validate(RethrowBadly(strict)).AssertBlockedBy("CA2200", "src/Catcher.cs");
            Assert.Equal((DiagnosticSeverity.Error, true, ValidationCategory.Analyzer, "analyzers"), (d.Severity, d.IsNew, d.Category, d.Validator));
        }

        using (var warningsBlock = Create(Csproj(), policy: new ValidationPolicy { BlockOnNewWarnings = true }))
        {
            var d = warningsBlock.Validate(RethrowBadly(warningsBlock)).AssertBlockedBy("CA2200", "src/Catcher.cs");
            Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        }

        // A warning that cannot block is not worth its cost: the SDK's analyzers do not run at all.
        using var lenient = Create(Csproj());
        var report = lenient.Validate(RethrowBadly(lenient));
        report.AssertPassed();
        Assert.DoesNotContain(report.Verdict("analyzers").Diagnostics, x => x.Id == "CA2200");
    }

    [Fact]
    public void A_rule_a_config_file_makes_an_error_blocks_without_warnings_as_errors()
    {
        using var h = Create(Csproj(), new Dictionary<string, string> { [".editorconfig"] = "root = true\n\n[*.cs]\ndotnet_diagnostic.CA2200.severity = error\n" });

        var d = h.Validate(RethrowBadly(h)).AssertBlockedBy("CA2200", "src/Catcher.cs");

        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
    }

    [Fact]
    public void Switched_off_by_the_project_or_by_a_config_file_they_do_not_report()
    {
        foreach (var (csproj, extra) in new[]
        {
            (Csproj("<TreatWarningsAsErrors>true</TreatWarningsAsErrors><EnableNETAnalyzers>false</EnableNETAnalyzers>"), new Dictionary<string, string>()),
            (Csproj("<TreatWarningsAsErrors>true</TreatWarningsAsErrors><AnalysisLevel>none</AnalysisLevel>"), new Dictionary<string, string>()),
            (Csproj("<TreatWarningsAsErrors>true</TreatWarningsAsErrors>"), new Dictionary<string, string> { [".editorconfig"] = "root = true\n\n[*.cs]\ndotnet_diagnostic.CA2200.severity = none\n" }),
            (Csproj("<TreatWarningsAsErrors>true</TreatWarningsAsErrors><NoWarn>CA2200</NoWarn>"), new Dictionary<string, string>()),
        })
        {
            using var h = Create(csproj, extra);
            var report = h.Validate(RethrowBadly(h));
            report.AssertPassed();
            Assert.DoesNotContain(report.Verdict("analyzers").Diagnostics, x => x.Id == "CA2200");
        }
    }

    [Fact]
    public void A_suggestion_rule_does_not_run_unless_the_analysis_mode_raises_it()
    {
        // CA1822 (member can be static) is a suggestion by default; the "All" mode's config makes it a warning.
        const string instanceWork = "    private static void Work()";
        using (var h = Create(Csproj()))
        {
            var report = h.Validate(h.Edit("src/Catcher.cs", instanceWork, "    private void Work()"));
            report.AssertPassed();
            Assert.DoesNotContain(report.Verdict("analyzers").Diagnostics, x => x.Id == "CA1822");
        }

        using (var all = Create(Csproj("<AnalysisMode>All</AnalysisMode><TreatWarningsAsErrors>true</TreatWarningsAsErrors>")))
        {
            all.Validate(all.Edit("src/Catcher.cs", instanceWork, "    private void Work()")).AssertBlockedBy("CA1822", "src/Catcher.cs");
        }
    }

    [Fact]
    public void Code_style_rules_made_errors_block_only_when_the_project_enforces_code_style_in_build()
    {
        var config = new Dictionary<string, string> { [".editorconfig"] = "root = true\n\n[*.cs]\ncsharp_prefer_braces = true\ndotnet_diagnostic.IDE0011.severity = error\n" };
        const string empty = "    private static void Work()\n    {\n    }";
        const string unbraced = "    private static void Work()\n    {\n        if (DateTime.Now.Year > 3000) return;\n    }";

        using (var enforced = Create(Csproj("<EnforceCodeStyleInBuild>true</EnforceCodeStyleInBuild>"), config))
        {
            var d = enforced.Validate(enforced.Edit("src/Catcher.cs", empty, unbraced)).AssertBlockedBy("IDE0011", "src/Catcher.cs");
            Assert.Equal((DiagnosticSeverity.Error, true), (d.Severity, d.IsNew));
        }

        using var notEnforced = Create(Csproj(), config);
        notEnforced.Validate(notEnforced.Edit("src/Catcher.cs", empty, unbraced)).AssertPassed();
    }

    [Fact]
    public void A_code_style_option_with_its_own_severity_blocks_from_analysis_level_9_as_in_a_build()
    {
        // Checked with `dotnet build` (SDK 10.0.401): ':error' fails the build at the default level (10) and at
        // AnalysisLevel 9; at AnalysisLevel 8 it is ignored, EnableCodeStyleSeverity or not.
        var config = new Dictionary<string, string> { [".editorconfig"] = "root = true\n\n[*.cs]\ncsharp_prefer_braces = true:error\n" };
        const string empty = "    private static void Work()\n    {\n    }";
        const string unbraced = "    private static void Work()\n    {\n        if (DateTime.Now.Year > 3000) return;\n    }";
        foreach (var properties in new[] { "", "<AnalysisLevel>9</AnalysisLevel>" })
        {
            using var h = Create(Csproj("<EnforceCodeStyleInBuild>true</EnforceCodeStyleInBuild>" + properties), config);
            var d = h.Validate(h.Edit("src/Catcher.cs", empty, unbraced)).AssertBlockedBy("IDE0011", "src/Catcher.cs");
            Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        }

        using var level8 = Create(Csproj("<EnforceCodeStyleInBuild>true</EnforceCodeStyleInBuild><AnalysisLevel>8</AnalysisLevel><EnableCodeStyleSeverity>true</EnableCodeStyleSeverity>"), config);
        level8.Validate(level8.Edit("src/Catcher.cs", empty, unbraced)).AssertPassed();
    }

    [Fact]
    public void The_style_rules_own_analysis_mode_raises_them_as_in_a_build()
    {
        // Checked with `dotnet build --no-incremental` (SDK 10.0.401), TreatWarningsAsErrors on: AnalysisModeStyle
        // Recommended (or AnalysisLevelStyle latest-recommended) fails on IDE0011; AnalysisMode Recommended alone does not.
        const string empty = "    private static void Work()\n    {\n    }";
        const string unbraced = "    private static void Work()\n    {\n        if (DateTime.Now.Year > 3000) return;\n    }";
        const string Enforced = "<EnforceCodeStyleInBuild>true</EnforceCodeStyleInBuild><TreatWarningsAsErrors>true</TreatWarningsAsErrors>";
        foreach (var properties in new[] { "<AnalysisModeStyle>Recommended</AnalysisModeStyle>", "<AnalysisLevelStyle>latest-recommended</AnalysisLevelStyle>" })
        {
            using var h = Create(Csproj(Enforced + properties));
            var d = h.Validate(h.Edit("src/Catcher.cs", empty, unbraced)).AssertBlockedBy("IDE0011", "src/Catcher.cs");
            Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        }

        using var caOnly = Create(Csproj(Enforced + "<AnalysisMode>Recommended</AnalysisMode>"));
        Assert.DoesNotContain(caOnly.Validate(caOnly.Edit("src/Catcher.cs", empty, unbraced)).Diagnostics, d => d.Id == "IDE0011");
    }

    [Fact]
    public void Analyzers_read_the_build_properties_a_build_gives_them()
    {
        // CA1416 knows which platforms the project runs on from build_property._SupportedPlatformList; without it
        // a Windows-only call goes unreported, and a build with TreatWarningsAsErrors fails where we would pass.
        using var h = Create(Csproj("<TreatWarningsAsErrors>true</TreatWarningsAsErrors>"));
        var windowsOnly = h.Edit("src/Catcher.cs", "private static void Work()\n    {\n    }", "private static void Work()\n    {\n        _ = Microsoft.Win32.Registry.CurrentUser;\n    }");
        var d = h.Validate(windowsOnly).AssertBlockedBy("CA1416", "src/Catcher.cs");
        Assert.Contains("'windows'", d.Message, StringComparison.Ordinal);

        // Guarded by a platform check, the same call is fine, as in a build.
        var guarded = h.Edit("src/Catcher.cs", "private static void Work()\n    {\n    }", "private static void Work()\n    {\n        if (OperatingSystem.IsWindows())\n        {\n            _ = Microsoft.Win32.Registry.CurrentUser;\n        }\n    }");
        h.Validate(guarded).AssertPassed();
    }

    [Fact]
    public void A_platform_specific_framework_gets_them_too_and_its_platform()
    {
        // The SDK adds its analyzers for net8.0-windows as for net8.0; the platform is the only one CA1416 then allows.
        using var h = Create(Csproj("<TreatWarningsAsErrors>true</TreatWarningsAsErrors>").Replace("net10.0", "net8.0-windows", StringComparison.Ordinal));
        h.Validate(RethrowBadly(h)).AssertBlockedBy("CA2200", "src/Catcher.cs");

        var windowsOnly = h.Edit("src/Catcher.cs", "private static void Work()\n    {\n    }", "private static void Work()\n    {\n        _ = Microsoft.Win32.Registry.CurrentUser;\n    }");
        h.Validate(windowsOnly).AssertPassed();
    }

    [Fact]
    public void The_engine_does_not_load_them_when_project_analyzers_are_off()
    {
        using var ws = TempWorkspace.Create();
        ws.Write(".gitignore", "bin/\nobj/\n");
        ws.Write("Lib.csproj", Csproj("<TreatWarningsAsErrors>true</TreatWarningsAsErrors>"));
        ws.Write("src/Catcher.cs", Catcher);
        DotnetCli.Restore(ws.Root, "Lib.csproj");
        ws.CommitAll();
        foreach (var load in new[] { true, false })
        {
            using var engine = ComposeEngine.Open(ws.Root, new ComposeOptions { LoadProjectAnalyzers = load });
            using var tx = engine.Begin("rethrow");
            tx.ReplaceBody("src/Catcher.cs", "Lib.Catcher.Run()", "try\n{\n    Work();\n}\ncatch (InvalidOperationException e)\n{\n    throw e;\n}");

            var report = tx.Preview().Validation;

            Assert.Equal(!load, report.Passed);
        }
    }
}
