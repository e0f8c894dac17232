using AtomicCompose.Tests.TestSupport;
using AtomicCompose.Validation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AtomicCompose.Tests.Validation;

/// <summary>The project file decides what the compiler sees; these edits pass or fail depending on it.</summary>
public sealed class ProjectOptionsTests
{
    private const string GreetBody = "return \"Hello, \" + name + \"!\";";

    private static string Csproj(string properties = "", string items = "") => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            {properties}
          </PropertyGroup>
          <ItemGroup>
            {items}
          </ItemGroup>
        </Project>
        """;

    [Theory]
    [InlineData("<Nullable>enable</Nullable>", true)]
    [InlineData("<Nullable>disable</Nullable>", false)]
    [InlineData("", false)]
    public void Nullable_warnings_follow_the_project(string property, bool expectWarning)
    {
        using var h = ValidationHarness.Demo(csproj: Csproj(property));
        var report = h.Validate(h.Edit("src/Greeter.cs", GreetBody, "return name.Length > 0 ? null : name;"));

        report.AssertPassed(); // warnings do not block by default
        Assert.Equal(expectWarning, report.Diagnostics.Any(d => d is { Id: "CS8603", IsNew: true, Severity: DiagnosticSeverity.Warning }));
    }

    [Fact]
    public void New_warnings_block_when_the_policy_says_so()
    {
        using var h = ValidationHarness.Demo(new ValidationPolicy { BlockOnNewWarnings = true }, csproj: Csproj("<Nullable>enable</Nullable>"));
        h.Validate(h.Edit("src/Greeter.cs", GreetBody, "return name.Length > 0 ? null : name;")).AssertBlockedBy("CS8603");
    }

    [Fact]
    public void TreatWarningsAsErrors_makes_a_new_warning_block()
    {
        using var h = ValidationHarness.Demo(csproj: Csproj("<Nullable>enable</Nullable><TreatWarningsAsErrors>true</TreatWarningsAsErrors>"));
        var d = h.Validate(h.Edit("src/Greeter.cs", GreetBody, "return name.Length > 0 ? null : name;")).AssertBlockedBy("CS8603");
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
    }

    [Fact]
    public void Nullable_from_Directory_Build_props_applies_and_the_project_can_override_it()
    {
        using var h = ValidationHarness.Demo(csproj: Csproj());
        h.Workspace.Write("Directory.Build.props", "<Project><PropertyGroup><Nullable>enable</Nullable></PropertyGroup></Project>");
        var edit = h.Edit("src/Greeter.cs", GreetBody, "return name.Length > 0 ? null : name;");
        Assert.Contains(h.Validate(edit).Diagnostics, d => d.Id == "CS8603");

        using var h2 = ValidationHarness.Demo(csproj: Csproj("<Nullable>disable</Nullable>"));
        h2.Workspace.Write("Directory.Build.props", "<Project><PropertyGroup><Nullable>enable</Nullable></PropertyGroup></Project>");
        Assert.DoesNotContain(h2.Validate(h2.Edit("src/Greeter.cs", GreetBody, "return name.Length > 0 ? null : name;")).Diagnostics, d => d.Id == "CS8603");
    }

    [Theory]
    [InlineData("<DefineConstants>$(DefineConstants);FEATURE_X</DefineConstants>", true)]
    [InlineData("<DefineConstants>OTHER</DefineConstants>", false)]
    [InlineData("", false)]
    public void DefineConstants_decide_which_if_branch_is_compiled(string property, bool blocks)
    {
        using var h = ValidationHarness.Demo(csproj: Csproj(property));
        var report = h.Validate(h.Edit("src/Greeter.cs", GreetBody, "#if FEATURE_X\n        return 42;\n#else\n        return name;\n#endif"));

        if (blocks)
        {
            report.AssertBlockedBy("CS0029");
        }
        else
        {
            report.AssertPassed();
        }
    }

    [Fact]
    public void The_sdk_defines_DEBUG_and_framework_symbols()
    {
        using var h = ValidationHarness.Demo(csproj: Csproj());
        h.Validate(h.Edit("src/Greeter.cs", GreetBody, "#if DEBUG && NET10_0_OR_GREATER && NET\n        return 42;\n#else\n        return name;\n#endif")).AssertBlockedBy("CS0029");
    }

    [Theory]
    [InlineData("<LangVersion>7.3</LangVersion>", false)]
    [InlineData("<LangVersion>latest</LangVersion>", true)]
    [InlineData("", true)]
    public void LangVersion_is_honoured(string property, bool passes)
    {
        using var h = ValidationHarness.Demo(csproj: Csproj(property));
        var report = h.Validate(h.Edit("src/Greeter.cs", GreetBody, "return name switch { \"\" => \"nobody\", _ => name };"));

        if (passes)
        {
            report.AssertPassed();
        }
        else
        {
            // The file-scoped namespace is already an error in C# 7.3; only the switch expression is new.
            Assert.False(report.Passed);
            Assert.All(report.Blocking, d => Assert.Contains("C# 7.3", d.Message));
            Assert.Contains(report.Diagnostics, d => !d.IsNew && d.Message.Contains("file-scoped namespace", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("<ImplicitUsings>enable</ImplicitUsings>", true)]
    [InlineData("<ImplicitUsings>disable</ImplicitUsings>", false)]
    [InlineData("", false)]
    public void ImplicitUsings_generate_the_sdk_global_usings(string property, bool passes)
    {
        using var h = ValidationHarness.Demo(csproj: Csproj(property));
        var body = "var l = new List<string> { name }; using var s = new MemoryStream(); HttpClient? c = null; _ = c; return l.First() + Task.CompletedTask.IsCompleted + Thread.CurrentThread.Name;";
        var report = h.Validate(h.Edit("src/Greeter.cs", GreetBody, body));

        if (passes)
        {
            report.AssertPassed();
        }
        else
        {
            Assert.Contains(report.Blocking, d => d.Id == "CS0246" && d.Message.Contains("List<>", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Implicit_usings_hold_next_to_the_assembly_attributes_the_sdk_generates()
    {
        // InternalsVisibleTo items and a platform framework's SupportedOSPlatform become assembly attributes in the
        // same generated file as the global usings, which must come first in it to compile.
        var project = Csproj("<ImplicitUsings>enable</ImplicitUsings>", "<InternalsVisibleTo Include=\"Friend\" />").Replace("net10.0", "net8.0-windows", StringComparison.Ordinal);
        using var h = ValidationHarness.Demo(csproj: project);
        h.Validate(h.Edit("src/Greeter.cs", GreetBody, "var l = new List<string> { name }; return l.First();")).AssertPassed();

        // The SDK's generated files are among the sources MSBuild gives the compiler.
        var sources = h.Service.FindLoadedProject("Demo.csproj")!.Context.SourcePaths;
        Assert.Contains(sources, p => p.EndsWith(".GlobalUsings.g.cs", StringComparison.Ordinal));
        Assert.Contains(sources, p => p.EndsWith(".AssemblyInfo.cs", StringComparison.Ordinal));
    }

    private const string AssemblyVersion = "System.Reflection.AssemblyVersion(\"2.0.0.0\")";
    private const string TargetFrameworkMoniker = "System.Runtime.Versioning.TargetFramework(\".NETCoreApp,Version=v10.0\")";

    [Theory]
    [InlineData("", AssemblyVersion, true)]
    [InlineData("<GenerateAssemblyInfo>false</GenerateAssemblyInfo>", AssemblyVersion, false)]
    [InlineData("<GenerateAssemblyVersionAttribute>false</GenerateAssemblyVersionAttribute>", AssemblyVersion, false)]
    [InlineData("", TargetFrameworkMoniker, true)]
    [InlineData("<GenerateAssemblyInfo>false</GenerateAssemblyInfo>", TargetFrameworkMoniker, true)]
    [InlineData("<GenerateTargetFrameworkAttribute>false</GenerateTargetFrameworkAttribute>", TargetFrameworkMoniker, false)]
    public void An_assembly_attribute_the_sdk_generates_is_a_duplicate_in_the_sources(string property, string attribute, bool duplicate)
    {
        // The SDK's generated AssemblyInfo file holds AssemblyVersion unless turned off, and every build adds the TargetFramework
        // attribute unless GenerateTargetFrameworkAttribute is false: a second one fails the build (CS0579).
        using var h = ValidationHarness.Demo(csproj: Csproj(property));
        var report = h.Validate(h.Edit("src/Greeter.cs", "namespace Demo;", $"[assembly: {attribute}]\n\nnamespace Demo;"));
        if (duplicate)
        {
            report.AssertBlockedBy("CS0579");
        }
        else
        {
            report.AssertPassed();
        }
    }

    [Fact]
    public void A_web_project_compiles_against_aspnet_core_with_its_implicit_usings()
    {
        // Microsoft.NET.Sdk.Web references the Microsoft.AspNetCore.App framework implicitly and adds its own global
        // usings; a build compiles against the installed targeting pack, as the validation does.
        var web = Csproj("<ImplicitUsings>enable</ImplicitUsings>").Replace("Microsoft.NET.Sdk\"", "Microsoft.NET.Sdk.Web\"", StringComparison.Ordinal);
        using var h = ValidationHarness.Demo(csproj: web);
        const string Endpoint = "var app = WebApplication.CreateBuilder().Build(); app.MapGet(\"/\", () => name); return app.Environment.ApplicationName;";
        h.Validate(h.Edit("src/Greeter.cs", GreetBody, Endpoint)).AssertPassed();

        // The types are bound, not unknown: misusing them is an error, as in a build.
        h.Validate(h.Edit("src/Greeter.cs", GreetBody, "var app = WebApplication.CreateBuilder().Build(); return app.Environment;")).AssertBlockedBy("CS0029");

        // A plain project has neither the framework nor the usings.
        using var plain = ValidationHarness.Demo(csproj: Csproj("<ImplicitUsings>enable</ImplicitUsings>"));
        plain.Validate(plain.Edit("src/Greeter.cs", GreetBody, Endpoint)).AssertBlockedBy("CS0103");
        var withItem = Csproj("<ImplicitUsings>enable</ImplicitUsings>", "<FrameworkReference Include=\"Microsoft.AspNetCore.App\" />");
        using var referencing = ValidationHarness.Demo(csproj: withItem);
        referencing.Validate(referencing.Edit("src/Greeter.cs", GreetBody, "var app = Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder().Build(); return app.Environment.ApplicationName;")).AssertPassed();
    }

    [Fact]
    public void Using_items_add_global_usings()
    {
        using var h = ValidationHarness.Demo(csproj: Csproj(items: "<Using Include=\"System.Text\" /><Using Include=\"System.Math\" Static=\"true\" /><Using Include=\"System.Console\" Alias=\"Con\" />"));
        h.Validate(h.Edit("src/Greeter.cs", GreetBody, "Con.Write(\"\"); return new StringBuilder(name).Append(Max(1, 2)).ToString();")).AssertPassed();
    }

    [Fact]
    public void Compile_Remove_bin_obj_and_hidden_folders_are_not_compiled()
    {
        var helper = "namespace Demo;\n\n/// <summary>H.</summary>\npublic static class {0}\n{{\n    /// <summary>Help.</summary>\n    /// <returns>Help.</returns>\n    public static string Help() => \"help\";\n}}\n";
        using var h = ValidationHarness.Demo(csproj: Csproj(items: "<Compile Remove=\"src/Extra/**\" />"));
        h.Workspace.Write("src/Extra/Helper.cs", string.Format(helper, "Helper"));
        h.Workspace.Write("src/Kept/Kept.cs", string.Format(helper, "Kept"));
        h.Workspace.Write("obj/Gen.cs", string.Format(helper, "ObjThing"));
        h.Workspace.Write("bin/Debug/Gen.cs", string.Format(helper, "BinThing"));
        h.Workspace.Write(".hidden/H.cs", string.Format(helper, "HiddenThing"));

        h.Validate(h.Edit("src/Greeter.cs", GreetBody, "return Kept.Help();")).AssertPassed();
        foreach (var excluded in new[] { "Helper", "ObjThing", "BinThing", "HiddenThing" })
        {
            var d = h.Validate(h.Edit("src/Greeter.cs", GreetBody, $"return {excluded}.Help();")).AssertBlockedBy("CS0103");
            Assert.Contains(excluded, d.Message);
        }
    }

    [Fact]
    public void Without_Compile_Remove_the_same_file_is_compiled()
    {
        using var h = ValidationHarness.Demo(csproj: Csproj());
        h.Workspace.Write("src/Extra/Helper.cs", "namespace Demo;\n/// <summary>H.</summary>\npublic static class Helper\n{\n    /// <summary>Help.</summary>\n    /// <returns>Help.</returns>\n    public static string Help() => \"help\";\n}\n");
        h.Validate(h.Edit("src/Greeter.cs", GreetBody, "return Helper.Help();")).AssertPassed();
    }

    [Fact]
    public void Compile_Include_outside_the_project_folder_and_EnableDefaultCompileItems_false()
    {
        using var h = ValidationHarness.Create(new Dictionary<string, string>
        {
            ["app/App.csproj"] = Csproj("<EnableDefaultCompileItems>false</EnableDefaultCompileItems>", "<Compile Include=\"src/**/*.cs\" /><Compile Include=\"../shared/*.cs\" Exclude=\"../shared/Skip.cs\" />"),
            ["app/src/Greeter.cs"] = SampleProjects.Greeter,
            ["app/Loose.cs"] = "namespace Demo; internal static class Loose { internal static string L() => \"\"; }",
            ["shared/Shared.cs"] = "namespace Demo;\ninternal static class Shared { internal static string S() => \"s\"; }\n",
            ["shared/Skip.cs"] = "namespace Demo;\ninternal static class Skip { internal static string S() => \"s\"; }\n",
        });

        h.Validate(h.Edit("app/src/Greeter.cs", GreetBody, "return Shared.S();")).AssertPassed();
        h.Validate(h.Edit("app/src/Greeter.cs", GreetBody, "return Skip.S();")).AssertBlockedBy("CS0103");
        h.Validate(h.Edit("app/src/Greeter.cs", GreetBody, "return Loose.L();")).AssertBlockedBy("CS0103");
    }

    [Fact]
    public void NoWarn_suppresses_missing_docs_and_AllowUnsafeBlocks_allows_unsafe()
    {
        using var h = ValidationHarness.Demo(csproj: Csproj("<GenerateDocumentationFile>true</GenerateDocumentationFile><NoWarn>$(NoWarn);1591</NoWarn><AllowUnsafeBlocks>true</AllowUnsafeBlocks>"));
        var edit = h.Edit("src/Greeter.cs", "    /// <summary>Says goodbye.", "    public unsafe int Size() { int x = 1; int* p = &x; return *p; }\n\n    /// <summary>Says goodbye.");
        h.Validate(edit).AssertPassed();

        using var strict = ValidationHarness.Demo(csproj: Csproj("<GenerateDocumentationFile>true</GenerateDocumentationFile>"));
        var report = strict.Validate(strict.Edit("src/Greeter.cs", "    /// <summary>Says goodbye.", "    public unsafe int Size() { int x = 1; int* p = &x; return *p; }\n\n    /// <summary>Says goodbye."));
        Assert.Contains(report.Blocking, d => d.Id == "CS0227"); // unsafe code needs AllowUnsafeBlocks
        Assert.Contains(report.Blocking, d => d.Id == "CS1591");
    }

    [Fact]
    public void A_malformed_project_file_is_said_with_msbuilds_words_and_judges_nothing()
    {
        using var h = ValidationHarness.Demo(csproj: "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup>", restore: false);
        var ex = Assert.Throws<ComposeException>(() => h.Validate(h.Edit("src/Greeter.cs", GreetBody, "return 42;")));
        Assert.Equal(ComposeErrorCode.ProjectEvaluationFailed, ex.Code);
        Assert.Equal(["Demo.csproj"], ex.Paths);
        Assert.Contains("MSB", ex.Message, StringComparison.Ordinal); // MSBuild's own error id
        Assert.Null(h.Service.FindLoadedProject("Demo.csproj"));
    }

}

public sealed class ProjectReferenceTests
{
    private const string LibCsproj = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <AssemblyName>My.Lib</AssemblyName>
          </PropertyGroup>
          <ItemGroup>
            <InternalsVisibleTo Include="App" />
          </ItemGroup>
        </Project>
        """;

