using AtomicCompose.Tests.TestSupport;
using AtomicCompose.Validation;
using Xunit.Abstractions;

namespace AtomicCompose.Tests.Validation;

/// <summary>
/// A transaction that stages MSBuild files is judged against the evaluation those files give, before anything is written:
/// the C# edits with the new inputs, and what the files do to the code already there. Each verdict is checked against
/// <c>dotnet build</c> of the same files on disk.
/// </summary>
[Trait("Category", "Slow")]
public sealed class StagedBuildFilesTests(ITestOutputHelper output)
{
    private const string Project = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFrameworks>net10.0;netstandard2.0</TargetFrameworks>
          </PropertyGroup>
        </Project>
        """;

    // Block-scoped namespace and no newer syntax: compiles with C# 7.3 too.
    private const string Guard = """
        namespace Lib
        {
            public static class Guard
            {
                public static int Check(int value)
                {
                    return value;
                }

                public static int Unused()
                {
                    int unused;
                    return 0;
                }
        #if FEATURE
                public static int Feature() => 1;
        #endif
            }
        }

        """;

    private const string Caller = """
        namespace Lib
        {
            public static class Caller
            {
        #if FEATURE
                public static int Call() => Guard.Feature();
        #else
                public static int Call() => Guard.Check(0);
        #endif
            }
        }

