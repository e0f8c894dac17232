using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AtomicCompose.Validation.Analyzers;

/// <summary>
/// The analyzers a build of a project adds without the project naming them: the SDK's (the CA rules) and the targeting
/// packs' (ASP.NET Core's, the interop ones). Some pack assemblies only check code that names their attributes or APIs;
/// those are loaded and join once a file of the project names one, so that a project without interop code does not pay
/// for them, neither on every edit nor in every process.
/// </summary>
internal sealed class BuiltInAnalyzers
{
    // Pack analyzer assemblies whose every rule is about code naming one of these words: until a file names one, none of
    // their rules can report (the custom marshaller and COM rules report on those attributes, or on Marshal calls). The
    // JSON and JavaScript interop assemblies hold generators only (SDK 10.0.401); should they ship rules, those would be
    // about their attributes too.
    private static readonly FrozenDictionary<string, string[]> RunWhenNamed = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
    {
        ["Microsoft.Interop.LibraryImportGenerator"] = ["CustomMarshaller", "NativeMarshalling", "MarshalUsing", "DllImport", "LibraryImport"],
        ["Microsoft.Interop.ComInterfaceGenerator"] = ["GeneratedComInterface", "GeneratedComClass", "ComImport", "ComVisible", "Marshal"],
        ["Microsoft.Interop.JavaScript.JSImportGenerator"] = ["JSImport", "JSExport"],
        ["Microsoft.Interop.SourceGeneration"] = ["LibraryImport", "GeneratedComInterface", "GeneratedComClass", "JSImport", "JSExport", "CustomMarshaller", "NativeMarshalling", "MarshalUsing"],
        ["System.Text.Json.SourceGeneration"] = ["JsonSerializable"],
        ["System.Text.RegularExpressions.Generator"] = ["Regex"],
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private readonly ImmutableArray<DiagnosticAnalyzer> _always;
    private readonly Lazy<ImmutableArray<DiagnosticAnalyzer>>[] _whenNamed;
    private readonly NamedWords _words;
    private readonly ImmutableArray<DiagnosticAnalyzer>[] _byNamed;
    private readonly ConditionalWeakTable<Compilation, StrongBox<int>> _namedInCompilation = new();

    private BuiltInAnalyzers(ImmutableArray<DiagnosticAnalyzer> always, (string[] Words, Lazy<ImmutableArray<DiagnosticAnalyzer>> Analyzers)[] whenNamed)
    {
        _always = always;
        _whenNamed = [.. whenNamed.Select(g => g.Analyzers)];
        _words = new NamedWords([.. whenNamed.Select(g => g.Words)]);
        _byNamed = new ImmutableArray<DiagnosticAnalyzer>[1 << whenNamed.Length];
    }

    /// <summary>The analyzers of the SDK's and the packs' assemblies, loaded with <paramref name="load"/> (those waiting for their words when first needed).</summary>
    public static BuiltInAnalyzers Create(IEnumerable<string> sdkAssemblies, IEnumerable<string> packAssemblies, Func<string, ImmutableArray<DiagnosticAnalyzer>> load)
    {
        var always = ImmutableArray.CreateBuilder<DiagnosticAnalyzer>();
        var whenNamed = new List<(string[], Lazy<ImmutableArray<DiagnosticAnalyzer>>)>();
        foreach (var path in sdkAssemblies)
        {
            always.AddRange(load(path));
        }

        foreach (var path in packAssemblies)
        {
            if (RunWhenNamed.TryGetValue(Path.GetFileNameWithoutExtension(path), out var words))
            {
                whenNamed.Add((words, new Lazy<ImmutableArray<DiagnosticAnalyzer>>(() => load(path))));
            }
            else
            {
                always.AddRange(load(path));
            }
        }

        return new BuiltInAnalyzers(always.ToImmutable(), [.. whenNamed]);
    }

    /// <summary>
    /// The analyzers to run for an edit: the ones that always run, and those whose words a file of
    /// <paramref name="baseline"/> or an edited tree names. The same instance for the same choice, so that what is cached
    /// for it stays valid.
    /// </summary>
    public ImmutableArray<DiagnosticAnalyzer> For(Compilation? baseline, IEnumerable<SyntaxTree> edited, CancellationToken cancellationToken)
    {
        if (_whenNamed.Length == 0)
        {
            return _always;
        }

        var named = (baseline is null ? 0 : _namedInCompilation.GetValue(baseline, c => new StrongBox<int>(_words.In(c.SyntaxTrees, cancellationToken))).Value)
            | _words.In(edited, cancellationToken);

        lock (_byNamed)
        {
            if (_byNamed[named].IsDefault)
            {
                _byNamed[named] = [.. _always, .. _whenNamed.Where((_, i) => (named & (1 << i)) != 0).SelectMany(g => g.Value)];
            }

            return _byNamed[named];
        }
    }
}
