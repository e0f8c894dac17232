using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace AtomicCompose.Benchmarks;

/// <summary>
/// The path users run: a body edit, <c>Complete()</c> (validate, journal, temp, backup, index, move, git commit,
/// retire), then the next edit, on a warm engine, beside Roslyn's public-API floor on the same sources in the same
/// run (a warm <see cref="CSharpCompilation"/>, <c>ReplaceSyntaxTree</c> with the edited tree, the edited member's
/// diagnostics, the new compilation kept for the next edit).
/// </summary>
/// <remarks>
/// Every invocation writes a new body (a counter in the code), so every transaction changes the file and the floor
/// builds a new compilation each time, as the engine does. Per-step medians of the committed path
/// (<see cref="ComposeResult.Timings"/>) are printed at the end of each process; BenchmarkDotNet keeps them in its log.
/// <see cref="OtherTrackedFiles"/> adds text files that are not C# to the repository, so the protocol's cost can be
/// compared at 30,000 tracked files.
/// </remarks>
[MemoryDiagnoser]
[MedianColumn]
public class CommittedPathBenchmarks
{
    private static readonly string[] ImplicitUsings =
        ["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks"];

    private readonly Dictionary<ComposeStep, List<double>> _steps = [];
    private GeneratedProject _project = null!;
    private ComposeEngine _engine = null!;
    private CSharpCompilation _floor = null!;
    private SyntaxTree _floorTree = null!;
    private List<SyntaxTree> _trees = null!;
    private int _round;
    private LibGit2Sharp.Repository _gitFloor = null!;
    private string _gitFloorRoot = null!;
    private string _gitFloorText = null!;

    /// <summary>The repository: its C# files, and tracked files that are not C# (a 30,000-file repository is 300 + 29,700).</summary>
    [ParamsSource(nameof(Shapes))]
    public RepositoryShape Shape { get; set; } = new(300, 0);

    /// <summary>The repositories measured: 300 and 3,000 C# files, and 300 C# files in 30,000 tracked files.</summary>
    public static IEnumerable<RepositoryShape> Shapes => [new(300, 0), new(3000, 0), new(300, 29_700)];

    private int Files => Shape.CSharpFiles;

    private int OtherTrackedFiles => Shape.OtherFiles;

    private static string Target => $"Generated.Area7.{GeneratedProject.ClassName(7)}.Compute3(int)";

    [GlobalSetup]
    public void Setup()
    {
        _project = GeneratedProject.Create(Files, git: true, OtherTrackedFiles);
        _engine = ComposeEngine.Open(_project.Root);
        CommittedEdit(); // warm: project context, compilation, index, JIT
        CommittedEdit();
        _steps.Clear();

        var trees = Directory.EnumerateFiles(Path.Combine(_project.Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), CSharpParseOptions.Default.WithDocumentationMode(DocumentationMode.Diagnose), path: f))
            .Append(CSharpSyntaxTree.ParseText(string.Concat(ImplicitUsings.Select(u => $"global using global::{u};\n")), path: "GlobalUsings.g.cs"))
            .ToList();
        _trees = trees;
        _floorTree = trees.First(t => t.FilePath.EndsWith(GeneratedProject.PathOf(7).Replace('/', Path.DirectorySeparatorChar), StringComparison.Ordinal));
        _floor = CompilationOfAllTrees();
        _ = _floor.GetDiagnostics();
        RoslynFloor();

