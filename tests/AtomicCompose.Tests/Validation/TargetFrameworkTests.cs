using AtomicCompose.Tests.TestSupport;
using AtomicCompose.Validation;
using Microsoft.CodeAnalysis.CSharp;

namespace AtomicCompose.Tests.Validation;

/// <summary>The target framework decides the symbols, language version and warning level a build compiles with.</summary>
public sealed class TargetFrameworkTests
{
    // What `dotnet msbuild -t:AddImplicitDefineConstants -getProperty:DefineConstants` printed on SDK 10.0.401, DEBUG and TRACE left out.
    [Theory]
    [InlineData("net10.0", "NET;NET10_0;NETCOREAPP;NET5_0_OR_GREATER;NET6_0_OR_GREATER;NET7_0_OR_GREATER;NET8_0_OR_GREATER;NET9_0_OR_GREATER;NET10_0_OR_GREATER;NETCOREAPP1_0_OR_GREATER;NETCOREAPP1_1_OR_GREATER;NETCOREAPP2_0_OR_GREATER;NETCOREAPP2_1_OR_GREATER;NETCOREAPP2_2_OR_GREATER;NETCOREAPP3_0_OR_GREATER;NETCOREAPP3_1_OR_GREATER")]
    [InlineData("net8.0-windows", "NET;NET8_0;NETCOREAPP;WINDOWS;WINDOWS7_0;NET5_0_OR_GREATER;NET6_0_OR_GREATER;NET7_0_OR_GREATER;NET8_0_OR_GREATER;NETCOREAPP1_0_OR_GREATER;NETCOREAPP1_1_OR_GREATER;NETCOREAPP2_0_OR_GREATER;NETCOREAPP2_1_OR_GREATER;NETCOREAPP2_2_OR_GREATER;NETCOREAPP3_0_OR_GREATER;NETCOREAPP3_1_OR_GREATER;WINDOWS7_0_OR_GREATER")]
    [InlineData("net8.0-windows10.0.19041.0", "NET;NET8_0;NETCOREAPP;WINDOWS;WINDOWS10_0_19041_0;NET5_0_OR_GREATER;NET6_0_OR_GREATER;NET7_0_OR_GREATER;NET8_0_OR_GREATER;NETCOREAPP1_0_OR_GREATER;NETCOREAPP1_1_OR_GREATER;NETCOREAPP2_0_OR_GREATER;NETCOREAPP2_1_OR_GREATER;NETCOREAPP2_2_OR_GREATER;NETCOREAPP3_0_OR_GREATER;NETCOREAPP3_1_OR_GREATER;WINDOWS10_0_19041_0_OR_GREATER;WINDOWS10_0_18362_0_OR_GREATER;WINDOWS10_0_17763_0_OR_GREATER;WINDOWS8_0_OR_GREATER;WINDOWS7_0_OR_GREATER")]
    [InlineData("net8.0-windows10.0.19041", "NET;NET8_0;NETCOREAPP;WINDOWS;WINDOWS10_0_19041_0;NET5_0_OR_GREATER;NET6_0_OR_GREATER;NET7_0_OR_GREATER;NET8_0_OR_GREATER;NETCOREAPP1_0_OR_GREATER;NETCOREAPP1_1_OR_GREATER;NETCOREAPP2_0_OR_GREATER;NETCOREAPP2_1_OR_GREATER;NETCOREAPP2_2_OR_GREATER;NETCOREAPP3_0_OR_GREATER;NETCOREAPP3_1_OR_GREATER;WINDOWS10_0_19041_0_OR_GREATER;WINDOWS10_0_18362_0_OR_GREATER;WINDOWS10_0_17763_0_OR_GREATER;WINDOWS8_0_OR_GREATER;WINDOWS7_0_OR_GREATER")]
    [InlineData("net8.0-windows7", "NET;NET8_0;NETCOREAPP;WINDOWS;WINDOWS7_0;NET5_0_OR_GREATER;NET6_0_OR_GREATER;NET7_0_OR_GREATER;NET8_0_OR_GREATER;NETCOREAPP1_0_OR_GREATER;NETCOREAPP1_1_OR_GREATER;NETCOREAPP2_0_OR_GREATER;NETCOREAPP2_1_OR_GREATER;NETCOREAPP2_2_OR_GREATER;NETCOREAPP3_0_OR_GREATER;NETCOREAPP3_1_OR_GREATER;WINDOWS7_0_OR_GREATER")]
    [InlineData("net8.0-browser", "NET;NET8_0;NETCOREAPP;BROWSER;BROWSER1_0;NET5_0_OR_GREATER;NET6_0_OR_GREATER;NET7_0_OR_GREATER;NET8_0_OR_GREATER;NETCOREAPP1_0_OR_GREATER;NETCOREAPP1_1_OR_GREATER;NETCOREAPP2_0_OR_GREATER;NETCOREAPP2_1_OR_GREATER;NETCOREAPP2_2_OR_GREATER;NETCOREAPP3_0_OR_GREATER;NETCOREAPP3_1_OR_GREATER;BROWSER1_0_OR_GREATER")]
    [InlineData("netstandard2.0", "NETSTANDARD;NETSTANDARD2_0;NETSTANDARD1_0_OR_GREATER;NETSTANDARD1_1_OR_GREATER;NETSTANDARD1_2_OR_GREATER;NETSTANDARD1_3_OR_GREATER;NETSTANDARD1_4_OR_GREATER;NETSTANDARD1_5_OR_GREATER;NETSTANDARD1_6_OR_GREATER;NETSTANDARD2_0_OR_GREATER")]
    [InlineData("net472", "NETFRAMEWORK;NET472;NET20_OR_GREATER;NET30_OR_GREATER;NET35_OR_GREATER;NET40_OR_GREATER;NET45_OR_GREATER;NET451_OR_GREATER;NET452_OR_GREATER;NET46_OR_GREATER;NET461_OR_GREATER;NET462_OR_GREATER;NET47_OR_GREATER;NET471_OR_GREATER;NET472_OR_GREATER")]
    [InlineData("net48", "NETFRAMEWORK;NET48;NET20_OR_GREATER;NET30_OR_GREATER;NET35_OR_GREATER;NET40_OR_GREATER;NET45_OR_GREATER;NET451_OR_GREATER;NET452_OR_GREATER;NET46_OR_GREATER;NET461_OR_GREATER;NET462_OR_GREATER;NET47_OR_GREATER;NET471_OR_GREATER;NET472_OR_GREATER;NET48_OR_GREATER")]
    [InlineData("netcoreapp3.1", "NETCOREAPP;NETCOREAPP3_1;NETCOREAPP1_0_OR_GREATER;NETCOREAPP1_1_OR_GREATER;NETCOREAPP2_0_OR_GREATER;NETCOREAPP2_1_OR_GREATER;NETCOREAPP2_2_OR_GREATER;NETCOREAPP3_0_OR_GREATER;NETCOREAPP3_1_OR_GREATER")]
    public void The_implicit_symbols_are_the_sdks(string moniker, string expected)
    {
        var framework = TargetFramework.Parse(moniker);

        Assert.NotNull(framework);
        Assert.Equal(expected.Split(';').Order(StringComparer.Ordinal), framework.ImplicitDefineConstants().Order(StringComparer.Ordinal));
    }

