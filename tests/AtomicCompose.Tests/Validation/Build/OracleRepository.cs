using System.Diagnostics;
using AtomicCompose.Tests.TestSupport;

namespace AtomicCompose.Tests.Validation.Build;

/// <summary>
/// The repository <see cref="OracleEditTests"/> judges, with the shapes real libraries have, restored once per test class:
/// <list type="bullet">
/// <item><c>Directory.Build.props</c> importing <c>eng/Common.props</c> (LangVersion, Nullable, TreatWarningsAsErrors, a
/// <c>DefineConstants</c> symbol, central package versions) and <c>eng/Analyzers.props</c> (StyleCop.Analyzers from the
/// package, the SDK's CA rules switched on for every framework);</item>
/// <item><c>Directory.Build.targets</c> importing <c>eng/Shared.targets</c>: a <c>Compile Include</c> of <c>src/shared/**</c>
/// for net462 only, for the projects that ask for it;</item>
/// <item><c>Directory.Packages.props</c>: Microsoft.Extensions.Logging.Abstractions (a package with a source generator,
/// <c>[LoggerMessage]</c>) and StyleCop.Analyzers; an <c>.editorconfig</c> that picks the analyzer rules;</item>
/// <item><c>src/Lib</c>: netstandard2.0, net462 and net8.0, <c>InternalsVisibleTo</c> App;
/// <c>src/App</c>: net8.0, a <c>ProjectReference</c> to Lib (its <c>[GeneratedRegex]</c> generator comes from the targeting pack);</item>
/// <item>the baseline files of every edit of <see cref="OracleEdits"/> (each edit its own files), which build clean.</item>
/// </list>
/// A project that is not restored is added by the test that needs it, after the others are done.
/// </summary>
public sealed class OracleRepository : IDisposable
{
    public const string Solution = "All.slnx";

    /// <summary>Per project folder prefix, the frameworks the build compiles it for ("" for a project with one, as the build says it).</summary>
    public static readonly IReadOnlyList<(string Prefix, string[] Frameworks)> Projects =
    [
        ("src/Lib/", ["netstandard2.0", "net462", "net8.0"]),
        ("src/shared/", ["net462"]),
        ("src/App/", [""]),
    ];

    public static readonly IReadOnlyDictionary<string, string> Shape = new Dictionary<string, string>
    {
        [".gitignore"] = "bin/\nobj/\n",
        [Solution] = """
            <Solution>
              <Project Path="src/Lib/Lib.csproj" />
              <Project Path="src/App/App.csproj" />
            </Solution>
            """,
        ["Directory.Build.props"] = """
            <Project>
              <Import Project="eng/Common.props" />
              <Import Project="eng/Analyzers.props" />
            </Project>
            """,
        ["Directory.Build.targets"] = """
            <Project>
              <Import Project="eng/Shared.targets" />
            </Project>
            """,
        ["eng/Common.props"] = """
            <Project>
              <PropertyGroup>
                <LangVersion>latest</LangVersion>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <DefineConstants>$(DefineConstants);FEATURE_FAST</DefineConstants>
                <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>
                <Deterministic>true</Deterministic>
              </PropertyGroup>
            </Project>
            """,
        ["eng/Analyzers.props"] = """
            <Project>
              <PropertyGroup>
                <EnableNETAnalyzers>true</EnableNETAnalyzers>
                <AnalysisLevel>latest</AnalysisLevel>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="StyleCop.Analyzers" PrivateAssets="all" />
              </ItemGroup>
            </Project>
            """,
        ["eng/Shared.targets"] = """
            <Project>
              <ItemGroup Condition="'$(UseSharedPolyfills)' == 'true' and '$(TargetFramework)' == 'net462'">
                <Compile Include="$(MSBuildThisFileDirectory)../src/shared/**/*.cs" />
              </ItemGroup>
            </Project>
            """,
        ["Directory.Packages.props"] = """
            <Project>
              <ItemGroup>
                <PackageVersion Include="Microsoft.Extensions.Logging.Abstractions" Version="10.0.0" />
                <PackageVersion Include="StyleCop.Analyzers" Version="1.2.0-beta.556" />
              </ItemGroup>
            </Project>
            """,
        [".editorconfig"] = """
            root = true

            [*.cs]
            dotnet_analyzer_diagnostic.category-StyleCop.CSharp.DocumentationRules.severity = none
            dotnet_analyzer_diagnostic.category-StyleCop.CSharp.LayoutRules.severity = none
            dotnet_analyzer_diagnostic.category-StyleCop.CSharp.MaintainabilityRules.severity = none
            dotnet_analyzer_diagnostic.category-StyleCop.CSharp.NamingRules.severity = none
            dotnet_analyzer_diagnostic.category-StyleCop.CSharp.OrderingRules.severity = none
            dotnet_analyzer_diagnostic.category-StyleCop.CSharp.ReadabilityRules.severity = none
            dotnet_analyzer_diagnostic.category-StyleCop.CSharp.SpacingRules.severity = none
            dotnet_analyzer_diagnostic.category-StyleCop.CSharp.SpecialRules.severity = none
            dotnet_diagnostic.SA0001.severity = none
            dotnet_diagnostic.SA1005.severity = warning
            dotnet_diagnostic.SA1025.severity = warning
            dotnet_diagnostic.SA1122.severity = warning
            dotnet_diagnostic.SA1131.severity = warning
            dotnet_diagnostic.SA1400.severity = warning
            dotnet_diagnostic.SA1503.severity = warning
            dotnet_diagnostic.CA1510.severity = warning
            dotnet_diagnostic.CA1512.severity = warning
            dotnet_diagnostic.CA1802.severity = warning
            dotnet_diagnostic.CA1805.severity = warning
            dotnet_diagnostic.CA1822.severity = warning
            dotnet_diagnostic.CA1825.severity = warning
            dotnet_diagnostic.CA1845.severity = warning
            dotnet_diagnostic.CA1847.severity = warning
            dotnet_diagnostic.CA1861.severity = warning
            dotnet_diagnostic.CA1865.severity = warning
            dotnet_diagnostic.CA2211.severity = warning
            """,
        ["src/Lib/Lib.csproj"] = """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFrameworks>netstandard2.0;net462;net8.0</TargetFrameworks>
                <UseSharedPolyfills>true</UseSharedPolyfills>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Microsoft.Extensions.Logging.Abstractions" />
                <InternalsVisibleTo Include="App" />
              </ItemGroup>
            </Project>
            """,
        ["src/App/App.csproj"] = """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net8.0</TargetFramework>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="../Lib/Lib.csproj" />
              </ItemGroup>
            </Project>
            """,
    };

    public OracleRepository()
    {
        Workspace = TempWorkspace.Create();
        foreach (var (path, text) in Shape)
        {
            Workspace.Write(path, text);
        }

        foreach (var edit in OracleEdits.All)
        {
            foreach (var (path, text) in edit.Files)
            {
                Workspace.Write(path, text);
            }
        }

        Workspace.CommitAll();
        var watch = Stopwatch.StartNew();
        DotnetCli.Restore(Workspace.Root, Solution);
        RestoreTime = watch.Elapsed;
    }

    public TempWorkspace Workspace { get; }

    public TimeSpan RestoreTime { get; }

    /// <summary>The frameworks that compile a root-relative path, by its project folder.</summary>
    public static string[] FrameworksOf(string path) => Projects.First(p => path.StartsWith(p.Prefix, StringComparison.Ordinal)).Frameworks;

    public void Dispose() => Workspace.Dispose();
}
