using AtomicCompose.Tests.TestSupport;

namespace AtomicCompose.Tests.Validation.Build;

/// <summary>
/// The engine judging with MSBuild's project model: a framework-only API is blocked for the frameworks that lack it,
/// and a second <c>Open</c> of the unchanged repository takes the inputs from the index without running MSBuild.
/// </summary>
[Trait("Category", "Slow")]
public sealed class MsBuildEngineTests
{
    private const string Library = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFrameworks>net462;net10.0</TargetFrameworks>
            <LangVersion>latest</LangVersion>
            <Nullable>enable</Nullable>
          </PropertyGroup>
        </Project>
        """;

    private const string Guard = """
        namespace Lib;

        /// <summary>Guards.</summary>
        public static class Guard
        {
            /// <summary>Checks.</summary>
            /// <param name="value">A value.</param>
            /// <returns>The value.</returns>
            public static int Check(int value)
            {
                return value;
            }
        }

        """;

    [Fact]
    public void A_second_open_of_an_unchanged_repository_runs_no_msbuild()
    {
        using var ws = TempWorkspace.Create();
        ws.Write(".gitignore", "bin/\nobj/\n");
        ws.Write("lib/Lib.csproj", Library);
        ws.Write("lib/Guard.cs", Guard);
        DotnetCli.Restore(ws.Root, "lib/Lib.csproj");
        ws.CommitAll();

        int MsBuildRuns(CapturingLoggerProvider log) => log.Entries.Count(e => e.Message.StartsWith("Asking MSBuild", StringComparison.Ordinal));

        var first = new CapturingLoggerProvider();
        using (var engine = ComposeEngine.Open(ws.Root, new ComposeOptions { LoggerFactory = first }))
        {
            using var tx = engine.Begin("net462 has no ThrowIfNegative");
            tx.ReplaceBody("lib/Guard.cs", "Lib.Guard.Check(int)", "System.ArgumentOutOfRangeException.ThrowIfNegative(value);\nreturn value;");
            var preview = tx.Preview();
            var blocking = Assert.Single(preview.Validation.Blocking);
            Assert.Equal(("CS0117", "net462"), (blocking.Id, blocking.TargetFramework));
        }

        Assert.True(MsBuildRuns(first) >= 3, string.Join('\n', first.Entries.Select(e => e.Message)));

        var second = new CapturingLoggerProvider();
        using (var engine = ComposeEngine.Open(ws.Root, new ComposeOptions { LoggerFactory = second }))
        {
            using var tx = engine.Begin("a body every framework compiles");
            tx.ReplaceBody("lib/Guard.cs", "Lib.Guard.Check(int)", "return value + 1;");
            tx.Complete();
        }

        Assert.Equal(0, MsBuildRuns(second));
        Assert.Contains("return value + 1;", ws.ReadText("lib/Guard.cs"), StringComparison.Ordinal);
    }

    private const string Helper = """
        namespace Demo;

        /// <summary>Added by someone else.</summary>
        public static class Helper
        {
            /// <summary>Shouts.</summary>
            /// <param name="text">Text.</param>
            /// <returns>It, louder.</returns>
            public static string Shout(string text) => text.ToUpperInvariant();
        }

        """;

    [Fact]
    public void A_file_someone_else_creates_is_compiled_once_msbuild_is_asked_again_in_the_session_and_after_reopening()
    {
        using var ws = TempWorkspace.Create();
        SampleProjects.WriteDemo(ws);
        const string UsesHelper = "return Helper.Shout(\"Hello, \" + name);";

        using (var engine = ComposeEngine.Open(ws.Root))
        {
            using (var tx = engine.Begin("warm up"))
            {
                tx.ReplaceBody("src/Greeter.cs", "Demo.Greeter.Greet(string)", "return \"Hi, \" + name;");
                tx.Complete();
            }

            // Created on disk by another tool while the engine is open: MSBuild's globs would compile it.
            ws.Write("src/Helper.cs", Helper);
            using var uses = engine.Begin("use the new file");
            uses.ReplaceBody("src/Greeter.cs", "Demo.Greeter.Greet(string)", UsesHelper);
            var preview = uses.Preview();
            Assert.True(preview.Validation.Passed, preview.Validation.Summary());
        }

        // Created while no engine was open: the index's inputs no longer match the folder, so MSBuild is asked again.
        ws.Write("src/Later.cs", Helper.Replace("class Helper", "class Later", StringComparison.Ordinal));
        using (var engine = ComposeEngine.Open(ws.Root))
        {
            using var tx = engine.Begin("use the file created while closed");
            tx.ReplaceBody("src/Greeter.cs", "Demo.Greeter.Greet(string)", "return Later.Shout(name);");
            var preview = tx.Preview();
            Assert.True(preview.Validation.Passed, preview.Validation.Summary());
        }
    }
}