    private const string AppCsproj = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
          </PropertyGroup>
          <ItemGroup>
            <ProjectReference Include="../lib/Lib.csproj" />
          </ItemGroup>
        </Project>
        """;

    private const string Lib = "namespace Lib;\n\n/// <summary>Public.</summary>\npublic static class Api\n{\n    /// <summary>One.</summary>\n    /// <returns>1.</returns>\n    public static int One() => 1;\n}\n\ninternal static class Secret\n{\n    internal static int Two() => 2;\n}\n";

    private const string App = "namespace App;\n\n/// <summary>Uses the library.</summary>\npublic static class User\n{\n    /// <summary>Uses.</summary>\n    /// <returns>A number.</returns>\n    public static int Use() => 0;\n}\n";

    [Fact]
    public void Types_of_a_referenced_project_are_known_and_internals_visible_to_the_friend()
    {
        using var h = ValidationHarness.Create(new Dictionary<string, string>
        {
            ["lib/Lib.csproj"] = LibCsproj,
            ["lib/Api.cs"] = Lib,
            ["app/App.csproj"] = AppCsproj,
            ["app/User.cs"] = App,
        });

        h.Validate(h.Edit("app/User.cs", "=> 0;", "=> Lib.Api.One() + Lib.Secret.Two();")).AssertPassed();
        h.Validate(h.Edit("app/User.cs", "=> 0;", "=> Lib.Api.Three();")).AssertBlockedBy("CS0117", "app/User.cs");
        Assert.Equal("My.Lib", h.Service.FindLoadedProject("lib/Lib.csproj")!.Baseline.AssemblyName);
    }

    [Fact]
    public void An_accepted_change_in_a_referenced_project_is_seen_by_its_dependents()
    {
        using var h = ValidationHarness.Create(new Dictionary<string, string>
        {
            ["lib/Lib.csproj"] = LibCsproj,
            ["lib/Api.cs"] = Lib,
            ["app/App.csproj"] = AppCsproj,
            ["app/User.cs"] = App,
        });

        var useThree = h.Edit("app/User.cs", "=> 0;", "=> Lib.Api.Three();");
        h.Validate(useThree).AssertBlockedBy("CS0117");

        var addThree = h.Edit("lib/Api.cs", "    public static int One() => 1;", "    public static int One() => 1;\n\n    /// <summary>Three.</summary>\n    /// <returns>3.</returns>\n    public static int Three() => 3;");
        h.Validate(addThree).AssertPassed();
        h.Commit(addThree);

        h.Validate(useThree).AssertPassed();
    }
}

public sealed class DependentProjectTests
{
    private const string Lib = "namespace Lib;\n\n/// <summary>Public.</summary>\npublic static class Api\n{\n    /// <summary>One.</summary>\n    /// <returns>1.</returns>\n    public static int One() => 1;\n\n    /// <summary>Two.</summary>\n    /// <returns>2.</returns>\n    public static int Two() => 2;\n}\n";

    private static ValidationHarness Create() => ValidationHarness.Create(new Dictionary<string, string>
    {
        ["src/Lib/Lib.csproj"] = "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>",
        ["src/Lib/Api.cs"] = Lib,
        ["tests/Lib.Tests/Lib.Tests.csproj"] = "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup><ItemGroup><ProjectReference Include=\"..\\..\\src\\Lib\\Lib.csproj\" /></ItemGroup></Project>",
        ["tests/Lib.Tests/ApiTests.cs"] = "namespace Lib.Tests;\ninternal static class ApiTests { internal static int Check() => Lib.Api.One(); }\n",
        ["other/Other.csproj"] = "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>",
        ["other/Other.cs"] = "namespace Other;\ninternal static class O { internal static int One() => 1; }\n",
    });

    [Fact]
    public void Deleting_a_method_a_referencing_project_uses_blocks()
    {
        using var h = Create();
        var report = h.Validate(h.Edit("src/Lib/Api.cs", "    /// <summary>One.</summary>\n    /// <returns>1.</returns>\n    public static int One() => 1;\n\n", ""));

        var d = report.AssertBlockedBy("CS0117", "tests/Lib.Tests/ApiTests.cs");
        Assert.Equal("compilation", d.Validator);
        Assert.Null(h.Service.FindLoadedProject("other/Other.csproj")); // unrelated projects are not loaded
    }

    [Fact]
    public void Deleting_a_method_no_dependent_uses_passes_and_body_edits_do_not_load_dependents()
    {
        using var h = Create();
        h.Validate(h.Edit("src/Lib/Api.cs", "=> 2;", "=> 1 + 1;")).AssertPassed();
        Assert.Null(h.Service.FindLoadedProject("tests/Lib.Tests/Lib.Tests.csproj"));

        h.Validate(h.Edit("src/Lib/Api.cs", "    /// <summary>Two.</summary>\n    /// <returns>2.</returns>\n    public static int Two() => 2;\n", "")).AssertPassed();
        Assert.NotNull(h.Service.FindLoadedProject("tests/Lib.Tests/Lib.Tests.csproj"));
    }

    [Fact]
    public void A_new_api_and_its_first_caller_in_one_transaction_pass()
    {
        using var h = Create();
        var add = h.Edit("src/Lib/Api.cs", "    /// <summary>Two.", "    /// <summary>Three.</summary>\n    /// <returns>3.</returns>\n    public static int Three() => 3;\n\n    /// <summary>Two.");
        var use = h.Edit("tests/Lib.Tests/ApiTests.cs", "Lib.Api.One()", "Lib.Api.Three()");

        // Either order of documents: the referenced project is judged first.
        h.Validate(use, add).AssertPassed();
        h.Validate(add, use).AssertPassed();
    }

    [Fact]
    public void A_rename_with_one_caller_updated_and_another_forgotten_blocks_at_the_forgotten_one()
    {
        using var h = Create();
        h.Workspace.Write("tests/Lib.Tests/MoreTests.cs", "namespace Lib.Tests;\ninternal static class MoreTests { internal static int Check() => Lib.Api.One() + 1; }\n");
        var rename = h.Edit("src/Lib/Api.cs", "public static int One()", "public static int Uno()");
        var update = h.Edit("tests/Lib.Tests/ApiTests.cs", "Lib.Api.One()", "Lib.Api.Uno()");

        var report = h.Validate(rename, update);

        report.AssertBlockedBy("CS0117", "tests/Lib.Tests/MoreTests.cs");
        Assert.DoesNotContain(report.Blocking, d => d.Path == "tests/Lib.Tests/ApiTests.cs");
    }

    [Fact]
    public void A_dependent_sees_the_accepted_baseline_of_its_reference()
    {
        using var h = Create();
        var add = h.Edit("src/Lib/Api.cs", "    /// <summary>Two.", "    /// <summary>Three.</summary>\n    /// <returns>3.</returns>\n    public static int Three() => 3;\n\n    /// <summary>Two.");
        h.Validate(add).AssertPassed();
        h.Commit(add);

        var use = h.Edit("tests/Lib.Tests/ApiTests.cs", "Lib.Api.One()", "Lib.Api.Three()");
        h.Validate(use).AssertPassed();
        h.Commit(use);

        h.Validate(h.Edit("src/Lib/Api.cs", "    public static int Three() => 3;\n", "")).AssertBlockedBy("CS0117", "tests/Lib.Tests/ApiTests.cs");
    }
}
