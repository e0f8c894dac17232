using AtomicCompose.Tests.TestSupport;
using AtomicCompose.Validation;

namespace AtomicCompose.Tests.Validation;

/// <summary>
/// A build runs the targeting pack's source generators; code that relies on what they generate passes a build,
/// so it must pass validation, and what they report about an edit must block it as it fails the build.
/// </summary>
public sealed class SourceGenerationTests
{
    private const string Patterns = """
        using System.Text.RegularExpressions;

        namespace Demo;

        /// <summary>Patterns.</summary>
        public static partial class Patterns
        {
            /// <summary>Digits.</summary>
            /// <returns>The regex.</returns>
            [GeneratedRegex("[0-9]+")]
            public static partial Regex Digits();
        }
        """;

    private const string User = """
        namespace Demo;

        /// <summary>Uses the patterns.</summary>
        public static class User
        {
            /// <summary>Counts.</summary>
            /// <param name="text">Text.</param>
            /// <returns>How many.</returns>
            public static int Count(string text) { return text.Length; }
        }
        """;

    private static ValidationHarness Project(bool runSourceGenerators = true, string patterns = Patterns) =>
        ValidationHarness.Create(
            new Dictionary<string, string> { ["Demo.csproj"] = SampleProjects.Csproj, ["src/Patterns.cs"] = patterns, ["src/User.cs"] = User },
            runSourceGenerators: runSourceGenerators);

    private const string NewPattern = """
            /// <summary>Words.</summary>
            /// <returns>The regex.</returns>
            [GeneratedRegex("[a-z]+")]
            public static partial Regex Words();
        }
        """;

    [Fact]
    public void A_new_GeneratedRegex_partial_method_passes_as_its_build_does()
    {
        using var h = Project();
        var report = h.Validate(h.Edit("src/Patterns.cs", "    public static partial Regex Digits();\n}", "    public static partial Regex Digits();\n\n" + NewPattern));

        report.AssertPassed();
        Assert.DoesNotContain(report.Diagnostics, d => d.Id == "CS8795");
    }

    [Fact]
    public void Without_generators_the_same_edit_is_blocked_by_the_missing_implementation()
    {
        // The control for the test above: LoadProjectAnalyzers = false also keeps generators from running.
        using var h = Project(runSourceGenerators: false);
        h.Validate(h.Edit("src/Patterns.cs", "    public static partial Regex Digits();\n}", "    public static partial Regex Digits();\n\n" + NewPattern)).AssertBlockedBy("CS8795");
    }

    [Fact]
    public void An_invalid_pattern_is_blocked_by_the_generators_diagnostic_and_an_old_one_is_not_new()
    {
        using var h = Project();
        var bad = h.Edit("src/Patterns.cs", "[GeneratedRegex(\"[0-9]+\")]", "[GeneratedRegex(\"[0-9(\")]");
        var blocked = h.Validate(bad);
        Assert.False(blocked.Passed);
        var d = Assert.Single(blocked.Blocking, d => d.Id == "SYSLIB1042");
        Assert.Equal(("src/Patterns.cs", 10, 5), (d.Path, d.Line, d.Column));

        // Committed broken, it is the baseline's: an edit elsewhere does not bring it back as new.
        h.Commit(bad);
        var report = h.Validate(h.Edit("src/User.cs", "return text.Length;", "return text.Length + 1;"));
        report.AssertPassed();
        Assert.DoesNotContain(report.Diagnostics, d => d.Id == "SYSLIB1042" && d.IsNew);

        // Nor does a declaration change in the file that holds it, which runs the generators again.
        report = h.Validate(h.Edit("src/Patterns.cs", "public static partial class Patterns\n{", "public static partial class Patterns\n{\n    /// <summary>One.</summary>\n    public const int One = 1;\n"));
        Assert.Contains(report.Diagnostics, d => d is { Id: "SYSLIB1042", IsNew: false });
        report.AssertPassed();
    }

    [Fact]
    public void A_call_to_a_generated_member_passes_and_a_JSON_context_gets_its_generated_properties()
    {
        const string Json = """
            using System.Text.Json.Serialization;

            namespace Demo;

            /// <summary>A person.</summary>
            /// <param name="Name">The name.</param>
            public sealed record Person(string Name);

            /// <summary>The JSON context.</summary>
            [JsonSerializable(typeof(Person))]
            public sealed partial class AppJson : JsonSerializerContext
            {
            }
            """;
        using var h = ValidationHarness.Create(new Dictionary<string, string> { ["Demo.csproj"] = SampleProjects.Csproj, ["src/Json.cs"] = Json, ["src/User.cs"] = User });

        // Only the generated code has AppJson.Default and its Person property (CS0117 without it).
        var report = h.Validate(h.Edit("src/User.cs", "return text.Length;", "return System.Text.Json.JsonSerializer.Serialize(new Person(text), AppJson.Default.Person).Length;"));
        report.AssertPassed();

        var wrong = h.Validate(h.Edit("src/User.cs", "return text.Length;", "return AppJson.Default.Nobody.GetHashCode();"));
        wrong.AssertBlockedBy("CS1061");
    }

