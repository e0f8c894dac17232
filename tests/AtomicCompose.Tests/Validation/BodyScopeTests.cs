using AtomicCompose.Tests.TestSupport;
using AtomicCompose.Validation;

namespace AtomicCompose.Tests.Validation;

/// <summary>
/// A body-only edit inside one member binds only that member; these are the cases where that shortcut
/// must report what a whole-file comparison would, or must not be taken.
/// </summary>
public sealed class BodyScopeTests
{
    private const string GreetBody = "return \"Hello, \" + name + \"!\";";

    [Fact]
    public void A_preexisting_error_below_an_edit_that_adds_lines_is_reported_at_its_new_line()
    {
        using var h = ValidationHarness.Demo(new ValidationPolicy { BlockOnPreexistingErrors = true });
        h.Workspace.Write("src/Greeter.cs", SampleProjects.Greeter.Replace("\"Bye, \" + name", "\"Bye, \" + nobody"));

        var report = h.Validate(h.Edit("src/Greeter.cs", GreetBody, "var greeting = \"Hi, \";\n        greeting += name;\n        return greeting;"));

        var old = report.AssertBlockedBy("CS0103");
        Assert.False(old.IsNew);
        Assert.Equal(19, old.Line); // line 17 before the edit, two lines added above it
    }

    [Fact]
    public void A_new_error_in_the_edited_member_is_new_and_an_old_one_in_it_is_not()
    {
        using var h = ValidationHarness.Demo();
        h.Workspace.Write("src/Greeter.cs", SampleProjects.Greeter.Replace(GreetBody, "var unused = missing;\n        " + GreetBody));

        var report = h.Validate(h.Edit("src/Greeter.cs", GreetBody, "return name + other;"));

        var fresh = report.AssertBlockedBy("CS0103");
        Assert.True(fresh.IsNew);
        Assert.Contains("other", fresh.Message, StringComparison.Ordinal);
        Assert.Single(report.Diagnostics, d => d.Id == "CS0103" && !d.IsNew && d.Message.Contains("missing", StringComparison.Ordinal));
    }

    [Fact]
    public void Removing_a_pragma_in_one_method_reveals_warnings_in_the_next()
    {
        var source = SampleProjects.Greeter
            .Replace(GreetBody, "#pragma warning disable CS0219\n        " + GreetBody)
            .Replace("public string Farewell(string name) => \"Bye, \" + name;", "public string Farewell(string name)\n    {\n        var unused = 1;\n        return \"Bye, \" + name;\n    }");
        using var h = ValidationHarness.Demo(new ValidationPolicy { BlockOnNewWarnings = true });
        h.Workspace.Write("src/Greeter.cs", source);

        var report = h.Validate(h.Edit("src/Greeter.cs", "#pragma warning disable CS0219\n", ""));

        Assert.True(report.AssertBlockedBy("CS0219").IsNew);
    }

    [Fact]
    public void A_property_initializer_is_judged_with_the_constructor_it_runs_in()
    {
        const string Source = """
            namespace Demo;

            /// <summary>Holds a name.</summary>
            public class Holder
            {
                /// <summary>Creates it.</summary>
                public Holder()
                {
                }

                /// <summary>The name.</summary>
                public string Name { get; set; } = "x";
            }

            """;
        using var h = ValidationHarness.Demo(new ValidationPolicy { BlockOnNewWarnings = true });
        h.Workspace.Write("src/Holder.cs", Source);

        var report = h.Validate(h.Edit("src/Holder.cs", " = \"x\";", ""));

        Assert.True(report.AssertBlockedBy("CS8618").IsNew);
    }

    [Fact]
    public void A_source_file_someone_else_created_in_a_new_folder_is_compiled()
    {
        using var h = ValidationHarness.Demo();
        h.Validate(h.Edit("src/Greeter.cs", GreetBody, "return name;")).AssertPassed();

        h.Workspace.Write("src/Deep/Er/Helper.cs", "namespace Demo;\ninternal static class Helper { internal static string Help() => \"h\"; }\n");
        h.Validate(h.Edit("src/Greeter.cs", GreetBody, "return Helper.Help();")).AssertPassed();

        h.Workspace.Write("src/Deep/Er/Helper.cs", "namespace Demo;\ninternal static class Helper { internal static string Other() => \"h\"; }\n");
        h.Validate(h.Edit("src/Greeter.cs", GreetBody, "return Helper.Help();")).AssertBlockedBy("CS0117");
    }
}
