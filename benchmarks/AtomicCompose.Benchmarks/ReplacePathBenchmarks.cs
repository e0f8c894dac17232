using BenchmarkDotNet.Attributes;

namespace AtomicCompose.Benchmarks;

/// <summary>
/// The replace path users benchmark: one method replaced in a generated project, warm engine, full
/// pipeline (compose, validate, journal, temp, backup, index, move, index commit, git commit).
/// Each invocation alternates between two valid bodies so every transaction really changes the file.
/// </summary>
[MemoryDiagnoser]
public class ReplacePathBenchmarks
{
    private GeneratedProject _project = null!;
    private ComposeEngine _engine = null!;
    private int _round;

    /// <summary>Files in the generated project.</summary>
    [Params(300)]
    public int Files { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _project = GeneratedProject.Create(Files);
        _engine = ComposeEngine.Open(_project.Root);
        ReplaceOneMethod(); // warm: project context, compilation, index
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _engine.Dispose();
        _project.Dispose();
    }

    [Benchmark]
    public string? ReplaceOneMethod()
    {
        var factor = (_round++ % 2) + 2;
        using var tx = _engine.Begin("bench");
        tx.Replace(GeneratedProject.PathOf(7), $"Generated.Area7.{GeneratedProject.ClassName(7)}.Compute3(int)",
            $"public int Compute3(int value)\n{{\n    return value * {factor};\n}}");
        return tx.Complete().CommitSha;
    }
}
