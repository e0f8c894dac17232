using System.Text;
using DiffPlex;

namespace AtomicCompose.Preview;

/// <summary>Unified diffs (git style, 3 lines of context) over DiffPlex's line diff.</summary>
internal static class UnifiedDiff
{
    private const int Context = 3;

    public static string Create(string path, string? oldText, string? newText)
    {
        var oldLines = SplitLines(oldText);
        var newLines = SplitLines(newText);
        var diff = Differ.Instance.CreateLineDiffs(string.Join('\n', oldLines), string.Join('\n', newLines), ignoreWhitespace: false, ignoreCase: false);
        if (diff.DiffBlocks.Count == 0)
        {
            return "";
        }

        var sb = new StringBuilder();
        sb.Append("--- ").Append(oldText is null ? "/dev/null" : "a/" + path).Append('\n');
        sb.Append("+++ ").Append(newText is null ? "/dev/null" : "b/" + path).Append('\n');

        var blocks = diff.DiffBlocks;
        var i = 0;
        while (i < blocks.Count)
        {
            // Blocks closer than two contexts apart share one hunk, as in git.
            var j = i;
            while (j + 1 < blocks.Count
                   && blocks[j + 1].DeleteStartA - (blocks[j].DeleteStartA + blocks[j].DeleteCountA) <= 2 * Context)
            {
                j++;
            }

            var oldStart = Math.Max(0, blocks[i].DeleteStartA - Context);
            var oldEnd = Math.Min(oldLines.Count, blocks[j].DeleteStartA + blocks[j].DeleteCountA + Context);
            var newStart = Math.Max(0, blocks[i].InsertStartB - Context);
            var newEnd = Math.Min(newLines.Count, blocks[j].InsertStartB + blocks[j].InsertCountB + Context);

            sb.Append("@@ -").Append(Range(oldStart, oldEnd - oldStart)).Append(" +").Append(Range(newStart, newEnd - newStart)).Append(" @@\n");
            var a = oldStart;
            for (var k = i; k <= j; k++)
            {
                var block = blocks[k];
                for (; a < block.DeleteStartA; a++)
                {
                    sb.Append(' ').Append(oldLines[a]).Append('\n');
                }

                for (var d = 0; d < block.DeleteCountA; d++)
                {
                    sb.Append('-').Append(oldLines[block.DeleteStartA + d]).Append('\n');
                }

                for (var n = 0; n < block.InsertCountB; n++)
                {
                    sb.Append('+').Append(newLines[block.InsertStartB + n]).Append('\n');
                }

                a = block.DeleteStartA + block.DeleteCountA;
            }

            for (; a < oldEnd; a++)
            {
                sb.Append(' ').Append(oldLines[a]).Append('\n');
            }

            i = j + 1;
        }

        return sb.ToString();
    }

    private static string Range(int start, int count) => count == 0 ? $"{start},0" : count == 1 ? $"{start + 1}" : $"{start + 1},{count}";

    private static List<string> SplitLines(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        // Every line break counts (CRLF, LF and a lone CR), as in DiffPlex, so both sides agree on line numbers.
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n').ToList();
        if (lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines;
    }
}
