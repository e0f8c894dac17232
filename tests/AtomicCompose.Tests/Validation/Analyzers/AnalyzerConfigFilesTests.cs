using System.Collections.Immutable;
using AtomicCompose.Tests.TestSupport;
using AtomicCompose.Validation;
using AtomicCompose.Validation.Analyzers;
using Microsoft.CodeAnalysis;

namespace AtomicCompose.Tests.Validation.Analyzers;

/// <summary>
/// A project's config files are the ones MSBuild hands its compiler (<c>/analyzerconfig</c>): every <c>.editorconfig</c> and
/// every <c>.globalconfig</c> in the folders above its sources, above the workspace root too. Severities are checked against
/// <c>dotnet build</c>.
/// </summary>
public sealed class AnalyzerConfigFilesTests : IDisposable
{
    // CS0168 (declared, never used), CS0219 (assigned, never used), CS0162 (unreachable): warnings by default.
    private const string Body = "int unused;\nint assigned = 1;\nreturn name;\nreturn name;";
    private readonly TempWorkspace _outer = TempWorkspace.Create(git: false);
    private readonly TempWorkspace _ws;

    public AnalyzerConfigFilesTests()
    {
        _ws = TempWorkspace.Create(parent: _outer.Root);
        SampleProjects.WriteDemo(_ws, commit: false);
    }

    public void Dispose()
    {
        _ws.Dispose();
        _outer.Dispose();
    }

    private static ValidationReport Preview(ComposeEngine engine)
    {
        using var tx = engine.Begin("unused locals and unreachable code");
        tx.ReplaceBody("src/Greeter.cs", "Demo.Greeter.Greet(string)", Body);
        return tx.Preview().Validation;
    }

    private static string[] BlockingIds(ValidationReport report) => [.. report.Blocking.Select(d => d.Id).Distinct().Order(StringComparer.Ordinal)];

    // The same body written to disk, and the errors `dotnet build` reports for it.
    private string[] BuildErrorIds()
    {
        _ws.Write("src/Greeter.cs", SampleProjects.Greeter.Replace("return \"Hello, \" + name + \"!\";", Body.Replace("\n", "\n        ", StringComparison.Ordinal), StringComparison.Ordinal));
        return [.. DotnetCli.BuildErrors(_ws.Root, "Demo.csproj").Select(e => e.Id).Distinct().Order(StringComparer.Ordinal)];
    }

    private static int MsBuildRuns(CapturingLoggerProvider log) => log.Entries.Count(e => e.Message.StartsWith("Asking MSBuild", StringComparison.Ordinal));

    [Fact]
    [Trait("Category", "Slow")]
    public void Every_globalconfig_above_the_sources_applies_and_a_key_two_of_them_set_is_unset_as_in_dotnet_build()
    {
        _ws.Write(".globalconfig", "is_global = true\ndotnet_diagnostic.CS0219.severity = error\ndotnet_diagnostic.CS0168.severity = error\n");
        // Below the project's folder, above its sources: the SDK passes it too.
        _ws.Write("src/.globalconfig", "is_global = true\ndotnet_diagnostic.CS0162.severity = error\ndotnet_diagnostic.CS0168.severity = none\n");
        _ws.CommitAll();

        ValidationReport report;
        using (var engine = ComposeEngine.Open(_ws.Root))
        {
            report = Preview(engine);
        }

        // The compiler unsets a key two global configs set (warning MultipleGlobalAnalyzerKeys): CS0168 is a warning again.
        Assert.Equal(["CS0162", "CS0219"], BlockingIds(report));
        Assert.Equal(DiagnosticSeverity.Warning, Assert.Single(report.Diagnostics, d => d.Id == "CS0168").Severity);
        Assert.Equal(BlockingIds(report), BuildErrorIds());
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Config_files_above_the_workspace_root_apply_as_in_dotnet_build()
    {
        File.WriteAllText(Path.Combine(_outer.Root, ".globalconfig"), "is_global = true\ndotnet_diagnostic.CS0168.severity = error\n");
        File.WriteAllText(Path.Combine(_outer.Root, ".editorconfig"), "[*.cs]\ndotnet_diagnostic.CS0219.severity = error\n");
        _ws.CommitAll();

        ValidationReport report;
        using (var engine = ComposeEngine.Open(_ws.Root))
        {
            report = Preview(engine);
        }

        Assert.Equal(["CS0168", "CS0219"], BlockingIds(report));
        Assert.Equal(BlockingIds(report), BuildErrorIds());
    }

    [Fact]
    public void An_editorconfig_created_in_a_source_folder_between_two_edits_makes_the_cached_inputs_stale()
    {
        _ws.CommitAll();
        using (var engine = ComposeEngine.Open(_ws.Root))
        {
            Assert.True(Preview(engine).Passed);
        }

        // While no engine is open: the index's answer of MSBuild no longer holds.
        _ws.Write("src/.editorconfig", "[*.cs]\ndotnet_diagnostic.CS0168.severity = error\n");
        var second = new CapturingLoggerProvider();
        using (var engine = ComposeEngine.Open(_ws.Root, new ComposeOptions { LoggerFactory = second }))
        {
            Assert.Equal(["CS0168"], BlockingIds(Preview(engine)));
            Assert.True(MsBuildRuns(second) > 0, "the design-time build ran again");

            // While the engine is open, one folder up.
            _ws.Write(".editorconfig", "[*.cs]\ndotnet_diagnostic.CS0219.severity = error\n");
            Assert.Equal(["CS0168", "CS0219"], BlockingIds(Preview(engine)));
        }

        var third = new CapturingLoggerProvider();
        using (var engine = ComposeEngine.Open(_ws.Root, new ComposeOptions { LoggerFactory = third }))
        {
            Assert.Equal(["CS0168", "CS0219"], BlockingIds(Preview(engine)));
        }

        Assert.Equal(0, MsBuildRuns(third));
    }

    [Fact]
    public void A_callers_context_with_config_files_gets_exactly_those_and_one_without_gets_the_ones_found_by_looking()
    {
        _ws.Write("config/strict.globalconfig", "is_global = true\ndotnet_diagnostic.CS0168.severity = error\n");
        _ws.Write("src/.editorconfig", "[*.cs]\ndotnet_diagnostic.CS0219.severity = error\n");
        var files = new AnalyzerConfigFiles(_ws.Root);
        var tree = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("", path: "src/Greeter.cs");
        ImmutableDictionary<string, ReportDiagnostic> Severities(ProjectContext context)
        {
            var configuration = files.For(context, ["src/Greeter.cs"]);
            return configuration.ForTree(tree).TreeOptions.AddRange(configuration.Global.TreeOptions);
        }

        var withList = ProjectContext.FromCompilerArguments(_ws.Root, "Demo.csproj", ["src/Greeter.cs", "/analyzerconfig:config/strict.globalconfig"]);
        Assert.Equal([("CS0168", ReportDiagnostic.Error)], Severities(withList).Select(kv => (kv.Key.ToUpperInvariant(), kv.Value)));

        var withoutList = ProjectContext.FromCompilerArguments(_ws.Root, "Demo.csproj", ["src/Greeter.cs"]);
        Assert.Equal([("CS0219", ReportDiagnostic.Error)], Severities(withoutList).Select(kv => (kv.Key.ToUpperInvariant(), kv.Value)));
    }
}
