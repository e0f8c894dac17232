using Microsoft.CodeAnalysis;

namespace AtomicCompose.Indexing;

/// <summary>Builds index records from file contents.</summary>
internal static class IndexRecordBuilder
{
    /// <summary>The file record for <paramref name="bytes"/> at root-relative <paramref name="path"/>.</summary>
    /// <param name="path">Root-relative, '/'-separated path.</param>
    /// <param name="bytes">The exact bytes on disk (or to be written), BOM included.</param>
    /// <param name="text">The decoded text, without the BOM.</param>
    /// <param name="hasBom">Whether <paramref name="bytes"/> start with a UTF-8 BOM.</param>
    /// <param name="transactionId">The transaction writing the file, if any.</param>
    public static FileRecord BuildFile(string path, byte[] bytes, string text, bool hasBom, string? transactionId)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(text);

        var (lines, newLine) = CountLines(text);
        return new FileRecord
        {
            Path = path,
            ContentHash = Hashing.Sha256Hex(bytes),
            Size = bytes.LongLength,
            Lines = lines,
            Encoding = "utf-8",
            HasBom = hasBom,
            NewLine = newLine,
            LastTransaction = transactionId,
        };
    }

    /// <summary>The entity records (types and members) of <paramref name="tree"/>.</summary>
    /// <param name="path">Root-relative, '/'-separated path of the file.</param>
    /// <param name="tree">The parsed file.</param>
    /// <param name="transactionId">The transaction writing the file, if any.</param>
    public static IReadOnlyList<EntityRecord> BuildEntities(string path, SyntaxTree tree, string? transactionId)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(tree);
        return EntityWalker.Walk(path, tree, transactionId);
    }

    /// <summary>
    /// Counts lines (a final line break does not start another line; empty text has 0 lines) and
    /// classifies line breaks: <c>lf</c>, <c>crlf</c>, or <c>mixed</c> (also for any lone CR);
    /// <c>lf</c> when there are none.
    /// </summary>
    internal static (int Lines, string NewLine) CountLines(string text)
    {
        int lf = 0, crlf = 0, cr = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n')
            {
                lf++;
            }
            else if (c == '\r')
            {
                if (i + 1 < text.Length && text[i + 1] == '\n')
                {
                    crlf++;
                    i++;
                }
                else
                {
                    cr++;
                }
            }
        }

        var breaks = lf + crlf + cr;
        var endsWithBreak = text.Length > 0 && (text[^1] == '\n' || text[^1] == '\r');
        var lines = text.Length == 0 ? 0 : breaks + (endsWithBreak ? 0 : 1);

        var kinds = (lf > 0 ? 1 : 0) + (crlf > 0 ? 1 : 0) + (cr > 0 ? 1 : 0);
        var newLine = kinds > 1 || cr > 0 ? "mixed" : crlf > 0 ? "crlf" : "lf";
        return (lines, newLine);
    }
}
