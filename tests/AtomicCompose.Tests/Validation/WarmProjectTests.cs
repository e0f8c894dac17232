using System.Diagnostics;
using System.Text;
using AtomicCompose.Tests.TestSupport;
using Xunit.Abstractions;

namespace AtomicCompose.Tests.Validation;

/// <summary>The warm compilation is reused, not rebuilt: measured on a 300-file project.</summary>
public sealed class WarmProjectTests(ITestOutputHelper output)
{
    private const int Files = 300;

    private static string TypeText(int t)
    {
        var sb = new StringBuilder($"namespace Big;\n\n/// <summary>C{t}.</summary>\npublic class C{t}\n{{\n");
        for (var m = 0; m < 5; m++)
        {
            var other = (t * 7 + m * 13) % Files;
            sb.Append($"    /// <summary>M{m}.</summary>\n    /// <param name=\"x\">X.</param>\n    /// <returns>R.</returns>\n    public int M{m}(int x)\n    {{\n        var list = new List<int> {{ x, {m} }};\n        return list.Sum() + new C{other}().M{(m + 1) % 5}(x - 1);\n    }}\n\n");
        }

        return sb.Append("}\n").ToString();
    }

    [Fact]
    public void Body_edits_on_a_warm_300_file_project_reuse_the_baseline()
    {
        var files = new Dictionary<string, string> { ["Big.csproj"] = SampleProjects.Csproj };
        for (var t = 0; t < Files; t++)
        {
            files[$"src/Part{t / 50}/C{t}.cs"] = TypeText(t);
        }

        using var h = ValidationHarness.Create(files);

        var watch = Stopwatch.StartNew();
        h.Validate(h.Edit("src/Part0/C0.cs", "return list.Sum() + new C0().M1", "return list.Count + new C0().M1")).AssertPassed();
        var cold = watch.Elapsed;

        var state = h.Service.FindLoadedProject("Big.csproj");
        Assert.NotNull(state);
        // And the SDK's generated global usings, assembly info and assembly attributes, as MSBuild gives them.
        Assert.Equal(Files + 3, state.Baseline.SyntaxTrees.Count());
        Assert.Equal(3, state.Context.SourcePaths.Count(p => p.StartsWith("obj/", StringComparison.Ordinal)));
        var untouched = state.Baseline.SyntaxTrees.Single(t => t.FilePath == "src/Part5/C299.cs");

        var warm = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            var path = $"src/Part{i + 1}/C{(i + 1) * 50 + 3}.cs";
            var edit = h.Edit(path, "var list = new List<int> { x, 2 };", $"var list = new List<int> {{ x, {i + 10} }};");
            watch.Restart();
            var report = h.Validate(edit);
            warm.Add(watch.Elapsed);
            report.AssertPassed();
            h.Commit(edit);
        }

        // Accepted edits swapped single trees in: the rest of the project was never parsed again.
        Assert.Same(state, h.Service.FindLoadedProject("Big.csproj"));
        Assert.Same(untouched, state.Baseline.SyntaxTrees.Single(t => t.FilePath == "src/Part5/C299.cs"));
        Assert.Contains("{ x, 10 }", state.Baseline.SyntaxTrees.Single(t => t.FilePath == "src/Part1/C53.cs").ToString());

        watch.Restart();
        var broken = h.Validate(h.Edit("src/Part2/C100.cs", "return list.Sum() + new C100().M1", "return list + new C100().M1"));
        var warmError = watch.Elapsed;
        broken.AssertBlockedBy("CS0019");

        // A declaration change checks every file: deleting M0 of C7 breaks whoever calls it.
        var text = h.Read("src/Part0/C7.cs");
        var start = text.IndexOf("    /// <summary>M0.", StringComparison.Ordinal);
        var end = text.IndexOf("    /// <summary>M1.", StringComparison.Ordinal);
        watch.Restart();
        var declaration = h.Validate(h.Doc("src/Part0/C7.cs", text, text[..start] + text[end..]));
        var declarationTime = watch.Elapsed;
        Assert.Contains(declaration.Blocking, d => d.Id == "CS1061" && d.Path != "src/Part0/C7.cs");

        watch.Restart();
        var declaration2 = h.Validate(h.Doc("src/Part0/C7.cs", text, text[..start] + text[end..]));
        var declarationTime2 = watch.Elapsed;
        Assert.Equal(declaration.Blocking.Count, declaration2.Blocking.Count);

        // Adding a member no other file names only needs the edited file checked.
        var addition = h.Edit("src/Part0/C7.cs", "    /// <summary>M1.", "    /// <summary>Fresh.</summary>\n    /// <returns>R.</returns>\n    public int Fresh() => 1;\n\n    /// <summary>M1.");
        watch.Restart();
        var added = h.Validate(addition);
        var additionTime = watch.Elapsed;
        added.AssertPassed();

        output.WriteLine($"cold (load + parse {Files} files + first validation): {cold.TotalMilliseconds:0} ms");
        output.WriteLine($"warm body edits (validate): {string.Join(", ", warm.Select(w => $"{w.TotalMilliseconds:0}"))} ms");
        output.WriteLine($"warm body edit with an error: {warmError.TotalMilliseconds:0} ms");
        output.WriteLine($"declaration change (all {Files} files checked): {declarationTime.TotalMilliseconds:0} ms, again: {declarationTime2.TotalMilliseconds:0} ms");
        output.WriteLine($"declaration change naming a member no other file mentions: {additionTime.TotalMilliseconds:0} ms");
        foreach (var v in declaration2.Verdicts)
        {
            output.WriteLine($"  {v.Validator}: {v.Elapsed.TotalMilliseconds:0} ms");
        }
    }
}
