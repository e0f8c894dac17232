using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AtomicCompose.Validation.Analyzers;

/// <summary>A list of analyzers with an identity, so that cached findings know which analyzers made them.</summary>
internal sealed class AnalyzerSet
{
    public AnalyzerSet(ImmutableArray<DiagnosticAnalyzer> analyzers)
        : this(analyzers, [.. analyzers.Where(HasCompilationEndRule)])
    {
    }

    public AnalyzerSet(ImmutableArray<DiagnosticAnalyzer> analyzers, ImmutableArray<DiagnosticAnalyzer> compilationEnd)
    {
        Analyzers = analyzers;
        CompilationEnd = compilationEnd;
    }

    public ImmutableArray<DiagnosticAnalyzer> Analyzers { get; }

    /// <summary>The analyzers with a rule reported at the end of the compilation, which only a whole-project run sees.</summary>
    public ImmutableArray<DiagnosticAnalyzer> CompilationEnd { get; }

    /// <summary>Whether a rule carries the tag Roslyn requires of rules reported at the end of the compilation.</summary>
    public static bool IsCompilationEndRule(DiagnosticDescriptor descriptor) => descriptor.CustomTags.Contains(WellKnownDiagnosticTags.CompilationEnd);

    public static bool HasCompilationEndRule(DiagnosticAnalyzer analyzer) => Rules(analyzer).Any(IsCompilationEndRule);

    /// <summary>The analyzer's rules; none for one that throws (the driver reports it as AD0001 in the main pass).</summary>
    public static ImmutableArray<DiagnosticDescriptor> Rules(DiagnosticAnalyzer analyzer)
    {
        try
        {
            return analyzer.SupportedDiagnostics;
        }
        catch (Exception)
        {
            return [];
        }
    }
}
