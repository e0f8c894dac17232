using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace AtomicCompose.Indexing;

/// <summary>Compares an index with the files on disk.</summary>
internal static class IndexVerifier
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Checks, for every indexed file, that it exists under <paramref name="root"/>, that its bytes
    /// hash to the indexed hash and that its entities (name path + text hash) equal what
    /// <see cref="IndexRecordBuilder.BuildEntities"/> produces now; and that every path in
    /// <paramref name="relativePathsOnDisk"/> is indexed.
    /// </summary>
    /// <param name="root">The workspace root.</param>
    /// <param name="store">The index.</param>
    /// <param name="relativePathsOnDisk">Root-relative paths of the files that should be indexed.</param>
    /// <param name="parseOptions">Parse options (preprocessor symbols, language version) matching those the index was built with; default options when <see langword="null"/>.</param>
    public static IndexVerification Verify(string root, IIndexStore store, IEnumerable<string> relativePathsOnDisk, CSharpParseOptions? parseOptions = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(relativePathsOnDisk);

        var problems = new List<string>();
        var indexed = store.GetFiles();
        var indexedPaths = new HashSet<string>(indexed.Select(f => f.Path), StringComparer.Ordinal);

        foreach (var file in indexed)
        {
            var full = Path.Combine(root, file.Path.Replace('/', Path.DirectorySeparatorChar));
            if (!File.Exists(full))
            {
                problems.Add($"{file.Path}: indexed but missing on disk");
                continue;
            }

            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(full);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                problems.Add($"{file.Path}: cannot be read ({ex.Message})");
                continue;
            }

            var hash = Hashing.Sha256Hex(bytes);
            if (!string.Equals(hash, file.ContentHash, StringComparison.Ordinal))
            {
                problems.Add($"{file.Path}: content changed (index {Short(file.ContentHash)}, disk {Short(hash)})");
                continue;
            }

            var hasBom = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]);
            string text;
            try
            {
                text = StrictUtf8.GetString(bytes, hasBom ? 3 : 0, bytes.Length - (hasBom ? 3 : 0));
            }
            catch (DecoderFallbackException)
            {
                problems.Add($"{file.Path}: not valid UTF-8");
                continue;
            }

            var tree = CSharpSyntaxTree.ParseText(text, parseOptions, path: file.Path);
            var expected = IndexRecordBuilder.BuildEntities(file.Path, tree, null).Select(Key).ToList();
            var actual = store.QueryEntities(new EntityQuery(Path: file.Path)).Select(Key).ToList();
            var missing = MultisetExcept(expected, actual);
            var stale = MultisetExcept(actual, expected);
            if (missing.Count > 0)
            {
                problems.Add($"{file.Path}: entities not in the index: {string.Join(", ", missing.Select(k => k.NamePath))}");
            }

            if (stale.Count > 0)
            {
                problems.Add($"{file.Path}: stale entities in the index: {string.Join(", ", stale.Select(k => k.NamePath))}");
            }
        }

        foreach (var path in relativePathsOnDisk.Select(p => p.Replace('\\', '/')).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if (!indexedPaths.Contains(path))
            {
                problems.Add($"{path}: on disk but not indexed");
            }
        }

        problems.Sort(StringComparer.Ordinal);
        return new IndexVerification(problems.Count == 0, problems);
    }

    private static (string NamePath, string TextHash) Key(EntityRecord e) => (e.NamePath, e.TextHash);

    private static List<(string NamePath, string TextHash)> MultisetExcept(List<(string NamePath, string TextHash)> left, List<(string NamePath, string TextHash)> right)
    {
        var counts = new Dictionary<(string, string), int>();
        foreach (var k in right)
        {
            counts[k] = counts.GetValueOrDefault(k) + 1;
        }

        var result = new List<(string NamePath, string TextHash)>();
        foreach (var k in left)
        {
            if (counts.TryGetValue(k, out var n) && n > 0)
            {
                counts[k] = n - 1;
            }
            else
            {
                result.Add(k);
            }
        }

        return result;
    }

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;
}