    // What `dotnet msbuild -getProperty:LangVersion -getProperty:WarningLevel` printed on SDK 10.0.401 (an empty WarningLevel is the compiler's 4).
    [Theory]
    [InlineData("net10.0", LanguageVersion.CSharp14, 10)]
    [InlineData("net8.0-windows", LanguageVersion.CSharp12, 8)]
    [InlineData("net5.0", LanguageVersion.CSharp9, 5)]
    [InlineData("netcoreapp3.1", LanguageVersion.CSharp8, 3)]
    [InlineData("netcoreapp2.1", LanguageVersion.CSharp7_3, 2)]
    [InlineData("netstandard2.1", LanguageVersion.CSharp8, 4)]
    [InlineData("netstandard2.0", LanguageVersion.CSharp7_3, 4)]
    [InlineData("net472", LanguageVersion.CSharp7_3, 4)]
    public void Language_version_and_warning_level_default_per_framework(string moniker, LanguageVersion language, int warningLevel)
    {
        var framework = TargetFramework.Parse(moniker)!;

        Assert.Equal((language, warningLevel), (framework.DefaultLanguageVersion, framework.DefaultWarningLevel));
    }

    [Theory]
    [InlineData("net8.0-windows10.0.19041.0", ".NETCoreApp", "v8.0", "windows", "10.0.19041.0")]
    [InlineData("NET10.0", ".NETCoreApp", "v10.0", null, null)]
    [InlineData("netcoreapp3.1", ".NETCoreApp", "v3.1", null, null)]
    [InlineData("netstandard2.0", ".NETStandard", "v2.0", null, null)]
    [InlineData("net472", ".NETFramework", "v4.7.2", null, null)]
    public void Monikers_read_as_the_sdk_reads_them(string moniker, string identifier, string version, string? platform, string? platformVersion)
    {
        var framework = TargetFramework.Parse(moniker)!;

        Assert.Equal((identifier, version, platform, platformVersion), (framework.Identifier, framework.VersionText, framework.Platform, framework.PlatformVersion));
    }

