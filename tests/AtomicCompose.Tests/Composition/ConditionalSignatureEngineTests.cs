using System.Diagnostics;
using AtomicCompose.Tests.TestSupport;

namespace AtomicCompose.Tests.Composition;

/// <summary>
/// Two signatures under <c>#if … #else … #endif</c> sharing one body, in a project built for two frameworks: the member
/// is addressable, and a Delete or Replace of it lands only when it compiles for both, as <c>dotnet build</c> confirms.
/// </summary>
public sealed class ConditionalSignatureEngineTests : IDisposable
{
    private const string Multi = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFrameworks>net10.0;net8.0</TargetFrameworks>
            <Nullable>enable</Nullable>
          </PropertyGroup>
        </Project>
        """;

    private const string Text = """
        namespace M;

        /// <summary>Text helpers.</summary>
        public static class Text
        {
            /// <summary>Counts characters.</summary>
            /// <param name="text">The text.</param>
            /// <returns>Its length.</returns>
        #if NET10_0_OR_GREATER
            public static int Count(System.ReadOnlySpan<char> text)
        #else
            public static int Count(string text)
        #endif
            {
                return text.Length;
            }

            /// <summary>Doubles.</summary>
            /// <param name="x">A number.</param>
            /// <returns>Twice it.</returns>
            public static int Twice(int x) => x * 2;
        }

        """;

    private readonly TempWorkspace _ws = TempWorkspace.Create();

    public ConditionalSignatureEngineTests()
    {
        _ws.Write(".gitignore", "bin/\nobj/\n");
        _ws.Write("M.csproj", Multi);
        _ws.Write("src/Text.cs", Text);
        DotnetCli.Restore(_ws.Root, "M.csproj");
        _ws.CommitAll();
    }

    public void Dispose() => _ws.Dispose();

    [Fact]
    [Trait("Category", "Slow")]
    public void Delete_and_replace_of_a_member_with_two_signatures_compile_for_both_frameworks()
    {
        using (var engine = ComposeEngine.Open(_ws.Root))
        using (var tx = engine.Begin("replace both signatures"))
        {
            tx.Replace("src/Text.cs", "M.Text.Count(string)", "public static int Count(string text) => text.Length;");
            var result = tx.Complete();
            Assert.NotNull(result.CommitSha);
        }

        string replaced = _ws.ReadText("src/Text.cs");
        Assert.Contains("    /// <returns>Its length.</returns>\n    public static int Count(string text) => text.Length;\n\n", replaced, StringComparison.Ordinal);
        Assert.DoesNotContain("#if", replaced, StringComparison.Ordinal);
        AssertDotnetBuildSucceeds();

        _ws.Write("src/Text.cs", Text);
        _ws.CommitAll("back");
        using (var reopened = ComposeEngine.Open(_ws.Root))
        using (var tx = reopened.Begin("delete both signatures"))
        {
            tx.Delete("src/Text.cs", "M.Text.Count(string)");
            tx.Complete();
        }

        string deleted = _ws.ReadText("src/Text.cs");
        Assert.DoesNotContain("Count", deleted, StringComparison.Ordinal);
        Assert.DoesNotContain("#", deleted, StringComparison.Ordinal);
        AssertDotnetBuildSucceeds();
    }

    private void AssertDotnetBuildSucceeds()
    {
        var psi = new ProcessStartInfo("dotnet", ["build", "-nologo", "-v:q", "M.csproj"]) { WorkingDirectory = _ws.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, output);
    }
}
