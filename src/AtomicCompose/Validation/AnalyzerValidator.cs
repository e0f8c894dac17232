using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using AtomicCompose.Validation.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Diagnostics.Telemetry;
using Microsoft.CodeAnalysis.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AtomicCompose.Validation;

/// <summary>
/// Runs Roslyn analyzers (linter rules) on the edited files and reports their diagnostics, each marked new or
/// pre-existing: an analyzer finding the edit did not introduce (one that only moved, or one elsewhere in the
/// file) is not new. In the engine the analyzers are <see cref="ComposeOptions.Analyzers"/> plus the analyzer
/// assemblies the project references, and severities follow the <c>.editorconfig</c> and <c>.globalconfig</c>
/// files as in a build. Only the edited files are analyzed, not the whole project, except for analyzers whose
/// rules report at the end of the compilation (descriptors tagged <see cref="WellKnownDiagnosticTags.CompilationEnd"/>,
/// such as a public API list check): those see the whole project, before and after the edit, so their verdict
/// is a build's; this costs a full analysis of the project per edit while such an analyzer is loaded.
/// </summary>
public sealed class AnalyzerValidator : IValidator
{
    /// <summary>The name shown in reports: <c>analyzers</c>.</summary>
    public const string ValidatorName = "analyzers";

    private readonly AnalyzerSet _given;
    private readonly bool _loadProjectAnalyzers;
    private readonly bool _runCompilationEnd;
    private readonly ValidationPolicy _policy;
    private readonly ILogger _logger;
    private readonly AnalyzerConfigFiles? _configFiles;
    private readonly string? _root;
    private readonly ConditionalWeakTable<ProjectContext, AnalyzerSet> _byProject = new();
    private readonly ConditionalWeakTable<SyntaxTree, CachedDiagnostics> _baseline = new();
    private readonly ConditionalWeakTable<Compilation, CachedDiagnostics> _wholeBaseline = new();
    private readonly AdditionalFiles _additionalFiles = new();
    private readonly SdkAnalyzerSelection _sdkSelection = new();
    private readonly ConditionalWeakTable<ProjectContext, BuiltInAnalyzers> _sdkByProject = new();
    // Per analyzers, one entry per config files: the target frameworks of one project share their analyzers, not their
    // config (build properties differ), and are validated in turn.
    private readonly ConditionalWeakTable<AnalyzerSet, List<MemberLocality>> _memberLocal = new();
    private readonly object _gate = new();

    /// <summary>Creates a validator that runs <paramref name="analyzers"/>, with their default severities and the compilation's options.</summary>
    /// <param name="analyzers">The analyzers to run.</param>
    public AnalyzerValidator(IEnumerable<DiagnosticAnalyzer> analyzers)
        : this(null, analyzers, loadProjectAnalyzers: false, runCompilationEndAnalyzers: true, new ValidationPolicy(), NullLogger.Instance)
    {
    }

    /// <summary>The engine's validator: a project's config files are its context's (MSBuild's); <paramref name="root"/> bounds the search for them where no context names them.</summary>
    internal AnalyzerValidator(
        string? root, IEnumerable<DiagnosticAnalyzer> analyzers, bool loadProjectAnalyzers, bool runCompilationEndAnalyzers, ValidationPolicy policy, ILogger logger)
    {
        _policy = policy ?? throw new ArgumentNullException(nameof(policy));
        ArgumentNullException.ThrowIfNull(analyzers);
        _given = new AnalyzerSet([.. analyzers]);
        _loadProjectAnalyzers = loadProjectAnalyzers;
        _runCompilationEnd = runCompilationEndAnalyzers;
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _configFiles = root is null ? null : new AnalyzerConfigFiles(root);
        _root = root is null ? null : Path.GetFullPath(root);
    }

    /// <inheritdoc />
    public string Name => ValidatorName;

