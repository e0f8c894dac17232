using AtomicCompose.Tests.TestSupport;
using AtomicCompose.Validation;
using Microsoft.CodeAnalysis;

namespace AtomicCompose.Tests.Validation;

/// <summary>Props files a project imports (directly or through Directory.Build.props) are read where they are imported.</summary>
public sealed class ProjectImportTests
{
    private const string Project = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
          </PropertyGroup>
        </Project>
        """;

    [Fact]
    public void An_edit_of_an_imported_file_is_seen_by_the_next_validation()
    {
        using var h = ValidationHarness.Demo(csproj: SampleProjects.Csproj.Replace("<Project Sdk=\"Microsoft.NET.Sdk\">", "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <Import Project=\"shared.props\" />", StringComparison.Ordinal));
        h.Workspace.Write("shared.props", "<Project />");
        const string Body = "return \"Hello, \" + name + \"!\";";
        h.Validate(h.Edit("src/Greeter.cs", Body, "int unused; return name;")).AssertPassed(); // CS0168 is a warning

        h.Workspace.Write("shared.props", "<Project><PropertyGroup><WarningsAsErrors>CS0168</WarningsAsErrors></PropertyGroup></Project>");
        h.Validate(h.Edit("src/Greeter.cs", Body, "int unused; return name;")).AssertBlockedBy("CS0168");
    }

}
