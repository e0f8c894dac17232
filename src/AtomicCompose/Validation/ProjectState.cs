using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;
using AtomicCompose.Validation.Analyzers;
using AtomicCompose.Validation.Build;
using AtomicCompose.Validation.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace AtomicCompose.Validation;

/// <summary>
/// The warm baseline of one project: its compilation as committed, the tree of every file by path, and the
/// diagnostics already computed for it. Edits are validated against it by replacing only the edited trees.
/// </summary>
internal sealed class ProjectState : IDisposable
{
    private readonly string _root;
    private readonly Dictionary<string, SyntaxTree> _trees;
    private readonly Dictionary<string, FileStamp> _stamps;
    private readonly Dictionary<string, FileStamp?> _projectFileStamps;
    private readonly Dictionary<string, FileStamp?> _configFileStamps;
    private readonly AnalyzerConfigFiles _configFiles;
    private readonly HashSet<string> _sourceFolders;
    private readonly List<string> _addedFromDisk = [];
    private readonly List<ReferencedProject> _references;
    private readonly SourceGeneration? _generation;
    private GeneratedSources _generated = GeneratedSources.None;
    private CSharpCompilation? _generatedFor;
    private Pending? _pending;
    private Lineage? _lineage;
    private CSharpCompilation? _sources;
    private CSharpCompilation? _sourcesFor;
    private Lineage? _sourcesLineage;
    private DirectoryWatch? _watch;
    private DirectoryWatch.Changes? _undrained; // what a look for new sources read from the watch, for the next refresh
    private readonly Dictionary<string, string> _listings;
    private bool _watchEnabled = true;
    private long _lastFullScan;

    /// <summary>How long the disk watch is trusted alone; then the next validation re-globs and stats every source.</summary>
    internal static readonly TimeSpan FullScanPeriod = TimeSpan.FromSeconds(5);

