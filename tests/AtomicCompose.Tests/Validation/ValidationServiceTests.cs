using AtomicCompose.Tests.TestSupport;
using AtomicCompose.Validation;
using Microsoft.CodeAnalysis;

namespace AtomicCompose.Tests.Validation;

public sealed class ValidationServiceTests
{
    private const string GreetBody = "return \"Hello, \" + name + \"!\";";

    [Fact]
    public void Valid_body_edit_passes_and_every_validator_reports_a_time()
    {
        using var h = ValidationHarness.Demo();
        var report = h.Validate(h.Edit("src/Greeter.cs", GreetBody, "return $\"Hi, {name}\";"));

        report.AssertPassed();
        Assert.Equal(["syntax", "compilation", "documentation"], report.Verdicts.Select(v => v.Validator));
        Assert.All(report.Verdicts, v => Assert.False(v.Skipped));
        Assert.Contains(report.Verdicts, v => v.Elapsed > TimeSpan.Zero);
        Assert.Empty(report.Diagnostics);
    }

    [Fact]
    public void Type_error_blocks()
    {
        using var h = ValidationHarness.Demo();
        var report = h.Validate(h.Edit("src/Greeter.cs", GreetBody, "return 42;"));

        var d = report.AssertBlockedBy("CS0029", "src/Greeter.cs");
        Assert.True(d.IsNew);
        Assert.Equal(ValidationCategory.Compilation, d.Category);
        Assert.Equal("compilation", d.Validator);
        Assert.Equal(11, d.Line);
        Assert.False(report.Verdict("compilation").Passed);
        Assert.True(report.Verdict("syntax").Passed);
    }

    [Fact]
    public void Preexisting_error_elsewhere_in_the_file_does_not_block_an_unrelated_edit()
    {
        using var h = ValidationHarness.Demo();
        h.Workspace.Write("src/Greeter.cs", SampleProjects.Greeter.Replace("\"Bye, \" + name", "\"Bye, \" + nobody"));
        var edit = h.Edit("src/Greeter.cs", GreetBody, "return \"Hey \" + name;");

        var report = h.Validate(edit);

        report.AssertPassed();
        var old = Assert.Single(report.Diagnostics, d => d.Id == "CS0103");
        Assert.False(old.IsNew);
        Assert.Equal("src/Greeter.cs", old.Path);

        // The same report under a strict policy blocks: the pre-existing error is really there.
        using var strict = ValidationHarness.Demo(new ValidationPolicy { BlockOnPreexistingErrors = true });
        strict.Workspace.Write("src/Greeter.cs", SampleProjects.Greeter.Replace("\"Bye, \" + name", "\"Bye, \" + nobody"));
        strict.Validate(strict.Edit("src/Greeter.cs", GreetBody, "return \"Hey \" + name;")).AssertBlockedBy("CS0103");
    }

    [Fact]
    public void A_second_copy_of_a_preexisting_error_is_new()
    {
        using var h = ValidationHarness.Demo();
        h.Workspace.Write("src/Greeter.cs", SampleProjects.Greeter.Replace("\"Bye, \" + name", "\"Bye, \" + nobody"));

        var report = h.Validate(h.Edit("src/Greeter.cs", GreetBody, "return \"Hey \" + nobody;"));

        var d = report.AssertBlockedBy("CS0103");
        Assert.Equal(11, d.Line); // the copy in the edit, not the old one in Farewell
        Assert.Single(report.Diagnostics, x => x.Id == "CS0103" && !x.IsNew && x.Line == 17);
    }

    [Fact]
    public void A_preexisting_ambiguity_whose_declarations_moved_is_not_new()
    {
        // Two Greet(string): the compiler names both with their declaration lines ("... [src/Greeter.cs(10)]").
        using var h = ValidationHarness.Demo();
        h.Workspace.Write("src/Greeter.cs", SampleProjects.Greeter.Replace(
            "    /// <summary>Says goodbye.</summary>",
            "    /// <summary>Again.</summary>\n    /// <param name=\"name\">Who.</param>\n    /// <returns>Hi.</returns>\n    public string Greet(string name) => name;\n\n    /// <summary>Says goodbye.</summary>",
            StringComparison.Ordinal).Replace("\"Bye, \" + name", "\"Bye, \" + Greet(name)", StringComparison.Ordinal));

        var report = h.Validate(h.Edit("src/Greeter.cs", "    /// <summary>Says hello.</summary>",
            "    /// <summary>Counts.</summary>\n    /// <returns>One.</returns>\n    public int Count() => 1;\n\n    /// <summary>Says hello.</summary>"));

        report.AssertPassed();
        var ambiguous = Assert.Single(report.Diagnostics, d => d.Id == "CS0121");
        Assert.False(ambiguous.IsNew);
        Assert.Equal(("src/Greeter.cs", 26), (ambiguous.Path, ambiguous.Line));
        Assert.Contains("[src/Greeter.cs(13)]", ambiguous.Message, StringComparison.Ordinal); // line 9 before the insert
    }

