using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AtomicCompose.Validation.Analyzers;

/// <summary>
/// Of the analyzers a build adds on its own (the SDK's few hundred, and the targeting packs' ASP.NET Core and interop
/// analyzers), the ones with a rule that can block the edit: one that can be an error in the
/// analyzed files under the project's configuration (a per-rule severity, <c>TreatWarningsAsErrors</c>), or a
/// warning while the policy blocks new warnings. In the SDK's default analysis mode most CA rules are suggestions,
/// off, or warnings, which do not fail a build; running the warnings on every edit costs several times the
/// compile check (about 27 ms against 5 ms on a small project), so they run when they can change the verdict.
/// </summary>
internal sealed class SdkAnalyzerSelection
{
    private const int MaxRemembered = 256;
    private readonly ConditionalWeakTable<AnalyzerSet, Dictionary<ImmutableArray<DiagnosticAnalyzer>, AnalyzerSet>> _sets = new();

    // Judging a few hundred analyzers' rules costs milliseconds; the answer only changes with these inputs.
    private readonly Dictionary<(AnalyzerSet, ImmutableArray<DiagnosticAnalyzer>, CompilationOptions, AnalyzerConfiguration?, bool, string), AnalyzerSet> _chosen = [];

    /// <summary>
    /// The project's analyzers plus the SDK analyzers that can warn; the same instance for the same choice, so that
    /// findings cached under it stay valid.
    /// </summary>
    public AnalyzerSet Select(
        AnalyzerSet project, ImmutableArray<DiagnosticAnalyzer> sdk, CompilationOptions options, AnalyzerConfiguration? configuration, IEnumerable<SyntaxTree> trees, bool warningsBlock)
    {
        List<SyntaxTree> analyzed = [.. trees];
        var inputs = (project, sdk, options, configuration, warningsBlock, string.Join('\n', analyzed.Select(t => t.FilePath).Order(StringComparer.Ordinal)));
        lock (_chosen)
        {
            if (_chosen.TryGetValue(inputs, out var known))
            {
                return known;
            }
        }

        var set = Choose(project, sdk, new Severities(options, configuration, analyzed, warningsBlock || options.GeneralDiagnosticOption == ReportDiagnostic.Error));
        lock (_chosen)
        {
            if (_chosen.Count >= MaxRemembered)
            {
                _chosen.Clear();
            }

            _chosen[inputs] = set;
        }

        return set;
    }

    private AnalyzerSet Choose(AnalyzerSet project, ImmutableArray<DiagnosticAnalyzer> sdk, Severities severities)
    {
        var chosen = ImmutableArray.CreateBuilder<DiagnosticAnalyzer>();
        var compilationEnd = new List<DiagnosticAnalyzer>(project.CompilationEnd);
        for (var i = 0; i < sdk.Length; i++)
        {
            var rules = AnalyzerSet.Rules(sdk[i]).Where(severities.CanBlock).ToList();
            if (rules.Count == 0)
            {
                continue;
            }

            chosen.Add(sdk[i]);

            // Only a compilation-end rule that can block is worth a whole-project run.
            if (rules.Any(AnalyzerSet.IsCompilationEndRule))
            {
                compilationEnd.Add(sdk[i]);
            }
        }

        if (chosen.Count == 0)
        {
            return project;
        }

        // The same choice gives the same set, whichever pool it was chosen from (the pool grows once a file names an interop attribute).
        var key = chosen.ToImmutable();
        var byChoice = _sets.GetValue(project, _ => new Dictionary<ImmutableArray<DiagnosticAnalyzer>, AnalyzerSet>(SameAnalyzers.Instance));
        lock (byChoice)
        {
            if (!byChoice.TryGetValue(key, out var set))
            {
                set = new AnalyzerSet([.. project.Analyzers, .. key], [.. compilationEnd]);
                byChoice[key] = set;
            }

            return set;
        }
    }

    /// <summary>
    /// Whether a rule can come out as an error, or as a warning when <paramref name="warningsBlock"/> (the policy
    /// blocks new warnings, or the project treats warnings as errors): a per-rule severity in a config file (any
    /// analyzed file, or global) or in the project's warning options, else a bulk <c>dotnet_analyzer_diagnostic</c>
    /// severity, else the rule's default. Erring towards running an analyzer only costs time; the driver applies the
    /// real severities.
    /// </summary>
    private sealed class Severities(CompilationOptions options, AnalyzerConfiguration? configuration, List<SyntaxTree> trees, bool warningsBlock)
    {
        private readonly Lazy<bool> _codeStyleSeverityBlocks = new(() => CodeStyleSeverityBlocks(configuration, trees, warningsBlock));

