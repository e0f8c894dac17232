using System.Collections.Frozen;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AtomicCompose.Validation.Generators;

/// <summary>
/// The source generators a build of the project runs: those of the shared frameworks' targeting packs
/// (<c>[GeneratedRegex]</c>, <c>[JsonSerializable]</c>, <c>[LibraryImport]</c>, <c>[LoggerMessage]</c>…) and those of the
/// project's analyzer assemblies. Without their output, code that uses what they generate is judged broken
/// (CS8795 on a partial method, CS0117 on a generated member) where the build passes.
/// </summary>
/// <remarks>
/// A generator driver run visits every tree, which costs milliseconds on a large project, so the generators
/// are kept in two groups. Those known to generate only from attributed declarations (they find their input
/// with <c>ForAttributeWithMetadataName</c>) cannot change their output on an edit inside a member body: they
/// run only when declarations change. Any other generator may read bodies (an interceptor reads call sites)
/// and runs on every edit. Each run continues from the previous run's driver, so generators reuse their
/// cached steps.
/// </remarks>
internal sealed class SourceGeneration
{
    // Generators that find their input only through attributes on declarations, by assembly name.
    private static readonly FrozenSet<string> DeclarationDriven = FrozenSet.ToFrozenSet(
    [
        "System.Text.RegularExpressions.Generator",
        "System.Text.Json.SourceGeneration",
        "Microsoft.Interop.LibraryImportGenerator",
        "Microsoft.Interop.ComInterfaceGenerator",
        "Microsoft.Interop.JavaScript.JSImportGenerator",
        "Microsoft.Extensions.Logging.Generators",
        "Microsoft.Extensions.Options.SourceGeneration",
    ], StringComparer.OrdinalIgnoreCase);

    private readonly ImmutableArray<Group> _groups;

    private SourceGeneration(ImmutableArray<Group> groups) => _groups = groups;

    private sealed record Group(bool RunsOnBodyEdits, GeneratorDriver Driver);

    /// <summary>Which assemblies could not be loaded, and why; a build would fail on them, the verdict goes on without them.</summary>
    public IReadOnlyList<(string Path, string Error)> LoadErrors { get; private init; } = [];

    /// <summary>The project's generators, or null when it has none.</summary>
    /// <param name="context">The project: <see cref="ProjectContext.FrameworkAnalyzerAssemblies"/> and <see cref="ProjectContext.AnalyzerAssemblies"/>.</param>
    /// <param name="options">The config options generators read (<c>build_property.*</c>, editorconfig keys).</param>
    /// <param name="additionalTexts">The project's additional files.</param>
    public static SourceGeneration? Create(ProjectContext context, AnalyzerConfigOptionsProvider options, ImmutableArray<AdditionalText> additionalTexts)
    {
        var declarationDriven = new List<ISourceGenerator>();
        var others = new List<ISourceGenerator>();
        var errors = new List<(string, string)>();
        foreach (var path in context.FrameworkAnalyzerAssemblies.Concat(context.AnalyzerAssemblies).Distinct(StringComparer.Ordinal))
        {
            var loaded = Analyzers.AnalyzerAssemblies.Get(path);
            if (loaded.Error is not null)
            {
                errors.Add((path, loaded.Error));
            }

            (DeclarationDriven.Contains(Path.GetFileNameWithoutExtension(path)) ? declarationDriven : others).AddRange(loaded.Generators);
        }

        if (declarationDriven.Count == 0 && others.Count == 0)
        {
            return null;
        }

        GeneratorDriver Driver(List<ISourceGenerator> generators) =>
            CSharpGeneratorDriver.Create(generators, additionalTexts, context.ParseOptions, options);

        ImmutableArray<Group> groups = [.. new[] { (false, declarationDriven), (true, others) }.Where(g => g.Item2.Count > 0).Select(g => new Group(g.Item1, Driver(g.Item2)))];
        return new SourceGeneration(groups) { LoadErrors = errors };
    }

    /// <summary>Whether an edit that changes no declaration has generators to run.</summary>
    public bool RunsOnBodyEdits => _groups.Any(g => g.RunsOnBodyEdits);