    [Fact]
    public void Preexisting_diagnostic_that_moved_is_not_new()
    {
        using var h = ValidationHarness.Demo();
        h.Workspace.Write("src/Greeter.cs", SampleProjects.Greeter.Replace("\"Bye, \" + name", "\"Bye, \" + nobody"));

        // Lines inserted above the error move it down.
        var insert = h.Edit("src/Greeter.cs", "    /// <summary>Says hello.</summary>",
            "    /// <summary>Counts.</summary>\n    /// <returns>One.</returns>\n    public int Count() => 1;\n\n    /// <summary>Says hello.</summary>");
        var report = h.Validate(insert);
        report.AssertPassed();
        var moved = Assert.Single(report.Diagnostics, d => d.Id == "CS0103");
        Assert.False(moved.IsNew);
        Assert.Equal(21, moved.Line);

        // The erroneous member itself moved to the top of the class.
        var text = h.Read("src/Greeter.cs");
        var farewell = "    /// <summary>Says goodbye.</summary>\n    /// <param name=\"name\">Who.</param>\n    /// <returns>The farewell.</returns>\n    public string Farewell(string name) => \"Bye, \" + nobody;\n";
        Assert.Contains(farewell, text);
        var reordered = text.Replace("\n" + farewell, "").Replace("{\n    /// <summary>Says hello.", "{\n" + farewell + "\n    /// <summary>Says hello.");
        Assert.NotEqual(text, reordered);
        var report2 = h.Validate(h.Doc("src/Greeter.cs", text, reordered));
        report2.AssertPassed();
        Assert.False(Assert.Single(report2.Diagnostics, d => d.Id == "CS0103").IsNew);
    }

    [Fact]
    public void Deleting_a_method_used_by_another_file_blocks()
    {
        using var h = ValidationHarness.Demo();
        var text = h.Read("src/Greeter.cs");
        var start = text.IndexOf("    /// <summary>Says hello.", StringComparison.Ordinal);
        var end = text.IndexOf("    /// <summary>Says goodbye.", StringComparison.Ordinal);

        var report = h.Validate(h.Doc("src/Greeter.cs", text, text[..start] + text[end..]));

        var d = report.AssertBlockedBy("CS1061", "src/Program.cs");
        Assert.True(d.IsNew);
        Assert.Contains("Greet", d.Message);
    }

    [Fact]
    public void Deleting_a_file_whose_type_is_used_elsewhere_blocks()
    {
        using var h = ValidationHarness.Demo();
        var report = h.Validate(h.Rewrite("src/Greeter.cs", null));
        report.AssertBlockedBy("CS0246", "src/Program.cs");
    }

    [Fact]
    public void Body_edit_after_an_accepted_declaration_change_sees_the_new_baseline()
    {
        using var h = ValidationHarness.Demo();
        var add = h.Edit("src/Greeter.cs", "    /// <summary>Says goodbye.", "    /// <summary>Shouts.</summary>\n    /// <returns>Loud.</returns>\n    public string Shout() => \"HEY\";\n\n    /// <summary>Says goodbye.");
        h.Validate(add).AssertPassed();
        h.Commit(add);

        // Program now uses Shout: only valid if the accepted baseline has it.
        h.Validate(h.Edit("src/Program.cs", "new Greeter().Greet(\"world\")", "new Greeter().Shout()")).AssertPassed();

        // And taking it away again breaks Program once Program uses it.
        var use = h.Edit("src/Program.cs", "new Greeter().Greet(\"world\")", "new Greeter().Shout()");
        h.Commit(use);
        var remove = h.Edit("src/Greeter.cs", "    public string Shout() => \"HEY\";\n", "");
        h.Validate(remove).AssertBlockedBy("CS1061", "src/Program.cs");
    }

