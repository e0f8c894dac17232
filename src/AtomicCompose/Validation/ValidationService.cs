using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.Extensions.Logging;

namespace AtomicCompose.Validation;

/// <summary>
/// Runs the validator pipeline for the engine, keeping one warm compilation per project and target framework: a
/// project is parsed once, and each validation only swaps the edited trees in. A project that builds for several
/// frameworks (<c>TargetFrameworks</c>) is judged for each, as a build compiles it for each.
/// </summary>
internal sealed class ValidationService
{
    private readonly string _root;
    private readonly IReadOnlyList<IValidator> _pipeline;
    private readonly ValidationPolicy _policy;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly Dictionary<ProjectKey, ProjectState> _projects = [];
    private readonly Dictionary<string, IReadOnlyList<string>> _frameworksOf = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _projectOfFolder = new(StringComparer.Ordinal);
    private readonly HashSet<ProjectKey> _loading = [];
    private readonly bool _includeBuiltIns;
    private readonly IReadOnlyList<IValidator> _customValidators;
    private Dictionary<string, System.Collections.Immutable.ImmutableArray<string>>? _projectReferences;

    /// <summary>Where project contexts come from: by default MSBuild (<see cref="Build.BuildProjectModel"/>, projects not restored are refused), or the caller's.</summary>
    public Build.IProjectContexts? ProjectContexts { get; init; }

    private Build.IProjectContexts Contexts => ProjectContexts ?? (_defaultContexts ??= new Build.BuildProjectModel(_root, restoreProjects: false, _logger));

    private Build.IProjectContexts? _defaultContexts;

    /// <summary>Whether projects' source generators run (the engine's <see cref="ComposeOptions.LoadProjectAnalyzers"/>): code the project references, trusted like its analyzers.</summary>
    public bool RunSourceGenerators { get; init; } = true;

    /// <summary>Creates the service with the built-in validators followed by <paramref name="customValidators"/>.</summary>
    public ValidationService(string root, IReadOnlyList<IValidator> customValidators, ValidationPolicy policy, ILogger logger)
        : this(root, customValidators, policy, logger, includeBuiltIns: true)
    {
    }

