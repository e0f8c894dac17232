using AtomicCompose.Tests.TestSupport;

namespace AtomicCompose.Tests.Validation;

/// <summary>The warm baseline follows what others do to the files on disk between validations.</summary>
public sealed class DiskDriftTests
{
    private const string UseGreet = "new Greeter().Greet(\"world\")";

    private static ValidationHarness WarmDemo()
    {
        var h = ValidationHarness.Demo();
        h.Validate(h.Edit("src/Program.cs", UseGreet, "new Greeter().Farewell(\"world\")")).AssertPassed();
        Assert.NotNull(h.Service.FindLoadedProject("Demo.csproj"));
        return h;
    }

    [Fact]
    public void A_member_someone_else_added_to_another_file_is_seen()
    {
        using var h = WarmDemo();
        h.Workspace.Write("src/Greeter.cs", SampleProjects.Greeter.Replace("    /// <summary>Says goodbye.", "    /// <summary>Shouts.</summary>\n    /// <returns>Loud.</returns>\n    public string Shout() => \"HEY\";\n\n    /// <summary>Says goodbye."));
        h.Validate(h.Edit("src/Program.cs", UseGreet, "new Greeter().Shout()")).AssertPassed();
    }

    [Fact]
    public void A_file_someone_else_replaced_by_a_rename_is_read_again()
    {
        using var h = WarmDemo();
        var temp = h.Workspace.PathOf("src/.Greeter.cs.replace.tmp");
        File.WriteAllText(temp, SampleProjects.Greeter.Replace("    /// <summary>Says goodbye.", "    /// <summary>Shouts.</summary>\n    /// <returns>Loud.</returns>\n    public string Shout() => \"HEY\";\n\n    /// <summary>Says goodbye."));
        File.Move(temp, h.Workspace.PathOf("src/Greeter.cs"), overwrite: true);
        h.Validate(h.Edit("src/Program.cs", UseGreet, "new Greeter().Shout()")).AssertPassed();
    }

    [Fact]
    public void A_file_someone_else_created_is_compiled_and_one_they_deleted_is_gone()
    {
        using var h = WarmDemo();
        h.Workspace.Write("src/Helper.cs", "namespace Demo;\ninternal static class Helper { internal static string Help() => \"h\"; }\n");
        h.Validate(h.Edit("src/Program.cs", UseGreet, "Helper.Help()")).AssertPassed();

        File.Delete(h.Workspace.PathOf("src/Helper.cs"));
        h.Validate(h.Edit("src/Program.cs", UseGreet, "Helper.Help()")).AssertBlockedBy("CS0103");
    }

    [Fact]
    public void A_changed_project_file_reloads_the_project()
    {
        using var h = WarmDemo();
        var before = h.Service.FindLoadedProject("Demo.csproj");
        h.Validate(h.Edit("src/Program.cs", UseGreet, "new List<int>().Count")).AssertPassed();

        h.Workspace.Write("Demo.csproj", SampleProjects.Csproj.Replace("<ImplicitUsings>enable</ImplicitUsings>", "<ImplicitUsings>disable</ImplicitUsings><!-- changed -->"));
        h.Validate(h.Edit("src/Program.cs", UseGreet, "new List<int>().Count")).AssertBlockedBy("CS0246");
        Assert.NotSame(before, h.Service.FindLoadedProject("Demo.csproj"));
    }

    [Fact]
    public void Committed_edits_do_not_count_as_drift()
    {
        using var h = WarmDemo();
        var state = h.Service.FindLoadedProject("Demo.csproj")!;
        var edit = h.Edit("src/Greeter.cs", "return \"Hello, \" + name + \"!\";", "return name;");
        h.Validate(edit).AssertPassed();
        h.Commit(edit);
        var greeter = state.Baseline.SyntaxTrees.Single(t => t.FilePath == "src/Greeter.cs");

        h.Validate(h.Edit("src/Program.cs", UseGreet, "\"x\"")).AssertPassed();
        Assert.Same(greeter, state.Baseline.SyntaxTrees.Single(t => t.FilePath == "src/Greeter.cs"));
    }
}