    [Fact]
    public void File_changed_on_disk_by_someone_else_is_judged_by_the_documents_before_text()
    {
        using var h = ValidationHarness.Demo();
        h.Validate(h.Edit("src/Greeter.cs", GreetBody, "return name;")).AssertPassed(); // the project is warm now

        // Someone else breaks Farewell on disk; the engine reads that text as the edit's before-state.
        h.Workspace.Write("src/Greeter.cs", SampleProjects.Greeter.Replace("\"Bye, \" + name", "\"Bye, \" + nobody"));
        var report = h.Validate(h.Edit("src/Greeter.cs", GreetBody, "return name;"));

        report.AssertPassed();
        Assert.False(Assert.Single(report.Diagnostics, d => d.Id == "CS0103").IsNew);
    }

    [Fact]
    public void Missing_doc_on_a_new_public_member_blocks_by_default()
    {
        using var h = ValidationHarness.Demo();
        var report = h.Validate(h.Edit("src/Greeter.cs", "    /// <summary>Says goodbye.", "    public int Count() => 1;\n\n    /// <summary>Says goodbye."));

        var d = report.AssertBlockedBy("CS1591");
        Assert.Equal(ValidationCategory.Documentation, d.Category);
        Assert.Equal("documentation", d.Validator);
        Assert.True(report.Verdict("compilation").Passed);
        Assert.False(report.Verdict("documentation").Passed);
    }

    [Fact]
    public void Missing_doc_does_not_block_when_the_policy_says_so()
    {
        using var h = ValidationHarness.Demo(new ValidationPolicy { BlockOnNewDocumentation = false });
        var report = h.Validate(h.Edit("src/Greeter.cs", "    /// <summary>Says goodbye.", "    public int Count() => 1;\n\n    /// <summary>Says goodbye."));

        report.AssertPassed();
        Assert.True(Assert.Single(report.Diagnostics, d => d.Id == "CS1591").IsNew);
    }

    [Fact]
    public void Private_member_without_doc_does_not_need_one()
    {
        using var h = ValidationHarness.Demo();
        var report = h.Validate(h.Edit("src/Greeter.cs", "    /// <summary>Says goodbye.", "    private int Count() => 1;\n\n    /// <summary>Says goodbye."));
        report.AssertPassed();
        Assert.DoesNotContain(report.Diagnostics, d => d.Id == "CS1591");
    }

    [Fact]
    public void Wrong_param_names_are_documentation_findings()
    {
        using var h = ValidationHarness.Demo();
        var report = h.Validate(h.Edit("src/Greeter.cs", "    /// <param name=\"name\">Who to greet.</param>", "    /// <param name=\"nam\">Who to greet.</param>"));

        Assert.Contains(report.Blocking, d => d.Id == "CS1572" && d.Category == ValidationCategory.Documentation);
        Assert.Contains(report.Blocking, d => d.Id == "CS1573" && d.Validator == "documentation");
        Assert.DoesNotContain(report.Verdict("compilation").Diagnostics, d => d.Id.StartsWith("CS15", StringComparison.Ordinal));
    }

    [Fact]
    public void Malformed_doc_is_a_documentation_finding_not_a_syntax_error()
    {
        using var h = ValidationHarness.Demo();
        var report = h.Validate(h.Edit("src/Greeter.cs", "    /// <returns>The greeting.</returns>", "    /// <returns>The <b>greeting.</returns>"));

        Assert.False(report.Passed);
        Assert.All(report.Blocking, d => Assert.Equal(("CS1570", ValidationCategory.Documentation, true), (d.Id, d.Category, d.IsNew)));
        Assert.NotEmpty(report.Blocking);
        Assert.Empty(report.Verdict("syntax").Diagnostics);
        Assert.False(report.Verdict("compilation").Skipped);
    }

    [Fact]
    public void Project_that_explicitly_turns_off_the_documentation_file_is_not_asked_for_docs()
    {
        using var h = ValidationHarness.Demo(csproj: SampleProjects.Csproj.Replace("</PropertyGroup>", "  <GenerateDocumentationFile>false</GenerateDocumentationFile>\n  </PropertyGroup>"));
        var report = h.Validate(h.Edit("src/Greeter.cs", "    /// <summary>Says goodbye.", "    public int Count() => 1;\n\n    /// <summary>Says goodbye."));
        report.AssertPassed();
        Assert.DoesNotContain(report.Diagnostics, d => d.Id == "CS1591");
    }