    /// <summary>The generators' output for the project's first compilation.</summary>
    public GeneratedSources RunFirst(CSharpCompilation sources, CancellationToken cancellationToken) =>
        Run(new GeneratedSources([.. _groups.Select(g => new GroupOutput(g.Driver, [], []))]), sources, declarationsChanged: true, cancellationToken);

    /// <summary>
    /// The generators' output for <paramref name="sources"/> (the project's own trees, without generated ones), continuing
    /// from <paramref name="previous"/>. Without <paramref name="declarationsChanged"/> only the generators that may read
    /// member bodies run; the others' output is carried over.
    /// </summary>
    public GeneratedSources Run(GeneratedSources previous, CSharpCompilation sources, bool declarationsChanged, CancellationToken cancellationToken)
    {
        var outputs = ImmutableArray.CreateBuilder<GroupOutput>(_groups.Length);
        for (var i = 0; i < _groups.Length; i++)
        {
            var last = previous.Groups[i];
            if (!declarationsChanged && !_groups[i].RunsOnBodyEdits)
            {
                outputs.Add(last);
                continue;
            }

            var driver = last.Driver.RunGenerators(sources, cancellationToken);
            var result = driver.GetRunResult();
            var known = last.Trees.ToDictionary(t => t.FilePath, StringComparer.Ordinal);

            // An unchanged text keeps its tree: the compilation then holds the same tree, and what is cached for it stays valid.
            var trees = result.GeneratedTrees
                .Select(t => known.TryGetValue(t.FilePath, out var old) && old.GetText(cancellationToken).ContentEquals(t.GetText(cancellationToken)) ? old : t)
                .ToImmutableArray();
            outputs.Add(new GroupOutput(driver, trees, [.. result.Diagnostics.Where(d => d.Severity != DiagnosticSeverity.Hidden)]));
        }

        return new GeneratedSources(outputs.MoveToImmutable());
    }
}

/// <summary>One generator group's driver after a run, the trees it generated and the diagnostics generators reported.</summary>
internal sealed record GroupOutput(GeneratorDriver Driver, ImmutableArray<SyntaxTree> Trees, ImmutableArray<Diagnostic> Diagnostics);

/// <summary>What the generators made of one compilation of the project.</summary>
internal sealed record GeneratedSources(ImmutableArray<GroupOutput> Groups)
{
    /// <summary>No generators: nothing generated.</summary>
    public static GeneratedSources None { get; } = new(ImmutableArray<GroupOutput>.Empty);

    /// <summary>The generated trees, in the order a build adds them.</summary>
    public ImmutableArray<SyntaxTree> Trees { get; } = [.. Groups.SelectMany(g => g.Trees)];

    /// <summary>The diagnostics generators reported (an invalid pattern in <c>[GeneratedRegex]</c>, SYSLIB1042).</summary>
    public ImmutableArray<Diagnostic> Diagnostics { get; } = [.. Groups.SelectMany(g => g.Diagnostics)];

    /// <summary>
    /// <paramref name="compilation"/> (holding this output's trees) with <paramref name="next"/>'s trees instead: changed ones
    /// replaced in place, new ones added, gone ones removed. Also gives the generated files whose text changed.
    /// </summary>
    public CSharpCompilation SwapInto(CSharpCompilation compilation, GeneratedSources next, out List<(string Path, SyntaxTree? Before, SyntaxTree? After)> changed)
    {
        changed = [];
        var now = next.Trees.ToDictionary(t => t.FilePath, StringComparer.Ordinal);
        foreach (var old in Trees)
        {
            if (!now.Remove(old.FilePath, out var fresh))
            {
                compilation = compilation.RemoveSyntaxTrees(old);
                changed.Add((old.FilePath, old, null));
            }
            else if (!ReferenceEquals(old, fresh))
            {
                compilation = compilation.ReplaceSyntaxTree(old, fresh);
                changed.Add((old.FilePath, old, fresh));
            }
        }

        foreach (var added in next.Trees.Where(t => now.ContainsKey(t.FilePath)))
        {
            compilation = compilation.AddSyntaxTrees(added);
            changed.Add((added.FilePath, null, added));
        }

        return compilation;
    }
}
