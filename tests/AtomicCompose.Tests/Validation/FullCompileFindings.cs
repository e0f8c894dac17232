using System.Globalization;
using System.Text;
using AtomicCompose.Validation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace AtomicCompose.Tests.Validation;

/// <summary>
/// The side of the differential tests that compiles from scratch: what a full compile reports (errors and
/// documentation findings), which of its findings an edit introduced, and which of the validator's
/// diagnostics are compared with them.
/// </summary>
internal static class FullCompileFindings
{
    private static readonly HashSet<string> DocumentationIds = ["CS1570", "CS1571", "CS1572", "CS1573", "CS1574", "CS1580", "CS1581", "CS1584", "CS1587", "CS1589", "CS1590", "CS1591", "CS1592", "CS1710", "CS1711", "CS1712", "CS1723", "CS1734", "CS1735"];

    /// <summary>A finding: <see cref="Key"/> (id, file, message) is compared as a multiset; <see cref="At"/> adds the position.</summary>
    public readonly record struct Finding(string Key, string At, bool IsError, bool IsSyntax);

    /// <summary>
    /// What the multisets compare: id, file and message, without the declaration sites a message may name (since
    /// Roslyn 5.x, "'C.M(int) [core/C3.cs(14)]'"): the same finding reads differently once an edit shifts those lines.
    /// </summary>
    public static string KeyOf(string id, string path, string message) => $"{id} {path}: {BaselineMatcher.WithoutDeclarationSites(message)}";

    /// <summary>The validator's diagnostics a full compile's new findings correspond to.</summary>
    public static bool Counts(ValidationDiagnostic d) => d.IsNew && (d.Severity == DiagnosticSeverity.Error || d.Category == ValidationCategory.Documentation);

    /// <summary>
    /// A fresh compile of <paramref name="files"/> (root-relative path and text) as the project compiles them: its options
    /// and references as MSBuild gives them (the SDK's generated sources are among its files), and <paramref name="references"/>.
    /// </summary>
    public static CSharpCompilation Compile(ProjectContext context, IEnumerable<KeyValuePair<string, string>> files, params MetadataReference[] references)
    {
        var trees = files.Select(f => CSharpSyntaxTree.ParseText(SourceText.From(f.Value, Encoding.UTF8), context.ParseOptions, f.Key)).ToList();
        return CSharpCompilation.Create(context.AssemblyName, trees, [.. context.References.Select(r => PackageReferences.Get(r.Path)), .. references], context.CompilationOptions);
    }

    public static List<Finding> Of(CSharpCompilation compilation)
    {
        var syntax = compilation.SyntaxTrees.SelectMany(t => t.GetDiagnostics()).ToHashSet();
        return compilation.GetDiagnostics()
            .Where(d => d.Location.IsInSource && (d.Severity == DiagnosticSeverity.Error || DocumentationIds.Contains(d.Id)))
            .Select(d =>
            {
                var message = d.GetMessage(CultureInfo.InvariantCulture);
                var path = d.Location.SourceTree!.FilePath;
                var at = d.Location.GetLineSpan().StartLinePosition;
                return new Finding(KeyOf(d.Id, path, message), $"{d.Id} {path}({at.Line + 1},{at.Character + 1}): {message}", d.Severity == DiagnosticSeverity.Error, syntax.Contains(d));
            })
            .ToList();
    }

    /// <summary>After minus before, as multisets: the keys the edit introduced (sorted), and whether one is a syntax error.</summary>
    public static (List<string> New, bool SyntaxBroken) New(IEnumerable<Finding> before, IEnumerable<Finding> after)
    {
        var remaining = before.GroupBy(d => d.Key).ToDictionary(g => g.Key, g => g.Count());
        var fresh = new List<string>();
        var syntaxBroken = false;
        foreach (var d in after)
        {
            if (remaining.TryGetValue(d.Key, out var n) && n > 0)
            {
                remaining[d.Key] = n - 1;
                continue;
            }

            fresh.Add(d.Key);
            syntaxBroken |= d.IsSyntax && d.IsError;
        }

        return ([.. fresh.Order(StringComparer.Ordinal)], syntaxBroken);
    }
}
