using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using AtomicCompose.Validation.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AtomicCompose.Validation;

/// <summary>
/// Runs Roslyn analyzers (linter rules) on the edited files and reports their diagnostics, each marked new or
/// pre-existing: an analyzer finding the edit did not introduce (one that only moved, or one elsewhere in the
/// file) is not new. In the engine the analyzers are <see cref="ComposeOptions.Analyzers"/> plus the analyzer
/// assemblies the project references, and severities follow the <c>.editorconfig</c> and <c>.globalconfig</c>
/// files as in a build. Only the edited files are analyzed, not the whole project.
/// </summary>
public sealed class AnalyzerValidator : IValidator
{
    /// <summary>The name shown in reports: <c>analyzers</c>.</summary>
    public const string ValidatorName = "analyzers";

    private readonly AnalyzerSet _given;
    private readonly bool _loadProjectAnalyzers;
    private readonly ILogger _logger;
    private readonly AnalyzerConfigFiles? _configFiles;
    private readonly ConditionalWeakTable<ProjectContext, AnalyzerSet> _byProject = new();
    private readonly ConditionalWeakTable<SyntaxTree, CachedDiagnostics> _baseline = new();
    private readonly object _gate = new();

    /// <summary>Creates a validator that runs <paramref name="analyzers"/>, with their default severities and the compilation's options.</summary>
    /// <param name="analyzers">The analyzers to run.</param>
    public AnalyzerValidator(IEnumerable<DiagnosticAnalyzer> analyzers)
        : this(null, analyzers, loadProjectAnalyzers: false, NullLogger.Instance)
    {
    }

    /// <summary>The engine's validator: <paramref name="root"/> is where config files are looked for (up to it, not above).</summary>
    internal AnalyzerValidator(string? root, IEnumerable<DiagnosticAnalyzer> analyzers, bool loadProjectAnalyzers, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(analyzers);
        _given = new AnalyzerSet([.. analyzers]);
        _loadProjectAnalyzers = loadProjectAnalyzers;
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _configFiles = root is null ? null : new AnalyzerConfigFiles(root);
    }

    /// <inheritdoc />
    public string Name => ValidatorName;

    /// <inheritdoc />
    public IReadOnlyList<ValidationDiagnostic> Validate(ValidationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var after = context.AfterCompilation;
        var analyzers = AnalyzersFor(context.Project);
        if (analyzers.Analyzers.IsEmpty || after is null)
        {
            return []; // nothing to run: costs nothing
        }

        var docs = context.Documents.Where(d => d.After is not null && after.ContainsSyntaxTree(d.After)).ToList();
        // A declaration change can give an unedited file new findings (a caller of a changed member), as it can give
        // it new compile errors: the files the compilation check looks at for it are analyzed too.
        var affected = context.GetAffectedTrees(cancellationToken)
            .Select(t => new ValidationDocument(t.After.FilePath, t.Before, t.After, []))
            .ToList();
        if (docs.Count == 0 && affected.Count == 0)
        {
            return [];
        }

        lock (_gate)
        {
            List<ValidationDocument> all = [.. docs, .. affected];
            var configuration = _configFiles?.For(all.Select(d => d.Path), context.Project?.ProjectPath);
            var afterDiagnostics = Analyze(after, [.. all.Select(d => d.After!)], analyzers, configuration, cancellationToken);
            var beforeDiagnostics = Baseline(context.BeforeCompilation, all, analyzers, configuration, cancellationToken);

            var result = new List<ValidationDiagnostic>();
            for (var k = 0; k < all.Count; k++)
            {
                var doc = all[k];
                var isEditedFile = k < docs.Count;
                var found = afterDiagnostics[doc.After!];
                var old = doc.Before is not null && beforeDiagnostics.TryGetValue(doc.Before, out var b) ? b : [];
                var region = doc.Before is null || ReferenceEquals(doc.Before, doc.After) ? null : TextRegion.Between(doc.Before.GetText(cancellationToken), doc.After!.GetText(cancellationToken));
                var isNew = BaselineMatcher.FindNew(old, found, region);
                for (var i = 0; i < found.Length; i++)
                {
                    // In a file the edit only reaches through a declaration change, pre-existing findings are not listed (as for compile errors).
                    if (isNew[i] || isEditedFile)
                    {
                        result.Add(SemanticDiff.ToValidationDiagnostic(found[i], doc.Path, isNew[i], ValidatorName, ValidationCategory.Analyzer));
                    }
                }
            }

            return result;
        }
    }

