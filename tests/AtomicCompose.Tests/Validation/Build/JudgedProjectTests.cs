using AtomicCompose.Validation;

namespace AtomicCompose.Tests.Validation.Build;

/// <summary>The report says which projects and frameworks judged an edit, and where their inputs came from.</summary>
public sealed class JudgedProjectTests
{
    [Fact]
    public void A_context_from_msbuild_is_named_so()
    {
        using var h = ValidationHarness.Demo();

        var report = h.Validate(h.Edit("src/Greeter.cs", "\"Hello, \"", "\"Hi, \""));

        report.AssertPassed();
        Assert.Equal([new JudgedProject("Demo.csproj", "net10.0", ProjectInputsSource.MSBuild)], report.Projects);
    }

    [Fact]
    public void A_file_outside_every_project_names_none()
    {
        using var h = ValidationHarness.Create(new Dictionary<string, string> { ["loose/Note.cs"] = "namespace Loose;\n\n/// <summary>N.</summary>\npublic static class Note\n{\n}\n" });

        var report = h.Validate(h.Edit("loose/Note.cs", "public static class Note", "internal static class Note"));

        Assert.Empty(report.Projects);
    }
}
