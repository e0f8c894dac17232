using AtomicCompose.Tests.TestSupport;
using AtomicCompose.Validation;

namespace AtomicCompose.Tests.Validation;

/// <summary>
/// A project with <c>TargetFrameworks</c> is built once per framework, and the build fails when any of them fails:
/// each is judged, with its own preprocessor symbols and language version. Each verdict below is the one
/// <c>dotnet build</c> gives on SDK 10.0.401 (<c>[M.csproj::TargetFramework=net8.0]</c>).
/// </summary>
public sealed class MultiTargetTests
{
    private const string Multi = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFrameworks>net10.0;net8.0</TargetFrameworks>
            <Nullable>enable</Nullable>
          </PropertyGroup>
        </Project>
        """;

    private const string Versions = """
        namespace M;

        /// <summary>Versions.</summary>
        public sealed class Versions
        {
            /// <summary>Name.</summary>
            public string? Name { get; set; }

            /// <summary>Run.</summary>
            /// <returns>A number.</returns>
            public static int Run()
            {
        #if NET10_0_OR_GREATER
                return 10;
        #else
                return 8;
        #endif
            }

            /// <summary>Names.</summary>
            /// <param name="v">The versions.</param>
            public static void Rename(Versions? v)
            {
            }
        }

        """;

    private static ValidationHarness Project(Dictionary<string, string>? more = null)
    {
        var files = new Dictionary<string, string> { ["lib/M.csproj"] = Multi, ["lib/Versions.cs"] = Versions };
        foreach (var (path, text) in more ?? [])
        {
            files[path] = text;
        }

        return ValidationHarness.Create(files);
    }

    [Fact]
    public void An_error_in_one_frameworks_branch_blocks_and_names_that_framework()
    {
        using var h = Project();
        var d = h.Validate(h.Edit("lib/Versions.cs", "return 8;", "return \"old\";")).AssertBlockedBy("CS0029", "lib/Versions.cs");
        Assert.Equal((16, 16, "net8.0"), (d.Line, d.Column, d.TargetFramework));
        Assert.EndsWith("[compilation, new, net8.0]", d.ToString(), StringComparison.Ordinal);

        // The other framework's branch is judged by its own build.
        h.Validate(h.Edit("lib/Versions.cs", "return 10;", "return 11;")).AssertPassed();
        Assert.Equal("net8.0", h.Service.FindLoadedProject("lib/M.csproj", "net8.0")!.Context.TargetFrameworkMoniker);
        Assert.Equal("net10.0", h.Service.FindLoadedProject("lib/M.csproj")!.Context.TargetFrameworkMoniker);
    }

    [Fact]
    public void Each_framework_has_its_language_version()
    {
        // C# 14's null-conditional assignment: .NET 10 builds with C# 14, .NET 8 with C# 12.
        using var h = Project();
        var d = h.Validate(h.Edit("lib/Versions.cs", "    public static void Rename(Versions? v)\n    {\n", "    public static void Rename(Versions? v)\n    {\n        v?.Name = \"a\";\n")).AssertBlockedBy("CS9202");
        Assert.Equal((24, 17, "net8.0"), (d.Line, d.Column, d.TargetFramework));
    }

    [Fact]
    public void An_error_every_framework_reports_is_listed_once_naming_them_all()
    {
        using var h = Project();
        var report = h.Validate(h.Edit("lib/Versions.cs", "    public static void Rename(Versions? v)\n    {\n", "    public static void Rename(Versions? v)\n    {\n        Missing();\n"));
        var d = report.AssertBlockedBy("CS0103");
        Assert.Equal("net10.0;net8.0", d.TargetFramework);

        // Committed, then fixed: the multi-framework baseline follows each commit.
        var broken = h.Edit("lib/Versions.cs", "return 8;", "return \"old\";");
        h.Commit(broken);
        h.Validate(h.Edit("lib/Versions.cs", "return 10;", "return 12;")).AssertPassed();
        var fix = h.Edit("lib/Versions.cs", "return \"old\";", "return 9;");
        var fixedReport = h.Validate(fix);
        fixedReport.AssertPassed();
        Assert.DoesNotContain(fixedReport.Diagnostics, x => x.Id == "CS0029");
    }

    [Fact]
    public void A_referencing_project_compiles_against_the_nearest_framework_of_the_referenced_one()
    {
        // The library offers NewApi on .NET 10 only; an app built for .NET 8 sees the library's .NET 8 build.
        const string Api = "namespace M;\n\n/// <summary>Api.</summary>\npublic static class Api\n{\n#if NET10_0_OR_GREATER\n    /// <summary>New.</summary>\n    /// <returns>1.</returns>\n    public static int NewApi() => 1;\n#endif\n\n    /// <summary>Old.</summary>\n    /// <returns>0.</returns>\n    public static int OldApi() => 0;\n}\n";
        const string Use = "namespace App;\n\n/// <summary>Use.</summary>\npublic static class Use\n{\n    /// <summary>Run.</summary>\n    /// <returns>A number.</returns>\n    public static int Run() => M.Api.OldApi();\n}\n";
        static string App(string framework) => SampleProjects.CsprojWith(items: "<ProjectReference Include=\"../lib/M.csproj\" />").Replace("net10.0", framework, StringComparison.Ordinal);
        using var h = Project(new Dictionary<string, string>
        {
            ["lib/Api.cs"] = Api,
            ["app8/App8.csproj"] = App("net8.0"),
            ["app8/Use.cs"] = Use,
            ["app10/App10.csproj"] = App("net10.0"),
            ["app10/Use.cs"] = Use,
        });

        h.Validate(h.Edit("app10/Use.cs", "M.Api.OldApi()", "M.Api.NewApi()")).AssertPassed();
        var d = h.Validate(h.Edit("app8/Use.cs", "M.Api.OldApi()", "M.Api.NewApi()")).AssertBlockedBy("CS0117", "app8/Use.cs");
        Assert.Null(d.TargetFramework); // the app builds for one framework

        // Removing OldApi from the library's .NET 8 build breaks the .NET 8 app only, and is reported against it.
        var dependents = h.Validate(h.Edit("lib/Api.cs", "    /// <summary>Old.</summary>\n    /// <returns>0.</returns>\n    public static int OldApi() => 0;\n", "#if NET10_0_OR_GREATER\n    /// <summary>Old.</summary>\n    /// <returns>0.</returns>\n    public static int OldApi() => 0;\n#endif\n"));
        Assert.False(dependents.Passed);
        Assert.Equal(new[] { "app8/Use.cs" }, dependents.Blocking.Select(x => x.Path).Distinct());
        Assert.All(dependents.Blocking, x => Assert.Equal("CS0117", x.Id));
    }
}
