using System.Diagnostics;

namespace AtomicCompose.Tests.TestSupport;

/// <summary>Runs AtomicCompose.CrashHarness in a child process that SIGKILLs itself at a protocol boundary.</summary>
public static class CrashHarness
{
    /// <summary>Every boundary the "replace" scenario passes, in protocol order.</summary>
    public static readonly string[] ReplaceLabels =
    [
        "before:Journal", "after:Journal", "before:WriteTemp", "WriteTemp:src/Greeter.cs", "after:WriteTemp",
        "before:Backup", "after:Backup", "before:IndexStage", "after:IndexStage", "before:Move", "Move:src/Greeter.cs",
        "after:Move", "before:IndexCommit", "after:IndexCommit", "before:VcsCommit", "after:VcsCommit", "before:Done", "after:Done",
    ];

    /// <summary>Runs the scenario; returns the exit code (137 or -1 style values when killed) and the output.</summary>
    public static (int ExitCode, string Output) Run(string root, string crashAt, string scenario = "replace")
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "AtomicCompose.CrashHarness.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("exec");
        psi.ArgumentList.Add(dll);
        psi.ArgumentList.Add(root);
        psi.ArgumentList.Add(crashAt);
        psi.ArgumentList.Add(scenario);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("crash harness hung");
        }

        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
