namespace AtomicCompose.Tests.TestSupport;

/// <summary>Small C# projects written into a workspace.</summary>
public static class SampleProjects
{
    public const string Csproj = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
            <GenerateDocumentationFile>true</GenerateDocumentationFile>
          </PropertyGroup>
        </Project>
        """;

    /// <summary><see cref="Csproj"/> with more properties and an item group.</summary>
    public static string CsprojWith(string properties = "", string items = "") =>
        Csproj.Replace("  </PropertyGroup>", $"  {properties}\n  </PropertyGroup>\n  <ItemGroup>\n    {items}\n  </ItemGroup>", StringComparison.Ordinal);

    public const string Greeter = """
        namespace Demo;

        /// <summary>Greets people.</summary>
        public class Greeter
        {
            /// <summary>Says hello.</summary>
            /// <param name="name">Who to greet.</param>
            /// <returns>The greeting.</returns>
            public string Greet(string name)
            {
                return "Hello, " + name + "!";
            }

            /// <summary>Says goodbye.</summary>
            /// <param name="name">Who.</param>
            /// <returns>The farewell.</returns>
            public string Farewell(string name) => "Bye, " + name;
        }

        """;

    public const string Program = """
        namespace Demo;

        /// <summary>Entry point.</summary>
        public static class Program
        {
            /// <summary>Runs.</summary>
            public static void Main()
            {
                System.Console.WriteLine(new Greeter().Greet("world"));
            }
        }

        """;

    /// <summary>
    /// Writes the Demo project (Demo.csproj, src/Greeter.cs, src/Program.cs), restores it as a build's project is before
    /// the engine asks MSBuild what it compiles (unless <paramref name="restore"/> is off), and commits it when the
    /// workspace is a repo, with a .gitignore for the build's output.
    /// </summary>
    public static void WriteDemo(TempWorkspace ws, bool commit = true, bool restore = true)
    {
        ws.Write("Demo.csproj", Csproj);
        ws.Write("src/Greeter.cs", Greeter);
        ws.Write("src/Program.cs", Program);
        if (Directory.Exists(ws.PathOf(".git")))
        {
            ws.Write(".gitignore", "bin/\nobj/\n");
        }

        if (restore)
        {
            DotnetCli.Restore(ws.Root, "Demo.csproj");
        }

        if (commit && Directory.Exists(ws.PathOf(".git")))
        {
            ws.CommitAll();
        }
    }
}
