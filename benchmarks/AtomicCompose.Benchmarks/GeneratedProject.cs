using System.Diagnostics;
using System.Text;

namespace AtomicCompose.Benchmarks;

/// <summary>A generated C# project in a real git repository: files of documented classes that call each other.</summary>
internal sealed class GeneratedProject : IDisposable
{
    private GeneratedProject(string root, int files)
    {
        Root = root;
        Files = files;
    }

    public string Root { get; }

    public int Files { get; }

    public static string ClassName(int i) => $"Service{i:D4}";

    public static string PathOf(int i) => $"src/Area{i % 10}/{ClassName(i)}.cs";

    /// <summary>
    /// Creates the project, restored as a build's is (the engine asks MSBuild what it compiles);
    /// <paramref name="otherTrackedFiles"/> text files that are not C# join the repository too; <paramref name="frameworks"/>
    /// is its <c>TargetFramework</c>, or with a <c>;</c> its <c>TargetFrameworks</c>.
    /// </summary>
    public static GeneratedProject Create(int files, bool git = true, int otherTrackedFiles = 0, string frameworks = "net10.0")
    {
        var root = Path.Combine(Path.GetTempPath(), $"ac-bench-{files}-{Guid.NewGuid():N}"[..32]);
        CreateAt(root, files, otherTrackedFiles, git, frameworks);
        return new GeneratedProject(root, files);
    }

    /// <summary>Creates the project in <paramref name="root"/> (kept afterwards: the protocol harness reuses it across processes).</summary>
    public static void CreateAt(string root, int files, int otherTrackedFiles = 0, bool git = true, string frameworks = "net10.0")
    {
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "Generated.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <LangVersion>latest</LangVersion>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
            </Project>
            """.Replace("<TargetFramework>net10.0</TargetFramework>", frameworks.Contains(';', StringComparison.Ordinal) ? $"<TargetFrameworks>{frameworks}</TargetFrameworks>" : $"<TargetFramework>{frameworks}</TargetFramework>", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(root, ".gitignore"), "bin/\nobj/\n");
        for (var i = 0; i < files; i++)
        {
            var path = Path.Combine(root, PathOf(i));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, ClassText(i, files));
        }

        for (var k = 0; k < otherTrackedFiles; k++)
        {
            var path = Path.Combine(root, "assets", $"part{k / 500:D3}", $"note{k:D5}.txt");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, $"note {k}\n");
        }

        Run(root, "dotnet", "restore", "Generated.csproj", "-nologo", "-v:q", "-nr:false");
        if (git)
        {
            Run(root, "git", "init", "-q", "-b", "main");
            Run(root, "git", "-c", "user.name=bench", "-c", "user.email=bench@localhost", "add", "-A");
            Run(root, "git", "-c", "user.name=bench", "-c", "user.email=bench@localhost", "-c", "commit.gpgsign=false", "commit", "-q", "-m", "generated");
        }
    }

    public static string ClassText(int i, int files)
    {
        var next = ClassName((i + 1) % files);
        var sb = new StringBuilder();
        sb.Append("namespace Generated.Area").Append(i % 10).Append(";\n\n");
        sb.Append("using Generated.Area").Append(((i + 1) % files) % 10).Append(";\n\n");
        sb.Append("/// <summary>Generated service ").Append(i).Append(".</summary>\n");
        sb.Append("public sealed class ").Append(ClassName(i)).Append("\n{\n");
        for (var m = 0; m < 8; m++)
        {
            sb.Append("    /// <summary>Computes step ").Append(m).Append(".</summary>\n");
            sb.Append("    /// <param name=\"value\">The input.</param>\n");
            sb.Append("    /// <returns>The result.</returns>\n");
            sb.Append("    public int Compute").Append(m).Append("(int value)\n    {\n");
            sb.Append("        var total = value * ").Append(m + 1).Append(";\n");
            sb.Append("        for (var k = 0; k < 3; k++)\n        {\n            total += k;\n        }\n\n");
            sb.Append("        return total;\n    }\n\n");
        }

        sb.Append("    /// <summary>Calls the next service.</summary>\n");
        sb.Append("    /// <returns>A number.</returns>\n");
        sb.Append("    public int CallNext() => new Generated.Area").Append(((i + 1) % files) % 10).Append('.').Append(next).Append("().Compute0(1);\n");
        sb.Append("}\n");
        return sb.ToString();
    }

    public void Dispose() => DeleteTree(Root);

    /// <summary>Deletes a folder holding a git repository (git makes its objects read-only); what cannot be deleted stays.</summary>
    public static void DeleteTree(string root)
    {
        try
        {
            foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            {
                File.SetAttributes(file, FileAttributes.Normal);
            }

            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static void Run(string dir, string exe, params string[] args)
    {
        var psi = new ProcessStartInfo(exe) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{exe} {string.Join(' ', args)} failed: {p.StandardError.ReadToEnd()}");
        }
    }
}