    private ProjectState(
        string root,
        ProjectContext context,
        CSharpCompilation baseline,
        Dictionary<string, SyntaxTree> trees,
        Dictionary<string, FileStamp> stamps,
        List<ReferencedProject> references,
        AnalyzerConfigFiles configFiles,
        SourceGeneration? generation,
        GeneratedSources generated)
    {
        _root = root;
        _generation = generation;
        _generated = generated;
        _generatedFor = baseline;
        Context = context;
        Baseline = baseline;
        _trees = trees;
        _stamps = stamps;
        _references = references;
        _projectFileStamps = context.ProjectFiles.Where(p => !Build.SourceListing.IsListing(p)).ToDictionary(p => p, p => FileStamp.Of(FullPath(root, p)), StringComparer.Ordinal);
        _listings = context.ProjectFiles.Where(Build.SourceListing.IsListing).ToDictionary(p => p, p => Build.SourceListing.Of(FullPath(root, p)), StringComparer.Ordinal);
        _configFiles = configFiles;
        // The context's own config files (edited, the compilation's severities are stale), and where one could appear that
        // the context's inputs do not stamp already (for a context from MSBuild, none: see BuildContexts).
        _configFileStamps = context.AnalyzerConfigFiles.Concat(configFiles.CandidatePaths(context, context.SourcePaths))
            .Distinct(StringComparer.Ordinal).ToDictionary(p => p, FileStamp.Of, StringComparer.Ordinal);
        _sourceFolders = trees.Keys.Select(FolderOf).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Size and modification time: a cheap way to notice that someone else changed a file.</summary>
    private readonly record struct FileStamp(long Length, DateTime LastWriteUtc)
    {
        public static FileStamp? Of(string fullPath)
        {
            var info = new FileInfo(fullPath);
            return info.Exists ? new FileStamp(info.Length, info.LastWriteTimeUtc) : null;
        }
    }

    private static string FullPath(string root, string relative) => Path.Combine(root, relative.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>
    /// Whether the project file, its Directory.Build.props, its restore output, or a config file that sets its
    /// compiler severities (edited, created or deleted) changed since loading: then the whole state is stale.
    /// </summary>
    public bool ProjectFilesChanged() =>
        _projectFileStamps.Any(kv => FileStamp.Of(FullPath(_root, kv.Key)) != kv.Value) || _configFileStamps.Any(kv => FileStamp.Of(kv.Key) != kv.Value)
        || SourcesCameOrWent();

    /// <summary>
    /// Whether someone else created or deleted a C# file where the project's sources lie since MSBuild listed them: its
    /// globs may now give the compiler another set of files, which only a new design-time build can say. Looked at when
    /// the disk watch saw a file come or go (or, without a watch, every time).
    /// </summary>
    private bool SourcesCameOrWent()
    {
        if (_listings.Count == 0)
        {
            return false;
        }

        if (_watch is not null)
        {
            _undrained = DrainWatch(_watch);
            if (!_undrained.Value.Rescan)
            {
                return false;
            }
        }

        return _listings.Any(kv => Build.SourceListing.Of(FullPath(_root, kv.Key)) != kv.Value);
    }

    /// <summary>
    /// A source in a folder the project had no source in when it loaded (an edit creating a file there, or a file
    /// someone else added) may have config files of its own: the compilation's severities are rebuilt with them. Where
    /// none is there yet, the places are stamped, so that one created later reloads the project like the others.
    /// For a context from MSBuild this is the one case where config files are looked for rather than taken from the
    /// design-time build: a file an edit creates is not on disk while it is judged (nothing is written before the
    /// verdict), so no design-time build can list the config files above it, and asking MSBuild again would give the
    /// same list. Once the file is committed, the next design-time build of the project (the source listing changed)
    /// names them itself. See docs/validation.md §8.
    /// </summary>
    /// <returns>Whether the baseline's options changed.</returns>
    private bool AdoptConfigFilesOfNewFolders(IEnumerable<string> editedPaths)
    {
        var fresh = editedPaths.Concat(_addedFromDisk).Where(p => _sourceFolders.Add(FolderOf(p))).ToList();
        _addedFromDisk.Clear();
        var appeared = false;
        foreach (var candidate in fresh.Count == 0 ? [] : _configFiles.CandidatePaths(Context, fresh))
        {
            var stamp = FileStamp.Of(candidate);
            appeared |= _configFileStamps.TryAdd(candidate, stamp) && stamp is not null;
        }

        if (!appeared)
        {
            return false;
        }

        var configuration = _configFiles.For(Context, _trees.Keys.Concat(editedPaths));
        Baseline = Baseline.WithOptions(Baseline.Options.WithSyntaxTreeOptionsProvider(configuration.TreeOptions));
        return true;
    }

    private static string FolderOf(string relativePath) => relativePath.LastIndexOf('/') is var slash and >= 0 ? relativePath[..slash] : "";

    /// <summary>A ProjectReference, compiled from source: the reference is swapped when that project's baseline moves on.</summary>
    private sealed class ReferencedProject(ProjectState state, MetadataReference reference, Compilation compilation)
    {
        public ProjectState State { get; } = state;

        public MetadataReference Reference { get; set; } = reference;

        public Compilation Compilation { get; set; } = compilation;
    }

    public ProjectContext Context { get; }

    /// <summary>The projects this one references directly.</summary>
    public IEnumerable<ProjectState> ReferencedStates => _references.Select(r => r.State);

    /// <summary>Whether this project references <paramref name="other"/>, directly or through others.</summary>
    public bool References(ProjectState other)
    {
        var seen = new HashSet<ProjectState>();
        var pending = new Stack<ProjectState>([this]);
        while (pending.Count > 0)
        {
            foreach (var r in pending.Pop()._references)
            {
                if (ReferenceEquals(r.State, other))
                {
                    return true;
                }

                if (seen.Add(r.State))
                {
                    pending.Push(r.State);
                }
            }
        }

        return false;
    }

    /// <summary>
    /// The project as a build compiles it: its sources, the generated global usings, and what its source generators
    /// generated from them (last, as a build adds them).
    /// </summary>
    public CSharpCompilation Baseline { get; private set; }

    /// <summary>The trees the source generators added to <see cref="Baseline"/>.</summary>
    public ImmutableArray<SyntaxTree> GeneratedTrees => _generated.Trees;

    public DiagnosticCache BaselineDiagnostics { get; private set; } = new();

    /// <summary>The compilation a validation built, remembered so that <see cref="Accept"/> can adopt it as is.</summary>
    private sealed record Pending(
        CSharpCompilation Compilation,
        Dictionary<string, SyntaxTree?> AfterTrees,
        DiagnosticCache Diagnostics,
        bool DeclarationChange,
        List<(ReferencedProject Link, MetadataReference Reference, Compilation Compilation)> Relinked,
        GeneratedSources Generated,
        CSharpCompilation? Sources);

    /// <summary>
    /// The last after-compilation built for a one-file edit: the baseline with <paramref name="Path"/>'s tree
    /// replaced by <paramref name="Tree"/>. The next edit of the same file is built from it rather than from the
    /// baseline, which gives the same trees in the same order, but keeps the compiler's merge of the other
    /// files' declarations: Roslyn's <c>DeclarationTable</c> reuses that merge only while the tree being
    /// replaced is the one added last.
    /// </summary>
    private sealed record Lineage(CSharpCompilation Baseline, string Path, SyntaxTree Tree, CSharpCompilation Compilation)
    {
        /// <summary><paramref name="last"/> when it continues from <paramref name="start"/> with an edit of the same one file; else null.</summary>
        public static Lineage? Continuing(Lineage? last, CSharpCompilation start, IReadOnlyList<ValidationDocument> documents) =>
            last is not null && ReferenceEquals(last.Baseline, start) && documents.Count == 1 && documents[0].Path == last.Path ? last : null;

        /// <summary>The lineage of <paramref name="after"/>, built from <paramref name="start"/> by a one-file edit of an existing file; else null.</summary>
        public static Lineage? Of(CSharpCompilation start, List<ValidationDocument> normalized, CSharpCompilation after) =>
            normalized is [{ Before: not null, After: { } edited } doc] ? new Lineage(start, doc.Path, edited, after) : null;
    }

    /// <summary>Parses every source of the project; <paramref name="resolveReference"/> gives the state of a referenced project, or null when it cannot be used (missing, or a cycle).</summary>
    /// <param name="root">The workspace root.</param>
    /// <param name="context">The project.</param>
    /// <param name="resolveReference">Gives the state of a referenced project.</param>
    /// <param name="runGenerators">Whether the project's source generators run (they are code the project references, like its analyzers).</param>
    /// <param name="onGeneratorLoadError">Told which generator assembly could not be loaded, and why.</param>
    /// <param name="cancellationToken">Cancels.</param>
    public static ProjectState Load(
        string root, ProjectContext context, Func<string, ProjectState?> resolveReference, bool runGenerators, Action<string, string> onGeneratorLoadError, CancellationToken cancellationToken)
    {
        var trees = new Dictionary<string, SyntaxTree>(StringComparer.Ordinal);
        var stamps = new Dictionary<string, FileStamp>(StringComparer.Ordinal);
        foreach (var path in context.SourcePaths)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var full = FullPath(root, path);
            if (FileStamp.Of(full) is not { } stamp)
            {
                continue;
            }

            stamps[path] = stamp;
            trees[path] = Parse(ReadSource(full), context, path);
        }

        var all = trees.Values.ToList();

        var references = new List<ReferencedProject>();
        foreach (var path in context.ProjectReferences)
        {
            if (resolveReference(path) is { } referenced)
            {
                references.Add(new ReferencedProject(referenced, referenced.Baseline.ToMetadataReference(), referenced.Baseline));
            }
        }

        // Not concurrent: a validation binds one member or a few files, where the compiler's own task per
        // namespace and type (CLS compliance, method bodies) costs more than it saves; the declaration-change
        // path runs files in parallel itself. The diagnostics do not depend on it.
        var options = context.CompilationOptions.WithConcurrentBuild(false);

        // `dotnet_diagnostic.<id>.severity` in .editorconfig / .globalconfig changes the compiler's own warnings
        // as it does in a build: the compiler's /analyzerconfig files. They are read when the project loads, and a
        // change to one (or one created where MSBuild would find it) reloads it.
        var configFiles = new AnalyzerConfigFiles(root);
        var configuration = configFiles.For(context, context.SourcePaths);
        if (!configuration.Configs.IsEmpty)
        {
            options = options.WithSyntaxTreeOptionsProvider(configuration.TreeOptions);
        }

        var compilation = CSharpCompilation.Create(context.AssemblyName, all, [.. MetadataReferencesOf(context), .. references.Select(r => r.Reference)], options);

        // Generators read build properties and config keys as analyzers do, and the project's additional files.
        var generation = runGenerators
            ? SourceGeneration.Create(
                context,
                configuration.AnalyzerOptions,
                new AdditionalFiles().For(context.AdditionalFiles).Texts,
                onGeneratorLoadError)
            : null;
        var generated = generation?.RunFirst(compilation, cancellationToken) ?? GeneratedSources.None;
        if (!generated.Trees.IsEmpty)
        {
            compilation = compilation.AddSyntaxTrees(generated.Trees);
        }

        return new ProjectState(root, context, compilation, trees, stamps, references, configFiles, generation, generated);
    }

    /// <summary>
    /// The edited file parsed with the project's options: the composer's tree may have other preprocessor symbols or
    /// language version, which changes what the compiler sees. When the warm tree holds the text before the edit, the
    /// edit is applied to it, so the parser re-reads only the changed region and reuses the rest of the tree (Roslyn's
    /// incremental parse gives the tree a full parse would).
    /// </summary>
    private SyntaxTree ParseAfter(SyntaxTree? warm, SyntaxTree after, string path, CancellationToken cancellationToken)
    {
        var afterText = after.GetText(cancellationToken);
        if (warm is null)
        {
            return Parse(afterText, Context, path);
        }

        var warmText = warm.GetText(cancellationToken);
        if (TextRegion.Between(warmText, afterText) is not { } region)
        {
            return warm.WithChangedText(afterText); // same text: a new tree all the same, since the after compilation replaces the old one
        }

        var change = new TextChange(TextSpan.FromBounds(region.Start, region.OldEnd), afterText.ToString(region.NewSpan));
        return warm.WithChangedText(warmText.WithChanges(change));
    }

    // The build's own references, with their aliases.
    private static IEnumerable<MetadataReference> MetadataReferencesOf(ProjectContext context) =>
        context.References.Select(r => r.Aliases.IsDefaultOrEmpty ? PackageReferences.Get(r.Path) : PackageReferences.Get(r.Path).WithAliases(r.Aliases));

    public static SyntaxTree Parse(SourceText text, ProjectContext context, string path) =>
        CSharpSyntaxTree.ParseText(text, context.ParseOptions, path);

    // SourceText.From(Stream) detects the BOM and the encoding, like the compiler reading the file.
    private static SourceText ReadSource(string fullPath)
    {
        using var stream = File.OpenRead(fullPath);
        return SourceText.From(stream, Encoding.UTF8, SourceHashAlgorithm.Sha256, throwIfBinaryDetected: false);
    }

    /// <summary>
    /// Builds the before and after compilations for <paramref name="documents"/> (paths already normalised).
    /// A document's own before-tree wins over the warm one when their texts differ: the file changed on disk
    /// since the baseline was taken, and the edit was composed against what is there now.
    /// </summary>
    /// <param name="documents">The edited documents of this project.</param>
    /// <param name="referencedAfter">After-compilations of referenced projects edited in the same transaction: this project is judged against those.</param>
    /// <param name="externalScope">When <paramref name="referencedAfter"/> changed declarations: the files of this project they can reach, besides the ones the documents reach.</param>
    /// <param name="cancellationToken">Cancels.</param>
    public ValidationContext Prepare(
        IReadOnlyList<ValidationDocument> documents,
        IReadOnlyDictionary<ProjectState, Compilation>? referencedAfter,
        DeclarationScope? externalScope,
        CancellationToken cancellationToken)
    {
        var drifted = Synchronize(cancellationToken);
        drifted |= AdoptConfigFilesOfNewFolders(documents.Select(d => d.Path));
        foreach (var doc in documents)
        {
            var warm = _trees.GetValueOrDefault(doc.Path);
            if (doc.Before is null)
            {
                if (warm is not null)
                {
                    Baseline = Baseline.RemoveSyntaxTrees(warm);
                    _trees.Remove(doc.Path);
                    drifted = true;
                }

                continue;
            }

            var text = doc.Before.GetText(cancellationToken);
            if (warm is null)
            {
                // An edited file the project globs do not claim is still compiled with the project: it is
                // what the user is working on, and judging it alone would report every type it uses.
                var tree = Parse(text, Context, doc.Path);
                Baseline = Baseline.AddSyntaxTrees(tree);
                _trees[doc.Path] = tree;
                drifted = true;
            }
            else if (!warm.GetText(cancellationToken).ContentEquals(text))
            {
                var tree = Parse(text, Context, doc.Path);
                Baseline = Baseline.ReplaceSyntaxTree(warm, tree);
                _trees[doc.Path] = tree;
                drifted = true;
            }
        }

        drifted |= Regenerate(cancellationToken);
        if (drifted)
        {
            // Which other files' diagnostics the drift changed is unknown; start over rather than trust them.
            BaselineDiagnostics = new DiagnosticCache();
        }

        var after = Baseline;
        var normalized = new List<ValidationDocument>(documents.Count);
        var afterTrees = new Dictionary<string, SyntaxTree?>(StringComparer.Ordinal);
        var lineage = Lineage.Continuing(_lineage, Baseline, documents);
        _lineage = null;
        foreach (var doc in documents)
        {
            var oldTree = _trees.GetValueOrDefault(doc.Path);
            var newTree = doc.After is null ? null : ParseAfter(oldTree, doc.After, doc.Path, cancellationToken);
            afterTrees[doc.Path] = newTree;
            normalized.Add(new ValidationDocument(doc.Path, oldTree, newTree, doc.ChangedSpans));
        }

        after = Apply(after, lineage, normalized);

        var relinked = new List<(ReferencedProject Link, MetadataReference Reference, Compilation Compilation)>();
        foreach (var link in _references)
        {
            if (referencedAfter is not null && referencedAfter.TryGetValue(link.State, out var edited))
            {
                var reference = edited.ToMetadataReference();
                after = after.ReplaceReference(link.Reference, reference);
                relinked.Add((link, reference, edited));
            }
        }

        var declarationChange = relinked.Count > 0 || normalized.Any(SemanticDiff.IsDeclarationChange);
        var generated = _generated;
        CSharpCompilation? sourcesAfter = null;
        List<(string Path, SyntaxTree? Before, SyntaxTree? After)> generatedChanges = [];
        if (_generation is not null && (declarationChange || _generation.RunsOnBodyEdits))
        {
            // Generators see the project's own trees only, as in a build; their new output replaces the old. The
            // compilation they see is built like the after one, from the baseline's own trees and with a lineage of its
            // own, so that its declaration merge is reused as the after compilation's is.
            if (!_generated.Trees.IsEmpty)
            {
                var sources = SourcesOfBaseline();
                sourcesAfter = Apply(sources, Lineage.Continuing(_sourcesLineage, sources, documents), normalized);
                foreach (var (link, reference, _) in relinked)
                {
                    sourcesAfter = sourcesAfter.ReplaceReference(link.Reference, reference);
                }

                _sourcesLineage = relinked.Count == 0 ? Lineage.Of(sources, normalized, sourcesAfter) : null;
            }

            sourcesAfter ??= after; // no generated trees yet: the after compilation is the project's own trees
            generated = _generation.Run(_generated, sourcesAfter, declarationChange, cancellationToken);
            after = _generated.SwapInto(after, generated, out generatedChanges);
        }

        if (relinked.Count == 0 && generatedChanges.Count == 0)
        {
            _lineage = Lineage.Of(Baseline, normalized, after);
        }

        var afterDiagnostics = new DiagnosticCache();
        _pending = new Pending(after, afterTrees, afterDiagnostics, declarationChange || generatedChanges.Count > 0, relinked, generated, sourcesAfter);
        return new ValidationContext(normalized, Baseline, after)
        {
            BeforeDiagnostics = BaselineDiagnostics,
            AfterDiagnostics = afterDiagnostics,
            Project = Context,
            ExternalScope = externalScope is null ? null : DeclarationScope.Compute(normalized, cancellationToken).Union(externalScope),
            GeneratedChanges = generatedChanges,
            GeneratorDiagnostics = (_generated.Diagnostics, generated.Diagnostics),
        };
    }

    /// <summary>
    /// The context in which this project, unedited, is judged against an edit of a project it references:
    /// before, it compiles against that project's baseline; after, against the edited compilation. Null when
    /// this project does not reference <paramref name="referenced"/>.
    /// </summary>
    public ValidationContext? PrepareDependent(ProjectState referenced, Compilation referencedAfter, DeclarationScope scope, CancellationToken cancellationToken)
    {
        var changed = Synchronize(cancellationToken);
        changed |= Regenerate(cancellationToken);
        if (changed)
        {
            BaselineDiagnostics = new DiagnosticCache();
        }

        var link = _references.FirstOrDefault(r => ReferenceEquals(r.State, referenced));
        if (link is null)
        {
            return null;
        }

        var reference = referencedAfter.ToMetadataReference();
        var after = Baseline.ReplaceReference(link.Reference, reference);

        // Generators read the referenced project's types too (a JSON context for one of them): run them again, as a build does.
        var generated = _generated;
        List<(string Path, SyntaxTree? Before, SyntaxTree? After)> generatedChanges = [];
        if (_generation is not null)
        {
            generated = _generation.Run(_generated, SourcesOfBaseline().ReplaceReference(link.Reference, reference), declarationsChanged: true, cancellationToken);
            after = _generated.SwapInto(after, generated, out generatedChanges);
        }

        return new ValidationContext([], Baseline, after)
        {
            BeforeDiagnostics = BaselineDiagnostics,
            ExternalScope = scope,
            GeneratedChanges = generatedChanges,
            GeneratorDiagnostics = (_generated.Diagnostics, generated.Diagnostics),
        };
    }

    /// <summary>
    /// Runs the source generators again when the project's own trees changed since their last run without them
    /// (a file changed on disk, an accepted edit that was not the one validated, new options): true when their output changed.
    /// </summary>
    private bool Regenerate(CancellationToken cancellationToken)
    {
        if (_generation is null || ReferenceEquals(_generatedFor, Baseline))
        {
            return false;
        }

        var sources = SourcesOfBaseline();
        var fresh = _generation.Run(_generated, sources, declarationsChanged: true, cancellationToken);
        Baseline = _generated.SwapInto(Baseline, fresh, out var changed);
        _generated = fresh;
        _generatedFor = Baseline;
        (_sources, _sourcesFor) = (sources, Baseline);
        return changed.Count > 0;
    }

    /// <summary>The baseline without the generated trees: what the generators see. Kept while the baseline stays.</summary>
    private CSharpCompilation SourcesOfBaseline()
    {
        if (_generated.Trees.IsEmpty)
        {
            return Baseline;
        }

        if (!ReferenceEquals(_sourcesFor, Baseline))
        {
            (_sources, _sourcesFor, _sourcesLineage) = (Baseline.RemoveSyntaxTrees(_generated.Trees), Baseline, null);
        }

        return _sources!;
    }

    /// <summary>
    /// <paramref name="start"/> with the documents' trees swapped in. A one-file edit with a <paramref name="lineage"/> for
    /// that file is built from the lineage's compilation instead, which keeps the compiler's merge of the other files.
    /// </summary>
    private static CSharpCompilation Apply(CSharpCompilation start, Lineage? lineage, List<ValidationDocument> normalized)
    {
        var compilation = start;
        foreach (var doc in normalized)
        {
            compilation = (doc.Before, doc.After) switch
            {
                (not null, not null) when lineage is not null => lineage.Compilation.ReplaceSyntaxTree(lineage.Tree, doc.After),
                (not null, not null) => compilation.ReplaceSyntaxTree(doc.Before, doc.After),
                (null, not null) => compilation.AddSyntaxTrees(doc.After),
                (not null, null) => compilation.RemoveSyntaxTrees(doc.Before),
                _ => compilation,
            };
        }

        return compilation;
    }

    /// <summary>Follows the disk and the referenced projects' baselines; true when the baseline changed.</summary>
    private bool Synchronize(CancellationToken cancellationToken)
    {
        var changed = RefreshFromDisk(cancellationToken);
        foreach (var r in _references)
        {
            if (!ReferenceEquals(r.Compilation, r.State.Baseline))
            {
                var reference = r.State.Baseline.ToMetadataReference();
                Baseline = Baseline.ReplaceReference(r.Reference, reference);
                (r.Reference, r.Compilation) = (reference, r.State.Baseline);
                changed = true;
            }
        }

        return changed;
    }

    // What the watch queued since the last look, with what a look for new sources read from it before and kept.
    private DirectoryWatch.Changes DrainWatch(DirectoryWatch watch)
    {
        var changes = watch.Drain(full => _trees.ContainsKey(Path.GetRelativePath(_root, full).Replace(Path.DirectorySeparatorChar, '/')));
        return _undrained is { } earlier ? new DirectoryWatch.Changes(earlier.Rescan || changes.Rescan, [.. earlier.Modified, .. changes.Modified]) : changes;
    }

    /// <summary>
    /// Brings the baseline up to date with files someone else changed, created or deleted on disk since it
    /// was taken. Only files whose size or modification time moved are read again.
    /// </summary>
    /// <remarks>
    /// Globbing and stat-ing every source per validation costs tens of milliseconds on a project of
    /// thousands of files, so a <see cref="DirectoryWatch"/> says which files were written since the last
    /// look, and only those are stat-ed. A file or folder that came, went or was renamed, lost events, and
    /// every <see cref="FullScanPeriod"/> (a backstop for folders the watch does not cover, such as sources
    /// globbed from outside the project folder) bring back the full re-glob and scan, which is also what
    /// runs at every validation where no watch could be created.
    /// </remarks>
    private bool RefreshFromDisk(CancellationToken cancellationToken)
    {
        if (_watch is not null && Stopwatch.GetElapsedTime(_lastFullScan) < FullScanPeriod)
        {
            var changes = DrainWatch(_watch);
            _undrained = null;
            if (!changes.Rescan)
            {
                var changed = false;
                foreach (var full in changes.Modified)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var path = Path.GetRelativePath(_root, full).Replace(Path.DirectorySeparatorChar, '/');
                    if (_trees.ContainsKey(path))
                    {
                        changed |= RefreshFile(path, full, cancellationToken);
                    }
                }

                return changed;
            }
        }

        return FullScan(cancellationToken);
    }

