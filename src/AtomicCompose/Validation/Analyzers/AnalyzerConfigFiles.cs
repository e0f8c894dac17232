using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AtomicCompose.Validation.Analyzers;

/// <summary>
/// Finds and reads the <c>.editorconfig</c> and <c>.globalconfig</c> files that apply to edited files, the
/// way the SDK hands them to the compiler: every <c>.editorconfig</c> from the file's folder up to the
/// workspace root (Roslyn itself stops at one marked <c>root = true</c>), and the nearest
/// <c>.globalconfig</c> at or above the project folder. Parsed files are kept until their stamp moves.
/// </summary>
internal sealed class AnalyzerConfigFiles(string root)
{
    private readonly string _root = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar);
    private readonly Dictionary<string, (DateTime Stamp, long Length, AnalyzerConfig Config)> _parsed = new(StringComparer.Ordinal);
    private const int MaxRecent = 8;

    // Several: the target frameworks of one project differ in their build properties and are validated in turn.
    private readonly List<AnalyzerConfiguration> _recent = [];

    /// <summary>
    /// The configuration for <paramref name="sourcePaths"/> (root-relative) of the project at
    /// <paramref name="projectPath"/> (root-relative .csproj, or null). The same instance comes back while
    /// the set of files and their stamps stay the same, so results computed under it can be cached.
    /// <paramref name="buildConfigs"/> are the config files the build's compiler gets (full paths: the generated
    /// editorconfig with the <c>build_property.*</c> options, the SDK's analysis-level configs).
    /// </summary>
    public AnalyzerConfiguration For(IEnumerable<string> sourcePaths, string? projectPath, IReadOnlyList<string>? buildConfigs = null)
    {
        var (editorConfigs, globalConfigs) = Candidates(sourcePaths, projectPath);
        var files = new SortedSet<string>(editorConfigs.Where(File.Exists), StringComparer.Ordinal);
        if (globalConfigs.FirstOrDefault(File.Exists) is { } global)
        {
            files.Add(global); // the nearest one only
        }

        files.UnionWith((buildConfigs ?? []).Where(File.Exists));

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
    /// Every place a config file that applies to <paramref name="sourcePaths"/> could be, whether or not one is there
    /// now (full paths): a config file created later changes severities as much as an edited one.
    /// </summary>
    public IReadOnlyList<string> CandidatePaths(IEnumerable<string> sourcePaths, string? projectPath)
    {
        var (editorConfigs, globalConfigs) = Candidates(sourcePaths, projectPath);
        return [.. editorConfigs, .. globalConfigs];
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
            editorConfigs.AddRange(FoldersUp(folder).TakeWhile(folders.Add).Select(dir => Path.Combine(dir, ".editorconfig")));
        }

        var start = projectPath is null ? _root : Path.GetDirectoryName(FullPath(projectPath));
        return (editorConfigs, [.. FoldersUp(start).Select(d => Path.Combine(d, ".globalconfig"))]);
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
    private readonly Dictionary<string, AnalyzerConfigOptionsResult> _byPath = new(StringComparer.Ordinal);
    private readonly object _gate = new();

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
    public AnalyzerConfigOptionsResult ForTree(SyntaxTree tree)
    {
        lock (_gate)
        {
            if (!_byPath.TryGetValue(tree.FilePath, out var result))
            {
                // Sections match absolute paths with '/' separators, as the compiler passes them.
                var full = Path.GetFullPath(Path.Combine(_root, tree.FilePath.Replace('/', Path.DirectorySeparatorChar)));
                _byPath[tree.FilePath] = result = _set.GetOptionsForSourcePath(full);
            }

            return result;
        }
    }
}
