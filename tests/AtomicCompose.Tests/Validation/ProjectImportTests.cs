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
    public void Chained_directory_props_and_their_imports_apply_in_order()
    {
        using var ws = TempWorkspace.Create(git: false);
        ws.Write("Directory.Build.props", "<Project><Import Project=\"build/common.props\" /><PropertyGroup><LangVersion>12</LangVersion></PropertyGroup></Project>");
        ws.Write("build/common.props", "<Project><PropertyGroup><Nullable>enable</Nullable><LangVersion>11</LangVersion></PropertyGroup></Project>");
        ws.Write("src/Directory.Build.props", """
            <Project>
              <Import Project="$([MSBuild]::GetPathOfFileAbove('Directory.Build.props', '$(MSBuildThisFileDirectory)../'))" />
              <Import Project="$(MSBuildThisFileDirectory)missing.props" Condition="Exists('$(MSBuildThisFileDirectory)missing.props')" />
              <Import Project="../../outside.props" />
              <Import Project="$(MSBuildThisFileDirectory)Directory.Build.props" />
              <PropertyGroup><DefineConstants>$(DefineConstants);FROM_SRC</DefineConstants></PropertyGroup>
            </Project>
            """);
        ws.Write("src/p/P.csproj", Project);
        ws.Write("src/p/A.cs", "class A { }");

        var context = ProjectLoader.Load(ws.Root, "src/p/P.csproj");

        Assert.Equal(NullableContextOptions.Enable, context.CompilationOptions.NullableContextOptions); // from build/common.props
        Assert.Equal(Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp12, context.ParseOptions.LanguageVersion); // the importer's, set after the import
        Assert.Contains("FROM_SRC", context.ParseOptions.PreprocessorSymbolNames);
        Assert.Equal(["Directory.Build.props", "build/common.props", "src/Directory.Build.props", "src/p/P.csproj"], context.ProjectFiles.Where(f => !f.EndsWith("project.assets.json", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

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

    [Fact]
    public void Directory_build_targets_comes_after_the_project_and_overrides_it()
    {
        using var ws = TempWorkspace.Create(git: false);
        ws.Write("Directory.Build.targets", "<Project><PropertyGroup><LangVersion>11</LangVersion><DefineConstants>$(DefineConstants);FROM_TARGETS</DefineConstants></PropertyGroup></Project>");
        ws.Write("p/P.csproj", Project.Replace("</TargetFramework>", "</TargetFramework><LangVersion>12</LangVersion>", StringComparison.Ordinal));
        ws.Write("p/A.cs", "class A { }");
        ws.Write("q/Q.csproj", Project.Replace("</TargetFramework>", "</TargetFramework><ImportDirectoryBuildTargets>false</ImportDirectoryBuildTargets>", StringComparison.Ordinal));
        ws.Write("q/B.cs", "class B { }");

        var p = ProjectLoader.Load(ws.Root, "p/P.csproj");
        Assert.Equal(Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp11, p.ParseOptions.LanguageVersion);
        Assert.Contains("FROM_TARGETS", p.ParseOptions.PreprocessorSymbolNames);
        Assert.Contains("Directory.Build.targets", p.ProjectFiles);

        var q = ProjectLoader.Load(ws.Root, "q/Q.csproj");
        Assert.DoesNotContain("FROM_TARGETS", q.ParseOptions.PreprocessorSymbolNames);
    }

    [Fact]
    public void Evaluation_follows_msbuild_order_conditions_and_branches()
    {
        using var ws = TempWorkspace.Create(git: false);
        ws.Write("Directory.Build.props", """
            <Project>
              <!-- Relative to this file, as MSBuild resolves an import's condition; either slash. -->
              <Import Project="build/common.props" Condition="Exists('build/common.props')" />
              <Import Project="build\broken.props" Condition="Exists('$(MSBuildThisFileDirectory)build\broken.props')" />
              <ImportGroup Condition="'$(OS)' != ''"><Import Project="build/group.props" /></ImportGroup>
              <!-- Configuration is not set yet here: the SDK sets it after this file. -->
              <PropertyGroup Condition="'$(Configuration)' == 'Debug'"><TreatWarningsAsErrors>true</TreatWarningsAsErrors></PropertyGroup>
              <PropertyGroup><MSBuildProjectFullPath>overridden</MSBuildProjectFullPath></PropertyGroup>
            </Project>
            """);
        ws.Write("build/common.props", "<Project><PropertyGroup><Nullable>enable</Nullable></PropertyGroup></Project>");
        ws.Write("build/broken.props", "<Project><PropertyGroup>");
        ws.Write("build/group.props", "<Project><PropertyGroup><AllowUnsafeBlocks>true</AllowUnsafeBlocks></PropertyGroup></Project>");
        ws.Write("Directory.Build.targets", "<Project><PropertyGroup Condition=\"'$(TargetFrameworkIdentifier)' == '.NETCoreApp'\"><WarningsAsErrors>CS0168</WarningsAsErrors></PropertyGroup></Project>");
        ws.Write("src/P/P.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
              <Choose>
                <When Condition="'$(Configuration)' == 'Release'"><PropertyGroup><DefineConstants>RELEASE_BRANCH</DefineConstants></PropertyGroup></When>
                <When Condition="'$(Configuration)' == 'Debug'">
                  <PropertyGroup><DefineConstants>$(DefineConstants);DEBUG_BRANCH</DefineConstants></PropertyGroup>
                  <ItemGroup><Using Include="System.Text" /></ItemGroup>
                </When>
              </Choose>
            </Project>
            """);
        ws.Write("src/P/A.cs", "class A { }");

        var context = ProjectLoader.Load(ws.Root, "src/P/P.csproj");

        Assert.Equal(NullableContextOptions.Enable, context.CompilationOptions.NullableContextOptions);
        Assert.True(context.CompilationOptions.AllowUnsafe);
        Assert.Equal(ReportDiagnostic.Default, context.CompilationOptions.GeneralDiagnosticOption);
        Assert.Equal(ReportDiagnostic.Error, context.CompilationOptions.SpecificDiagnosticOptions["CS0168"]);
        Assert.Contains("DEBUG_BRANCH", context.ParseOptions.PreprocessorSymbolNames);
        Assert.DoesNotContain("RELEASE_BRANCH", context.ParseOptions.PreprocessorSymbolNames);
        Assert.Contains("global using global::System.Text;", context.GlobalUsings, StringComparison.Ordinal);
        Assert.DoesNotContain("build/broken.props", context.ProjectFiles); // not well-formed: skipped, the project still loads
    }
}
