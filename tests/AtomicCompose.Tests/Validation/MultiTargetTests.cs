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
        Assert.Equal("net8.0", h.Service.FindLoadedProject("lib/M.csproj", "net8.0")!.Context.TargetFramework);
        Assert.Equal("net10.0", h.Service.FindLoadedProject("lib/M.csproj")!.Context.TargetFramework);
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

    private const string OldApi = "namespace M;\n\n/// <summary>Api.</summary>\npublic static class Api\n{\n    /// <summary>Old.</summary>\n    /// <returns>0.</returns>\n    public static int OldApi() => 0;\n}\n";
    private const string RemovedOldApi = "    /// <summary>Old.</summary>\n    /// <returns>0.</returns>\n    public static int OldApi() => 0;\n";
    private const string UsesOldApi = "namespace App;\n\n/// <summary>Use.</summary>\npublic static class Use\n{\n    /// <summary>Run.</summary>\n    /// <returns>A number.</returns>\n    public static int Run() => M.Api.OldApi();\n}\n";

    private static string Csproj(string frameworks, string items = "", string imports = "") =>
        SampleProjects.CsprojWith(items: items)
            .Replace("<TargetFramework>net10.0</TargetFramework>", frameworks.Contains(';', StringComparison.Ordinal) ? $"<TargetFrameworks>{frameworks}</TargetFrameworks>" : $"<TargetFramework>{frameworks}</TargetFramework>", StringComparison.Ordinal)
            .Replace("</Project>", imports + "</Project>", StringComparison.Ordinal);

    private static ValidationHarness LibAndApp(string libFrameworks, string appFrameworks, string libImports = "", Dictionary<string, string>? more = null)
    {
        var files = new Dictionary<string, string>
        {
            ["lib/M.csproj"] = Csproj(libFrameworks, imports: libImports),
            ["lib/Api.cs"] = OldApi,
            ["app/App.csproj"] = Csproj(appFrameworks, "<ProjectReference Include=\"../lib/M.csproj\" />"),
            ["app/Use.cs"] = UsesOldApi,
        };
        foreach (var (path, text) in more ?? [])
        {
            files[path] = text;
        }

        return ValidationHarness.Create(files);
    }

    // Someone else's edit of a project file, with a stamp the watcher cannot miss.
    private static void TouchOnDisk(ValidationHarness h, string path, string? text = null)
    {
        if (text is not null)
        {
            h.Workspace.Write(path, text);
        }

        File.SetLastWriteTimeUtc(h.Workspace.PathOf(path), DateTime.UtcNow.AddMinutes(1));
    }

    [Fact]
    public void A_dependents_finding_in_each_of_its_frameworks_is_listed_once()
    {
        using var h = LibAndApp("net8.0", "net10.0;net8.0");
        var report = h.Validate(h.Edit("lib/Api.cs", RemovedOldApi, ""));
        var d = report.AssertBlockedBy("CS0117", "app/Use.cs");
        Assert.Equal("net10.0;net8.0", d.TargetFramework);
    }

    [Fact]
    public void A_changed_import_of_one_framework_reloads_every_state_before_the_edit_is_judged()
    {
        // The .NET 8 build imports a file the .NET 10 one does not: a change to it must not leave the app unchecked.
        using var h = LibAndApp("net10.0;net8.0", "net10.0", libImports: "  <Import Project=\"net8.props\" Condition=\"'$(TargetFramework)' == 'net8.0'\" />\n", more: new() { ["lib/net8.props"] = "<Project><PropertyGroup><Foo>1</Foo></PropertyGroup></Project>\n" });
        h.Validate(h.Edit("lib/Api.cs", RemovedOldApi, "")).AssertBlockedBy("CS0117", "app/Use.cs");

        TouchOnDisk(h, "lib/net8.props", "<Project><PropertyGroup><Foo>2</Foo></PropertyGroup></Project>\n");
        h.Validate(h.Edit("lib/Api.cs", RemovedOldApi, "")).AssertBlockedBy("CS0117", "app/Use.cs");

        // The same for the dependent's own project file (a no-op restore would leave its assets file older: still restored).
        TouchOnDisk(h, "app/App.csproj");
        h.Validate(h.Edit("lib/Api.cs", RemovedOldApi, "")).AssertBlockedBy("CS0117", "app/Use.cs");
    }

    [Fact]
    public void A_framework_list_changed_on_disk_is_read_again()
    {
        // The app loads the library's .NET 10 state only; then the library's frameworks change outside the engine.
        using var h = LibAndApp("net8.0;net10.0", "net10.0");
        h.Validate(h.Edit("app/Use.cs", "M.Api.OldApi()", "M.Api.OldApi() + 1")).AssertPassed();

        TouchOnDisk(h, "lib/M.csproj", Csproj("net10.0;net9.0"));
        // A new framework needs a restore, as for a build (a design-time build does not say so: see docs/validation.md §9).
        DotnetCli.Restore(h.Workspace.Root, "lib/M.csproj");
        var net9Only = "    /// <summary>Old.</summary>\n    /// <returns>0.</returns>\n    public static int OldApi()\n    {\n#if NET10_0_OR_GREATER\n        return 0;\n#else\n        return \"x\";\n#endif\n    }\n";
        var d = h.Validate(h.Edit("lib/Api.cs", RemovedOldApi, net9Only)).AssertBlockedBy("CS0029", "lib/Api.cs");
        Assert.Equal("net9.0", d.TargetFramework);
        Assert.Equal("net10.0", h.Service.FindLoadedProject("lib/M.csproj")!.Context.TargetFramework);
        Assert.Null(h.Service.FindLoadedProject("lib/M.csproj", "net8.0"));
    }
}
