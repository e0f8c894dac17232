using AtomicCompose.Validation;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Microsoft.Extensions.Logging.Abstractions;

namespace AtomicCompose.Benchmarks;

/// <summary>Validating a body edit with a warm engine, against a fresh full compile of the same project.</summary>
/// <remarks>
/// The targets of issue 4 are medians, hence the median column. <see cref="WarmBodyEdit"/> edits one file over
/// and over, the pattern the compiler's declaration table is tuned for; <see cref="WarmBodyEditRotating"/> edits a
/// different file each time, which costs the compiler a full merge of the project's declarations per validation.
/// </remarks>
[MemoryDiagnoser]
[MedianColumn]
public class ValidationBenchmarks
{
    private GeneratedProject _project = null!;
    private ValidationService _service = null!;
    private ValidationDocument[] _edit = null!;
    private ValidationDocument[][] _rotating = null!;
    private int _next;
    private SyntaxTree[] _allTrees = null!;

    [Params(300, 3000)]
    public int Files { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _project = GeneratedProject.Create(Files, git: false);
        // The engine's pipeline: the built-in validators and the analyzer validator (the project's analyzers, and
        // the SDK's CA analyzers that can block: in this default project the two rules that are errors by default).
        var policy = new ValidationPolicy();
        _service = new ValidationService(
            _project.Root,
            [new AnalyzerValidator(_project.Root, [], loadProjectAnalyzers: true, runCompilationEndAnalyzers: true, policy, NullLogger.Instance)],
            policy,
            NullLogger.Instance);
        _edit = [BodyEdit(7)];
        _rotating = [.. Enumerable.Range(0, 16).Select(k => new[] { BodyEdit(7 + (k * (Files / 16))) })];
        _allTrees = Directory.EnumerateFiles(_project.Root, "*.cs", SearchOption.AllDirectories)
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), path: f)).ToArray();
        _ = _service.Validate(_edit, CancellationToken.None); // warm
    }

    private ValidationDocument BodyEdit(int file)
    {
        var path = GeneratedProject.PathOf(file);
        var text = File.ReadAllText(Path.Combine(_project.Root, path));
        var before = CSharpSyntaxTree.ParseText(text, path: path);
        var at = text.IndexOf("value * 4", StringComparison.Ordinal);
        var after = before.WithChangedText(before.GetText().WithChanges(new TextChange(new TextSpan(at, 9), "value * 9")));
        return new ValidationDocument(path, before, after, [new TextSpan(at, 9)]);
    }

    [GlobalCleanup]
    public void Cleanup() => _project.Dispose();

    [Benchmark(Baseline = true)]
    public bool WarmBodyEdit() => _service.Validate(_edit, CancellationToken.None).Passed;

    /// <summary>The same body edit, in one of 16 files spread over the project, a different one than last time.</summary>
    [Benchmark]
    public bool WarmBodyEditRotating() => _service.Validate(_rotating[_next++ % _rotating.Length], CancellationToken.None).Passed;

    [Benchmark]
    public int FreshFullCompile() =>
        CSharpCompilation.Create("full", _allTrees, Basic.Reference.Assemblies.Net100.References.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary)).GetDiagnostics().Length;
}
