using BenchmarkDotNet.Attributes;

namespace AtomicCompose.Benchmarks;

/// <summary>
/// A warm body-edit verdict (engine <c>Preview</c>: compose and validate) on a project built for one framework and on the
/// same project built for three (issue 13 point 5, issue 16 point 8): each framework judges the edit with its own
/// design-time build's inputs, so the three-framework verdict should cost at most three times the one-framework one.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class MultiTargetBenchmarks
{
    private GeneratedProject _project = null!;
    private ComposeEngine _engine = null!;

    /// <summary>C# files in the generated project.</summary>
    [Params(300)]
    public int Files { get; set; }

    /// <summary>Its <c>TargetFramework(s)</c>.</summary>
    [Params("net10.0", "net10.0;net8.0;netstandard2.0")]
    public string Frameworks { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _project = GeneratedProject.Create(Files, frameworks: Frameworks);
        _engine = ComposeEngine.Open(_project.Root);
        _ = WarmBodyEdit(); // every framework's design-time build and warm compilation
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _engine.Dispose();
        _project.Dispose();
    }

    [Benchmark]
    public bool WarmBodyEdit()
    {
        using var tx = _engine.Begin("body edit");
        tx.ReplaceBody(GeneratedProject.PathOf(7), $"Generated.Area7.{GeneratedProject.ClassName(7)}.Compute3(int)", "var total = value * 9;\nreturn total;");
        return tx.Preview().Validation.Passed;
    }
}
