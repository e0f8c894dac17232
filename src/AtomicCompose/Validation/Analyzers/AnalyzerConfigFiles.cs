using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AtomicCompose.Validation.Analyzers;

/// <summary>
/// The <c>.editorconfig</c> and <c>.globalconfig</c> files that apply to edited files, parsed and kept until their stamp
/// moves. A project's context from MSBuild names them: the design-time build's <c>/analyzerconfig</c> arguments, which are
/// what the SDK's <c>DiscoverEditorConfigFiles</c> found (every <c>.editorconfig</c> and every <c>.globalconfig</c> in each
/// folder from a Compile item's up to the file system's root) and its generated and analysis-level configs; those are
/// used as they are, and nothing is looked for. So is a caller's context that lists config files.
/// Only where there is no such list — a file outside every project, or a caller's context without <c>/analyzerconfig</c>
/// arguments — are they looked for here: every <c>.editorconfig</c> from the file's folder up to the workspace root (Roslyn
/// itself stops at one marked <c>root = true</c>), and the nearest <c>.globalconfig</c> at or above the project folder.
/// One exception to "MSBuild says": a file an edit creates in a folder none of the project's sources lies in is not on
/// disk when it is judged, so no design-time build can have looked above it; the folders from its own up to the first one
/// MSBuild looked in are looked at here, as the SDK would once the file exists (<see cref="For"/>).
/// </summary>
internal sealed class AnalyzerConfigFiles(string root)
{
    private const string EditorConfig = ".editorconfig";
    private const string GlobalConfig = ".globalconfig";
    private readonly string _root = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar);
    private readonly Dictionary<string, (DateTime Stamp, long Length, AnalyzerConfig Config)> _parsed = new(StringComparer.Ordinal);
    private readonly ConditionalWeakTable<ProjectContext, HashSet<string>> _lookedIn = new();
    private const int MaxRecent = 8;

    // Several: the target frameworks of one project differ in their build properties and are validated in turn.
    private readonly List<AnalyzerConfiguration> _recent = [];

    /// <summary>Whether the context names its config files (MSBuild's, or a caller's with <c>/analyzerconfig</c> arguments).</summary>
    public static bool NamesConfigFiles([NotNullWhen(true)] ProjectContext? project) =>
        project is { ProjectPath: not null } && (project.Source != ProjectInputsSource.Caller || !project.AnalyzerConfigFiles.IsEmpty);

    /// <summary>
    /// The configuration for <paramref name="sourcePaths"/> (root-relative) of <paramref name="project"/> (null: no project).
    /// For a context that names its config files, exactly those, and the ones in the folders of a source no design-time
    /// build saw (see the type); otherwise the ones found by looking. The same instance comes back while the set of files
    /// and their stamps stay the same, so results computed under it can be cached.
    /// </summary>
    public AnalyzerConfiguration For(ProjectContext? project, IEnumerable<string> sourcePaths)
    {
        var files = new SortedSet<string>(StringComparer.Ordinal);
        if (NamesConfigFiles(project))
        {
            files.UnionWith(project.AnalyzerConfigFiles.Where(File.Exists));
            files.UnionWith(UnseenPlaces(project, sourcePaths).Where(File.Exists));
        }
        else
        {
            var (editorConfigs, globalConfigs) = Candidates(sourcePaths, project?.ProjectPath);
            files.UnionWith(editorConfigs.Where(File.Exists));
            if (globalConfigs.FirstOrDefault(File.Exists) is { } global)
            {
                files.Add(global); // the nearest one only
            }
        }

        var configs = new List<AnalyzerConfig>(files.Count);
        foreach (var file in files)
        {
            var info = new FileInfo(file);
            if (!_parsed.TryGetValue(file, out var known) || known.Stamp != info.LastWriteTimeUtc || known.Length != info.Length)
            {
                // The compiler reads config files as UTF-8 text; a broken section is its problem to report, not ours to fail on.
                known = (info.LastWriteTimeUtc, info.Length, AnalyzerConfig.Parse(File.ReadAllText(file, Encoding.UTF8), file));
                _parsed[file] = known;
            }

            configs.Add(known.Config);
        }

        lock (_recent)
        {
            if (_recent.Find(c => c.Configs.SequenceEqual(configs)) is { } known)
            {
                return known;
            }

            if (_recent.Count >= MaxRecent)
            {
                _recent.RemoveAt(0);
            }

            var configuration = new AnalyzerConfiguration(_root, [.. configs]);
            _recent.Add(configuration);
            return configuration;
        }
    }

    /// <summary>
    /// Every place outside the context's own list where a config file that applies to <paramref name="sourcePaths"/> could
    /// be, whether or not one is there now (full paths): a config file created there later changes severities as much as an
    /// edited one. For a context from MSBuild these are only the folders of sources no design-time build saw: a config file
    /// created above a source MSBuild saw is in the context's inputs already (<see cref="Build.BuildContexts"/>).
    /// </summary>
    public IReadOnlyList<string> CandidatePaths(ProjectContext? project, IEnumerable<string> sourcePaths)
    {
        if (NamesConfigFiles(project))
        {
            return UnseenPlaces(project, sourcePaths);
        }

        var (editorConfigs, globalConfigs) = Candidates(sourcePaths, project?.ProjectPath);
        return [.. editorConfigs, .. globalConfigs];
    }

    /// <summary>
    /// The places the SDK's <c>DiscoverEditorConfigFiles</c> and <c>DiscoverGlobalAnalyzerConfigFiles</c> can read for
    /// Compile items in <paramref name="folders"/> (full paths): a <c>.editorconfig</c> and a <c>.globalconfig</c> in each
    /// folder from each of them up to the file system's root, each folder once. Not a second discovery (which of them
    /// the compiler gets is MSBuild's answer): the list of what a design-time build could have read.
    /// </summary>
    public static IEnumerable<string> PlacesAbove(IEnumerable<string> folders, Func<string, bool>? seen = null)
    {
        var visited = new HashSet<string>(StringComparer.Ordinal);
        foreach (var start in folders)
        {
            // Up to a folder looked at already from another source, or one the caller says was seen: the ones above it were.
            foreach (var dir in FoldersToTop(start).TakeWhile(d => visited.Add(d) && !(seen?.Invoke(d) ?? false)))
            {
                yield return Path.Combine(dir, EditorConfig);
                yield return Path.Combine(dir, GlobalConfig);
            }
        }
    }

    // The places above sources of `project` whose folders hold no source MSBuild compiled, up to the first folder it looked in.
    private List<string> UnseenPlaces(ProjectContext project, IEnumerable<string> sourcePaths)
    {
        var lookedIn = _lookedIn.GetValue(project, p => [.. p.SourcePaths.Select(s => Path.GetDirectoryName(FullPath(s))!).Distinct(StringComparer.Ordinal).SelectMany(FoldersToTop)]);
        var fresh = sourcePaths.Select(s => Path.GetDirectoryName(FullPath(s))!).Distinct(StringComparer.Ordinal).Where(f => !lookedIn.Contains(f));
        return [.. PlacesAbove(fresh, lookedIn.Contains)];
    }

    private static IEnumerable<string> FoldersToTop(string folder)
    {
        for (var dir = Path.TrimEndingDirectorySeparator(folder); dir is { Length: > 0 }; dir = Path.GetDirectoryName(dir))
        {
            yield return dir;
        }
    }

    /// <summary>
    /// Every <c>.editorconfig</c> location from the sources' folders up to the root, and every <c>.globalconfig</c>
    /// location from the project's folder up, nearest first.
    /// </summary>
    private (List<string> EditorConfigs, List<string> GlobalConfigs) Candidates(IEnumerable<string> sourcePaths, string? projectPath)
    {
        var editorConfigs = new List<string>();
        // A project's files share few folders; each folder up the tree is looked at once.
        var folders = new HashSet<string>(StringComparer.Ordinal);
        foreach (var folder in sourcePaths.Select(source => Path.GetDirectoryName(FullPath(source))).Distinct(StringComparer.Ordinal))
        {
            editorConfigs.AddRange(FoldersUp(folder).TakeWhile(folders.Add).Select(dir => Path.Combine(dir, EditorConfig)));
        }

        var start = projectPath is null ? _root : Path.GetDirectoryName(FullPath(projectPath));
        return (editorConfigs, [.. FoldersUp(start).Select(d => Path.Combine(d, GlobalConfig))]);
    }

    private string FullPath(string relative) => Path.GetFullPath(Path.Combine(_root, relative.Replace('/', Path.DirectorySeparatorChar)));

    // From a folder up to the workspace root, inclusive; nothing outside the root belongs to the workspace.
    private IEnumerable<string> FoldersUp(string? dir)
    {
        for (; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            var full = dir.TrimEnd(Path.DirectorySeparatorChar);
            if (!full.StartsWith(_root, StringComparison.Ordinal) || (full.Length > _root.Length && full[_root.Length] != Path.DirectorySeparatorChar))
            {
                yield break;
            }

            yield return full;
            if (full.Length == _root.Length)
            {
                yield break;
            }
        }
    }
}