    private bool FullScan(CancellationToken cancellationToken)
    {
        // Watch first, then scan: a change made during the scan is either seen by it or queued for the next look.
        // What the watch queued before now, the scan below sees.
        _watch?.Drain(_ => false);
        _undrained = null;
        // MSBuild's items are the sources until a project file changes, which reloads the project.
        var sources = Context.SourcePaths;
        if (_watchEnabled)
        {
            var projectDirectory = Path.GetDirectoryName(FullPath(_root, Context.ProjectPath!))!;
            var folders = DirectoryWatch.FoldersOf(projectDirectory, sources.Concat(_trees.Keys).Select(p => FullPath(_root, p)));
            if (_watch is null)
            {
                _watch = DirectoryWatch.Create(folders);
            }
            else if (!_watch.Add(folders))
            {
                _watch.Dispose();
                _watch = null;
            }
        }

        _lastFullScan = Stopwatch.GetTimestamp();
        var changed = false;
        foreach (var path in sources)
        {
            cancellationToken.ThrowIfCancellationRequested();
            changed |= RefreshFile(path, FullPath(_root, path), cancellationToken);
        }

        var current = sources.ToHashSet(StringComparer.Ordinal);
        foreach (var (path, tree) in _trees.ToList())
        {
            // Files outside the globs were added because they were edited; they stay while they exist.
            if (!current.Contains(path) && !File.Exists(FullPath(_root, path)))
            {
                Baseline = Baseline.RemoveSyntaxTrees(tree);
                _trees.Remove(path);
                _stamps.Remove(path);
                changed = true;
            }
        }

        return changed;
    }

