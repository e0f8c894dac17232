using System.Diagnostics;
using AtomicCompose.Indexing;
using AtomicCompose.Tests.TestSupport;
using AtomicCompose.Validation;
using AtomicCompose.Validation.Build;
using Microsoft.CodeAnalysis;
using Xunit.Abstractions;

namespace AtomicCompose.Tests.Validation.Build;

/// <summary>
/// A multi-targeting library (netstandard2.0, net462, net10.0), restored once for the tests that share it: each
/// framework compiles against its own reference assemblies, from the packs MSBuild resolved.
/// </summary>
public sealed class MultiTargetLibrary : IDisposable
{
    public const string Project = "src/Lib/Lib.csproj";

    public MultiTargetLibrary()
    {
        Workspace = TempWorkspace.Create(git: false);
        Workspace.Write(Project, """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFrameworks>netstandard2.0;net462;net10.0</TargetFrameworks>
                <LangVersion>latest</LangVersion>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <AssemblyName>Shapes.Lib</AssemblyName>
              </PropertyGroup>
            </Project>
            """);
        Workspace.Write("src/Lib/Guard.cs", Guard(""));
        DotnetCli.Restore(Workspace.Root, Project);
    }

    public TempWorkspace Workspace { get; }

    /// <summary>A class whose method body holds <paramref name="body"/>.</summary>
    public static string Guard(string body) => $$"""
        namespace Lib;

        public static class Guard
        {
            public static int Check(int value)
            {
                {{body}}
                return value;
            }
        }
        """;

    public void Dispose() => Workspace.Dispose();
}

/// <summary>The design-time build component: what MSBuild says a project compiles, judged against <c>dotnet build</c>.</summary>
[Trait("Category", "Slow")]
public sealed class DesignTimeBuildTests(MultiTargetLibrary library, ITestOutputHelper output) : IClassFixture<MultiTargetLibrary>
{
    private static readonly string[] Frameworks = ["netstandard2.0", "net462", "net10.0"];

