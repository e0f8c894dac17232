using AtomicCompose.Tests.TestSupport;
using AtomicCompose.Validation;

namespace AtomicCompose.Tests.Validation;

/// <summary>
/// <c>dotnet_diagnostic.&lt;id&gt;.severity</c> in <c>.editorconfig</c> and <c>.globalconfig</c> changes the
/// compiler's own warnings the way it does in a build.
/// </summary>
public sealed class ConfigSeverityTests : IDisposable
{
    // CS0168: the variable is declared but never used, a warning by default.
    private const string UnusedLocal = "public string Greet(string name)\n{\n    int unused;\n    return name;\n}";
    private readonly TempWorkspace _ws = TempWorkspace.Create();

    public ConfigSeverityTests() => SampleProjects.WriteDemo(_ws, commit: false);

    public void Dispose() => _ws.Dispose();

    private ValidationReport PreviewUnusedLocal(ValidationPolicy? policy = null)
    {
        _ws.CommitAll();
        using var engine = ComposeEngine.Open(_ws.Root, new ComposeOptions { ValidationPolicy = policy ?? new ValidationPolicy() });
        using var tx = engine.Begin("unused local");
        tx.Replace("src/Greeter.cs", "Demo.Greeter.Greet(string)", UnusedLocal);
        return tx.Preview().Validation;
    }

    [Fact]
    public void A_config_file_created_edited_or_deleted_while_the_engine_is_open_changes_compiler_severities_at_the_next_edit()
    {
        _ws.CommitAll();
        using var engine = ComposeEngine.Open(_ws.Root);
        ValidationReport Preview()
        {
            using var tx = engine.Begin("unused local");
            tx.Replace("src/Greeter.cs", "Demo.Greeter.Greet(string)", UnusedLocal);
            return tx.Preview().Validation;
        }

        Assert.True(Preview().Passed);

        _ws.Write("src/.editorconfig", "[*.cs]\ndotnet_diagnostic.CS0168.severity = error\n");
        Assert.Equal("CS0168", Assert.Single(Preview().Blocking).Id);

        _ws.Write("src/.editorconfig", "[*.cs]\ndotnet_diagnostic.CS0168.severity = none\n");
        var silenced = Preview();
        Assert.True(silenced.Passed);
        Assert.DoesNotContain(silenced.Diagnostics, d => d.Id == "CS0168");

        _ws.Write(".globalconfig", "is_global = true\ndotnet_diagnostic.CS0168.severity = error\n");
        File.Delete(_ws.PathOf("src/.editorconfig"));
        Assert.Equal("CS0168", Assert.Single(Preview().Blocking).Id);
    }

    [Fact]
    public void Without_config_the_new_warning_is_reported_and_does_not_block()
    {
        var report = PreviewUnusedLocal();

        Assert.True(report.Passed, report.Summary());
        var warning = Assert.Single(report.Diagnostics, d => d.Id == "CS0168");
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning, warning.Severity);
        Assert.True(warning.IsNew);
    }

    [Fact]
    public void An_editorconfig_raising_the_warning_to_error_blocks_the_edit()
    {
        _ws.Write(".editorconfig", "root = true\n\n[*.cs]\ndotnet_diagnostic.CS0168.severity = error\n");

        var report = PreviewUnusedLocal();

        Assert.False(report.Passed);
        var error = Assert.Single(report.Blocking);
        Assert.Equal("CS0168", error.Id);
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Error, error.Severity);
        Assert.Equal("src/Greeter.cs", error.Path);
    }

    [Fact]
    public void A_globalconfig_setting_none_silences_the_warning_even_when_warnings_block()
    {
        _ws.Write(".globalconfig", "is_global = true\ndotnet_diagnostic.CS0168.severity = none\n");

        var report = PreviewUnusedLocal(new ValidationPolicy { BlockOnNewWarnings = true });

        Assert.True(report.Passed, report.Summary());
        Assert.DoesNotContain(report.Diagnostics, d => d.Id == "CS0168");
    }

    [Fact]
    public void A_section_for_other_files_leaves_the_edited_file_alone()
    {
        _ws.Write(".editorconfig", "root = true\n\n[src/Program.cs]\ndotnet_diagnostic.CS0168.severity = error\n");

        var report = PreviewUnusedLocal();

        Assert.True(report.Passed, report.Summary());
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning, Assert.Single(report.Diagnostics, d => d.Id == "CS0168").Severity);
    }

    [Fact]
    public void A_config_file_in_a_folder_the_project_had_no_source_in_applies_to_a_file_created_there()
    {
        const string helper = "namespace Demo;\n\n/// <summary>Helps.</summary>\npublic static class Helper\n{\n    /// <summary>Runs.</summary>\n    public static void Run()\n    {\n        int unused;\n    }\n}\n";
        _ws.Write("src/Extra/.editorconfig", "[*.cs]\ndotnet_diagnostic.CS0168.severity = error\n");
        _ws.CommitAll();
        using var engine = ComposeEngine.Open(_ws.Root);
        Assert.True(PreviewIn(engine).Passed); // the project loads without a source in src/Extra

        using (var tx = engine.Begin("a helper in a new folder"))
        {
            tx.CreateFile("src/Extra/Helper.cs", helper);
            Assert.Equal("CS0168", Assert.Single(tx.Preview().Validation.Blocking).Id);
        }

        // The same file elsewhere only warns.
        using var elsewhere = engine.Begin("a helper next to the others");
        elsewhere.CreateFile("src/Helper.cs", helper);
        Assert.True(elsewhere.Preview().Validation.Passed);
    }

    private static ValidationReport PreviewIn(ComposeEngine engine)
    {
        using var tx = engine.Begin("unused local");
        tx.Replace("src/Greeter.cs", "Demo.Greeter.Greet(string)", UnusedLocal);
        return tx.Preview().Validation;
    }
}
