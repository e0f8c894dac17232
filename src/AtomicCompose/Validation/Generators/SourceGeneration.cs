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
/// are kept in groups. Those known to generate only from attributed declarations (they find their input
/// with <c>ForAttributeWithMetadataName</c>) cannot change their output on an edit inside a member body: they
/// run only when declarations change, each assembly on its own and only once a file names its attributes. Any
/// other generator may read bodies (an interceptor reads call sites) and runs on every edit. Each run continues from the previous run's driver, so generators reuse their
/// cached steps.
/// </remarks>
internal sealed class SourceGeneration
{
    // Generators that find their input only through attributes on declarations, by assembly name, with the names of
    // those attributes. A tree whose text names none of them (an alias names the attribute too) gives them nothing.
    private static readonly FrozenDictionary<string, string[]> DeclarationDriven = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
    {
        ["System.Text.RegularExpressions.Generator"] = ["GeneratedRegex"],
        ["System.Text.Json.SourceGeneration"] = ["JsonSerializable"],
        ["Microsoft.Interop.LibraryImportGenerator"] = ["LibraryImport"],
        ["Microsoft.Interop.ComInterfaceGenerator"] = ["GeneratedComInterface", "GeneratedComClass", "VirtualMethodIndex"],
        ["Microsoft.Interop.JavaScript.JSImportGenerator"] = ["JSImport", "JSExport"],
        ["Microsoft.Interop.SourceGeneration"] = ["LibraryImport", "GeneratedComInterface", "GeneratedComClass", "VirtualMethodIndex", "JSImport", "JSExport"], // their shared library
        ["Microsoft.Extensions.Logging.Generators"] = ["LoggerMessage"],
        ["Microsoft.Extensions.Options.SourceGeneration"] = ["OptionsValidator"],
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private readonly ImmutableArray<Group> _groups;

    private SourceGeneration(ImmutableArray<Group> groups) => _groups = groups;

    /// <summary>
    /// Generators run together. Their assemblies are loaded at the first run that needs them: most projects use none
    /// of the declaration-driven ones, and loading them costs a process about a second.
    /// </summary>
    /// <param name="runsOnBodyEdits">Whether its generators may read member bodies.</param>
    /// <param name="triggers">The project's trigger words and this group's bit among them; null for a group not known to need an attribute.</param>
    /// <param name="create">Loads the generators.</param>
    private sealed class Group(bool runsOnBodyEdits, (NamedWords Words, int Bit)? triggers, Func<GeneratorDriver?> create)
    {
        private readonly Lazy<GeneratorDriver?> _initial = new(create);

        public bool RunsOnBodyEdits { get; } = runsOnBodyEdits;

        /// <summary>A driver that has not run yet; null when the group's assemblies hold no generator.</summary>
        public GeneratorDriver? Initial => _initial.Value;

        /// <summary>Whether the generators could generate anything from <paramref name="sources"/>; always, for a group not known to need an attribute.</summary>
        public bool MayGenerate(Compilation sources, CancellationToken cancellationToken) =>
            triggers is not { } named || sources.SyntaxTrees.Any(t => (named.Words.In(t, cancellationToken) & (1 << named.Bit)) != 0);
    }

    /// <summary>The project's generators, or null when it has no analyzer assemblies that could hold any.</summary>
    /// <param name="context">The project: <see cref="ProjectContext.FrameworkAnalyzerAssemblies"/> and <see cref="ProjectContext.AnalyzerAssemblies"/>.</param>
    /// <param name="options">The config options generators read (<c>build_property.*</c>, editorconfig keys).</param>
    /// <param name="additionalTexts">The project's additional files.</param>
    /// <param name="onLoadError">Told which assembly could not be loaded, and why; the verdict goes on without it, as a build would not.</param>
    public static SourceGeneration? Create(ProjectContext context, AnalyzerConfigOptionsProvider options, ImmutableArray<AdditionalText> additionalTexts, Action<string, string> onLoadError)
    {
        var files = context.FrameworkAnalyzerAssemblies.Concat(context.AnalyzerAssemblies).Distinct(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            return null;
        }

        GeneratorDriver? Driver(IEnumerable<string> paths)
        {
            var generators = new List<ISourceGenerator>();
            foreach (var path in paths)
            {
                var loaded = Analyzers.AnalyzerAssemblies.Get(path);
                if (loaded.Error is not null)
                {
                    onLoadError(path, loaded.Error);
                }

                generators.AddRange(loaded.Generators);
            }

            return generators.Count == 0 ? null : CSharpGeneratorDriver.Create(generators, additionalTexts, context.ParseOptions, options);
        }

        // One group per declaration-driven assembly: a project using [GeneratedRegex] runs the regex generator alone.
        var known = files.Where(f => DeclarationDriven.ContainsKey(Path.GetFileNameWithoutExtension(f))).ToList();
        var others = files.Except(known, StringComparer.Ordinal).ToList();
        var groups = ImmutableArray.CreateBuilder<Group>();
        var words = new NamedWords([.. known.Select(f => DeclarationDriven[Path.GetFileNameWithoutExtension(f)])]);
        for (var i = 0; i < known.Count; i++)
        {
            var file = known[i];
            groups.Add(new Group(runsOnBodyEdits: false, (words, i), () => Driver([file])));
        }

        if (others.Count > 0)
        {
            groups.Add(new Group(runsOnBodyEdits: true, null, () => Driver(others)));
        }

        return new SourceGeneration(groups.ToImmutable());
    }

    /// <summary>Whether an edit that changes no declaration has generators to run.</summary>
    public bool RunsOnBodyEdits => _groups.Any(g => g.RunsOnBodyEdits && g.Initial is not null);

    /// <summary>The generators' output for the project's first compilation.</summary>
    public GeneratedSources RunFirst(CSharpCompilation sources, CancellationToken cancellationToken) =>
        Run(new GeneratedSources([.. _groups.Select(_ => GroupOutput.NotRun)]), sources, declarationsChanged: true, cancellationToken);

    /// <summary>
    /// The generators' output for <paramref name="sources"/> (the project's own trees, without generated ones), continuing
    /// from <paramref name="previous"/>. Without <paramref name="declarationsChanged"/> only the generators that may read
    /// member bodies run; the others' output is carried over, as it is while no tree names their attributes.
    /// </summary>
    public GeneratedSources Run(GeneratedSources previous, CSharpCompilation sources, bool declarationsChanged, CancellationToken cancellationToken)
    {
        var outputs = ImmutableArray.CreateBuilder<GroupOutput>(_groups.Length);
        for (var i = 0; i < _groups.Length; i++)
        {
            var group = _groups[i];
            var last = previous.Groups[i];
            var idle = last.Trees.IsEmpty && last.Diagnostics.IsEmpty;
            if ((!declarationsChanged && !group.RunsOnBodyEdits) || (idle && !group.MayGenerate(sources, cancellationToken))
                || (last.Driver ?? group.Initial) is not { } start)
            {
                outputs.Add(last);
                continue;
            }

            var driver = start.RunGenerators(sources, cancellationToken);
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

/// <summary>One generator group's driver after a run (null before the first), the trees it generated and the diagnostics generators reported.</summary>
internal sealed record GroupOutput(GeneratorDriver? Driver, ImmutableArray<SyntaxTree> Trees, ImmutableArray<Diagnostic> Diagnostics)
{
    /// <summary>A group that has not run: nothing generated.</summary>
    public static GroupOutput NotRun { get; } = new(null, [], []);
}

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
