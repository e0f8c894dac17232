using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace AtomicCompose.Composition;

/// <summary>
/// Resolves a target string to exactly one member. A full name path wins; otherwise the query may be a
/// suffix of name paths (<c>Greeter.Greet</c> for <c>Demo.Greeter.Greet(string)</c>). A segment without
/// type arguments or parameters matches every arity and overload, but a match of the arity the target spells
/// (non-generic <c>Policy</c> for <c>Policy</c>) wins over one through that shorthand (<c>Policy&lt;TResult&gt;</c>).
/// </summary>
internal static class NamePathResolver
{
    private const int MaxCandidates = 60;

    public static IReadOnlyList<MemberTarget> ListTargets(SyntaxTree tree, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var text = tree.GetText(cancellationToken);
        var entries = NamePathBuilder.Build(tree.GetRoot(cancellationToken), cancellationToken);
        return entries.Select(e => ToTarget(e, text)).ToList();
    }

    public static MemberTarget ToTarget(TargetEntry entry, SourceText text)
        => new(entry.Kind, entry.NamePath, MemberExtent.Lines(MemberExtent.Of(entry.Node, text), text), entry.Node);

    /// <summary>The one entry <paramref name="query"/> names; throws TargetNotFound or AmbiguousTarget otherwise.</summary>
    public static TargetEntry Resolve(IReadOnlyList<TargetEntry> entries, NamePathQuery query, SourceText text)
    {
        var exact = new List<TargetEntry>();
        var suffix = new List<TargetEntry>();
        int k = query.Segments.Count;
        foreach (var e in entries)
        {
            int n = e.Segments.Length;
            if (n < k)
            {
                continue;
            }

            bool ok = true;
            for (int i = 0; i < k && ok; i++)
            {
                ok = query.Segments[i].Matches(e.Segments[n - k + i]);
            }

            if (ok)
            {
                (n == k ? exact : suffix).Add(e);
            }
        }

        var matches = exact.Count > 0 ? exact : suffix;
        if (matches.Count > 1)
        {
            // 'Policy.W(string)' matches 'Policy<T>.W(string)' only through the arity-free shorthand; where it also
            // names a member exactly (non-generic 'Policy'), the exact one wins.
            var strict = matches.Where(m => MatchesStrictly(query, m)).ToList();
            if (strict.Count > 0)
            {
                matches = strict;
            }
        }

        if (matches.Count == 1)
        {
            return matches[0];
        }

        if (matches.Count > 1)
        {
            throw new ComposeException(
                ComposeErrorCode.AmbiguousTarget,
                ComposeStep.Compose,
                $"The target '{query.Text}' matches {matches.Count} members: {string.Join("; ", matches.Select(m => m.NamePath))}. Give the full name path with parameter types, e.g. '{Addressing(matches[0], entries, text)}'.",
                candidates: matches.Select(m => ToTarget(m, text).ToString()).ToList());
        }

        throw NotFound(entries, query.Text, query.Segments.Count > 0 ? query.Segments[^1].NameKey : null, text, null);
    }

    /// <summary>
    /// Whether every segment of <paramref name="query"/> has its counterpart's arity: type arguments where it is generic,
    /// none where it is not. Leaving out parameters stays the overload shorthand and is never preferred or penalised,
    /// so a bare 'Go' naming a property and a local function 'Go()' stays ambiguous.
    /// </summary>
    private static bool MatchesStrictly(NamePathQuery query, TargetEntry entry)
    {
        int k = query.Segments.Count, n = entry.Segments.Length;
        for (int i = 0; i < k; i++)
        {
            var q = query.Segments[i];
            var seg = entry.Segments[n - k + i];
            if ((q.TypeArguments is null) != (seg.TypeParameters is null))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A target that resolves to <paramref name="entry"/>: its name path, or its lines when another member has the same name path.</summary>
    private static string Addressing(TargetEntry entry, IReadOnlyList<TargetEntry> entries, SourceText text)
    {
        if (entries.Count(e => e.NamePath == entry.NamePath) == 1)
        {
            return entry.NamePath;
        }

        var lines = MemberExtent.Lines(MemberExtent.Of(entry.Node, text), text);
        return $"lines:{lines.Start}-{lines.End}";
    }

    public static ComposeException NotFound(IReadOnlyList<TargetEntry> entries, string target, string? lastNameKey, SourceText text, string? reason)
    {
        var similar = lastNameKey is null ? [] : entries.Where(e => IsSimilar(e.Segments[^1].NameKey, lastNameKey)).ToList();
        var listed = (similar.Count > 0 ? similar : entries).Take(MaxCandidates).Select(e => ToTarget(e, text).ToString()).ToList();
        string what = similar.Count > 0 ? "Similar members" : "Members in this file";
        string message = reason ?? $"The target '{target}' matches no member.";
        message += listed.Count == 0
            ? " The file has no addressable members; use a line range 'lines:N-M'."
            : $" {what}: {string.Join("; ", listed.Take(10))}{(listed.Count > 10 ? "; ..." : "")}. See Candidates for the full list.";
        return new ComposeException(ComposeErrorCode.TargetNotFound, ComposeStep.Compose, message, candidates: listed);
    }

    private static bool IsSimilar(string candidate, string wanted)
    {
        string a = Bare(candidate), b = Bare(wanted);
        if (a.Length == 0 || b.Length == 0)
        {
            return false;
        }

        // Containment only counts for names long enough not to be found everywhere.
        return (b.Length >= 3 && a.Contains(b, StringComparison.OrdinalIgnoreCase))
            || (a.Length >= 3 && b.Contains(a, StringComparison.OrdinalIgnoreCase))
            || Distance(a.ToLowerInvariant(), b.ToLowerInvariant()) <= Math.Max(1, Math.Min(a.Length, b.Length) / 4);
    }

    private static string Bare(string name)
    {
        int i = name.LastIndexOf(' ');
        return (i >= 0 ? name[(i + 1)..] : name).TrimStart('~');
    }

    private static int Distance(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            prev[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                cur[j] = Math.Min(Math.Min(cur[j - 1], prev[j]) + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (prev, cur) = (cur, prev);
        }

        return prev[b.Length];
    }
}