    /// <summary>Reads one file again when its stamp moved; true when the baseline changed.</summary>
    private bool RefreshFile(string path, string full, CancellationToken cancellationToken)
    {
        if (FileStamp.Of(full) is not { } stamp || (_stamps.TryGetValue(path, out var known) && known == stamp))
        {
            return false;
        }

        _stamps[path] = stamp;
        var text = ReadSource(full);
        if (_trees.TryGetValue(path, out var tree))
        {
            if (tree.GetText(cancellationToken).ContentEquals(text))
            {
                return false;
            }

            var fresh = Parse(text, Context, path);
            Baseline = Baseline.ReplaceSyntaxTree(tree, fresh);
            _trees[path] = fresh;
            return true;
        }

        var added = Parse(text, Context, path);
        Baseline = Baseline.AddSyntaxTrees(added);
        _trees[path] = added;
        _addedFromDisk.Add(path); // its folder may have config files of its own: see AdoptConfigFilesOfNewFolders
        return true;
    }

    /// <summary>Stops watching the disk.</summary>
    public void Dispose()
    {
        _watchEnabled = false;
        _watch?.Dispose();
        _watch = null;
    }

    /// <summary>Makes the documents' after-state the baseline, adopting the last validated compilation when it is for exactly these texts.</summary>
    public void Accept(IReadOnlyList<ValidationDocument> documents)
    {
        // The engine wrote these files: their new stamps are ours, not someone else's change.
        foreach (var doc in documents)
        {
            if (FileStamp.Of(FullPath(_root, doc.Path)) is { } stamp)
            {
                _stamps[doc.Path] = stamp;
            }
            else
            {
                _stamps.Remove(doc.Path);
            }
        }

        // A file the engine created or deleted is added to or dropped from the baseline below: no reason to ask MSBuild.
        if (documents.Any(d => d.Before is null || d.After is null))
        {
            foreach (var listing in _listings.Keys.ToList())
            {
                _listings[listing] = Build.SourceListing.Of(FullPath(_root, listing));
            }
        }

        var pending = _pending;
        _pending = null;
        if (pending is not null && Matches(pending, documents))
        {
            var oldCache = BaselineDiagnostics;
            foreach (var (path, tree) in pending.AfterTrees)
            {
                if (tree is null)
                {
                    _trees.Remove(path);
                }
                else
                {
                    _trees[path] = tree;
                }
            }

            Baseline = pending.Compilation;
            BaselineDiagnostics = pending.Diagnostics;
            _generated = pending.Generated;
            _generatedFor = Baseline;
            if (pending.Sources is not null)
            {
                (_sources, _sourcesFor) = (pending.Sources, Baseline);
            }

            foreach (var (link, reference, compilation) in pending.Relinked)
            {
                (link.Reference, link.Compilation) = (reference, compilation);
            }


            // A body-only edit cannot change another file's diagnostics, so theirs carry over.
            if (!pending.DeclarationChange)
            {
                var edited = pending.AfterTrees.Keys.ToHashSet(StringComparer.Ordinal);
                oldCache.CopyTo(BaselineDiagnostics, t => !edited.Contains(t.FilePath) && Baseline.ContainsSyntaxTree(t));
            }

            return;
        }

        foreach (var doc in documents)
        {
            var oldTree = _trees.GetValueOrDefault(doc.Path);
            var newTree = doc.After is null ? null : ParseAfter(oldTree, doc.After, doc.Path, CancellationToken.None);
            Baseline = (oldTree, newTree) switch
            {
                (not null, not null) => Baseline.ReplaceSyntaxTree(oldTree, newTree),
                (null, not null) => Baseline.AddSyntaxTrees(newTree),
                (not null, null) => Baseline.RemoveSyntaxTrees(oldTree),
                _ => Baseline,
            };
            if (newTree is null)
            {
                _trees.Remove(doc.Path);
            }
            else
            {
                _trees[doc.Path] = newTree;
            }
        }

        BaselineDiagnostics = new DiagnosticCache();
    }

    private static bool Matches(Pending pending, IReadOnlyList<ValidationDocument> documents)
    {
        if (pending.AfterTrees.Count != documents.Count)
        {
            return false;
        }

        foreach (var doc in documents)
        {
            if (!pending.AfterTrees.TryGetValue(doc.Path, out var tree))
            {
                return false;
            }

            if (tree is null || doc.After is null)
            {
                if (tree is not null || doc.After is not null)
                {
                    return false;
                }

                continue;
            }

            if (!tree.GetText().ContentEquals(doc.After.GetText()))
            {
                return false;
            }
        }

        return true;
    }
}
