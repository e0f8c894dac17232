using System.Diagnostics;
using System.Text;

namespace AtomicCompose.Tests.TestSupport;

/// <summary>
/// A real temporary directory, optionally a real git repository (created with the git CLI, so tests
/// check our LibGit2Sharp use against git itself). Deleted on dispose.
/// </summary>
public sealed class TempWorkspace : IDisposable
{
    private TempWorkspace(string root) => Root = root;

    public string Root { get; }

    /// <summary>A new workspace in the temp folder, or in <paramref name="parent"/> (a folder above the workspace root).</summary>
    public static TempWorkspace Create(bool git = true, string? parent = null)
    {
        var root = Path.Combine(parent ?? Path.GetTempPath(), "ac-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        var ws = new TempWorkspace(root);
        if (git)
        {
            ws.Git("init", "-q", "-b", "main");
            ws.Git("config", "user.name", "Test");
            ws.Git("config", "user.email", "test@example.com");
            ws.Git("config", "commit.gpgsign", "false");
        }

        return ws;
    }

    public string PathOf(string relative) => System.IO.Path.Combine(Root, relative.Replace('/', System.IO.Path.DirectorySeparatorChar));

    /// <summary>Writes UTF-8 text exactly as given (no BOM unless <paramref name="bom"/>), creating directories.</summary>
    public string Write(string relative, string text, bool bom = false)
    {
        var full = PathOf(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        var bytes = Encoding.UTF8.GetBytes(text);
        File.WriteAllBytes(full, bom ? [0xEF, 0xBB, 0xBF, .. bytes] : bytes);
        return full;
    }

    public byte[] ReadBytes(string relative) => File.ReadAllBytes(PathOf(relative));

    public string ReadText(string relative) => File.ReadAllText(PathOf(relative));

    /// <summary>Runs git in the workspace and returns trimmed stdout; throws on a non-zero exit.</summary>
    public string Git(params string[] args)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEnd();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', args)} failed ({p.ExitCode}): {stderr}");
        }

        return stdout.TrimEnd('\n', '\r');
    }

    /// <summary>Stages everything and commits it with git itself.</summary>
    public string CommitAll(string message = "initial")
    {
        Git("add", "-A");
        Git("commit", "-q", "-m", message);
        return Git("rev-parse", "HEAD");
    }

    /// <summary>
    /// Every file under the root except .git and the build's output (bin/ and obj/: restores and MSBuild's design-time
    /// builds write there, the engine never does), as relative path → bytes.
    /// </summary>
    public SortedDictionary<string, byte[]> Snapshot(bool includeWorkspaceData = false)
    {
        var result = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories))
        {
            var rel = System.IO.Path.GetRelativePath(Root, file).Replace('\\', '/');
            if (rel.StartsWith(".git/", StringComparison.Ordinal) || rel.Split('/')[..^1].Any(p => p is "bin" or "obj") || (!includeWorkspaceData && rel.StartsWith(".atomiccompose/", StringComparison.Ordinal)))
            {
                continue;
            }

            result[rel] = File.ReadAllBytes(file);
        }

        return result;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
