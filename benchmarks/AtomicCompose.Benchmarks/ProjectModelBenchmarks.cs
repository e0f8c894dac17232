using AtomicCompose.Validation.Build;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace AtomicCompose.Benchmarks;

/// <summary>
/// What MSBuild's project model costs where users meet it (issue 16, point 8): <c>Open</c> of an unchanged repository
/// whose project inputs the index holds, with the first body-edit verdict after it (no MSBuild runs); and the cold
/// evaluation and design-time build of one project (what the first verdict of a new project pays, once).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class ProjectModelBenchmarks
{
    private GeneratedProject _project = null!;

    /// <summary>C# files in the generated project.</summary>
    [Params(3000)]
    public int Files { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _project = GeneratedProject.Create(Files);
        _ = OpenAndFirstVerdict(); // the index learns the files and MSBuild's answer
    }

    [GlobalCleanup]
    public void Cleanup() => _project.Dispose();

    /// <summary>A second <c>Open</c> of the unchanged repository, then the first body-edit verdict: inputs from the index.</summary>
    [Benchmark]
    public bool OpenAndFirstVerdict()
    {
        using var engine = ComposeEngine.Open(_project.Root);
        using var tx = engine.Begin("first verdict");
        tx.ReplaceBody(GeneratedProject.PathOf(7), $"Generated.Area7.{GeneratedProject.ClassName(7)}.Compute3(int)", "var total = value * 9;\nreturn total;");
        return tx.Preview().Validation.Passed;
    }

    /// <summary>Evaluation and design-time build of the project, no index: two <c>dotnet msbuild</c> processes.</summary>
    [Benchmark]
    public int ColdEvaluation() =>
        new BuildProjectModel(_project.Root, restoreProjects: false).Load("Generated.csproj", null, CancellationToken.None).SourcePaths.Length;
}