    [Fact]
    public void Syntax_error_short_circuits_the_pipeline()
    {
        var custom = new CountingValidator();
        using var h = ValidationHarness.Demo(custom: [custom]);
        var report = h.Validate(h.Edit("src/Greeter.cs", GreetBody, "return \"Hello, \" + ;"));

        var d = report.AssertBlockedBy("CS1525");
        Assert.Equal(ValidationCategory.Syntax, d.Category);
        Assert.False(report.Verdict("syntax").Passed);
        foreach (var name in new[] { "compilation", "documentation", custom.Name })
        {
            var v = report.Verdict(name);
            Assert.True(v.Skipped, name);
            Assert.Empty(v.Diagnostics);
        }

        Assert.Equal(0, custom.Calls);
    }

    [Fact]
    public void Preexisting_syntax_error_does_not_short_circuit()
    {
        var custom = new CountingValidator();
        using var h = ValidationHarness.Demo(custom: [custom]);
        h.Workspace.Write("src/Greeter.cs", SampleProjects.Greeter.Replace("\"Bye, \" + name", "\"Bye, \" + "));

        var report = h.Validate(h.Edit("src/Greeter.cs", GreetBody, "return 42;"));

        Assert.False(Assert.Single(report.Verdict("syntax").Diagnostics).IsNew);
        Assert.False(report.Verdict("compilation").Skipped);
        report.AssertBlockedBy("CS0029");
        Assert.Equal(1, custom.Calls);
    }

    [Fact]
    public void Custom_validators_run_last_and_their_new_errors_block()
    {
        var custom = new NoConsoleValidator();
        using var h = ValidationHarness.Demo(custom: [custom]);
        var report = h.Validate(h.Edit("src/Greeter.cs", GreetBody, "System.Console.WriteLine(name); return name;"));

        Assert.Equal(["syntax", "compilation", "documentation", "no-console"], report.Verdicts.Select(v => v.Validator));
        var d = report.AssertBlockedBy("NC0001", "src/Greeter.cs");
        Assert.Equal(ValidationCategory.Custom, d.Category);
        Assert.Equal(11, d.Line);
    }

    [Fact]
    public void A_crashing_custom_validator_fails_closed()
    {
        using var h = ValidationHarness.Demo(custom: [new ThrowingValidator()]);
        var report = h.Validate(h.Edit("src/Greeter.cs", GreetBody, "return name;"));
        var d = report.AssertBlockedBy("AC0001");
        Assert.Contains("boom", d.Message);
    }

