using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace AtomicCompose.Benchmarks;

/// <summary>
/// <c>ComposeEngine.Open</c> of a generated repository: the first one (no index yet: every C# file is parsed and
/// indexed) and a later one of the unchanged repository (every file hashed, none parsed).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class OpenBenchmarks
{
    private GeneratedProject _project = null!;

    /// <summary>The repository: 300 and 3,000 C# files, and 300 C# files in 30,000 tracked files.</summary>
    [ParamsSource(nameof(Shapes))]
    public RepositoryShape Shape { get; set; } = new(300, 0);

    /// <summary>The repositories measured, as in <see cref="CommittedPathBenchmarks"/>.</summary>
    public static IEnumerable<RepositoryShape> Shapes => CommittedPathBenchmarks.Shapes;

    private string DataDirectory => Path.Combine(_project.Root, ".atomiccompose");

    [GlobalSetup]
    public void Setup()
    {
        _project = GeneratedProject.Create(Shape.CSharpFiles, git: true, Shape.OtherFiles);
        ComposeEngine.Open(_project.Root).Dispose();
    }

    [GlobalCleanup]
    public void Cleanup() => _project.Dispose();

    [IterationSetup(Target = nameof(FirstOpen))]
    public void ForgetTheIndex() => Directory.Delete(DataDirectory, recursive: true);

    /// <summary>No index yet: recovery, then every C# file parsed and indexed.</summary>
    [Benchmark]
    public string FirstOpen()
    {
        using var engine = ComposeEngine.Open(_project.Root);
        return engine.Root;
    }

    /// <summary>The index knows every file: each is hashed, none parsed.</summary>
    [Benchmark(Baseline = true)]
    public string SecondOpen()
    {
        using var engine = ComposeEngine.Open(_project.Root);
        return engine.Root;
    }
}
