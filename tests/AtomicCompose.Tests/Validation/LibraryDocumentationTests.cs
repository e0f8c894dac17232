using AtomicCompose.Validation;

namespace AtomicCompose.Tests.Validation;

/// <summary>The library passes its own documentation validator: every public member is documented.</summary>
public sealed class LibraryDocumentationTests
{
    [Fact]
    public void The_library_sources_pass_the_documentation_validator()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AtomicCompose.sln")))
        {
            dir = dir.Parent;
        }

        Assert.NotNull(dir);
        var src = Path.Combine(dir!.FullName, "src", "AtomicCompose");
        var sources = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                     && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetRelativePath(src, f).Replace('\\', '/'), File.ReadAllText);
        Assert.True(sources.Count > 40, $"only {sources.Count} sources found under {src}");

        var context = ValidationContext.FromSources(new Dictionary<string, string>(), sources);
        // Crefs to package types (Roslyn, LiteDB, logging) cannot resolve without the package references;
        // the real build checks those with warnings as errors. Everything else must be clean.
        var findings = new DocumentationValidator().Validate(context, CancellationToken.None)
            .Where(f => f.Id is not ("CS1574" or "CS1580" or "CS1581"))
            .ToList();

        Assert.Empty(findings.Select(f => f.ToString()));
    }
}