        """;

    private const string RenamedCheck = "public static int Verify(int value)\n{\n    return value;\n}";

    private static string Props(string body) => $"<Project>\n  <PropertyGroup>\n    {body}\n  </PropertyGroup>\n</Project>\n";

    private static TempWorkspace Library(string? props = null)
    {
        var ws = TempWorkspace.Create();
        ws.Write(".gitignore", "bin/\nobj/\n");
        ws.Write("lib/Lib.csproj", Project);
        ws.Write("lib/Guard.cs", Guard);
        ws.Write("lib/Caller.cs", Caller);
        if (props is not null)
        {
            ws.Write("Directory.Build.props", props);
        }

        DotnetCli.Restore(ws.Root, "lib/Lib.csproj");
        ws.CommitAll();
        return ws;
    }

    private static HashSet<(string Framework, string Id, string File)> Blocking(ValidationReport report) =>
        [.. report.Blocking.SelectMany(d => (d.TargetFramework ?? "").Split(';').Select(f => (f, d.Id, Path.GetFileName(d.Path))))];

    [Fact]
    public void An_edit_is_judged_with_the_language_version_a_staged_props_file_sets()
    {
        using var ws = Library();
        using var engine = ComposeEngine.Open(ws.Root);

        // Alone, the edit is blocked for netstandard2.0 only: its default is C# 7.3, net10.0's is C# 14.
        using (var alone = engine.Begin("a switch expression"))
        {
            alone.ReplaceBody("lib/Guard.cs", "Lib.Guard.Check(int)", "return value switch { 0 => 1, _ => value };");
            Assert.Contains(("netstandard2.0", "CS8370", "Guard.cs"), Blocking(alone.Preview().Validation));
            Assert.DoesNotContain(Blocking(alone.Preview().Validation), b => b.Framework == "net10.0");
        }

        var snapshot = ObjFolder(ws);
        var props = Props("<LangVersion>7.3</LangVersion>");
        using var tx = engine.Begin("C# 7.3 everywhere, and a switch expression");
        tx.CreateFile("Directory.Build.props", props);
        tx.ReplaceBody("lib/Guard.cs", "Lib.Guard.Check(int)", "return value switch { 0 => 1, _ => value };");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var report = tx.Preview().Validation;
        output.WriteLine($"verdict with a staged props file (two frameworks, one host run): {watch.ElapsedMilliseconds} ms");

        Assert.Contains(report.Projects, p => p is { ProjectPath: "lib/Lib.csproj", TargetFramework: "net10.0", Inputs: ProjectInputsSource.MSBuildWithStagedFiles });
        var engineSays = Blocking(report);
        Assert.Contains(("net10.0", "CS8370", "Guard.cs"), engineSays);
        Assert.False(File.Exists(ws.PathOf("Directory.Build.props")), "nothing is written before the verdict");
        Assert.Equal(snapshot, ObjFolder(ws)); // the staged design-time builds wrote their files elsewhere

        // The oracle: the same files on disk, built.
        ws.Write("Directory.Build.props", props);
        ws.Write("lib/Guard.cs", Guard.Replace("return value;", "return value switch { 0 => 1, _ => value };", StringComparison.Ordinal));
        Assert.Equal(DotnetCli.BuildErrors(ws.Root, "lib/Lib.csproj"), engineSays);
    }

    [Fact]
    public void A_staged_props_file_that_makes_warnings_errors_blocks_for_the_code_already_there()
    {
        using var ws = Library();
        using var engine = ComposeEngine.Open(ws.Root);
        var props = Props("<TreatWarningsAsErrors>true</TreatWarningsAsErrors>");

        using var tx = engine.Begin("warnings as errors");
        tx.CreateFile("Directory.Build.props", props);
        var report = tx.Preview().Validation;

        var verdict = Assert.Single(report.Verdicts, v => v.Validator == StagedBuildFiles.ValidatorName);
        Assert.False(verdict.Passed);
        var engineSays = Blocking(report);
        Assert.Equal([("net10.0", "CS0168", "Guard.cs"), ("netstandard2.0", "CS0168", "Guard.cs")], engineSays.Order().ToList());
        var error = Assert.ThrowsAny<ComposeException>(() => tx.Complete());
        Assert.Equal(ComposeErrorCode.ValidationFailed, error.Code);
        Assert.False(File.Exists(ws.PathOf("Directory.Build.props")));

        ws.Write("Directory.Build.props", props);
        Assert.Equal(DotnetCli.BuildErrors(ws.Root, "lib/Lib.csproj"), engineSays);
    }

    [Fact]
    public void Deleting_the_props_file_that_defines_a_symbol_is_judged_without_it_and_lands()
    {
        using var ws = Library(Props("<DefineConstants>$(DefineConstants);FEATURE</DefineConstants>"));
        using var engine = ComposeEngine.Open(ws.Root);

        // Without FEATURE, Caller's #else branch is compiled; it calls Check, which this edit renames: blocked.
        using (var broken = engine.Begin("no FEATURE, and Check renamed"))
        {
            broken.DeleteFile("Directory.Build.props");
            broken.Replace("lib/Guard.cs", "Lib.Guard.Check(int)", RenamedCheck);
            var engineSays = Blocking(broken.Preview().Validation);
            Assert.Equal([("net10.0", "CS0117", "Caller.cs"), ("netstandard2.0", "CS0117", "Caller.cs")], engineSays.Order().ToList());
        }

        // With FEATURE still defined, the same rename passes: the #if FEATURE branch does not call Check.
        using (var kept = engine.Begin("Check renamed"))
        {
            kept.Replace("lib/Guard.cs", "Lib.Guard.Check(int)", RenamedCheck);
            Assert.True(kept.Preview().Validation.Passed);
        }

        using (var tx = engine.Begin("no FEATURE"))
        {
            tx.DeleteFile("Directory.Build.props");
            var result = tx.Complete();
            Assert.True(result.Validation.Passed, result.Validation.Summary());
        }

        Assert.False(File.Exists(ws.PathOf("Directory.Build.props")));
        Assert.Empty(DotnetCli.BuildErrors(ws.Root, "lib/Lib.csproj"));

        // The next edit is judged with the evaluation on disk now: no FEATURE.
        using var next = engine.Begin("Check renamed, now that FEATURE is gone");
        next.Replace("lib/Guard.cs", "Lib.Guard.Check(int)", RenamedCheck);
        Assert.Contains(next.Preview().Validation.Blocking, d => d.Id == "CS0117" && d.Path == "lib/Caller.cs");
    }

    [Fact]
    public void An_edit_of_the_project_file_is_judged_with_the_code_edits_that_land_with_it()
    {
        using var ws = Library();
        using var engine = ComposeEngine.Open(ws.Root);
        var strict = Project.Replace("</TargetFrameworks>", "</TargetFrameworks>\n    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>", StringComparison.Ordinal);

        // Warnings as errors with the unused variable still there: blocked, for the code the transaction did not touch.
        using (var alone = engine.Begin("warnings as errors"))
        {
            alone.ReplaceFile("lib/Lib.csproj", strict);
            Assert.Contains(alone.Preview().Validation.Blocking, d => d is { Id: "CS0168", Validator: StagedBuildFiles.ValidatorName });
        }

        // With the variable removed in the same transaction: passes, lands, and dotnet build agrees.
        using (var tx = engine.Begin("warnings as errors, and no unused variable"))
        {
            tx.ReplaceFile("lib/Lib.csproj", strict);
            tx.ReplaceBody("lib/Guard.cs", "Lib.Guard.Unused()", "return 0;");
            var result = tx.Complete();
            Assert.True(result.Validation.Passed, result.Validation.Summary());
            Assert.Contains(result.Validation.Projects, p => p.Inputs == ProjectInputsSource.MSBuildWithStagedFiles);
        }

        Assert.Equal(strict, ws.ReadText("lib/Lib.csproj"));
        Assert.Empty(DotnetCli.BuildErrors(ws.Root, "lib/Lib.csproj"));
    }

    [Fact]
    public void A_staged_import_one_framework_reads_is_judged_for_that_framework()
    {
        using var ws = Library(Props("<Dummy>1</Dummy>").Replace("</Project>",
            "  <Import Project=\"eng/net10.props\" Condition=\"'$(TargetFramework)' == 'net10.0' and Exists('$(MSBuildThisFileDirectory)eng/net10.props')\" />\n</Project>", StringComparison.Ordinal));
        using var engine = ComposeEngine.Open(ws.Root);
        var props = Props("<TreatWarningsAsErrors>true</TreatWarningsAsErrors>");

        using var tx = engine.Begin("warnings as errors, for net10.0");
        tx.CreateFile("eng/net10.props", props);
        var engineSays = Blocking(tx.Preview().Validation);
        Assert.Equal([("net10.0", "CS0168", "Guard.cs")], engineSays.ToList());

        ws.Write("eng/net10.props", props);
        Assert.Equal(DotnetCli.BuildErrors(ws.Root, "lib/Lib.csproj"), engineSays);
    }

    [Fact]
    public void A_transaction_that_creates_the_import_a_broken_repository_lacks_is_judged_and_lands()
    {
        // Restored first: a restore of the broken repository would fail like its evaluation.
        using var ws = Library();
        ws.Write("Directory.Build.props", Props("<Dummy>1</Dummy>").Replace("</Project>", "  <Import Project=\"eng/common.props\" />\n</Project>", StringComparison.Ordinal));
        ws.CommitAll("an import of a file that is not there");
        using var engine = ComposeEngine.Open(ws.Root);

        using (var broken = engine.Begin("an edit while the import is missing"))
        {
            broken.ReplaceBody("lib/Guard.cs", "Lib.Guard.Check(int)", "return value + 1;");
            Assert.Equal(ComposeErrorCode.ProjectEvaluationFailed, Assert.Throws<ComposeException>(() => broken.Preview()).Code);
        }

        using (var tx = engine.Begin("the missing import"))
        {
            tx.CreateFile("eng/common.props", Props("<DefineConstants>$(DefineConstants);FEATURE</DefineConstants>"));
            var result = tx.Complete();
            Assert.True(result.Validation.Passed, result.Validation.Summary());
        }

        Assert.Empty(DotnetCli.BuildErrors(ws.Root, "lib/Lib.csproj"));
    }

    [Fact]
    public void A_staged_package_reference_is_said_to_need_a_restore_and_nothing_is_written()
    {
        using var ws = Library();
        using var engine = ComposeEngine.Open(ws.Root);
        using var tx = engine.Begin("a package");
        tx.CreateFile("Directory.Build.props", "<Project>\n  <ItemGroup>\n    <PackageReference Include=\"Newtonsoft.Json\" Version=\"13.0.3\" />\n  </ItemGroup>\n</Project>\n");
        tx.ReplaceBody("lib/Guard.cs", "Lib.Guard.Check(int)", "return Newtonsoft.Json.JsonConvert.SerializeObject(value).Length;");

        var error = Assert.Throws<ComposeException>(() => tx.Preview());
        Assert.Equal(ComposeErrorCode.ProjectNotRestored, error.Code);
        Assert.Contains("PackageReference Newtonsoft.Json 13.0.3 added", error.Message, StringComparison.Ordinal);
        AssertNothingWritten(ws);
    }

    [Fact]
    public void A_staged_props_file_msbuild_cannot_read_is_said_and_nothing_is_written()
    {
        using var ws = Library();
        using var engine = ComposeEngine.Open(ws.Root);
        using var tx = engine.Begin("a broken props file");
        tx.CreateFile("Directory.Build.props", "<Project>\n  <PropertyGroup>\n</Project>\n");
        tx.ReplaceBody("lib/Guard.cs", "Lib.Guard.Check(int)", "return value + 1;");

        var error = Assert.Throws<ComposeException>(() => tx.Preview());
        Assert.Equal((ComposeErrorCode.ProjectEvaluationFailed, ComposeStep.Validate), (error.Code, error.Step));
        Assert.Contains("Directory.Build.props", error.Message, StringComparison.Ordinal);
        AssertNothingWritten(ws);
    }

    [Fact]
    public void A_staged_props_file_no_project_reads_leaves_the_verdict_to_the_contexts_on_disk()
    {
        using var ws = Library();
        using var engine = ComposeEngine.Open(ws.Root);
        using var tx = engine.Begin("a props file nothing imports, in a folder with no project");
        tx.CreateFile("eng/Unused.props", Props("<LangVersion>7.3</LangVersion>"));
        tx.ReplaceBody("lib/Guard.cs", "Lib.Guard.Check(int)", "return value + 1;");
        var report = tx.Preview().Validation;

        Assert.True(report.Passed, report.Summary());
        Assert.DoesNotContain(report.Verdicts, v => v.Validator == StagedBuildFiles.ValidatorName);
        Assert.All(report.Projects, p => Assert.Equal(ProjectInputsSource.MSBuild, p.Inputs));
    }

    // The staged props file is not on disk, and the edited file is as it was.
    private static void AssertNothingWritten(TempWorkspace ws)
    {
        Assert.False(File.Exists(ws.PathOf("Directory.Build.props")));
        Assert.Equal(Guard, ws.ReadText("lib/Guard.cs"));
    }

    // Every file under the project's obj folder with its size and time: what a build trusts there.
    private static SortedDictionary<string, (long, DateTime)> ObjFolder(TempWorkspace ws)
    {
        var obj = ws.PathOf("lib/obj");
        return new SortedDictionary<string, (long, DateTime)>(
            Directory.EnumerateFiles(obj, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(obj, f), f => (new FileInfo(f).Length, File.GetLastWriteTimeUtc(f))),
            StringComparer.Ordinal);
    }
}
