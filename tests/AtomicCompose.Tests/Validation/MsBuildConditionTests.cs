using AtomicCompose.Tests.TestSupport;
using AtomicCompose.Validation;

namespace AtomicCompose.Tests.Validation;

/// <summary>Conditions in project files decide which properties and items a build sees.</summary>
public sealed class MsBuildConditionTests
{
    private static readonly Dictionary<string, string> Properties = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Configuration"] = "Debug",
        ["TargetFramework"] = "net8.0",
        ["WarningLevel"] = "5",
    };

    [Theory]
    [InlineData("'$(Configuration)' == 'Debug'", true)]
    [InlineData(" '$(configuration)'=='DEBUG' ", true)]
    [InlineData("'$(Configuration)|$(Platform)' == 'Debug|AnyCPU'", false)] // Platform is not among these properties
    [InlineData("'$(Configuration)' != 'Release' and '$(TargetFramework)' == 'net8.0'", true)]
    [InlineData("'$(Configuration)' == 'Release' or ('$(TargetFramework)' == 'net8.0' and !false)", true)]
    [InlineData("!('$(Undefined)' == '')", false)]
    [InlineData("$(WarningLevel) >= 4", true)]
    [InlineData("'$(WarningLevel)' < '4'", false)]
    [InlineData("true", true)]
    [InlineData("Exists('here.txt')", true)]
    [InlineData("!Exists('missing.txt')", true)]
    [InlineData("Exists('sub\\there.txt')", true)] // either slash, on any system
    [InlineData("'10.0' == '10'", true)] // numbers compare as numbers
    [InlineData("'0x10' == '16'", true)]
    [InlineData("'true' == 'on'", true)] // booleans as booleans
    [InlineData("'$(Configuration)' == Debug", true)] // an unquoted word is a string
    [InlineData("'1.2.3' < '1.10.0'", true)] // versions as versions
    [InlineData("'$(Undefined)' == '' or '$(Undefined)' > '5'", true)] // `or` decided: the rest is not evaluated
    [InlineData("'$(Configuration)' == 'Release' and '$(Undefined)' > '5'", false)]
    [InlineData("", true)]
    public void Conditions_evaluate_as_msbuild_does(string condition, bool expected)
    {
        using var ws = TempWorkspace.Create(git: false);
        ws.Write("here.txt", "x");
        ws.Write("sub/there.txt", "x");

        Assert.Equal(expected, MsBuildCondition.Evaluate(condition, Properties, ws.Root));
    }

    [Theory]
    [InlineData("$([MSBuild]::IsOSPlatform('Linux'))")]
    [InlineData("'$(TargetFramework.StartsWith(\"net\"))' == 'true'")]
    [InlineData("'@(Compile)' != ''")]
    [InlineData("'$(TargetFramework.Length)' == '6'")]
    [InlineData("'$(Configuration)' == ")]
    [InlineData("'$(Configuration)'")]
    [InlineData("HasTrailingSlash('$(Configuration)')")]
    public void What_it_does_not_understand_is_unknown(string condition) => Assert.Null(MsBuildCondition.Evaluate(condition, Properties, "."));

    [Fact]
    public void Conditional_properties_and_items_apply_when_their_condition_holds()
    {
        const string Project = """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <PropertyGroup Condition=" '$(Configuration)' == 'Debug' ">
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <PropertyGroup Condition="'$(Configuration)' == 'Release'">
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <PropertyGroup Condition="$([MSBuild]::IsOSPlatform('Linux'))">
                <AllowUnsafeBlocks>true</AllowUnsafeBlocks>
              </PropertyGroup>
              <ItemGroup Condition="'$(Nullable)' == 'enable'">
                <Using Include="System.Text" />
              </ItemGroup>
            </Project>
            """;
        using var ws = TempWorkspace.Create(git: false);
        ws.Write("p/P.csproj", Project);
        ws.Write("p/A.cs", "class A { }");

        var context = ProjectLoader.Load(ws.Root, "p/P.csproj");

        Assert.Equal(Microsoft.CodeAnalysis.NullableContextOptions.Enable, context.CompilationOptions.NullableContextOptions); // Debug holds
        Assert.Equal(Microsoft.CodeAnalysis.ReportDiagnostic.Default, context.CompilationOptions.GeneralDiagnosticOption); // Release does not
        Assert.False(context.CompilationOptions.AllowUnsafe); // a property function is not evaluated: skipped, as before
        Assert.Contains("global using global::System.Text;", context.GlobalUsings, StringComparison.Ordinal); // items see the final properties
    }

    [Fact]
    public void A_multi_targeting_project_is_read_as_its_first_frameworks_inner_build()
    {
        const string Project = """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFrameworks>netstandard2.0;net8.0</TargetFrameworks>
              </PropertyGroup>
              <PropertyGroup Condition="'$(TargetFramework)' == 'netstandard2.0'">
                <LangVersion>latest</LangVersion>
              </PropertyGroup>
              <PropertyGroup Condition="'$(TargetFramework)' == ''">
                <DefineConstants>OUTER_BUILD_ONLY</DefineConstants>
              </PropertyGroup>
            </Project>
            """;
        const string Source = "namespace Lib\n{\n    /// <summary>Api.</summary>\n    public static class Api\n    {\n        /// <summary>Name.</summary>\n        /// <returns>A name.</returns>\n        public static string Name() => \"lib\";\n    }\n}\n";
        using var h = ValidationHarness.Create(new Dictionary<string, string> { ["Lib.csproj"] = Project, ["src/Api.cs"] = Source }, analyzers: []);

        // C# 7.3 is netstandard2.0's default; the inner build's LangVersion lifts it, so a switch expression builds.
        h.Validate(h.Edit("src/Api.cs", "=> \"lib\";", "=> 1 switch { _ => \"lib\" };")).AssertPassed();
        var context = ProjectLoader.Load(h.Workspace.Root, "Lib.csproj");
        Assert.DoesNotContain("OUTER_BUILD_ONLY", context.ParseOptions.PreprocessorSymbolNames);
        Assert.Contains("NETSTANDARD2_0", context.ParseOptions.PreprocessorSymbolNames);
    }
}
