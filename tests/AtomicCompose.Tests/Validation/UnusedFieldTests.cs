using AtomicCompose.Tests.TestSupport;
using AtomicCompose.Validation;
using Microsoft.CodeAnalysis;

namespace AtomicCompose.Tests.Validation;

/// <summary>
/// Unused and unassigned private fields (CS0169, CS0414, CS0649), which the compiler reports only over a whole
/// compilation: the engine's new errors for an edit equal those of <c>dotnet build</c>, run by the test.
/// </summary>
[Trait("Category", "Slow")]
public sealed class UnusedFieldTests
{
    private static readonly string Csproj = SampleProjects.CsprojWith("<TreatWarningsAsErrors>true</TreatWarningsAsErrors>");

    private static string Class(string name, string members) => $$"""
        namespace Demo;

        /// <summary>A class.</summary>
        public sealed partial class {{name}}
        {
        {{members}}
        }

        """;

    [Fact]
    public void Unused_fields_an_edit_adds_block_as_the_build_fails_them()
    {
        using var h = ValidationHarness.Create(new Dictionary<string, string>
        {
            ["Demo.csproj"] = Csproj,
            ["Unused.cs"] = Class("Unused", "    /// <summary>Runs.</summary>\n    public void Run() { }"),
            ["Unread.cs"] = Class("Unread", "    /// <summary>Runs.</summary>\n    public void Run() { }"),
            ["Unassigned.cs"] = Class("Unassigned", "    /// <summary>Runs.</summary>\n    /// <returns>Text.</returns>\n    public string? Run() => null;"),
            ["Shared.cs"] = Class("Shared", "    /// <summary>Runs.</summary>\n    public void Run() { }"),
            ["SharedUse.cs"] = Class("Shared", "    /// <summary>Reads.</summary>\n    /// <returns>The count.</returns>\n    public int Read() => 0;"),
        });
        h.Validate(h.Edit("Unused.cs", "public void Run() { }", "public void Run() { }")).AssertPassed();

        ValidationDocument[] edits =
        [
            h.Edit("Unused.cs", "    public void Run() { }", "    public void Run() { }\n\n    private int _never;"),
            h.Edit("Unread.cs", "    public void Run() { }", "    public void Run() { _count = 1; }\n\n    private int _count;"),
            h.Edit("Unassigned.cs", "public string? Run() => null;", "public string? Run() => _name;\n\n    private string? _name;"),
            // Used in the type's other part: no warning.
            h.Edit("Shared.cs", "    public void Run() { }", "    public void Run() { _total = 2; }\n\n    private int _total;"),
            h.Edit("SharedUse.cs", "public int Read() => 0;", "public int Read() => _total;"),
        ];
        var engine = h.Validate(edits).Blocking.Select(d => (d.Id, d.Path)).ToHashSet();

        foreach (var edit in edits)
        {
            h.Workspace.Write(edit.Path, edit.After!.GetText().ToString());
        }

        DotnetCli.Restore(h.Workspace.Root, "Demo.csproj");
        var build = DotnetCli.BuildErrors(h.Workspace.Root, "Demo.csproj").Select(e => (e.Id, e.File)).ToHashSet();

        Assert.Equal(build.Order(), engine.Order());
        Assert.Equal([("CS0169", "Unused.cs"), ("CS0414", "Unread.cs"), ("CS0649", "Unassigned.cs")], engine.Order());
    }

    [Fact]
    public void A_field_that_was_unused_before_the_edit_is_not_new()
    {
        using var h = ValidationHarness.Create(new Dictionary<string, string>
        {
            ["Demo.csproj"] = SampleProjects.Csproj,
            ["Old.cs"] = Class("Old", "    private int _old;\n\n    /// <summary>Runs.</summary>\n    public void Run() { }"),
        });

        var report = h.Validate(h.Edit("Old.cs", "public void Run() { }", "public void Run() { System.Console.WriteLine(); }"));
        report.AssertPassed();
        Assert.DoesNotContain(report.Diagnostics, d => d.Id == "CS0169");

        // Without TreatWarningsAsErrors a new one is a new warning, which does not block.
        var added = h.Validate(h.Edit("Old.cs", "    private int _old;", "    private int _old;\n\n    private int _fresh;"));
        added.AssertPassed();
        var d = Assert.Single(added.Diagnostics, d => d.Id == "CS0169");
        Assert.True(d.IsNew);
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Contains("_fresh", d.Message, StringComparison.Ordinal);
    }
}
