using System.Security.Cryptography;
using LibGit2Sharp;

namespace AtomicCompose.Cli;

/// <summary>
/// The main job: a throwaway git repository with a small C# project, one transaction that lands and
/// one that validation refuses, showing that the refused one changed nothing.
/// </summary>
internal static class Demo
{
    private const string GreeterPath = "src/Greeter.cs";

    public static int Run(TextWriter o, bool keep, bool verbose)
    {
        var root = Path.Combine(Path.GetTempPath(), "atomic-compose-demo-" + Guid.NewGuid().ToString("N")[..8]);
        CreateRepository(root);
        o.WriteLine($"demo repository: {root}");
        try
        {
            // The demo's project is new: the engine restores it (no packages, so nothing is downloaded) before asking MSBuild.
            var options = new ComposeOptions { RestoreProjects = true };
            if (verbose)
            {
                options.LoggerFactory = Microsoft.Extensions.Logging.LoggerFactory.Create(b =>
                    Microsoft.Extensions.Logging.ConsoleLoggerExtensions.AddSimpleConsole(b, c => c.SingleLine = true));
            }

            using var engine = ComposeEngine.Open(root, options);

            o.WriteLine();
            o.WriteLine("### 1. Make Greeter.Greet shorter");
            using (var tx = engine.Begin("Make Greeter.Greet shorter"))
            {
                tx.Replace(GreeterPath, "Demo.Greeter.Greet(string)",
                    "public string Greet(string name) => $\"Hello, {name}\";");
                var result = tx.Complete();
                Report.WriteResult(o, result);
            }

            o.WriteLine();
            o.WriteLine("### 2. An edit that does not type-check is refused");
            var before = Fingerprint(root);
            string head;
            using (var repo = new Repository(root))
            {
                head = repo.Head.Tip.Sha;
            }

            using (var tx = engine.Begin("Call a method that does not exist"))
            {
                tx.Replace(GreeterPath, "Demo.Greeter.Farewell(string)",
                    "public string Farewell(string name) => Shout(\"Bye, \" + name);");
                try
                {
                    tx.Complete();
                    o.WriteLine("unexpected: the broken edit was accepted");
                    return 1;
                }
                catch (ComposeValidationException ex)
                {
                    Report.WriteValidation(o, ex.Report);
                }
            }

            using (var repo = new Repository(root))
            {
                var unchanged = Fingerprint(root) == before && repo.Head.Tip.Sha == head;
                o.WriteLine(unchanged
                    ? $"nothing changed: every file byte-identical, HEAD still {head[..12]}"
                    : "UNEXPECTED: something changed");
                var verification = engine.Verify();
                o.WriteLine($"index verify: {(verification.IsConsistent ? "index matches disk" : string.Join("; ", verification.Problems))}");
                return unchanged && verification.IsConsistent ? 0 : 1;
            }
        }
        finally
        {
            if (!keep)
            {
                DeleteDirectory(root);
            }
        }
    }

    private static void CreateRepository(string root)
    {
        Directory.CreateDirectory(Path.Combine(root, "src"));
        File.WriteAllText(Path.Combine(root, "Demo.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <GenerateDocumentationFile>true</GenerateDocumentationFile>
              </PropertyGroup>
            </Project>

            """);
        File.WriteAllText(Path.Combine(root, GreeterPath), """
            namespace Demo;

            /// <summary>Greets people.</summary>
            public class Greeter
            {
                /// <summary>Says hello.</summary>
                /// <param name="name">Who to greet.</param>
                /// <returns>The greeting.</returns>
                public string Greet(string name)
                {
                    var greeting = "Hello, " + name;
                    return greeting;
                }

                /// <summary>Says goodbye.</summary>
                /// <param name="name">Who.</param>
                /// <returns>The farewell.</returns>
                public string Farewell(string name) => "Bye, " + name;
            }

            """);
        File.WriteAllText(Path.Combine(root, "src/Program.cs"), """
            namespace Demo;

            /// <summary>Entry point.</summary>
            public static class Program
            {
                /// <summary>Prints a greeting.</summary>
                public static void Main() => Console.WriteLine(new Greeter().Greet("world"));
            }

            """);

        Repository.Init(root);
        using var repo = new Repository(root);
        foreach (var path in new[] { "Demo.csproj", GreeterPath, "src/Program.cs" })
        {
            repo.Index.Add(path);
        }

        repo.Index.Write();
        var signature = new Signature("AtomicCompose demo", "demo@localhost", DateTimeOffset.Now);
        repo.Commit("Initial demo project", signature, signature);
    }

    private static string Fingerprint(string root) =>
        string.Join('\n', Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/.git/", StringComparison.Ordinal) && !f.Contains("/.atomiccompose/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => f + ":" + Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))));

    private static void DeleteDirectory(string root)
    {
        try
        {
            foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            {
                // libgit2 writes read-only object files.
                File.SetAttributes(file, FileAttributes.Normal);
            }

            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
