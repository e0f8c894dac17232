using AtomicCompose.Tests.TestSupport;
using AtomicCompose.Validation;

namespace AtomicCompose.Tests.Validation.Build;

/// <summary>
/// The validation service judging edits with the contexts MSBuild gives (<see cref="AtomicCompose.Validation.Build.BuildProjectModel"/>):
/// each framework against its own reference assemblies, as <c>dotnet build</c> judges them (verdicts checked with
/// <c>dotnet build</c>, SDK 10.0.401, in <see cref="DesignTimeBuildTests"/>).
/// </summary>
[Trait("Category", "Slow")]
public sealed class MsBuildValidationTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Library = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFrameworks>netstandard2.0;net462;net10.0</TargetFrameworks>
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
    public void A_framework_only_api_is_blocked_for_the_frameworks_that_lack_it()
    {
        using var h = ValidationHarness.Create(new Dictionary<string, string> { ["lib/Lib.csproj"] = Library, ["lib/Guard.cs"] = Guard });

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var report = h.Validate(h.Edit("lib/Guard.cs", "return value;", "System.ArgumentOutOfRangeException.ThrowIfNegative(value);\n        return value;"));
        output.WriteLine($"first verdict, cold (evaluation + 3 design-time builds side by side + 3 compilations): {watch.ElapsedMilliseconds} ms");
        var d = report.AssertBlockedBy("CS0117", "lib/Guard.cs");
        Assert.Equal(
            ["net10.0", "net462", "netstandard2.0"],
            report.Projects.Where(p => p.ProjectPath == "lib/Lib.csproj" && p.Inputs == ProjectInputsSource.MSBuild).Select(p => p.TargetFramework).Order());
        Assert.Equal(["net462", "netstandard2.0"], d.TargetFramework!.Split(';').Order());

        // A body edit every framework compiles passes, and the states are MSBuild's.
        watch.Restart();
        h.Validate(h.Edit("lib/Guard.cs", "return value;", "return value + 1;")).AssertPassed();
        output.WriteLine($"next body-edit verdict, warm (3 frameworks): {watch.ElapsedMilliseconds} ms");
        Assert.Equal(ProjectInputsSource.MSBuild, h.Service.FindLoadedProject("lib/Lib.csproj", "net462")!.Context.Source);
    }

    [Fact]
    public void An_unrestored_project_gives_the_typed_error_and_no_verdict()
    {
        using var h = ValidationHarness.Create(new Dictionary<string, string> { ["App/App.csproj"] = SampleProjects.Csproj, ["App/Greeter.cs"] = SampleProjects.Greeter }, restore: false);

        var error = Assert.Throws<ComposeException>(() => h.Validate(h.Edit("App/Greeter.cs", "\"Hello, \"", "\"Hi, \"")));
        Assert.Equal(ComposeErrorCode.ProjectNotRestored, error.Code);
        Assert.Equal(["App/App.csproj"], error.Paths);
    }
}
