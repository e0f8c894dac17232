using System.Diagnostics;
using AtomicCompose.Tests.TestSupport;
using AtomicCompose.Validation;
using Xunit.Abstractions;

namespace AtomicCompose.Tests.Validation.Build;

/// <summary>
/// A repository with the shapes real libraries have — Directory.Build.props importing <c>eng/</c>, central package
/// versions, a package, a shared folder compiled for one framework only, InternalsVisibleTo, a ProjectReference,
/// TreatWarningsAsErrors — judged with MSBuild's project model: for a batch of edits, the engine's new errors per
/// framework are the ones <c>dotnet build</c> reports (the test runs it).
/// </summary>
[Trait("Category", "Slow")]
public sealed class LibraryShapesTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, string> Repository = new()
    {
        ["Directory.Build.props"] = """
            <Project>
              <Import Project="eng/Common.props" />
              <PropertyGroup>
                <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>
              </PropertyGroup>
            </Project>
            """,
        ["eng/Common.props"] = """
            <Project>
              <PropertyGroup>
                <LangVersion>latest</LangVersion>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <DefineConstants>$(DefineConstants);FEATURE_FAST</DefineConstants>
              </PropertyGroup>
            </Project>
            """,
        ["Directory.Packages.props"] = """
            <Project>
              <ItemGroup>
                <PackageVersion Include="Newtonsoft.Json" Version="13.0.3" />
              </ItemGroup>
            </Project>
            """,
        ["src/Lib/Lib.csproj"] = """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFrameworks>net462;net8.0</TargetFrameworks>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Newtonsoft.Json" />
                <InternalsVisibleTo Include="App" />
                <Compile Include="../shared/**/*.cs" Condition="'$(TargetFramework)' == 'net462'" />
              </ItemGroup>
            </Project>
            """,
        ["src/Lib/Codec.cs"] = """
            namespace Lib;

            public static class Codec
            {
                public static string Encode(object value) => Newtonsoft.Json.JsonConvert.SerializeObject(value);

                internal static int Secret() => 42;

            #if FEATURE_FAST
                public static int Fast() => 1;
            #endif
            }
            """,
        ["src/shared/Polyfill.cs"] = """
            namespace Lib;

            internal static class Polyfill
            {
                public static int Zero() => 0;
            }
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
        ["src/App/Use.cs"] = """
            namespace App;

            public static class Use
            {
                public static int Run() => Lib.Codec.Secret() + Lib.Codec.Fast();
            }
            """,
    };

    [Fact]
    public void The_engines_new_errors_per_framework_are_the_builds()
    {
        using var h = ValidationHarness.Create(Repository);
        // The baseline: an internal member through InternalsVisibleTo, a symbol from eng/, the package: the engine and the build pass.
        h.Validate(h.Edit("src/App/Use.cs", "Secret() + ", "Secret()  + ")).AssertPassed();
        var watch = Stopwatch.StartNew();
        Assert.Empty(DotnetCli.BuildErrors(h.Workspace.Root, "src/App/App.csproj"));
        output.WriteLine($"dotnet build of the baseline (App and Lib): {watch.ElapsedMilliseconds} ms");

        ValidationDocument[] edits =
        [
            // Only net462 compiles the shared folder.
            h.Edit("src/shared/Polyfill.cs", "public static int Zero() => 0;", "public static int Zero() => \"0\";"),
            // The package's API, for every framework; a symbol from eng/; nullable as an error.
            h.Edit(
                "src/Lib/Codec.cs",
                "internal static int Secret() => 42;",
                "internal static int Secret() => 42;\n\n    public static string Broken() => Newtonsoft.Json.JsonConvert.NoSuchMethod();\n\n    public static string Maybe() => null;"),
        ];
        watch.Restart();
        var report = h.Validate(edits);
        output.WriteLine($"engine verdict (Lib for 2 frameworks, App for 1): {watch.ElapsedMilliseconds} ms");
        var engine = report.Blocking
            .SelectMany(d => (d.TargetFramework ?? "").Split(';').Select(f => (Framework: f, d.Id, File: Path.GetFileName(d.Path))))
            .ToHashSet();

        foreach (var edit in edits)
        {
            h.Workspace.Write(edit.Path, edit.After!.GetText().ToString());
        }

        watch.Restart();
        var build = DotnetCli.BuildErrors(h.Workspace.Root, "src/Lib/Lib.csproj");
        output.WriteLine($"dotnet build: {watch.ElapsedMilliseconds} ms");
        output.WriteLine("engine: " + string.Join(", ", engine.Order()));
        output.WriteLine("build:  " + string.Join(", ", build.Order()));

        Assert.Equal(build.Order(), engine.Order());
        Assert.Contains(("net462", "CS0029", "Polyfill.cs"), engine);
        Assert.DoesNotContain(("net8.0", "CS0029", "Polyfill.cs"), engine);
        Assert.Contains(("net8.0", "CS0117", "Codec.cs"), engine);
        Assert.Contains(("net462", "CS0117", "Codec.cs"), engine);
        Assert.Contains(("net462", "CS8603", "Codec.cs"), engine);
    }
}