    [Fact]
    public void An_accepted_edit_carries_its_generated_code_and_a_file_written_on_disk_is_generated_for()
    {
        using var h = Project();
        var added = h.Edit("src/Patterns.cs", "    public static partial Regex Digits();\n}", "    public static partial Regex Digits();\n\n" + NewPattern);
        h.Validate(added).AssertPassed();
        h.Commit(added);

        // A caller of the method added by the accepted edit.
        h.Validate(h.Edit("src/User.cs", "return text.Length;", "return Patterns.Words().Count(text);")).AssertPassed();

        // Someone else adds a pattern on disk; a caller validated next sees its generated implementation.
        h.Workspace.Write("src/More.cs", "using System.Text.RegularExpressions;\nnamespace Demo;\n/// <summary>More.</summary>\npublic static partial class More\n{\n    /// <summary>Spaces.</summary>\n    /// <returns>R.</returns>\n    [GeneratedRegex(\"\\\\s+\")]\n    public static partial Regex Spaces();\n}\n");
        h.Validate(h.Edit("src/User.cs", "return text.Length;", "return More.Spaces().Count(text);")).AssertPassed();
        Assert.Contains(h.Service.FindLoadedProject("Demo.csproj")!.GeneratedTrees, t => t.ToString().Contains("Spaces", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_web_project_runs_the_request_delegate_generator_only_when_enabled_and_accepts_its_interceptors(bool enabled)
    {
        // Off by default, the SDK removes the generator; enabled, it intercepts MapGet in a namespace the SDK allows.
        var csproj = SampleProjects.CsprojWith(enabled ? "<EnableRequestDelegateGenerator>true</EnableRequestDelegateGenerator>" : "")
            .Replace("Microsoft.NET.Sdk\"", "Microsoft.NET.Sdk.Web\"", StringComparison.Ordinal);
        using var h = ValidationHarness.Create(new Dictionary<string, string> { ["Demo.csproj"] = csproj, ["src/User.cs"] = User });
        var endpoint = h.Edit("src/User.cs", "return text.Length;", "var app = WebApplication.Create(); app.MapGet(\"/\", () => text); return 0;");
        h.Validate(endpoint).AssertPassed();
        h.Commit(endpoint);

        var generated = h.Service.FindLoadedProject("Demo.csproj")!.GeneratedTrees;
        Assert.Equal(enabled, generated.Any(t => t.FilePath.Contains("RequestDelegateGenerator", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_referencing_project_is_judged_with_its_generators_run_again_for_the_referenced_projects_edit()
    {
        // The app's JSON context serializes a core type: renaming its property changes the app's generated code, which
        // a build regenerates; judged with the old generated code, the app would report the old name as missing.
        const string Person = "namespace Core;\n\n/// <summary>A person.</summary>\n/// <param name=\"Name\">Name.</param>\npublic sealed record Person(string Name);\n";
        const string Context = "using System.Text.Json.Serialization;\n\nnamespace App;\n\n/// <summary>JSON.</summary>\n[JsonSerializable(typeof(Core.Person))]\npublic sealed partial class AppJson : JsonSerializerContext\n{\n}\n";
        using var h = ValidationHarness.Create(new Dictionary<string, string>
        {
            ["core/Core.csproj"] = SampleProjects.Csproj,
            ["core/Person.cs"] = Person,
            ["app/App.csproj"] = SampleProjects.CsprojWith(items: """<ProjectReference Include="../core/Core.csproj" />"""),
            ["app/Json.cs"] = Context,
        });

        // Load the app first, so that its generated code exists when the core edit comes.
        h.Validate(h.Edit("app/Json.cs", "/// <summary>JSON.</summary>", "/// <summary>The JSON context.</summary>")).AssertPassed();
        var rename = h.Edit("core/Person.cs", "/// <param name=\"Name\">Name.</param>\npublic sealed record Person(string Name);", "/// <param name=\"FullName\">Name.</param>\npublic sealed record Person(string FullName);");
        h.Validate(rename).AssertPassed();
        h.Commit(rename);

        // And once committed, the app's baseline follows.
        h.Validate(h.Edit("app/Json.cs", "/// <summary>JSON.</summary>", "/// <summary>The context.</summary>")).AssertPassed();
        Assert.Contains(h.Service.FindLoadedProject("app/App.csproj")!.GeneratedTrees, t => t.ToString().Contains("FullName", StringComparison.Ordinal));
    }
}
