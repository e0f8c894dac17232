using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AtomicCompose.Validation.Analyzers;

/// <summary>
/// <c>dotnet_diagnostic.&lt;id&gt;.severity</c> from the config files, per tree and global: the compiler's own
/// provider is internal, and without one the compilation ignores config severities altogether.
/// </summary>
internal sealed class ConfigSyntaxTreeOptionsProvider(AnalyzerConfiguration configuration) : SyntaxTreeOptionsProvider
{
    public override GeneratedKind IsGenerated(SyntaxTree tree, CancellationToken cancellationToken) =>
        configuration.ForTree(tree).AnalyzerOptions.TryGetValue("generated_code", out var value) && bool.TryParse(value, out var generated)
            ? generated ? GeneratedKind.MarkedGenerated : GeneratedKind.NotGenerated
            : GeneratedKind.Unknown;

    public override bool TryGetDiagnosticValue(SyntaxTree tree, string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity) =>
        configuration.ForTree(tree).TreeOptions.TryGetValue(diagnosticId, out severity);

    public override bool TryGetGlobalDiagnosticValue(string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity) =>
        configuration.Global.TreeOptions.TryGetValue(diagnosticId, out severity);
}

/// <summary>The key-value options analyzers read (<c>dotnet_analyzer_diagnostic.*</c>, code-style options, their own keys).</summary>
internal sealed class ConfigAnalyzerOptionsProvider(AnalyzerConfiguration configuration) : AnalyzerConfigOptionsProvider
{
    private readonly Options _global = new(configuration.Global.AnalyzerOptions);

    public override AnalyzerConfigOptions GlobalOptions => _global;

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Options(configuration.ForTree(tree).AnalyzerOptions, configuration.Global.AnalyzerOptions);

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _global;

    /// <summary>A file's options, falling back to the global ones, as the compiler merges them.</summary>
    private sealed class Options(ImmutableDictionary<string, string> values, ImmutableDictionary<string, string>? fallback = null) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) =>
            values.TryGetValue(key, out value) || (fallback is not null && fallback.TryGetValue(key, out value));

        public override IEnumerable<string> Keys => fallback is null ? values.Keys : values.Keys.Union(fallback.Keys, KeyComparer);
    }
}