/// <summary>
/// One snapshot of the analyzer config files: severities for the compilation
/// (<see cref="SyntaxTreeOptionsProvider"/>) and key-value options for the analyzers, as the compiler builds
/// them from <c>/analyzerconfig</c> arguments.
/// </summary>
internal sealed class AnalyzerConfiguration
{
    private readonly string _root;
    private readonly AnalyzerConfigSet _set;
    // Read by the analyzer driver's threads for every finding and tree (concurrently, for a whole-compilation analysis):
    // lock-free reads, since a lock here was a third of a type-level verdict's analyzer time.
    private readonly ConcurrentDictionary<string, AnalyzerConfigOptionsResult> _byPath = new(StringComparer.Ordinal);

    public AnalyzerConfiguration(string root, ImmutableArray<AnalyzerConfig> configs)
    {
        _root = root;
        Configs = configs;
        _set = AnalyzerConfigSet.Create(configs);
        TreeOptions = new ConfigSyntaxTreeOptionsProvider(this);
        AnalyzerOptions = new ConfigAnalyzerOptionsProvider(this);
    }

    public ImmutableArray<AnalyzerConfig> Configs { get; }

    public SyntaxTreeOptionsProvider TreeOptions { get; }

    public AnalyzerConfigOptionsProvider AnalyzerOptions { get; }

    /// <summary>The options of the global configs (<c>is_global</c>, or named <c>.globalconfig</c>).</summary>
    public AnalyzerConfigOptionsResult Global => _set.GlobalConfigOptions;

    /// <summary>The options for a tree, by its root-relative path (trees are replaced on every edit; paths stay).</summary>
    public AnalyzerConfigOptionsResult ForTree(SyntaxTree tree) =>
        _byPath.TryGetValue(tree.FilePath, out var result) ? result : _byPath.GetOrAdd(tree.FilePath, OptionsFor);

    // Sections match absolute paths with '/' separators, as the compiler passes them.
    private AnalyzerConfigOptionsResult OptionsFor(string relativePath) =>
        _set.GetOptionsForSourcePath(Path.GetFullPath(Path.Combine(_root, relativePath.Replace('/', Path.DirectorySeparatorChar))));
}