        public bool CanBlock(DiagnosticDescriptor rule)
        {
            var configured = false;
            foreach (var severity in PerRule(rule.Id))
            {
                if (severity == ReportDiagnostic.Error || (warningsBlock && severity == ReportDiagnostic.Warn))
                {
                    return true;
                }

                configured = true;
            }

            if (configured)
            {
                return false;
            }

            // Which code-style option feeds which IDE rule is the analyzers' own knowledge: with a blocking
            // `option = value:severity` anywhere, every code-style rule runs.
            if (rule.Id.StartsWith("IDE", StringComparison.Ordinal) && _codeStyleSeverityBlocks.Value)
            {
                return true;
            }

            var bulk = Bulk($"dotnet_analyzer_diagnostic.category-{rule.Category}.severity").Concat(Bulk("dotnet_analyzer_diagnostic.severity")).ToList();
            if (bulk.Count > 0)
            {
                return bulk.Any(v => v == "error" || (warningsBlock && v == "warning"));
            }

            return rule.IsEnabledByDefault && (rule.DefaultSeverity == DiagnosticSeverity.Error || (warningsBlock && rule.DefaultSeverity == DiagnosticSeverity.Warning));
        }

        /// <summary>
        /// Whether a code-style option's own severity (<c>csharp_prefer_braces = true:error</c>) can block. A build honours
        /// it from code-style analysis level 9 on (checked with SDK 10.0.401: at level 8 it is ignored, with or without
        /// <c>EnableCodeStyleSeverity</c>); the analyzers read the level from the <c>build_property</c> options.
        /// </summary>
        private static bool CodeStyleSeverityBlocks(AnalyzerConfiguration? configuration, List<SyntaxTree> trees, bool warningsBlock)
        {
            if (configuration is null
                || !configuration.Global.AnalyzerOptions.TryGetValue("build_property.effectiveanalysislevelstyle", out var style)
                || !double.TryParse(style, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var level)
                || level < 9)
            {
                return false;
            }

            return OptionsOf(configuration, trees)
                .SelectMany(options => options.Values)
                .Select(value => value.Split(':') is [_, .., var severity] ? severity.Trim().ToLowerInvariant() : null)
                .Any(severity => severity == "error" || (warningsBlock && severity == "warning"));
        }

        // The key-value options of every analyzed file's sections, then the global ones.
        private static IEnumerable<ImmutableDictionary<string, string>> OptionsOf(AnalyzerConfiguration configuration, List<SyntaxTree> trees) =>
            trees.Select(t => configuration.ForTree(t).AnalyzerOptions).Append(configuration.Global.AnalyzerOptions);

        private IEnumerable<ReportDiagnostic> PerRule(string id)
        {
            if (options.SpecificDiagnosticOptions.TryGetValue(id, out var fromProject))
            {
                yield return fromProject;
            }

            if (configuration is null)
            {
                yield break;
            }

            foreach (var tree in trees)
            {
                if (configuration.ForTree(tree).TreeOptions.TryGetValue(id, out var perFile))
                {
                    yield return perFile;
                }
            }

            if (configuration.Global.TreeOptions.TryGetValue(id, out var global))
            {
                yield return global;
            }
        }

        private IEnumerable<string> Bulk(string key)
        {
            if (configuration is null)
            {
                yield break;
            }

            foreach (var values in OptionsOf(configuration, trees))
            {
                if (values.TryGetValue(key.ToLowerInvariant(), out var value) || values.TryGetValue(key, out value))
                {
                    yield return value.Trim().ToLowerInvariant();
                }
            }
        }
    }

    /// <summary>Two lists of the same analyzer instances in the same order.</summary>
    private sealed class SameAnalyzers : IEqualityComparer<ImmutableArray<DiagnosticAnalyzer>>
    {
        public static SameAnalyzers Instance { get; } = new();

        public bool Equals(ImmutableArray<DiagnosticAnalyzer> x, ImmutableArray<DiagnosticAnalyzer> y) =>
            x.Length == y.Length && x.Zip(y).All(p => ReferenceEquals(p.First, p.Second));

        public int GetHashCode(ImmutableArray<DiagnosticAnalyzer> obj)
        {
            var hash = new HashCode();
            foreach (var analyzer in obj)
            {
                hash.Add(RuntimeHelpers.GetHashCode(analyzer));
            }

            return hash.ToHashCode();
        }
    }
}
