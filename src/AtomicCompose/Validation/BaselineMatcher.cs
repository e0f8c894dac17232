using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace AtomicCompose.Validation;

/// <summary>
/// Decides which diagnostics of one file an edit introduced. Diagnostics are equal when their id and
/// message are (the file is fixed by the caller); positions only decide which of several equal
/// diagnostics is the old one, so a diagnostic that merely moved is never new.
/// </summary>
internal static partial class BaselineMatcher
{
    /// <summary>One order for a file's findings, whichever path found them (a fresh run, or findings carried over an edit), so cached and fresh lists compare alike.</summary>
    public static IOrderedEnumerable<Diagnostic> InFileOrder(IEnumerable<Diagnostic> diagnostics) =>
        diagnostics.OrderBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Id, StringComparer.Ordinal);

    /// <summary>For each diagnostic of <paramref name="after"/>, whether it is new.</summary>
    public static bool[] FindNew(IReadOnlyList<Diagnostic> before, IReadOnlyList<Diagnostic> after, TextRegion? region)
    {
        var isNew = new bool[after.Count];
        if (after.Count == 0)
        {
            return isNew;
        }

        var pool = new Dictionary<(string Id, string Message), List<int?>>();
        foreach (var d in before)
        {
            var key = KeyOf(d);
            if (!pool.TryGetValue(key, out var positions))
            {
                pool[key] = positions = [];
            }

            var start = d.Location.IsInSource ? d.Location.SourceSpan.Start : -1;
            positions.Add(start < 0 ? null : region is { } r ? r.Map(start) : start);
        }

        // Pass 1 pairs diagnostics at the same (mapped) position, so that when a second copy of an
        // old diagnostic appears, the copy inside the edit is the one reported as new.
        var matched = new bool[after.Count];
        for (var i = 0; i < after.Count; i++)
        {
            var d = after[i];
            if (!pool.TryGetValue(KeyOf(d), out var positions) || !d.Location.IsInSource)
            {
                continue;
            }

            var at = positions.IndexOf(d.Location.SourceSpan.Start);
            if (at >= 0)
            {
                positions.RemoveAt(at);
                matched[i] = true;
            }
        }

        // Pass 2 is a plain multiset match: a diagnostic whose code moved inside the edit is old.
        for (var i = 0; i < after.Count; i++)
        {
            if (matched[i])
            {
                continue;
            }

            if (pool.TryGetValue(KeyOf(after[i]), out var positions) && positions.Count > 0)
            {
                positions.RemoveAt(positions.Count - 1);
                continue;
            }

            isNew[i] = true;
        }

        return isNew;
    }

    private static (string, string) KeyOf(Diagnostic d) => (d.Id, ComparableMessage(d));

    /// <summary>
    /// The message without the declaration sites Roslyn adds when two symbols it names display alike
    /// (<c>'C.M(int) [src/C.cs(14)]'</c>, since Roslyn 5.x): an edit that only shifts those lines leaves the finding as it was.
    /// </summary>
    public static string ComparableMessage(Diagnostic d) => WithoutDeclarationSites(d.GetMessage(CultureInfo.InvariantCulture));

    /// <summary>A message without the declaration sites of <see cref="ComparableMessage"/>.</summary>
    public static string WithoutDeclarationSites(string message) => DeclarationSite().Replace(message, "");

    [GeneratedRegex(@" \[[^\[\]]+\(\d+\)\]", RegexOptions.CultureInvariant)]
    private static partial Regex DeclarationSite();
}
