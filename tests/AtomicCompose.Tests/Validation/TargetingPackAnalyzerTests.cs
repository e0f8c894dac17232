using AtomicCompose.Tests.TestSupport;
using AtomicCompose.Validation;
using AtomicCompose.Validation.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AtomicCompose.Tests.Validation;

/// <summary>
/// A build runs the analyzers the targeting packs list next to their source generators, and some of their rules are
/// errors by default: ASP.NET Core's (ASP0010, <c>UseStartup</c> on a <c>WebApplicationBuilder</c>) and the interop
/// ones (SYSLIB1057/1058, a marshaller of the wrong shape). Each verdict below is the one <c>dotnet build</c> gives
/// on SDK 10.0.401, at the same line and column.
/// </summary>
public sealed class TargetingPackAnalyzerTests
{
    private const string Program = """
        var builder = WebApplication.CreateBuilder(args);
        var app = builder.Build();
        app.MapGet("/", () => "hi");
        app.Run();

        /// <summary>Startup.</summary>
        public class Startup
        {
        }

        """;

    private const string Native = """
        using System.Runtime.InteropServices.Marshalling;

        namespace Demo;

        /// <summary>Native types.</summary>
        public static class Native
        {
        }

        """;

    private static ValidationHarness Web(bool loadProjectAnalyzers = true) =>
        ValidationHarness.Create(
            new Dictionary<string, string>
            {
                ["Web.csproj"] = SampleProjects.Csproj.Replace("Microsoft.NET.Sdk\"", "Microsoft.NET.Sdk.Web\"", StringComparison.Ordinal),
                ["Program.cs"] = Program,
            },
            analyzers: loadProjectAnalyzers ? [] : null);

    [Fact]
    public void An_aspnetcore_error_rule_blocks_a_web_edit_as_the_build_does_and_once_committed_is_not_new()
    {
        using var h = Web();
        var useStartup = h.Edit("Program.cs", "var app = builder.Build();", "builder.WebHost.UseStartup<Startup>();\nvar app = builder.Build();");
        var d = h.Validate(useStartup).AssertBlockedBy("ASP0010", "Program.cs");
        Assert.Equal((2, 17, DiagnosticSeverity.Error, true, "analyzers"), (d.Line, d.Column, d.Severity, d.IsNew, d.Validator));

        // Committed anyway (by someone else's build, say): an unrelated edit of the same file does not inherit it.
        h.Commit(useStartup);
        var report = h.Validate(h.Edit("Program.cs", "\"hi\"", "\"hello\""));
        report.AssertPassed();
        Assert.Contains(report.Diagnostics, x => x.Id == "ASP0010" && !x.IsNew);
    }

    [Fact]
    public void Without_the_projects_analyzers_the_aspnetcore_rule_does_not_run()
    {
        // The control: the same edit passes when no analyzers run, so the block above is the pack analyzer's.
        using var h = Web(loadProjectAnalyzers: false);
        h.Validate(h.Edit("Program.cs", "var app = builder.Build();", "builder.WebHost.UseStartup<Startup>();\nvar app = builder.Build();")).AssertPassed();
    }

    [Fact]
    public void An_interop_marshaller_of_the_wrong_shape_blocks_as_the_build_does()
    {
        using var h = ValidationHarness.Create(
            new Dictionary<string, string> { ["Demo.csproj"] = SampleProjects.Csproj, ["src/Native.cs"] = Native },
            analyzers: []);

        // Body edits of a project that names no marshaller still pass.
        h.Validate(h.Edit("src/Native.cs", "public static class Native\n{\n}", "public static class Native\n{\n    /// <summary>One.</summary>\n    /// <returns>1.</returns>\n    public static int One() => 1;\n}")).AssertPassed();

        var marshallers = h.Edit("src/Native.cs", "public static class Native\n{\n}", """
            public static class Native
            {
            }

            /// <summary>Marshals strings.</summary>
            [CustomMarshaller(typeof(string), MarshalMode.ManagedToUnmanagedIn, typeof(BadMarshaller))]
            public static class BadMarshaller
            {
                /// <summary>Not the shape the mode needs.</summary>
                /// <param name="s">Text.</param>
                /// <returns>0.</returns>
                public static int Foo(string s) => 0;
            }

            /// <summary>Wrapped.</summary>
            [NativeMarshalling(typeof(int))]
            public struct Wrapped
            {
            }
            """);
        var report = h.Validate(marshallers);
        var shape = report.AssertBlockedBy("SYSLIB1057", "src/Native.cs");
        var entry = report.AssertBlockedBy("SYSLIB1058", "src/Native.cs");
        Assert.Equal((11, 76), (shape.Line, shape.Column));
        Assert.Equal((21, 27), (entry.Line, entry.Column));
    }

    [Fact]
    public void The_interop_analyzers_join_only_once_a_file_names_what_they_check()
    {
        // A project without interop code does not pay for them on every edit; one whose edit names an attribute gets them.
        using var h = ValidationHarness.Demo();
        var packs = h.Context("Demo.csproj").FrameworkAnalyzerAssemblies;
        Assert.Contains(packs, p => p.EndsWith("Microsoft.Interop.LibraryImportGenerator.dll", StringComparison.Ordinal));
        var analyzers = BuiltInAnalyzers.Create([], packs, path => AnalyzerAssemblies.Get(path).Analyzers);
        var plain = CSharpCompilation.Create("P", [CSharpSyntaxTree.ParseText("class C { int M() => 1; }")]);
        var marshaller = CSharpSyntaxTree.ParseText("[System.Runtime.InteropServices.Marshalling.CustomMarshaller(typeof(string), default, typeof(C))] static class C { }");

        var without = analyzers.For(plain, [], CancellationToken.None);
        var with = analyzers.For(plain, [marshaller], CancellationToken.None);
        Assert.DoesNotContain(without, a => a.GetType().Name == "CustomMarshallerAttributeAnalyzer");
        Assert.Contains(with, a => a.GetType().Name == "CustomMarshallerAttributeAnalyzer");
        Assert.Contains(with, a => a.GetType().Name == "NativeMarshallingAttributeAnalyzer");

        // Named in the baseline instead of the edit: the same list instance, so findings cached under it stay valid.
        Assert.True(with == analyzers.For(plain.AddSyntaxTrees(marshaller), [], CancellationToken.None));
    }
}