    [Fact]
    public void Cancellation_is_honoured()
    {
        using var h = ValidationHarness.Demo();
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => h.Service.Validate([h.Edit("src/Greeter.cs", GreetBody, "return name;")], cts.Token));
    }

    [Fact]
    public void Cancelled_while_the_analyzers_run_beside_the_compile_check_it_returns_only_once_they_stopped()
    {
        using var cts = new CancellationTokenSource();
        var analyzer = new CancellingAnalyzer(cts);

        // Enough files that the compile check of a type-level change (every file is checked) is still running when the
        // analyzer, which runs beside it, cancels at the start of its own pass and then keeps going for a while.
        var files = new Dictionary<string, string> { ["Lib.csproj"] = SampleProjects.Csproj };
        for (var i = 0; i < 60; i++)
        {
            files[$"src/C{i}.cs"] = $"namespace Lib;\n\n/// <summary>C{i}.</summary>\npublic static class C{i}\n{{\n    /// <summary>One.</summary>\n    /// <returns>1.</returns>\n    public static int One() => {(i == 0 ? "1" : $"C{i - 1}.One() + 1")};\n}}\n";
        }

        using var h = ValidationHarness.Create(files, analyzers: [analyzer]);
        h.Validate(h.Edit("src/C0.cs", "=> 1;", "=> 2;")).AssertPassed(); // loads the project
        analyzer.Armed = true;

        var typeChange = h.Edit("src/C0.cs", "public static class C0", "internal static class Added { }\n\n/// <summary>C0.</summary>\npublic static class C0");
        Assert.ThrowsAny<OperationCanceledException>(() => h.Service.Validate([typeChange], cts.Token));
        Assert.True(analyzer.Entered, "the analyzer never ran");
        Assert.False(analyzer.Running, "Validate returned while an analyzer was still running against the abandoned context");
    }

    [Fact]
    public void Works_without_a_csproj()
    {
        using var h = ValidationHarness.Create(new Dictionary<string, string>
        {
            ["Loose.cs"] = "namespace L;\n\n/// <summary>Loose.</summary>\npublic static class Loose\n{\n    /// <summary>Two.</summary>\n    /// <returns>2.</returns>\n    public static int Two() => 2;\n}\n",
        });

        h.Validate(h.Edit("Loose.cs", "=> 2;", "=> 1 + 1;")).AssertPassed();
        h.Validate(h.Edit("Loose.cs", "=> 2;", "=> \"two\";")).AssertBlockedBy("CS0029", "Loose.cs");
        h.Validate(h.Edit("Loose.cs", "=> 2;", "=> System.Math.Max(1, 2);")).AssertPassed(); // framework references are there
        h.Validate(h.Edit("Loose.cs", "=> 2;", "=> new List<int>().Count;")).AssertBlockedBy("CS0246"); // no implicit usings
        Assert.Null(h.Service.FindLoadedProject("Loose.csproj"));
    }

    [Fact]
    public void Edits_in_two_projects_are_judged_each_against_its_own_project()
    {
        using var h = ValidationHarness.Create(new Dictionary<string, string>
        {
            ["a/A.csproj"] = SampleProjects.Csproj,
            ["a/A.cs"] = "namespace A;\n\n/// <summary>A.</summary>\npublic static class Alpha\n{\n    /// <summary>One.</summary>\n    /// <returns>1.</returns>\n    public static int One() => 1;\n}\n",
            ["b/B.csproj"] = SampleProjects.Csproj,
            ["b/B.cs"] = "namespace B;\n\n/// <summary>B.</summary>\npublic static class Beta\n{\n    /// <summary>One.</summary>\n    /// <returns>1.</returns>\n    public static int One() => 1;\n}\n",
        });

        // Alpha is not visible from project b: the edit in b fails, the one in a passes, and both are reported.
        var report = h.Validate(h.Edit("a/A.cs", "=> 1;", "=> 2 - 1;"), h.Edit("b/B.cs", "=> 1;", "=> A.Alpha.One();"));
        var d = report.AssertBlockedBy("CS0103", "b/B.cs");
        Assert.Equal("compilation", d.Validator);
        Assert.Equal(3, report.Verdicts.Count);
        Assert.NotNull(h.Service.FindLoadedProject("a/A.csproj"));
        Assert.NotNull(h.Service.FindLoadedProject("b/B.csproj"));
    }

    [Fact]
    public void Created_file_is_validated_with_its_project()
    {
        using var h = ValidationHarness.Demo();
        var created = "namespace Demo;\n\n/// <summary>Uses the greeter.</summary>\npublic static class User\n{\n    /// <summary>Hi.</summary>\n    /// <returns>A greeting.</returns>\n    public static string Hi() => new Greeter().Greet(\"x\");\n}\n";
        h.Validate(h.Rewrite("src/User.cs", created)).AssertPassed();
        h.Validate(h.Rewrite("src/User.cs", created.Replace("Greet(\"x\")", "Greet(1)"))).AssertBlockedBy("CS1503", "src/User.cs");
    }

    [Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class CancellingAnalyzer(CancellationTokenSource cts) : Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Rule = new("TST951", "Never", "Never", "Test", DiagnosticSeverity.Warning, isEnabledByDefault: true);
        private volatile bool _running;

        public volatile bool Armed;

        public bool Entered { get; private set; }

        public bool Running => _running;

        public override System.Collections.Immutable.ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Rule];

        public override void Initialize(Microsoft.CodeAnalysis.Diagnostics.AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(Microsoft.CodeAnalysis.Diagnostics.GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            // It registers nothing: its only job is to be running when the compile check sees the cancellation.
#pragma warning disable RS1012
            context.RegisterCompilationStartAction(_ =>
            {
                if (!Armed)
                {
                    return;
                }

                _running = true;
                Entered = true;
                cts.Cancel();
                Thread.Sleep(1000);
                _running = false;
            });
#pragma warning restore RS1012
        }
    }

    private sealed class CountingValidator : IValidator
    {
        public int Calls { get; private set; }

        public string Name => "counting";

        public IReadOnlyList<ValidationDiagnostic> Validate(ValidationContext context, CancellationToken cancellationToken)
        {
            Calls++;
            return [];
        }
    }

    private sealed class ThrowingValidator : IValidator
    {
        public string Name => "throwing";

        public IReadOnlyList<ValidationDiagnostic> Validate(ValidationContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("boom");
    }
}
