using System.Diagnostics;
using System.Text;

namespace AtomicCompose.Tests.Robustness;

/// <summary>Starts AtomicCompose.CrashHarness with any mode and scenario, synchronously or in parallel.</summary>
public static class Harness
{
    public static Process Start(string root, string mode, string scenario)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "AtomicCompose.CrashHarness.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "exec", dll, root, mode, scenario })
        {
            psi.ArgumentList.Add(a);
        }

        return Process.Start(psi)!;
    }

    public static (int ExitCode, string Output) Wait(Process p, TimeSpan? timeout = null)
    {
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("crash harness hung");
        }

        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    public static (int ExitCode, string Output) Run(string root, string mode, string scenario)
    {
        using var p = Start(root, mode, scenario);
        return Wait(p);
    }

    /// <summary>The hook labels a "trace" run printed, in order.</summary>
    public static List<string> Labels(string output) =>
        output.Split('\n').Where(l => l.StartsWith("LABEL ", StringComparison.Ordinal)).Select(l => l["LABEL ".Length..].TrimEnd('\r')).ToList();
}

/// <summary>Workspace-level checks and helpers shared by the robustness tests.</summary>
public static class Ws
{
    /// <summary>
    /// Every file under <paramref name="root"/> except .git, .atomiccompose and the build's output (bin/ and obj/, where
    /// restores and MSBuild's design-time builds write and the engine never does), relative path → bytes.
    /// </summary>
    public static SortedDictionary<string, byte[]> Snapshot(string root)
    {
        var result = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(root, file).Replace('\\', '/');
            if (rel.StartsWith(".git/", StringComparison.Ordinal) || rel.StartsWith(".atomiccompose/", StringComparison.Ordinal) || rel.Split('/')[..^1].Any(p => p is "bin" or "obj"))
            {
                continue;
            }

            result[rel] = File.ReadAllBytes(file);
        }

        return result;
    }

    public static bool Same(SortedDictionary<string, byte[]> a, SortedDictionary<string, byte[]> b) =>
        a.Keys.SequenceEqual(b.Keys) && a.All(kv => kv.Value.AsSpan().SequenceEqual(b[kv.Key]));

    public static string Describe(SortedDictionary<string, byte[]> expected, SortedDictionary<string, byte[]> actual)
    {
        var sb = new StringBuilder();
        foreach (var k in expected.Keys.Union(actual.Keys))
        {
            if (!expected.TryGetValue(k, out var e))
            {
                sb.Append("+" + k + " ");
            }
            else if (!actual.TryGetValue(k, out var a))
            {
                sb.Append("-" + k + " ");
            }
            else if (!e.AsSpan().SequenceEqual(a))
            {
                sb.Append("~" + k + " ");
            }
        }

        return sb.ToString();
    }

    /// <summary>Temp or restore files outside .git, and journal entries.</summary>
    public static List<string> Leftovers(string root)
    {
        var list = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/.git/", StringComparison.Ordinal) && !f.Contains("/.atomiccompose/backups/", StringComparison.Ordinal))
            .Where(f => f.EndsWith(".tmp", StringComparison.Ordinal) || f.EndsWith(".restore", StringComparison.Ordinal))
            .ToList();
        var journal = Path.Combine(root, ".atomiccompose", "journal");
        if (Directory.Exists(journal))
        {
            list.AddRange(Directory.EnumerateFiles(journal));
        }

        return list;
    }

    public static string Git(string root, params string[] args)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', args)} failed ({p.ExitCode}): {stderr}");
        }

        return stdout.Result.TrimEnd('\n', '\r');
    }

    /// <summary>Copies a whole workspace (with .git and .atomiccompose) to a fresh temp folder.</summary>
    public static string Copy(string root)
    {
        var target = Path.Combine(Path.GetTempPath(), "ac-copy-" + Guid.NewGuid().ToString("N")[..12]);
        foreach (var dir in Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(target, Path.GetRelativePath(root, dir)));
        }

        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            var dest = Path.Combine(target, Path.GetRelativePath(root, file));
            File.Copy(file, dest);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(dest, File.GetUnixFileMode(file));
            }
        }

        return target;
    }

    public static void DeleteDir(string root)
    {
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>
    /// Opens the workspace (recovery runs) and checks the invariant: files all-old or all-new, git HEAD moved
    /// (by exactly one commit whose parent is <paramref name="baseHead"/>) iff the files are new, index verified,
    /// git status clean, no temp file, journal empty. Returns whether the files are new.
    /// </summary>
    public static bool AssertRecoveredInvariant(string root, SortedDictionary<string, byte[]> old, SortedDictionary<string, byte[]> expectedNew, string baseHead, string label)
    {
        using var engine = ComposeEngine.Open(root);
        var now = Snapshot(root);
        var isOld = Same(old, now);
        var isNew = Same(expectedNew, now);
        Assert.True(isOld || isNew, $"{label}: neither all-old nor all-new (vs old: {Describe(old, now)}; vs new: {Describe(expectedNew, now)}); recovery {engine.LastRecovery}");
        var head = Git(root, "rev-parse", "HEAD");
        Assert.True(isNew == (head != baseHead), $"{label}: files new={isNew} but git moved={head != baseHead}");
        if (isNew)
        {
            Assert.Equal(baseHead, Git(root, "rev-parse", "HEAD~1"));
            Assert.Contains("Compose-Transaction: ", Git(root, "log", "-1", "--format=%B"));
        }

        var verification = engine.Verify();
        Assert.True(verification.IsConsistent, $"{label}: " + string.Join("; ", verification.Problems));
        Assert.Equal("", Git(root, "status", "--porcelain"));
        Assert.Empty(Leftovers(root));
        Assert.Empty(engine.LastRecovery.Conflicts);
        return isNew;
    }
}
