using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace AtomicCompose.Validation;

/// <summary>
/// A finding carried over from the file before an edit to the file after it, at its moved position: what a new
/// analysis of the unchanged code would report, without running it.
/// </summary>
internal static class MovedDiagnostic
{
    /// <summary>The same rule, severity and message as <paramref name="diagnostic"/>, located at <paramref name="start"/> in <paramref name="tree"/>.</summary>
    public static Diagnostic To(Diagnostic diagnostic, SyntaxTree tree, int start)
    {
        var rule = diagnostic.Descriptor;

        // The message arguments are not public; the formatted message is, and a format without arguments is used as it is.
        var asFormatted = new DiagnosticDescriptor(
            diagnostic.Id, rule.Title, diagnostic.GetMessage(CultureInfo.InvariantCulture), rule.Category, rule.DefaultSeverity, rule.IsEnabledByDefault, rule.Description, rule.HelpLinkUri, [.. rule.CustomTags]);
        var location = Location.Create(tree, new TextSpan(start, diagnostic.Location.SourceSpan.Length));
        return Diagnostic.Create(asFormatted, location, diagnostic.Severity, additionalLocations: null, diagnostic.Properties);
    }
}
