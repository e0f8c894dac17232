using AtomicCompose.Tests.TestSupport;
using AtomicCompose.Validation;

namespace AtomicCompose.Tests.Validation;

/// <summary>
/// A caller with a project system of its own (or no .NET SDK) hands in the compiler command line of a project: the engine
/// judges that project with it, never asks MSBuild about it, and the report says the caller's inputs judged the edit.
/// </summary>
public sealed class CallerContextTests
{
    private const string Greeter = """
        namespace Caller;

        /// <summary>Greets.</summary>
        public static class Greeter
        {
            /// <summary>Says hello.</summary>
            /// <param name="name">Who.</param>
            /// <returns>The greeting.</returns>
            public static string Greet(string name)
            {
                return "Hello, " + name;
            }
        }

        """;

    // The running runtime's own assemblies stand in for a reference pack: what a project system would name.
    private static IEnumerable<string> RuntimeReferences() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p) is "System.Runtime.dll" or "System.Private.CoreLib.dll" or "System.Console.dll" or "netstandard.dll")
            .Select(p => "/reference:" + p);

    [Fact]
    public void An_unrestored_project_is_judged_with_the_callers_command_line_and_msbuild_is_never_asked()
    {
        using var ws = TempWorkspace.Create();
        ws.Write(".gitignore", "bin/\nobj/\n");
        ws.Write("App/App.csproj", SampleProjects.Csproj); // never restored: MSBuild's model would refuse it
        ws.Write("App/Greeter.cs", Greeter);
        ws.CommitAll();

        var log = new CapturingLoggerProvider();
        var options = new ComposeOptions { LoggerFactory = log };
        options.ProjectContexts.Add(ProjectContext.FromCompilerArguments(
            ws.Root, "App/App.csproj", ["/nullable:enable", "/define:LOUD", "/langversion:latest", "Greeter.cs", .. RuntimeReferences()], "net10.0"));

        using var engine = ComposeEngine.Open(ws.Root, options);
        using (var tx = engine.Begin("a symbol the caller defines"))
        {
            // Compiled only where LOUD is defined: the caller's symbols decide, so this error is new.
            tx.ReplaceBody("App/Greeter.cs", "Caller.Greeter.Greet(string)", "#if LOUD\nreturn Shout(name);\n#else\nreturn name;\n#endif");
            var preview = tx.Preview();
            var blocking = Assert.Single(preview.Validation.Blocking);
            Assert.Equal("CS0103", blocking.Id);
            Assert.Equal([new JudgedProject("App/App.csproj", "net10.0", ProjectInputsSource.Caller)], preview.Validation.Projects);
        }

        using (var tx = engine.Begin("nullable from the caller's options"))
        {
            tx.ReplaceBody("App/Greeter.cs", "Caller.Greeter.Greet(string)", "string? maybe = name.Length > 0 ? name : null;\nreturn maybe ?? \"\";");
            var result = tx.Complete();
            Assert.True(result.Validation.Passed, result.Validation.Summary());
            Assert.Equal(ProjectInputsSource.Caller, Assert.Single(result.Validation.Projects).Inputs);
        }

        Assert.DoesNotContain(log.Entries, e => e.Message.StartsWith("Asking MSBuild", StringComparison.Ordinal));
        Assert.False(Directory.Exists(ws.PathOf("App/obj")), "MSBuild ran for a project the caller described");
    }

    [Fact]
    public void Without_a_callers_context_the_same_unrestored_project_is_refused_as_not_restored()
    {
        using var ws = TempWorkspace.Create();
        ws.Write("App/App.csproj", SampleProjects.Csproj);
        ws.Write("App/Greeter.cs", Greeter);
        ws.CommitAll();
        var before = ws.Snapshot();

        using var engine = ComposeEngine.Open(ws.Root);
        using var tx = engine.Begin("needs a restore");
        tx.ReplaceBody("App/Greeter.cs", "Caller.Greeter.Greet(string)", "return name;");
        var ex = Assert.Throws<ComposeException>(() => tx.Complete());

        Assert.Equal((ComposeErrorCode.ProjectNotRestored, ComposeStep.Validate), (ex.Code, ex.Step));
        Assert.Equal(["App/App.csproj"], ex.Paths);
        Assert.Contains("dotnet restore", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, ws.Snapshot());
    }

    [Fact]
    public void Bad_command_lines_and_projects_outside_the_root_are_refused_when_the_context_is_made()
    {
        using var ws = TempWorkspace.Create(git: false);
        var badArgument = Assert.Throws<ArgumentException>(() => ProjectContext.FromCompilerArguments(ws.Root, "App/App.csproj", ["/langversion:banana"]));
        Assert.Contains("App/App.csproj", badArgument.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ProjectContext.FromCompilerArguments(ws.Root, "../Elsewhere/E.csproj", ["E.cs"]));

        var twice = new ComposeOptions();
        twice.ProjectContexts.Add(ProjectContext.FromCompilerArguments(ws.Root, "App/App.csproj", ["A.cs"], "net10.0"));
        twice.ProjectContexts.Add(ProjectContext.FromCompilerArguments(ws.Root, "App/App.csproj", ["B.cs"], "net10.0"));
        var ex = Assert.Throws<ArgumentException>(() => ComposeEngine.Open(ws.Root, twice));
        Assert.Contains("twice", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_context_holds_what_the_command_line_says()
    {
        using var ws = TempWorkspace.Create(git: false);
        var context = ProjectContext.FromCompilerArguments(
            ws.Root, "src/Lib/Lib.csproj", ["/nullable:enable", "/define:A;B", "/warnaserror+", "Code.cs", "../Shared/Util.cs", "/out:obj/Lib.dll"], "netstandard2.0");

        Assert.Equal(("src/Lib/Lib.csproj", "netstandard2.0", ProjectInputsSource.Caller), (context.ProjectPath, context.TargetFramework, context.Source));
        Assert.Equal(["src/Lib/Code.cs", "src/Shared/Util.cs"], context.SourcePaths.ToArray());
        Assert.Contains("A", context.ParseOptions.PreprocessorSymbolNames);
        Assert.Contains("B", context.ParseOptions.PreprocessorSymbolNames);
        Assert.Equal(Microsoft.CodeAnalysis.NullableContextOptions.Enable, context.CompilationOptions.NullableContextOptions);
        Assert.Equal(Microsoft.CodeAnalysis.ReportDiagnostic.Error, context.CompilationOptions.GeneralDiagnosticOption);
    }
}