    /// <inheritdoc />
    public IReadOnlyList<ValidationDiagnostic> Validate(ValidationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var after = context.AfterCompilation;
        var projectAnalyzers = AnalyzersFor(context.Project);
        var sdkAnalyzers = SdkAnalyzersFor(context, cancellationToken);
        if ((projectAnalyzers.Analyzers.IsEmpty && sdkAnalyzers.IsEmpty) || after is null)
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
            var configuration = _configFiles?.For(context.Project, all.Select(d => d.Path));
            var analyzers = sdkAnalyzers.IsEmpty
                ? projectAnalyzers
                : _sdkSelection.Select(projectAnalyzers, sdkAnalyzers, after.Options, configuration, all.Select(d => d.After!), _policy.BlockOnNewWarnings);
            if (analyzers.Analyzers.IsEmpty)
            {
                return [];
            }

            var wholeProject = _runCompilationEnd && !analyzers.CompilationEnd.IsEmpty;
            if (wholeProject && _configFiles is not null && context.Project is { } project)
            {
                // One configuration for both passes (the whole-project one needs every file's), so cached findings
                // stay keyed to one instance; it is the same instance as above unless other folders have their own files.
                configuration = _configFiles.For(project, all.Select(d => d.Path).Concat(project.SourcePaths));
            }

            var additional = _additionalFiles.For(context.Project?.AdditionalFiles ?? []);
            if (!wholeProject && affected.Count == 0 && docs.Count == 1
                && AnalyzeEditedMember(context, docs[0], analyzers, configuration, additional, cancellationToken) is { } memberFindings)
            {
                return memberFindings;
            }

            // Which actions the analyzers register is learnt once per analyzers and config files, and again with each
            // declaration change (what an analyzer registers at compilation start can depend on the declarations).
            var learnLocality = !wholeProject
                && (KnownLocality(analyzers, configuration) is null || affected.Count > 0 || docs.Any(SemanticDiff.IsDeclarationChange));
            var afterDiagnostics = Analyze(after, [.. all.Select(d => d.After!)], analyzers, configuration, additional, learnLocality, cancellationToken);
            var beforeDiagnostics = Baseline(context.BeforeCompilation, all, analyzers, configuration, additional, cancellationToken);

            // Once the edit is committed the engine adopts this compilation as the baseline: the next edit's before
            // side is then these findings. Only edited trees: an unedited one is shared with the baseline's entry.
            foreach (var doc in docs.Where(d => !ReferenceEquals(d.Before, d.After)))
            {
                _baseline.AddOrUpdate(doc.After!, new CachedDiagnostics(analyzers, configuration, additional, after, afterDiagnostics[doc.After!]));
            }

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

            if (wholeProject)
            {
                AddCompilationEndFindings(context, docs, analyzers, configuration, additional, result, cancellationToken);
            }

            return result;
        }
    }

    /// <summary>
    /// Findings reported at the end of the compilation (a rule about the project as a whole) by running those
    /// analyzers on the whole project before and after the edit. A finding is new when the after side has more
    /// of it than the before side (same rule, file and message: where it sits in the file may have moved); one
    /// that existed before is listed only when it is in an edited file, as for the other findings.
    /// </summary>
    private void AddCompilationEndFindings(
        ValidationContext context, List<ValidationDocument> docs, AnalyzerSet analyzers, AnalyzerConfiguration? configuration, AdditionalFileSet additional, List<ValidationDiagnostic> result, CancellationToken cancellationToken)
    {
        var after = AnalyzeCompilationEnd(context.AfterCompilation!, analyzers, configuration, additional, cancellationToken);
        _wholeBaseline.AddOrUpdate(context.AfterCompilation!, new CachedDiagnostics(analyzers, configuration, additional, context.AfterCompilation!, after));
        var before = context.BeforeCompilation is null ? [] : CompilationEndBaseline(context.BeforeCompilation, analyzers, configuration, additional, cancellationToken);
        var remaining = new Dictionary<(string Id, string Path, string Message), int>();
        foreach (var d in before)
        {
            var key = KeyOf(d);
            remaining[key] = remaining.GetValueOrDefault(key) + 1;
        }

        var edited = docs.Select(d => d.Path).ToHashSet(StringComparer.Ordinal);
        foreach (var d in after)
        {
            var key = KeyOf(d);
            var existed = remaining.GetValueOrDefault(key) > 0;
            if (existed)
            {
                remaining[key]--;
            }

            if (!existed || edited.Contains(key.Path))
            {
                result.Add(SemanticDiff.ToValidationDiagnostic(d, key.Path, isNew: !existed, ValidatorName, ValidationCategory.Analyzer));
            }
        }

        (string Id, string Path, string Message) KeyOf(Diagnostic d) =>
            (d.Id, d.Location.SourceTree?.FilePath ?? RootRelative(d.Location.GetLineSpan().Path), BaselineMatcher.ComparableMessage(d));
    }

    // A finding in an additional file (a public API list) carries the file's full path.
    private string RootRelative(string? path)
    {
        if (string.IsNullOrEmpty(path) || _root is null || !Path.IsPathRooted(path))
        {
            return path ?? "";
        }

        var relative = Path.GetRelativePath(_root, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative.Replace(Path.DirectorySeparatorChar, '/');
    }

    private ImmutableArray<Diagnostic> CompilationEndBaseline(
        Compilation before, AnalyzerSet analyzers, AnalyzerConfiguration? configuration, AdditionalFileSet additional, CancellationToken cancellationToken)
    {
        if (_wholeBaseline.TryGetValue(before, out var cached) && cached.IsFor(analyzers, configuration, additional, before))
        {
            return cached.Diagnostics;
        }

        var diagnostics = AnalyzeCompilationEnd(before, analyzers, configuration, additional, cancellationToken);
        _wholeBaseline.AddOrUpdate(before, new CachedDiagnostics(analyzers, configuration, additional, before, diagnostics));
        return diagnostics;
    }

    /// <summary>
    /// A body-only edit of one member, when every analyzer registered only actions about one member (symbol, syntax
    /// node, code block, operation block and operation actions): then only that member is analyzed in the edited
    /// compilation, and every finding elsewhere in the file is the baseline's, moved by the edit. Null when the
    /// edit or the analyzers do not allow it; the caller then analyzes the whole file.
    /// </summary>
    /// <remarks>
    /// Why: analyzing the whole edited file costs in proportion to the file (every member is bound and every
    /// operation visited), for findings a body edit cannot change. The rules for which edits qualify are the
    /// compile check's (<see cref="BodyScope"/>); an analyzer with a semantic model, syntax tree, symbol-start,
    /// compilation or additional-file action can report anywhere, so it makes every edit take the whole-file path.
    /// </remarks>
    private List<ValidationDiagnostic>? AnalyzeEditedMember(
        ValidationContext context, ValidationDocument doc, AnalyzerSet analyzers, AnalyzerConfiguration? configuration, AdditionalFileSet additional, CancellationToken cancellationToken)
    {
        var before = context.BeforeCompilation;
        if (doc.Before is not { } oldTree || doc.After is not { } newTree || before is null || !before.ContainsSyntaxTree(oldTree)
            || context.ExternalScope is not null || SemanticDiff.IsDeclarationChange(doc)
            || KnownLocality(analyzers, configuration) is not { IsMemberLocal: true })
        {
            return null;
        }

        var newText = newTree.GetText(cancellationToken);
        if (TextRegion.Between(oldTree.GetText(cancellationToken), newText) is not { } region || BodyScope.Find(oldTree, newTree, region, cancellationToken) is not { } scope)
        {
            return null;
        }

        var baseline = Baseline(before, [doc], analyzers, configuration, additional, cancellationToken)[oldTree];
        var oldInside = baseline.Where(d => BodyScope.Contains(scope.OldMember, oldTree, d)).ToList();
        var newInside = AnalyzeSpan(context.AfterCompilation!, newTree, scope.NewMember, analyzers, configuration, additional, cancellationToken)
            .Where(d => BodyScope.Contains(scope.NewMember, newTree, d))
            .ToList();

        var isNew = BaselineMatcher.FindNew(oldInside, newInside, region);
        var result = new List<ValidationDiagnostic>();
        var afterFindings = new List<Diagnostic>(baseline.Length - oldInside.Count + newInside.Count);
        for (var i = 0; i < newInside.Count; i++)
        {
            result.Add(SemanticDiff.ToValidationDiagnostic(newInside[i], doc.Path, isNew[i], ValidatorName, ValidationCategory.Analyzer));
            afterFindings.Add(newInside[i]);
        }

        foreach (var d in baseline)
        {
            if (BodyScope.Contains(scope.OldMember, oldTree, d))
            {
                continue;
            }

            var moved = d.Location.IsInSource && d.Location.SourceTree == oldTree && region.Map(d.Location.SourceSpan.Start) is { } start
                ? MovedDiagnostic.To(d, newTree, start)
                : d;
            result.Add(SemanticDiff.ToValidationDiagnostic(moved, doc.Path, isNew: false, ValidatorName, ValidationCategory.Analyzer));
            afterFindings.Add(moved);
        }

        // The next edit's baseline once this one is committed, as a whole-file run would have found it.
        _baseline.AddOrUpdate(newTree, new CachedDiagnostics(analyzers, configuration, additional, context.AfterCompilation!, [.. BaselineMatcher.InFileOrder(afterFindings)]));
        return result;
    }

    /// <summary>The analyzers' findings for one span of a tree: the actions of the declarations and nodes in it.</summary>
    private static ImmutableArray<Diagnostic> AnalyzeSpan(
        Compilation compilation, SyntaxTree tree, TextSpan span, AnalyzerSet analyzers, AnalyzerConfiguration? configuration, AdditionalFileSet additional, CancellationToken cancellationToken)
    {
        var withAnalyzers = WithAnalyzers(compilation, analyzers.Analyzers, configuration, additional);
        return Task.Run(
            async () =>
            {
                var model = withAnalyzers.Compilation.GetSemanticModel(tree);
                var found = await withAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(model, span, cancellationToken).ConfigureAwait(false);
                return BaselineMatcher.InFileOrder(found.Where(d => d.Severity != DiagnosticSeverity.Hidden)).ToImmutableArray();
            },
            cancellationToken).GetAwaiter().GetResult();
    }

    private static bool IsMemberLocal(AnalyzerTelemetryInfo registered) =>
        registered.CompilationActionsCount == 0 && registered.CompilationEndActionsCount == 0 && registered.SemanticModelActionsCount == 0
        && registered.SyntaxTreeActionsCount == 0 && registered.AdditionalFileActionsCount == 0 && registered.SymbolStartActionsCount == 0
        && registered.SymbolEndActionsCount == 0 && registered.SuppressionActionsCount == 0;

    /// <summary>Runs the compilation-end analyzers on the whole compilation and keeps the findings of their compilation-end rules.</summary>
    private static ImmutableArray<Diagnostic> AnalyzeCompilationEnd(
        Compilation compilation, AnalyzerSet analyzers, AnalyzerConfiguration? configuration, AdditionalFileSet additional, CancellationToken cancellationToken)
    {
        var withAnalyzers = WithAnalyzers(compilation, analyzers.CompilationEnd, configuration, additional);
        return Task.Run(
            async () =>
            {
                var all = await withAnalyzers.GetAnalyzerDiagnosticsAsync(cancellationToken).ConfigureAwait(false);

                // The other rules of these analyzers are judged per file by the main pass, in the files the edit reaches.
                return all.Where(d => d.Severity != DiagnosticSeverity.Hidden && d.Descriptor.CustomTags.Contains(WellKnownDiagnosticTags.CompilationEnd)).ToImmutableArray();
            },
            cancellationToken).GetAwaiter().GetResult();
    }

    /// <summary>
    /// The before side, per edited file. The baseline's trees stay the same objects between validations, so
    /// their findings are kept per tree until the analyzers or the config files change.
    /// </summary>
    private Dictionary<SyntaxTree, ImmutableArray<Diagnostic>> Baseline(
        Compilation? before, List<ValidationDocument> docs, AnalyzerSet analyzers, AnalyzerConfiguration? configuration, AdditionalFileSet additional, CancellationToken cancellationToken)
    {
        var result = new Dictionary<SyntaxTree, ImmutableArray<Diagnostic>>();
        if (before is null)
        {
            return result;
        }

        var missing = new List<SyntaxTree>();
        foreach (var tree in docs.Select(d => d.Before).OfType<SyntaxTree>().Where(before.ContainsSyntaxTree))
        {
            if (_baseline.TryGetValue(tree, out var cached) && cached.IsFor(analyzers, configuration, additional, before))
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
            foreach (var (tree, diagnostics) in Analyze(before, missing, analyzers, configuration, additional, learnLocality: false, cancellationToken))
            {
                result[tree] = diagnostics;
                _baseline.AddOrUpdate(tree, new CachedDiagnostics(analyzers, configuration, additional, before, diagnostics));
            }
        }

        return result;
    }

    /// <summary>
    /// Runs the analyzers on <paramref name="trees"/> only, as the compiler would with these config files; with
    /// <paramref name="learnLocality"/>, notes whether each of them registered only actions about one member (see
    /// <see cref="AnalyzeEditedMember"/>), which costs the driver one more start of each analyzer.
    /// </summary>
    private Dictionary<SyntaxTree, ImmutableArray<Diagnostic>> Analyze(
        Compilation compilation, List<SyntaxTree> trees, AnalyzerSet analyzers, AnalyzerConfiguration? configuration, AdditionalFileSet additional, bool learnLocality, CancellationToken cancellationToken)
    {
        // Most of the project (a declaration change that reaches every file): one analysis of the whole compilation. Each
        // per-file request starts a driver of its own, with every analyzer's compilation start actions, which for the SDK's
        // rules cost more than analyzing a file; over hundreds of files that was most of a type-level verdict.
        var whole = trees.Count >= WholeFrom && trees.Count * 2 >= compilation.SyntaxTrees.Count();
        var withAnalyzers = WithAnalyzers(compilation, analyzers.Analyzers, configuration, additional, concurrent: whole);

        // The driver is async only; a hop to the pool keeps a caller's synchronization context out of it.
        return Task.Run(
            async () =>
            {
                var result = whole
                    ? PerTree(await withAnalyzers.GetAnalysisResultAsync(cancellationToken).ConfigureAwait(false), trees)
                    : await PerTreeRequests(withAnalyzers, trees, cancellationToken).ConfigureAwait(false);

                if (!learnLocality)
                {
                    return result;
                }

                var memberLocal = true;
                foreach (var analyzer in analyzers.Analyzers)
                {
                    memberLocal &= IsMemberLocal(await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, cancellationToken).ConfigureAwait(false));
                }

                RememberLocality(analyzers, new MemberLocality(configuration, memberLocal));
                return result;
            },
            cancellationToken).GetAwaiter().GetResult();
    }

    // From this many trees on, and at least half the compilation's, the whole compilation is analyzed at once.
    private const int WholeFrom = 8;

    private static async Task<Dictionary<SyntaxTree, ImmutableArray<Diagnostic>>> PerTreeRequests(
        CompilationWithAnalyzers withAnalyzers, List<SyntaxTree> trees, CancellationToken cancellationToken)
    {
        var result = new Dictionary<SyntaxTree, ImmutableArray<Diagnostic>>(trees.Count);
        foreach (var tree in trees)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var syntax = await withAnalyzers.GetAnalyzerSyntaxDiagnosticsAsync(tree, cancellationToken).ConfigureAwait(false);
            var model = withAnalyzers.Compilation.GetSemanticModel(tree);
            var semantic = await withAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(model, filterSpan: null, cancellationToken).ConfigureAwait(false);

            result[tree] = FindingsIn(tree, syntax.Concat(semantic));
        }

        return result;
    }

    // A file's findings in one order, whichever request found them. A symbol action may report at another declaration of
    // a partial type: that belongs to another file.
    private static ImmutableArray<Diagnostic> FindingsIn(SyntaxTree tree, IEnumerable<Diagnostic> found) =>
        [.. BaselineMatcher.InFileOrder(found.Where(d => d.Severity != DiagnosticSeverity.Hidden && (!d.Location.IsInSource || d.Location.SourceTree == tree)))];

    // The whole compilation's findings split by file, as the per-file requests give them: in-source findings in the file
    // they are in; compilation-end rules left out (the whole-project pass judges them); a finding outside every file goes
    // with the first file (the edited one), where a per-file request of the file whose symbol reported it would put it.
    private static Dictionary<SyntaxTree, ImmutableArray<Diagnostic>> PerTree(AnalysisResult analysis, List<SyntaxTree> trees)
    {
        var result = new Dictionary<SyntaxTree, ImmutableArray<Diagnostic>>(trees.Count);
        var outside = analysis.CompilationDiagnostics.Values.SelectMany(d => d).Where(d => !d.Location.IsInSource).ToList();
        for (var i = 0; i < trees.Count; i++)
        {
            var tree = trees[i];
            var found = InTree(analysis.SyntaxDiagnostics, tree).Concat(InTree(analysis.SemanticDiagnostics, tree));
            if (i == 0)
            {
                found = found.Concat(outside);
            }

            result[tree] = FindingsIn(tree, found.Where(d => !d.Descriptor.CustomTags.Contains(WellKnownDiagnosticTags.CompilationEnd)));
        }

        return result;

        static IEnumerable<Diagnostic> InTree(ImmutableDictionary<SyntaxTree, ImmutableDictionary<DiagnosticAnalyzer, ImmutableArray<Diagnostic>>> byTree, SyntaxTree tree) =>
            byTree.TryGetValue(tree, out var byAnalyzer) ? byAnalyzer.Values.SelectMany(d => d) : [];
    }

    private static CompilationWithAnalyzers WithAnalyzers(
        Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers, AnalyzerConfiguration? configuration, AdditionalFileSet additional, bool concurrent = false)
    {
        // Config severities reach analyzer diagnostics the way they do in a build: through the compilation's
        // syntax tree options (the driver filters with the compilation's options) and the analyzer options.
        var options = configuration is null ? compilation.Options : compilation.Options.WithSyntaxTreeOptionsProvider(configuration.TreeOptions);
        var analyzerOptions = configuration is null ? new AnalyzerOptions(additional.Texts) : new AnalyzerOptions(additional.Texts, configuration.AnalyzerOptions);
        return compilation.WithOptions(options).WithAnalyzers(
            analyzers,
            new CompilationWithAnalyzersOptions(analyzerOptions, onAnalyzerException: null, concurrentAnalysis: concurrent, logAnalyzerExecutionTime: false, reportSuppressedDiagnostics: false));
    }

    /// <summary>
    /// The analyzers a build of the project gets without asking for them, loaded once per project context: the SDK's
    /// (the CA rules) and the targeting packs' (ASP.NET Core's ASP0xxx and BL0xxx rules, the interop SYSLIB rules, these
    /// once a file names what they check: <see cref="BuiltInAnalyzers"/>), of which only those with a rule that can block
    /// run (<see cref="SdkAnalyzerSelection"/>).
    /// </summary>
    private ImmutableArray<DiagnosticAnalyzer> SdkAnalyzersFor(ValidationContext context, CancellationToken cancellationToken)
    {
        if (!_loadProjectAnalyzers || context.Project is not { } project || (project.SdkAnalyzerAssemblies.IsEmpty && project.FrameworkAnalyzerAssemblies.IsEmpty))
        {
            return [];
        }

        return _sdkByProject
            .GetValue(project, p => BuiltInAnalyzers.Create(p.SdkAnalyzerAssemblies, p.FrameworkAnalyzerAssemblies, path => Load([path], p.ProjectPath)))
            .For(context.BeforeCompilation, context.Documents.Select(d => d.After).OfType<SyntaxTree>(), cancellationToken);
    }

    private ImmutableArray<DiagnosticAnalyzer> Load(ImmutableArray<string> paths, string? projectPath)
    {
        var all = ImmutableArray.CreateBuilder<DiagnosticAnalyzer>();
        foreach (var path in paths)
        {
            var loaded = AnalyzerAssemblies.Get(path);
            if (loaded.Error is not null)
            {
                _logger.LogWarning("Cannot load analyzer assembly {Path} of {Project}: {Error}", path, projectPath, loaded.Error);
            }

            all.AddRange(loaded.Analyzers);
        }

        return all.ToImmutable();
    }

    private AnalyzerSet AnalyzersFor(ProjectContext? project)
    {
        if (!_loadProjectAnalyzers || project is null || project.AnalyzerAssemblies.IsEmpty)
        {
            return _given;
        }

        return _byProject.GetValue(project, p =>
        {
            var loaded = Load(p.AnalyzerAssemblies, p.ProjectPath);
            _logger.LogDebug("Project {Project}: {Count} analyzer(s) from {Assemblies} assembly file(s)", p.ProjectPath, loaded.Length, p.AnalyzerAssemblies.Length);
            return new AnalyzerSet([.. _given.Analyzers, .. loaded]);
        });
    }

    /// <summary>Whether every analyzer of a set registered only member-level actions, under the config files it ran with (a rule set to none is not run, so it registers nothing).</summary>
    private sealed record MemberLocality(AnalyzerConfiguration? Configuration, bool IsMemberLocal);

    private MemberLocality? KnownLocality(AnalyzerSet analyzers, AnalyzerConfiguration? configuration)
    {
        if (!_memberLocal.TryGetValue(analyzers, out var known))
        {
            return null;
        }

        lock (known)
        {
            return known.Find(k => k.Configuration == configuration);
        }
    }

    private void RememberLocality(AnalyzerSet analyzers, MemberLocality locality)
    {
        const int MaxConfigurations = 8;
        var known = _memberLocal.GetOrCreateValue(analyzers);
        lock (known)
        {
            known.RemoveAll(k => k.Configuration == locality.Configuration);
            if (known.Count >= MaxConfigurations)
            {
                known.RemoveAt(0);
            }

            known.Add(locality);
        }
    }

    /// <summary>Findings with what made them; the compilation is held weakly, as the caches key on trees and compilations.</summary>
    private sealed class CachedDiagnostics(
        AnalyzerSet analyzers, AnalyzerConfiguration? configuration, AdditionalFileSet additionalFiles, Compilation compilation, ImmutableArray<Diagnostic> diagnostics)
    {
        private readonly WeakReference<Compilation> _compilation = new(compilation);

        public ImmutableArray<Diagnostic> Diagnostics { get; } = diagnostics;

        public bool IsFor(AnalyzerSet a, AnalyzerConfiguration? c, AdditionalFileSet f, Compilation target) =>
            a == analyzers && c == configuration && f == additionalFiles && _compilation.TryGetTarget(out var held) && held == target;
    }
}
