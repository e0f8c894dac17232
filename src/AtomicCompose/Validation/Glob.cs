using System.Text;
using System.Text.RegularExpressions;

namespace AtomicCompose.Validation;

/// <summary>The subset of MSBuild item globs that project files use: <c>**</c>, <c>*</c> and <c>?</c>, relative to the project folder.</summary>
internal static class Glob
{
    public static Regex ToRegex(string pattern)
    {
        var p = Normalize(pattern);
        var sb = new StringBuilder("^");
        for (var i = 0; i < p.Length; i++)
        {
            var c = p[i];
            if (c == '*' && i + 1 < p.Length && p[i + 1] == '*')
            {
                // "**/" matches zero or more whole folders; a trailing "**" matches everything below.
                var slash = i + 2 < p.Length && p[i + 2] == '/';
                sb.Append(slash ? "(?:[^/]*/)*" : ".*");
                i += slash ? 2 : 1;
            }
            else if (c == '*')
            {
                sb.Append("[^/]*");
            }
            else if (c == '?')
            {
                sb.Append("[^/]");
            }
            else
            {
                sb.Append(Regex.Escape(c.ToString()));
            }
        }

        return new Regex(sb.Append('$').ToString(), RegexOptions.CultureInvariant);
    }

    /// <summary>Files matching <paramref name="pattern"/>, as paths relative to <paramref name="baseDir"/>. Hidden folders are skipped, as the SDK's default excludes do.</summary>
    public static IEnumerable<string> Expand(string baseDir, string pattern)
    {
        var p = Normalize(pattern);
        var firstWildcard = p.IndexOfAny(['*', '?']);
        if (firstWildcard < 0)
        {
            if (File.Exists(Path.Combine(baseDir, p)))
            {
                yield return p;
            }

            yield break;
        }

        var fixedPart = p[..(p.LastIndexOf('/', firstWildcard) + 1)];
        var start = Path.GetFullPath(Path.Combine(baseDir, fixedPart.Length == 0 ? "." : fixedPart));
        if (!Directory.Exists(start))
        {
            yield break;
        }

        var regex = ToRegex(p);
        var pending = new Stack<string>();
        pending.Push(start);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            foreach (var sub in Directory.EnumerateDirectories(dir).Order(StringComparer.Ordinal))
            {
                if (!Path.GetFileName(sub).StartsWith('.'))
                {
                    pending.Push(sub);
                }
            }

            foreach (var file in Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(baseDir, file).Replace('\\', '/');
                if (regex.IsMatch(relative))
                {
                    yield return relative;
                }
            }
        }
    }

    private static string Normalize(string pattern)
    {
        var p = pattern.Replace('\\', '/');
        return p.StartsWith("./", StringComparison.Ordinal) ? p[2..] : p;
    }
}
