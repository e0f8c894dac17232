using System.Diagnostics;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace AtomicCompose.Benchmarks;

/// <summary>
/// What an agent pays per verdict: <c>preview</c> and <c>apply</c> through one warm <c>atomic-compose mcp</c> session
/// (the server started once, as an MCP client starts it), beside the CLI's cold call (a new process that opens the
/// workspace, loads the project and validates). Monitoring strategy: every call is real work, no loop unrolling.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 15)]
public class McpSessionBenchmarks
{
    private GeneratedProject _project = null!;
    private GeneratedProject _cliProject = null!;
    private McpClient _client = null!;
    private string _cli = null!;
    private string _planPath = null!;
    private int _applies;

    /// <summary>Files in the generated project.</summary>
    [Params(300)]
    public int Files { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _project = GeneratedProject.Create(Files);
        // A copy of its own: the server holds the workspace lock of the first for its whole life, so a CLI call there
        // would only wait for the lock and fail.
        _cliProject = GeneratedProject.Create(Files);
        _cli = Path.Combine(AppContext.BaseDirectory, "AtomicCompose.Cli.dll");
        _planPath = Path.Combine(Path.GetTempPath(), $"ac-bench-plan-{Guid.NewGuid():N}.json");
        File.WriteAllText(_planPath, Plan(5).GetRawText());
        _client = McpClient.CreateAsync(new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "atomic-compose",
            Command = "dotnet",
            Arguments = [_cli, "mcp", "--root", _project.Root],
        })).GetAwaiter().GetResult();

        // The first call opens the workspace and loads the project: that is the cold cost, not what is measured.
        var first = Preview().GetAwaiter().GetResult();
        if (first.IsError == true)
        {
            throw new InvalidOperationException("The benchmark's preview was refused: " + ((TextContentBlock)first.Content[0]).Text);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.DisposeAsync().AsTask().GetAwaiter().GetResult();
        File.Delete(_planPath);
        _project.Dispose();
        _cliProject.Dispose();
    }

    /// <summary>A warm <c>preview</c> over MCP (second and later calls of the session).</summary>
    [Benchmark]
    public Task<CallToolResult> PreviewWarmSession() => Preview();

    /// <summary>A warm <c>apply</c> over MCP: validate, write, index, git commit; alternating the code so every call changes the file.</summary>
    [Benchmark]
    public Task<CallToolResult> ApplyWarmSession() =>
        _client.CallToolAsync("apply", new Dictionary<string, object?> { ["plan"] = Plan(6 + (_applies++ % 2)) }).AsTask();

    /// <summary>The same preview as a cold CLI call: <c>atomic-compose preview plan.json --json</c> in a new process.</summary>
    [Benchmark(Baseline = true)]
    public int PreviewColdCli()
    {
        using var process = Process.Start(new ProcessStartInfo("dotnet", [_cli, "preview", _planPath, "--json", "--root", _cliProject.Root])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? 0 : throw new InvalidOperationException($"The cold CLI preview exited with {process.ExitCode}.");
    }

    private Task<CallToolResult> Preview() =>
        _client.CallToolAsync("preview", new Dictionary<string, object?> { ["plan"] = Plan(5) }).AsTask();

    private static JsonElement Plan(int factor)
    {
        var target = $"Generated.Area0.{GeneratedProject.ClassName(0)}.Compute3(int)";
        return JsonSerializer.SerializeToElement(new
        {
            message = "bench",
            operations = new[] { new { op = "replace-body", path = GeneratedProject.PathOf(0), target, code = $"{{\n    return value * {factor};\n}}" } },
        });
    }
}