        // The git floor commits in a clone of the same repository, so that its commits do not move the engine's branch.
        _gitFloorRoot = _project.Root + "-gitfloor";
        LibGit2Sharp.Repository.Clone(_project.Root, _gitFloorRoot);
        _gitFloor = new LibGit2Sharp.Repository(_gitFloorRoot);
        _gitFloorText = File.ReadAllText(Path.Combine(_gitFloorRoot, GeneratedProject.PathOf(7)));
        GitFloor();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var (step, times) in _steps.OrderBy(s => s.Key))
        {
            times.Sort();
            Console.WriteLine($"// step {step}: median {times[times.Count / 2]:F3} ms, min {times[0]:F3}, max {times[^1]:F3} (n={times.Count}, Files={Files}, OtherTrackedFiles={OtherTrackedFiles})");
        }

        _engine.Dispose();
        _project.Dispose();
        _gitFloor.Dispose();
        GeneratedProject.DeleteTree(_gitFloorRoot);
    }

    /// <summary>Edit one method's body and complete the transaction: what an agent pays per edit.</summary>
    [Benchmark]
    public string? CommittedEdit()
    {
        var round = _round++;
        using var tx = _engine.Begin("bench");
        tx.ReplaceBody(GeneratedProject.PathOf(7), Target, $"{{\n    return value * {round + 2};\n}}");
        var result = tx.Complete();
        foreach (var timing in result.Timings)
        {
            if (!_steps.TryGetValue(timing.Step, out var list))
            {
                _steps[timing.Step] = list = [];
            }

            list.Add(timing.Elapsed.TotalMilliseconds);
        }

        return result.CommitSha;
    }

    /// <summary>
    /// LibGit2Sharp's public API alone, on a clone of the same repository: change the same file, stage it (the index is
    /// read once, kept open, and written whole) and commit it (a tree from the index, the commit, the branch and its
    /// reflog), with libgit2's fsync of what it writes on, as the engine has it (the option is process-wide). What any
    /// caller of libgit2 pays for one durable commit of one file, without the engine's protection of the user's changes.
    /// </summary>
    [Benchmark]
    public string GitFloor()
    {
        var round = _round++;
        var path = GeneratedProject.PathOf(7);
        File.WriteAllText(Path.Combine(_gitFloorRoot, path), $"{_gitFloorText}// {round}\n");
        LibGit2Sharp.Commands.Stage(_gitFloor, path);
        var signature = new LibGit2Sharp.Signature("bench", "bench@localhost", DateTimeOffset.UtcNow);
        return _gitFloor.Commit($"floor {round}", signature, signature, new LibGit2Sharp.CommitOptions()).Sha;
    }

    /// <summary>A fresh full compile of the same sources (parsed already): a new compilation and all its diagnostics, what a check of the whole project costs.</summary>
    [Benchmark]
    public int FreshFullCompile() => CompilationOfAllTrees().GetDiagnostics().Length;

    // The floor's starting point and the fresh compile are the same compilation of the parsed sources.
    private CSharpCompilation CompilationOfAllTrees() =>
        CSharpCompilation.Create(
            "Generated",
            _trees,
            Basic.Reference.Assemblies.Net100.References.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>Roslyn's public API alone: the same body edit on a warm compilation and the edited member's diagnostics.</summary>
    [Benchmark(Baseline = true)]
    public int RoslynFloor()
    {
        var round = _round++;
        var root = _floorTree.GetRoot();
        var method = root.DescendantNodes().OfType<MethodDeclarationSyntax>().First(m => m.Identifier.Text == "Compute3");
        var body = method.Body!;
        var text = _floorTree.GetText();
        var newTree = _floorTree.WithChangedText(text.WithChanges(new TextChange(body.Span, $"{{\n        return value * {round + 2};\n    }}")));
        _floor = _floor.ReplaceSyntaxTree(_floorTree, newTree);
        _floorTree = newTree;
        var member = newTree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().First(m => m.Identifier.Text == "Compute3");
        return _floor.GetSemanticModel(newTree).GetDiagnostics(member.FullSpan).Length;
    }
}

/// <summary>A generated repository's size.</summary>
/// <param name="CSharpFiles">C# files in the project.</param>
/// <param name="OtherFiles">Tracked files that are not C#.</param>
public sealed record RepositoryShape(int CSharpFiles, int OtherFiles)
{
    /// <inheritdoc />
    public override string ToString() => $"{CSharpFiles} cs + {OtherFiles} other";
}
