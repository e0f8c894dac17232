using System.Diagnostics;
using System.Text.RegularExpressions;

namespace AtomicCompose.Tests.TestSupport;

/// <summary>The real <c>dotnet</c> CLI, as the oracle of verdicts: restore and build a project, read the errors it reports.</summary>
public static partial class DotnetCli
{
    /// <summary>Runs <c>dotnet</c> with the arguments in <paramref name="directory"/>; returns its exit code and output.</summary>
    public static (int ExitCode, string Output) Run(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["MSBUILDTERMINALLOGGER"] = "off";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }

    /// <summary><c>dotnet restore</c>; fails the test when it fails.</summary>
    public static void Restore(string directory, string project)
    {
        var (code, output) = Run(directory, "restore", project, "-nr:false");
        Assert.True(code == 0, output);
    }

    /// <summary>
    /// <c>dotnet build</c> of the project (without restore); the distinct errors it reports, as
    /// <c>(framework, id, file name)</c> (framework empty for a project with one).
    /// </summary>
    public static HashSet<(string Framework, string Id, string File)> BuildErrors(string directory, string project)
    {
        var (_, output) = Run(directory, "build", project, "--no-restore", "-nr:false", "-v:q", "-clp:NoSummary");
        return [.. ErrorLine().Matches(output).Select(m => (m.Groups["tfm"].Value, m.Groups["id"].Value, Path.GetFileName(m.Groups["file"].Value)))];
    }

    // /path/File.cs(3,5): error CS0117: '...' does not contain ... [/path/P.csproj::TargetFramework=net462]
    [GeneratedRegex(@"^(?<file>[^\r\n(]+)\(\d+,\d+\): error (?<id>[A-Z]+\d+):[^\r\n]*\[[^\]\r\n]+?(::TargetFramework=(?<tfm>[^\]]+))?\]", RegexOptions.Multiline)]
    private static partial Regex ErrorLine();
}