    /// <summary>Creates the service; without <paramref name="includeBuiltIns"/> only the syntax validator runs before the custom ones.</summary>
    public ValidationService(string root, IReadOnlyList<IValidator> customValidators, ValidationPolicy policy, ILogger logger, bool includeBuiltIns)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(customValidators);
        _root = Path.GetFullPath(root);
        _policy = policy ?? throw new ArgumentNullException(nameof(policy));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _includeBuiltIns = includeBuiltIns;
        _customValidators = customValidators;
        IValidator[] builtIns = includeBuiltIns
            ? [new SyntaxValidator(), new CompilationValidator(), new DocumentationValidator()]
            : [new SyntaxValidator()];
        _pipeline = [.. builtIns, .. customValidators];
    }

    /// <summary>
    /// Validates the documents against their projects as the staged MSBuild files (root-relative path: new text, or null
    /// for a deleted file) make them: see <see cref="StagedBuildFiles"/>.
    /// </summary>
    public ValidationReport Validate(IReadOnlyList<ValidationDocument> documents, IReadOnlyDictionary<string, string?> stagedBuildFiles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stagedBuildFiles);
        return stagedBuildFiles.Count > 0 && ProjectContexts is not Build.CallerProjectContexts
            ? StagedBuildFiles.Validate(this, documents, stagedBuildFiles, cancellationToken)
            : Validate(documents, cancellationToken);
    }

    /// <summary>Validates the documents (paths root-relative) against their projects.</summary>
    public ValidationReport Validate(IReadOnlyList<ValidationDocument> documents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documents);
        if (documents.Count == 0)
        {
            return ValidationReport.Empty;
        }

        lock (_gate)
        {
            var normalized = documents.Select(Normalize).ToList();
            ReloadChangedProjects([.. normalized.Select(d => ProjectOf(d.Path)).OfType<string>().Distinct(StringComparer.Ordinal)]);
            var reports = new List<IReadOnlyList<ValidatorVerdict>>();
            var groups = new List<(ProjectState? State, string? Project, List<ValidationDocument> Documents)>();
            var ownerOf = OwnersOf(normalized, cancellationToken);
            foreach (var group in normalized.GroupBy(d => ownerOf[d.Path]))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var states = new List<ProjectState>();
                if (group.Key is not null)
                {
                    try
                    {
                        if (!_projects.Keys.Any(k => k.Path == group.Key))
                        {
                            Contexts.Prefetch(group.Key, cancellationToken);
                        }

                        foreach (var key in KeysOf(group.Key))
                        {
                            states.Add(GetProject(key, cancellationToken));
                        }
                    }
                    catch (Exception ex) when (ex is System.Xml.XmlException or IOException or UnauthorizedAccessException)
                    {
                        // A project file we cannot read should not make every edit unjudgeable: judge the files alone.
                        _logger.LogWarning(ex, "Cannot read project {Project}; validating {Count} file(s) without it", group.Key, group.Count());
                        states.Clear();
                    }
                }

                if (states.Count == 0)
                {
                    groups.Add((null, null, [.. group]));
                }

                foreach (var state in states)
                {
                    // A framework whose build does not compile a file (a Compile Include under a framework condition) does not judge it.
                    List<ValidationDocument> compiled = [.. group.Where(d => Compiles(state, d.Path, states))];
                    if (compiled.Count > 0)
                    {
                        groups.Add((state, group.Key, compiled));
                    }
                }
            }

            // Referenced projects first, so that a project edited together with one it references is judged
            // against that edit (a new API and its first caller in one transaction).
            var edited = groups.Where(g => g.State is not null).Select(g => g.State!).ToHashSet();
            var afterOf = new Dictionary<ProjectState, Compilation>();
            var scopeOf = new Dictionary<ProjectState, DeclarationScope>();
            foreach (var (state, project, docs) in OrderByReferences(groups))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (state is null)
                {
                    reports.Add(RunPipeline(Standalone(docs), cancellationToken));
                    continue;
                }

                var upstream = state.ReferencedStates.Where(scopeOf.ContainsKey).Select(r => scopeOf[r]).ToList();
                var external = upstream.Count == 0 ? null : upstream.Aggregate((a, b) => a.Union(b));
                var context = state.Prepare(docs, afterOf, external, cancellationToken);
                var projectVerdicts = RunPipeline(context, cancellationToken);
                if (IsMultiTargeted(state))
                {
                    projectVerdicts = [.. projectVerdicts.Select(v => v with { Diagnostics = [.. v.Diagnostics.Select(d => WithFramework(d, state))] })];
                }

                if (context.AfterCompilation is not null)
                {
                    afterOf[state] = context.AfterCompilation;
                }

                if (context.Documents.Any(SemanticDiff.IsDeclarationChange))
                {
                    scopeOf[state] = DeclarationScope.Compute(context.Documents, cancellationToken);
                    if (_includeBuiltIns)
                    {
                        projectVerdicts = CheckDependents(project!, state, context, projectVerdicts, edited, cancellationToken);
                    }
                }

                reports.Add(projectVerdicts);
            }

            var verdicts = reports.Count == 1 && !reports[0].Any(v => v.Diagnostics.Any(d => d.TargetFramework is not null)) ? reports[0] : Merge(reports);
            var blocking = verdicts.SelectMany(v => v.Diagnostics).Where(_policy.Blocks).ToList();
            var report = new ValidationReport(verdicts, blocking)
            {
                Projects = [.. groups.Where(g => g.State is not null).Select(g => g.State!.Context).Distinct().Select(c => new JudgedProject(
                    c.ProjectPath!,
                    c.TargetFramework,
                    c.Source))],
            };
            _logger.LogDebug("Validated {Count} document(s): {Summary}", documents.Count, report.Summary());
            return report;
        }
    }

    /// <summary>The documents' after-state became the committed state: make it the new baseline.</summary>
    public void Accept(IReadOnlyList<ValidationDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        lock (_gate)
        {
            foreach (var group in documents.Select(Normalize).GroupBy(d => ProjectOf(d.Path)))
            {
                // A project not loaded yet will read the committed files from disk when first needed.
                foreach (var state in _projects.Where(p => p.Key.Path == group.Key).Select(p => p.Value))
                {
                    state.Accept([.. group]);
                }
            }

            // A created or deleted .csproj changes which project owns a folder.
            if (documents.Any(d => d.Path.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase)))
            {
                _projectOfFolder.Clear();
                ClearProjects();
                _projectReferences = null;
            }
        }
    }

    /// <summary>
    /// A declaration change can break the projects that reference the edited one. Each such project is
    /// judged, unedited, against the edited compilation; its findings join the compilation and documentation verdicts.
    /// </summary>
    private IReadOnlyList<ValidatorVerdict> CheckDependents(
        string projectPath, ProjectState state, ValidationContext context, IReadOnlyList<ValidatorVerdict> verdicts, HashSet<ProjectState> edited, CancellationToken cancellationToken)
    {
        var syntaxBlocked = verdicts.Any(v => v.Validator == SyntaxValidator.ValidatorName && v.Diagnostics.Any(d => d.IsNew && d.Severity == DiagnosticSeverity.Error));
        if (syntaxBlocked || context.AfterCompilation is null)
        {
            return verdicts;
        }

        var scope = DeclarationScope.Compute(context.Documents, cancellationToken);
        var result = verdicts.ToList();
        foreach (var key in DependentsOf(projectPath).SelectMany(KeysOf).ToList())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var dependentState = GetProject(key, cancellationToken);

            // Another framework of the dependent may compile against another framework of the edited project.
            if (edited.Contains(dependentState) || !dependentState.ReferencedStates.Contains(state))
            {
                continue; // an edited one is judged with its own edit, against this one
            }

            var dependentContext = dependentState.PrepareDependent(state, context.AfterCompilation, scope, cancellationToken);
            if (dependentContext is null)
            {
                continue;
            }

            for (var i = 0; i < result.Count; i++)
            {
                if (result[i].Validator is not (CompilationValidator.ValidatorName or DocumentationValidator.ValidatorName or AnalyzerValidator.ValidatorName))
                {
                    continue;
                }

                var validator = _pipeline.First(v => v.Name == result[i].Validator);
                var watch = Stopwatch.StartNew();
                var found = validator.Validate(dependentContext, cancellationToken).Where(d => d.IsNew).Select(d => WithFramework(d, dependentState)).ToList();
                watch.Stop();
                var diagnostics = result[i].Diagnostics.Concat(found).ToList();
                result[i] = result[i] with { Diagnostics = diagnostics, Passed = !diagnostics.Any(_policy.Blocks), Elapsed = result[i].Elapsed + watch.Elapsed };
            }
        }

        return result;
    }

    private static List<(ProjectState? State, string? Project, List<ValidationDocument> Documents)> OrderByReferences(
        List<(ProjectState? State, string? Project, List<ValidationDocument> Documents)> groups)
    {
        var ordered = new List<(ProjectState?, string?, List<ValidationDocument>)>();
        var remaining = groups.ToList();
        while (remaining.Count > 0)
        {
            // A group is ready when none of the projects it references (directly or not) is still waiting.
            var ready = remaining.FindIndex(g => g.State is null || !remaining.Any(o => o.State is not null && o.State != g.State && g.State.References(o.State)));
            var next = remaining[ready < 0 ? 0 : ready]; // a reference cycle: any order
            remaining.Remove(next);
            ordered.Add(next);
        }

        return ordered;
    }

    private IReadOnlyList<string> DependentsOf(string projectPath)
    {
        _projectReferences ??= Build.ProjectFiles.All(_root).ToDictionary(p => p, p => Contexts.ProjectReferences(p), StringComparer.Ordinal);
        return [.. _projectReferences.Where(kv => kv.Value.Contains(projectPath, StringComparer.Ordinal)).Select(kv => kv.Key).Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// The warm state of a loaded project, for tests and diagnostics: for <paramref name="targetFramework"/>, default its first;
    /// <see langword="null"/> when not loaded.
    /// </summary>
    internal ProjectState? FindLoadedProject(string projectPath, string? targetFramework = null)
    {
        lock (_gate)
        {
            return targetFramework is null
                ? _projects.GetValueOrDefault(new ProjectKey(projectPath, null))
                : _projects.Where(p => p.Key.Path == projectPath && p.Value.Context.TargetFramework == targetFramework).Select(p => p.Value).FirstOrDefault();
        }
    }

    /// <summary>The keys of a project's states: its first (or only) framework, then each other one.</summary>
    private IEnumerable<ProjectKey> KeysOf(string projectPath) =>
        [new ProjectKey(projectPath, null), .. MonikersOf(projectPath).Skip(1).Select(f => new ProjectKey(projectPath, f))];

    /// <summary>
    /// Starts a validation from projects whose files are as they were read: a project file changed on disk (any framework's
    /// imports, a config file) drops every state, since options, items and references may all have changed, for it and for
    /// the projects that reference it. Done once, before any state is used, so that no state in use is dropped halfway.
    /// Only the states this validation can use are looked at: the edited projects', those they reference, and their
    /// dependents' (judged on a declaration change); another project is looked at when an edit reaches it.
    /// </summary>
    private void ReloadChangedProjects(IReadOnlyList<string> editedProjects)
    {
        var reachable = editedProjects.Concat(editedProjects.SelectMany(DependentsOf)).ToHashSet(StringComparer.Ordinal);
        var pending = new Stack<ProjectState>(_projects.Where(p => reachable.Contains(p.Key.Path)).Select(p => p.Value));
        var seen = new HashSet<ProjectState>();
        while (pending.TryPop(out var state))
        {
            if (!seen.Add(state))
            {
                continue;
            }

            if (state.ProjectFilesChanged())
            {
                _logger.LogDebug("Project file of {Project} changed; reloading", state.Context.ProjectPath);
                ClearProjects();
                _projectOfFolder.Clear();
                _projectReferences = null;
                break;
            }

            foreach (var referenced in state.ReferencedStates)
            {
                pending.Push(referenced);
            }
        }

        // A framework list read for a project whose load then failed was never watched.
        foreach (var path in _frameworksOf.Keys.Where(p => !_projects.Keys.Any(k => k.Path == p)).ToList())
        {
            _frameworksOf.Remove(path);
        }
    }

    /// <summary>The frameworks a build compiles the project for, read once per project load; empty when it names none.</summary>
    private IReadOnlyList<string> MonikersOf(string projectPath)
    {
        if (!_frameworksOf.TryGetValue(projectPath, out var monikers))
        {
            _frameworksOf[projectPath] = monikers = Contexts.Frameworks(projectPath);
        }

        return monikers;
    }

    private bool IsMultiTargeted(ProjectState state) => state.Context.ProjectPath is { } path && MonikersOf(path).Count > 1;

    // Which framework's build reports it, for a project built for more than one.
    private ValidationDiagnostic WithFramework(ValidationDiagnostic diagnostic, ProjectState state) =>
        IsMultiTargeted(state) ? diagnostic with { TargetFramework = state.Context.TargetFramework } : diagnostic;

    private IReadOnlyList<ValidatorVerdict> RunPipeline(ValidationContext context, CancellationToken cancellationToken)
    {
        var verdicts = new List<ValidatorVerdict>(_pipeline.Count);
        var shortCircuited = false;
        Task<ValidatorVerdict>? analyzers = null;
        try
        {
            foreach (var validator in _pipeline)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (shortCircuited)
                {
                    verdicts.Add(new ValidatorVerdict(validator.Name, Passed: true, Skipped: true, TimeSpan.Zero, []));
                    continue;
                }

                if (validator is SyntaxValidator)
                {
                    var syntax = Run(validator, context, cancellationToken);
                    verdicts.Add(syntax);
                    shortCircuited = syntax.Diagnostics.Any(d => d.IsNew && d.Severity == DiagnosticSeverity.Error);
                    if (!shortCircuited && _pipeline.OfType<AnalyzerValidator>().FirstOrDefault() is { } analyzerValidator)
                    {
                        // The analyzers run on a compilation of their own (Roslyn's CompilationWithAnalyzers clones the
                        // one it is given), so their work and the compile check share nothing but the syntax trees:
                        // with two cores they take the time of the slower one rather than of both, as in a build.
                        // A thread of its own: the analyzer driver's tasks need the pool's threads, and it waits on them.
                        analyzers = Task.Factory.StartNew(
                            () => Run(analyzerValidator, context, cancellationToken),
                            cancellationToken,
                            TaskCreationOptions.LongRunning,
                            TaskScheduler.Default);
                    }

                    continue;
                }

                if (validator is AnalyzerValidator && analyzers is not null)
                {
                    verdicts.Add(analyzers.GetAwaiter().GetResult());
                    analyzers = null;
                    continue;
                }

                verdicts.Add(Run(validator, context, cancellationToken));
            }
        }
        finally
        {
            // A validator that threw (cancellation) must not leave the analyzers running against a context being abandoned.
            if (analyzers is not null)
            {
                try
                {
                    analyzers.Wait(CancellationToken.None);
                }
                catch (AggregateException)
                {
                    // The exception that ended the pipeline is the one that propagates.
                }
            }
        }

        return verdicts;
    }

    private ValidatorVerdict Run(IValidator validator, ValidationContext context, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        IReadOnlyList<ValidationDiagnostic> diagnostics;
        try
        {
            diagnostics = validator.Validate(context, cancellationToken) ?? [];
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A validator that crashes has not approved the edit; failing closed keeps a bug in a
            // custom rule from letting anything through.
            _logger.LogError(ex, "Validator {Validator} failed", validator.Name);
            diagnostics =
            [
                new ValidationDiagnostic("AC0001", DiagnosticSeverity.Error, $"Validator '{validator.Name}' failed: {ex.GetType().Name}: {ex.Message}",
                    context.Documents.FirstOrDefault()?.Path ?? "", 1, 1, validator.Name, ValidationCategory.Custom, IsNew: true),
            ];
        }

        watch.Stop();
        return new ValidatorVerdict(validator.Name, !diagnostics.Any(_policy.Blocks), Skipped: false, watch.Elapsed, diagnostics);
    }

    private static List<ValidatorVerdict> Merge(List<IReadOnlyList<ValidatorVerdict>> reports) =>
        [.. reports[0].Select((first, i) =>
        {
            var all = reports.Select(r => r[i]).ToList();
            return new ValidatorVerdict(
                first.Validator,
                all.All(v => v.Passed),
                all.All(v => v.Skipped),
                all.Aggregate(TimeSpan.Zero, (sum, v) => sum + v.Elapsed),
                OncePerFinding(all.SelectMany(v => v.Diagnostics)));
        })];

    /// <summary>
    /// A finding several frameworks of one project report alike is listed once, naming them all (<c>net10.0;net8.0</c>); the
    /// k-th of identical findings of one framework is matched with the k-th of another's, so none is lost.
    /// </summary>
    private static List<ValidationDiagnostic> OncePerFinding(IEnumerable<ValidationDiagnostic> diagnostics)
    {
        var result = new List<ValidationDiagnostic>();
        var frameworksOf = new List<List<string>?>();
        var byFinding = new Dictionary<ValidationDiagnostic, List<int>>();
        foreach (var d in diagnostics)
        {
            if (d.TargetFramework is not { } framework)
            {
                result.Add(d);
                frameworksOf.Add(null);
                continue;
            }

            var finding = d with { TargetFramework = null };
            var same = byFinding.TryGetValue(finding, out var found) ? found : byFinding[finding] = [];
            var into = same.FirstOrDefault(k => !frameworksOf[k]!.Contains(framework, StringComparer.Ordinal), -1);
            if (into >= 0)
            {
                frameworksOf[into]!.Add(framework);
                continue;
            }

            same.Add(result.Count);
            result.Add(d);
            frameworksOf.Add([framework]);
        }

        for (var k = 0; k < result.Count; k++)
        {
            if (frameworksOf[k] is { Count: > 1 } several)
            {
                result[k] = result[k] with { TargetFramework = string.Join(';', several) };
            }
        }

        return result;
    }

    // A file outside every project is judged alone, with default options: there is no baseline to keep warm.
    private static ValidationContext Standalone(IReadOnlyList<ValidationDocument> documents)
    {
        var context = ProjectContext.Default;
        var normalized = documents.Select(d => new ValidationDocument(
            d.Path,
            d.Before is null ? null : ProjectState.Parse(d.Before.GetText(), context, d.Path),
            d.After is null ? null : ProjectState.Parse(d.After.GetText(), context, d.Path),
            d.ChangedSpans)).ToList();
        var before = CSharpCompilation.Create("Standalone", normalized.Where(d => d.Before is not null).Select(d => d.Before!), FrameworkReferences.All, context.CompilationOptions);
        var after = CSharpCompilation.Create("Standalone", normalized.Where(d => d.After is not null).Select(d => d.After!), FrameworkReferences.All, context.CompilationOptions);
        return new ValidationContext(normalized, before, after);
    }

    /// <summary>The state of a project for one framework, loaded when first needed (changed project files are seen by <see cref="ReloadChangedProjects"/>).</summary>
    private ProjectState GetProject(ProjectKey key, CancellationToken cancellationToken)
    {
        if (!_projects.TryGetValue(key, out var state))
        {
            var watch = Stopwatch.StartNew();
            _loading.Add(key);
            try
            {
                var context = Contexts.Load(key.Path, key.Framework, cancellationToken);
                state = ProjectState.Load(
                    _root,
                    context,
                    referenced => ResolveReference(referenced, context),
                    RunSourceGenerators,
                    (path, error) => _logger.LogWarning("Cannot load source generators from {Path} of {Project}: {Error}", path, key.Path, error),
                    cancellationToken);
            }
            finally
            {
                _loading.Remove(key);
            }

            _projects[key] = state;
            _logger.LogDebug(
                "Loaded project {Project} ({Framework}): {Files} file(s) in {Elapsed} ms", key.Path, state.Context.TargetFramework, state.Context.SourcePaths.Length, watch.ElapsedMilliseconds);
        }

        return state;
    }

    /// <summary>A service that judges with <paramref name="contexts"/> instead of this one's, with the same validators and policy.</summary>
    internal ValidationService WithContexts(Build.IProjectContexts contexts) =>
        new(_root, _customValidators, _policy, _logger, _includeBuiltIns) { ProjectContexts = contexts, RunSourceGenerators = RunSourceGenerators };

    /// <summary>The workspace root (full path).</summary>
    internal string Root => _root;

    /// <summary>The policy the service blocks by.</summary>
    internal ValidationPolicy Policy => _policy;

    /// <summary>Where the service's contexts come from.</summary>
    internal Build.IProjectContexts ContextSource
    {
        get
        {
            lock (_gate)
            {
                return Contexts;
            }
        }
    }

    /// <summary>The project's compilation for each of its frameworks, as loaded (framework null: a project that names none).</summary>
    internal IReadOnlyList<(string? Framework, CSharpCompilation Compilation)> Baselines(string projectPath, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ReloadChangedProjects([projectPath]);
            return [.. KeysOf(projectPath).Select(key => GetProject(key, cancellationToken)).Select(state => (state.Context.TargetFramework, state.Baseline))];
        }
    }

    /// <summary>Drops every loaded state (a service used for one validation, done).</summary>
    internal void Release()
    {
        lock (_gate)
        {
            ClearProjects();
        }
    }

    private void ClearProjects()
    {
        foreach (var state in _projects.Values)
        {
            state.Dispose();
        }

        _projects.Clear();
        _frameworksOf.Clear();
        Contexts.Clear();
    }

    /// <summary>The state of a referenced project for the framework a build of <paramref name="referencing"/> compiles against.</summary>
    private ProjectState? ResolveReference(string projectPath, ProjectContext referencing)
    {
        if (!File.Exists(Path.Combine(_root, projectPath.Replace('/', Path.DirectorySeparatorChar))))
        {
            _logger.LogWarning("Project reference {Project} is missing; its types will be unknown", projectPath);
            return null;
        }

        var frameworks = MonikersOf(projectPath);
        // MSBuild's pick (NearestTargetFramework); a caller's context names none, and gets the first.
        var nearest = frameworks.Count > 1 && referencing.ReferencedFrameworks.GetValueOrDefault(projectPath) is { } picked
            ? Math.Max(0, frameworks.ToList().FindIndex(f => string.Equals(f, picked, StringComparison.OrdinalIgnoreCase)))
            : 0;
        var key = new ProjectKey(projectPath, nearest == 0 ? null : frameworks[nearest]);
        if (_loading.Contains(key))
        {
            _logger.LogWarning("Project reference {Project} is cyclic; its types will be unknown", projectPath);
            return null;
        }

        return GetProject(key, CancellationToken.None);
    }

    /// <summary>
    /// The project of each document: the nearest project file above it; else, with MSBuild's contexts, a project among
    /// the edited and the loaded ones whose build compiles it (a <c>Compile Include</c> of a shared folder outside
    /// every project folder), looked for in each of their frameworks; else none (judged alone).
    /// </summary>
    private Dictionary<string, string?> OwnersOf(List<ValidationDocument> documents, CancellationToken cancellationToken)
    {
        var owners = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var doc in documents)
        {
            owners[doc.Path] = ProjectOf(doc.Path);
        }

        var unowned = owners.Where(kv => kv.Value is null).Select(kv => kv.Key).ToList();
        if (unowned.Count == 0)
        {
            return owners;
        }

        var candidates = owners.Values.OfType<string>().Concat(_projects.Keys.Select(k => k.Path)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        foreach (var path in unowned)
        {
            owners[path] = candidates.FirstOrDefault(project => KeysOf(project).Any(key => GetProject(key, cancellationToken).Context.SourcePaths.Contains(path)));
        }

        return owners;
    }

    // Whether the state compiles the file: its command line says so; an edited file no framework's command line holds
    // (a new one) is compiled with each.
    private static bool Compiles(ProjectState state, string path, List<ProjectState> frameworks) =>
        state.Context.SourcePaths.Contains(path)
        || !frameworks.Any(f => f.Context.SourcePaths.Contains(path));

    private string? ProjectOf(string path)
    {
        var slash = path.LastIndexOf('/');
        var folder = slash < 0 ? "" : path[..slash];
        if (!_projectOfFolder.TryGetValue(folder, out var project))
        {
            _projectOfFolder[folder] = project = Build.ProjectFiles.FindProjectFile(_root, path);
        }

        return project;
    }

    private static ValidationDocument Normalize(ValidationDocument doc)
    {
        var path = doc.Path.Replace('\\', '/');
        if (path.StartsWith("./", StringComparison.Ordinal))
        {
            path = path[2..];
        }

        return path == doc.Path ? doc : doc with { Path = path };
    }

    /// <summary>A project as built for one of its frameworks: <see cref="Framework"/> is null for its first (or only) one.</summary>
    private readonly record struct ProjectKey(string Path, string? Framework);
}