    [Theory]
    [InlineData("uap10.0")]
    [InlineData("net472-windows")]
    [InlineData("net2147483647.0")]
    [InlineData("")]
    [InlineData(null)]
    public void Unknown_monikers_are_none(string? moniker) => Assert.Null(TargetFramework.Parse(moniker));

    [Theory]
    [InlineData("net8.0", "net10.0;net8.0", 1)]
    [InlineData("net9.0", "net10.0;net8.0", 1)]
    [InlineData("net10.0", "netstandard2.0;net8.0", 1)]
    [InlineData("net472", "net8.0;netstandard2.0", 1)]
    [InlineData("net472", "netstandard2.1;netstandard2.0", 1)]
    [InlineData("net10.0", "netstandard2.0;netstandard2.1", 1)]
    [InlineData("net8.0-windows10.0.19041", "net8.0;net8.0-windows", 1)]
    [InlineData("net8.0", "net8.0-windows;netstandard2.0", 1)]
    [InlineData("net6.0", "net8.0;net10.0", 0)]
    [InlineData("net8.0-windows", "net8.0;net8.0-windows10.0.19041.0", 0)]
    [InlineData("net8.0-windows10.0.17763.0", "net8.0;net8.0-windows10.0.19041.0", 0)]
    [InlineData("net8.0-windows10.0.19041.0", "net8.0;net8.0-windows10.0.19041.0", 1)]
    [InlineData("net46", "net8.0;netstandard1.3", 1)]
    [InlineData("netcoreapp1.1", "net8.0;netstandard1.6", 1)]
    public void A_reference_compiles_against_the_nearest_framework_of_a_multi_targeting_project(string referencing, string candidates, int expected) =>
        Assert.Equal(expected, TargetFramework.Parse(referencing)!.NearestOf(candidates.Split(';')));

    [Fact]
    public void An_empty_TargetFramework_gives_way_to_the_first_of_TargetFrameworks()
    {
        var properties = new Dictionary<string, string> { ["TargetFramework"] = " ", ["TargetFrameworks"] = " netstandard2.0 ; net8.0" };

        Assert.Equal("netstandard2.0", TargetFramework.MonikerOf(properties));
        Assert.Equal(TargetFramework.NetStandard, TargetFramework.Of(properties)!.Identifier);
    }

    [Fact]
    public void A_multi_targeting_library_is_judged_as_each_of_its_frameworks_builds()
    {
        const string Project = """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework></TargetFramework>
                <TargetFrameworks>netstandard2.0;net8.0</TargetFrameworks>
              </PropertyGroup>
            </Project>
            """;
        const string Source = "namespace Lib\n{\n    /// <summary>Api.</summary>\n    public static class Api\n    {\n        /// <summary>Name.</summary>\n        /// <returns>A name.</returns>\n        public static string Name() => \"lib\";\n    }\n}\n";
        using var h = ValidationHarness.Create(new Dictionary<string, string> { ["Lib.csproj"] = Project, ["src/Api.cs"] = Source }, analyzers: []);

        // Each framework compiles its own branch: a type error in either blocks, for that framework.
        var standard = h.Validate(h.Edit("src/Api.cs", "=> \"lib\";", "\n        {\n#if NETSTANDARD2_0\n            return 42;\n#else\n            return \"lib\";\n#endif\n        }")).AssertBlockedBy("CS0029", "src/Api.cs");
        Assert.Equal("netstandard2.0", standard.TargetFramework);
        var net8 = h.Validate(h.Edit("src/Api.cs", "=> \"lib\";", "\n        {\n#if NET8_0_OR_GREATER\n            return 42;\n#else\n            return \"lib\";\n#endif\n        }")).AssertBlockedBy("CS0029", "src/Api.cs");
        Assert.Equal("net8.0", net8.TargetFramework);

        // And each in its language version: C# 7.3 for netstandard2.0, where a switch expression does not build.
        var report = h.Validate(h.Edit("src/Api.cs", "=> \"lib\";", "=> 1 switch { _ => \"lib\" };"));
        Assert.False(report.Passed);
        Assert.All(report.Blocking, d => Assert.Equal(("CS8370", true, "netstandard2.0"), (d.Id, d.Message.Contains("C# 7.3", StringComparison.Ordinal), d.TargetFramework)));
    }
}