    /// <summary>
    /// The before side, per edited file. The baseline's trees stay the same objects between validations, so
    /// their findings are kept per tree until the analyzers or the config files change.
    /// </summary>
    private Dictionary<SyntaxTree, ImmutableArray<Diagnostic>> Baseline(
        Compilation? before, List<ValidationDocument> docs, AnalyzerSet analyzers, AnalyzerConfiguration? configuration, CancellationToken cancellationToken)
    {
        var result = new Dictionary<SyntaxTree, ImmutableArray<Diagnostic>>();
        if (before is null)
        {
            return result;
        }

        var missing = new List<SyntaxTree>();
        foreach (var tree in docs.Select(d => d.Before).OfType<SyntaxTree>().Where(before.ContainsSyntaxTree))
        {
            if (_baseline.TryGetValue(tree, out var cached) && cached.Analyzers == analyzers && cached.Configuration == configuration && cached.Compilation.TryGetTarget(out var c) && c == before)
            {
                result[tree] = cached.Diagnostics;
            }
            else
            {
                missing.Add(tree);
            }
        }

        if (missing.Count > 0)
        {
            foreach (var (tree, diagnostics) in Analyze(before, missing, analyzers, configuration, cancellationToken))
            {
                result[tree] = diagnostics;
                _baseline.AddOrUpdate(tree, new CachedDiagnostics(analyzers, configuration, new WeakReference<Compilation>(before), diagnostics));
            }
        }

        return result;
    }

    /// <summary>Runs the analyzers on <paramref name="trees"/> only, as the compiler would with these config files.</summary>
    private static Dictionary<SyntaxTree, ImmutableArray<Diagnostic>> Analyze(
        Compilation compilation, List<SyntaxTree> trees, AnalyzerSet analyzers, AnalyzerConfiguration? configuration, CancellationToken cancellationToken)
    {
        // Config severities reach analyzer diagnostics the way they do in a build: through the compilation's
        // syntax tree options (the driver filters with the compilation's options) and the analyzer options.
        var options = configuration is null ? compilation.Options : compilation.Options.WithSyntaxTreeOptionsProvider(configuration.TreeOptions);
        var analyzerOptions = configuration is null ? new AnalyzerOptions([]) : new AnalyzerOptions([], configuration.AnalyzerOptions);
        var withAnalyzers = compilation.WithOptions(options).WithAnalyzers(
            analyzers.Analyzers,
            new CompilationWithAnalyzersOptions(analyzerOptions, onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: false, reportSuppressedDiagnostics: false));

        // The driver is async only; a hop to the pool keeps a caller's synchronization context out of it.
        return Task.Run(
            async () =>
            {
                var result = new Dictionary<SyntaxTree, ImmutableArray<Diagnostic>>();
                foreach (var tree in trees)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var syntax = await withAnalyzers.GetAnalyzerSyntaxDiagnosticsAsync(tree, cancellationToken).ConfigureAwait(false);
                    var model = withAnalyzers.Compilation.GetSemanticModel(tree);
                    var semantic = await withAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(model, filterSpan: null, cancellationToken).ConfigureAwait(false);

                    // A symbol action may report at another declaration of a partial type: that belongs to another file.
                    result[tree] = [.. syntax.Concat(semantic)
                        .Where(d => d.Severity != DiagnosticSeverity.Hidden && (!d.Location.IsInSource || d.Location.SourceTree == tree))
                        .OrderBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Id, StringComparer.Ordinal)];
                }

                return result;
            },
            cancellationToken).GetAwaiter().GetResult();
    }

    private AnalyzerSet AnalyzersFor(ProjectContext? project)
    {
        if (!_loadProjectAnalyzers || project is null || project.AnalyzerAssemblies.IsEmpty)
        {
            return _given;
        }

        return _byProject.GetValue(project, p =>
        {
            var all = _given.Analyzers.ToBuilder();
            foreach (var path in p.AnalyzerAssemblies)
            {
                var loaded = AnalyzerAssemblies.Get(path);
                if (loaded.Error is not null)
                {
                    _logger.LogWarning("Cannot load analyzer assembly {Path} of {Project}: {Error}", path, p.ProjectPath, loaded.Error);
                }

                all.AddRange(loaded.Analyzers);
            }

            _logger.LogDebug("Project {Project}: {Count} analyzer(s) from {Assemblies} assembly file(s)", p.ProjectPath, all.Count - _given.Analyzers.Length, p.AnalyzerAssemblies.Length);
            return new AnalyzerSet(all.ToImmutable());
        });
    }

    /// <summary>A list of analyzers with an identity, so that cached findings know which analyzers made them.</summary>
    private sealed class AnalyzerSet(ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        public ImmutableArray<DiagnosticAnalyzer> Analyzers { get; } = analyzers;
    }

    private sealed record CachedDiagnostics(AnalyzerSet Analyzers, AnalyzerConfiguration? Configuration, WeakReference<Compilation> Compilation, ImmutableArray<Diagnostic> Diagnostics);
}