    [Fact]
    public void Each_framework_gets_the_builds_own_inputs()
    {
        var model = new BuildProjectModel(library.Workspace.Root, restoreProjects: false);
        Assert.Equal(Frameworks, model.Frameworks(MultiTargetLibrary.Project));
        var contexts = Frameworks.ToDictionary(f => f, f => Timed(f, () => model.Load(MultiTargetLibrary.Project, f, CancellationToken.None)));

        foreach (var (framework, context) in contexts)
        {
            Assert.Equal(ProjectInputsSource.MSBuild, context.Source);
            Assert.Equal(framework, context.TargetFramework);
            Assert.Equal("Shapes.Lib", context.AssemblyName);
            Assert.Contains("src/Lib/Guard.cs", context.SourcePaths);
            Assert.Contains(context.SourcePaths, p => p.EndsWith(".AssemblyInfo.cs", StringComparison.Ordinal));
            Assert.Contains(context.SourcePaths, p => p.EndsWith(".AssemblyAttributes.cs", StringComparison.Ordinal));
            Assert.Contains(context.SourcePaths, p => p.EndsWith(".GlobalUsings.g.cs", StringComparison.Ordinal));
            Assert.All(context.SourcePaths, p => Assert.True(File.Exists(library.Workspace.PathOf(p)), p));
            Assert.Equal(NullableContextOptions.Enable, context.CompilationOptions.NullableContextOptions);
            Assert.Contains(context.AnalyzerConfigFiles, c => c.EndsWith(".GeneratedMSBuildEditorConfig.editorconfig", StringComparison.Ordinal));
        }

        // Each framework's own reference assemblies and symbols, not .NET 10's.
        Assert.Contains(contexts["net462"].References, r => r.Path.Contains("referenceassemblies.net462", StringComparison.OrdinalIgnoreCase) && r.Path.EndsWith("mscorlib.dll", StringComparison.Ordinal));
        Assert.Contains(contexts["netstandard2.0"].References, r => r.Path.Contains("netstandard.library", StringComparison.OrdinalIgnoreCase) && r.Path.EndsWith("netstandard.dll", StringComparison.Ordinal));
        Assert.Contains(contexts["net10.0"].References, r => r.Path.Contains("Microsoft.NETCore.App.Ref", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("NET462", contexts["net462"].ParseOptions.PreprocessorSymbolNames);
        Assert.Contains("NETSTANDARD2_0", contexts["netstandard2.0"].ParseOptions.PreprocessorSymbolNames);
        Assert.Contains("NET10_0_OR_GREATER", contexts["net10.0"].ParseOptions.PreprocessorSymbolNames);
    }

    [Fact]
    public void A_framework_only_api_fails_where_dotnet_build_fails_it()
    {
        var ws = library.Workspace;
        var model = new BuildProjectModel(ws.Root, restoreProjects: false);
        var contexts = Frameworks.ToDictionary(f => f, f => model.Load(MultiTargetLibrary.Project, f, CancellationToken.None));
        var original = ws.ReadText("src/Lib/Guard.cs");
        try
        {
            ws.Write("src/Lib/Guard.cs", MultiTargetLibrary.Guard("ArgumentOutOfRangeException.ThrowIfNegative(value);"));
            var engine = contexts
                .SelectMany(kv => ErrorsOf(ws.Root, kv.Value).Select(e => (Framework: kv.Key, e.Id, e.File)))
                .ToHashSet();
            var watch = Stopwatch.StartNew();
            var build = DotnetCli.BuildErrors(ws.Root, MultiTargetLibrary.Project);
            output.WriteLine($"dotnet build (3 frameworks): {watch.ElapsedMilliseconds} ms");

            Assert.Equal(build.Order(), engine.Order());
            Assert.Equal(["net462", "netstandard2.0"], engine.Select(e => e.Framework).Distinct().Order());
            Assert.All(engine, e => Assert.Equal("CS0117", e.Id));
        }
        finally
        {
            ws.Write("src/Lib/Guard.cs", original);
        }
    }

    [Fact]
    public void Artifacts_output_restore_is_found_where_msbuild_puts_it()
    {
        using var ws = TempWorkspace.Create(git: false);
        ws.Write("Directory.Build.props", """
            <Project>
              <PropertyGroup><UseArtifactsOutput>true</UseArtifactsOutput></PropertyGroup>
            </Project>
            """);
        ws.Write("src/App/App.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
              <ItemGroup><PackageReference Include="Newtonsoft.Json" Version="13.0.3" /></ItemGroup>
            </Project>
            """);
        ws.Write("src/App/Json.cs", """
            namespace App;

            public static class Json
            {
                public static string Of(object value) => Newtonsoft.Json.JsonConvert.SerializeObject(value);
            }
            """);
        DotnetCli.Restore(ws.Root, "src/App/App.csproj");
        Assert.False(Directory.Exists(ws.PathOf("src/App/obj")));

        var context = new BuildProjectModel(ws.Root, restoreProjects: false).Load("src/App/App.csproj", null, CancellationToken.None);

        Assert.Contains(context.ProjectFiles, f => f.StartsWith("artifacts/obj/", StringComparison.Ordinal) && f.EndsWith("project.assets.json", StringComparison.Ordinal));
        Assert.Contains(context.References, r => r.Path.EndsWith("Newtonsoft.Json.dll", StringComparison.Ordinal));
        Assert.Empty(ErrorsOf(ws.Root, context));
        Assert.Empty(DotnetCli.BuildErrors(ws.Root, "src/App/App.csproj"));
    }

    [Fact]
    public void An_unrestored_project_is_said_and_restored_only_when_asked()
    {
        using var ws = SampleApp(restored: false);

        var error = Assert.Throws<ComposeException>(() => new BuildProjectModel(ws.Root, restoreProjects: false).Load("App/App.csproj", null, CancellationToken.None));
        Assert.Equal(ComposeErrorCode.ProjectNotRestored, error.Code);
        Assert.Equal(["App/App.csproj"], error.Paths);
        Assert.Contains("dotnet restore", error.Reason, StringComparison.Ordinal);
        Assert.False(File.Exists(ws.PathOf("App/obj/project.assets.json")));

        var context = new BuildProjectModel(ws.Root, restoreProjects: true).Load("App/App.csproj", null, CancellationToken.None);
        Assert.True(File.Exists(ws.PathOf("App/obj/project.assets.json")));
        Assert.Empty(ErrorsOf(ws.Root, context));
    }

    [Fact]
    public void A_framework_the_restore_does_not_cover_is_said_as_dotnet_build_says_it_and_restored_only_when_asked()
    {
        using var ws = SampleApp(restored: true);

        // Frameworks changed without a restore: a design-time build gives net8.0 no packages and says nothing; the build fails.
        foreach (var frameworks in new[] { "<TargetFramework>net8.0</TargetFramework>", "<TargetFrameworks>net10.0;net8.0</TargetFrameworks>" })
        {
            ws.Write("App/App.csproj", SampleProjects.Csproj.Replace("<TargetFramework>net10.0</TargetFramework>", frameworks, StringComparison.Ordinal));
            var error = Assert.Throws<ComposeException>(() => new BuildProjectModel(ws.Root, restoreProjects: false).Load("App/App.csproj", "net8.0", CancellationToken.None));
            Assert.Equal(ComposeErrorCode.ProjectNotRestored, error.Code);
            Assert.Equal(["App/App.csproj"], error.Paths);
            Assert.Contains("NETSDK1005", error.Reason, StringComparison.Ordinal);
            Assert.Contains("dotnet restore", error.Reason, StringComparison.Ordinal);
            Assert.Contains(("net8.0", "NETSDK1005"), DotnetCli.BuildErrors(ws.Root, "App/App.csproj").Select(e => (e.Framework.Length == 0 ? "net8.0" : e.Framework, e.Id)));
        }

        var context = new BuildProjectModel(ws.Root, restoreProjects: true).Load("App/App.csproj", "net8.0", CancellationToken.None);
        Assert.Equal("net8.0", context.TargetFramework);
        Assert.Empty(ErrorsOf(ws.Root, context));
        Assert.Empty(DotnetCli.BuildErrors(ws.Root, "App/App.csproj"));
    }

    [Fact]
    public void A_project_edit_a_no_op_restore_leaves_alone_is_still_restored()
    {
        using var ws = SampleApp(restored: true);

        // NuGet's no-op restore leaves the assets file older than an edited project: that is still a restored project.
        ws.Write("App/App.csproj", SampleProjects.Csproj.Replace("<Nullable>enable</Nullable>", "<Nullable>disable</Nullable>", StringComparison.Ordinal));
        File.SetLastWriteTimeUtc(ws.PathOf("App/obj/project.assets.json"), DateTime.UtcNow.AddHours(-1));
        var context = new BuildProjectModel(ws.Root, restoreProjects: false).Load("App/App.csproj", null, CancellationToken.None);
        Assert.Equal(NullableContextOptions.Disable, context.CompilationOptions.NullableContextOptions);
    }

    [Fact]
    public void A_project_built_before_still_gives_its_compiler_command_line()
    {
        using var ws = SampleApp(restored: true);

        // The build's obj/ output is newer than every input: CoreCompile would be skipped as up to date, with no command
        // line, but for the design-time build's input that never exists.
        var (code, output) = DotnetCli.Run(ws.Root, "build", "App/App.csproj", "--no-restore", "-nr:false");
        Assert.True(code == 0, output);
        var invocation = DesignTimeBuild.CompilerInputs(ws.PathOf("App/App.csproj"), null);
        Assert.Contains(invocation.Arguments, a => a.EndsWith("Greeter.cs", StringComparison.Ordinal));
    }

    [Fact]
    public void A_project_reference_is_compiled_from_source_for_the_framework_msbuild_picks()
    {
        var ws = library.Workspace;
        ws.Write("src/App/App.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup>
              <ItemGroup><ProjectReference Include="../Lib/Lib.csproj" /></ItemGroup>
            </Project>
            """);
        try
        {
            DotnetCli.Restore(ws.Root, "src/App/App.csproj");
            var context = new BuildProjectModel(ws.Root, restoreProjects: false).Load("src/App/App.csproj", null, CancellationToken.None);

            Assert.Equal("src/Lib/Lib.csproj", Assert.Single(context.ProjectReferences));
            Assert.Equal("netstandard2.0", context.ReferencedFrameworks["src/Lib/Lib.csproj"]);
            Assert.DoesNotContain(context.References, r => r.Path.EndsWith("Shapes.Lib.dll", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(ws.PathOf("src/App"), recursive: true);
        }
    }

    [Fact]
    public void The_index_keeps_msbuilds_answer_until_an_input_changes()
    {
        using var ws = TempWorkspace.Create(git: false);
        ws.Write("Directory.Build.props", "<Project>\n  <PropertyGroup><DefineConstants>$(DefineConstants);FIRST</DefineConstants></PropertyGroup>\n</Project>\n");
        ws.Write("App/App.csproj", SampleProjects.Csproj);
        ws.Write("App/Greeter.cs", SampleProjects.Greeter);
        DotnetCli.Restore(ws.Root, "App/App.csproj");
        using var index = new LiteDbIndexStore(ws.PathOf(".data/index.db"));

        var first = new BuildProjectModel(ws.Root, restoreProjects: false, cache: index);
        var cold = Timed("cold (evaluation + design-time build)", () => first.Load("App/App.csproj", null, CancellationToken.None));
        Assert.Equal(3, first.MsBuildRuns);

        // A new session over the same index: no MSBuild at all, and the same inputs.
        var second = new BuildProjectModel(ws.Root, restoreProjects: false, cache: index);
        var warm = Timed("from the index", () => second.Load("App/App.csproj", null, CancellationToken.None));
        Assert.Equal(0, second.MsBuildRuns);
        Assert.Equal(cold.SourcePaths.AsEnumerable(), warm.SourcePaths);
        Assert.Equal(cold.References.Select(r => r.Path), warm.References.Select(r => r.Path));
        Assert.Equal(cold.ParseOptions.PreprocessorSymbolNames.ToArray(), warm.ParseOptions.PreprocessorSymbolNames.ToArray());
        Assert.Equal(cold.CompilationOptions.SpecificDiagnosticOptions, warm.CompilationOptions.SpecificDiagnosticOptions);
        Assert.Contains("FIRST", warm.ParseOptions.PreprocessorSymbolNames);

        // An imported file changes: MSBuild is asked again, and its new answer is the one used.
        ws.Write("Directory.Build.props", "<Project>\n  <PropertyGroup><DefineConstants>$(DefineConstants);SECOND</DefineConstants></PropertyGroup>\n</Project>\n");
        var third = new BuildProjectModel(ws.Root, restoreProjects: false, cache: index);
        var changed = third.Load("App/App.csproj", null, CancellationToken.None);
        Assert.Equal(3, third.MsBuildRuns);
        Assert.Contains("SECOND", changed.ParseOptions.PreprocessorSymbolNames);
        Assert.DoesNotContain("FIRST", changed.ParseOptions.PreprocessorSymbolNames);

        // A Directory.Build.props created nearer the project, where none was: asked again too.
        ws.Write("App/Directory.Build.props", "<Project>\n  <PropertyGroup><DefineConstants>$(DefineConstants);NEAREST</DefineConstants></PropertyGroup>\n</Project>\n");
        var fourth = new BuildProjectModel(ws.Root, restoreProjects: false, cache: index);
        var nearer = fourth.Load("App/App.csproj", null, CancellationToken.None);
        Assert.Equal(3, fourth.MsBuildRuns);
        Assert.Contains("NEAREST", nearer.ParseOptions.PreprocessorSymbolNames);
    }

    [Fact]
    public void No_sdk_to_ask_is_said()
    {
        using var ws = TempWorkspace.Create(git: false);
        ws.Write("App/App.csproj", SampleProjects.Csproj);
        var missing = Path.Combine(ws.Root, "no-sdk", "dotnet");

        var error = Assert.Throws<ComposeException>(() => new BuildProjectModel(ws.Root, restoreProjects: false, dotnet: missing).Load("App/App.csproj", null, CancellationToken.None));

        Assert.Equal(ComposeErrorCode.SdkNotFound, error.Code);
        Assert.Equal(["App/App.csproj"], error.Paths);
        Assert.Contains(missing, error.Reason, StringComparison.Ordinal);
    }

    private T Timed<T>(string what, Func<T> run)
    {
        var watch = Stopwatch.StartNew();
        var result = run();
        output.WriteLine($"design-time build {what}: {watch.ElapsedMilliseconds} ms");
        return result;
    }

    // The errors of the project compiled from its context alone, as the engine's warm baseline is.
    // A workspace with the sample project App/App.csproj and its Greeter, restored or not.
    private static TempWorkspace SampleApp(bool restored)
    {
        var ws = TempWorkspace.Create(git: false);
        ws.Write("App/App.csproj", SampleProjects.Csproj);
        ws.Write("App/Greeter.cs", SampleProjects.Greeter);
        if (restored)
        {
            DotnetCli.Restore(ws.Root, "App/App.csproj");
        }

        return ws;
    }

    private static List<(string Id, string File)> ErrorsOf(string root, ProjectContext context)
    {
        using var state = ProjectState.Load(root, context, _ => null, runGenerators: false, (_, _) => { }, CancellationToken.None);
        return [.. state.Baseline.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => (d.Id, Path.GetFileName(d.Location.SourceTree?.FilePath ?? "")))
            .Distinct()];
    }
}
