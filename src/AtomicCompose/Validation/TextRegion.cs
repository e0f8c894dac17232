using Microsoft.CodeAnalysis.Text;

namespace AtomicCompose.Validation;

/// <summary>
/// The one region where two texts differ, found from their common prefix and suffix. Positions outside
/// it map between the texts by a fixed offset, which is all the diagnostic matcher needs to recognise a
/// diagnostic that only moved.
/// </summary>
internal readonly record struct TextRegion(int Start, int OldEnd, int NewEnd)
{
    public int Delta => NewEnd - OldEnd;

    /// <summary>The changed span in the new text.</summary>
    public TextSpan NewSpan => TextSpan.FromBounds(Start, NewEnd);

    /// <summary>Null when the texts are equal.</summary>
    public static TextRegion? Between(SourceText before, SourceText after)
    {
        var oldLength = before.Length;
        var newLength = after.Length;
        var max = Math.Min(oldLength, newLength);

        // Chunked comparison: indexing a SourceText char by char is a virtual call per char.
        const int Chunk = 4096;
        var a = new char[Chunk];
        var b = new char[Chunk];

        var prefix = 0;
        while (prefix < max)
        {
            var n = Math.Min(Chunk, max - prefix);
            before.CopyTo(prefix, a, 0, n);
            after.CopyTo(prefix, b, 0, n);
            var i = a.AsSpan(0, n).CommonPrefixLength(b.AsSpan(0, n));
            prefix += i;
            if (i < n)
            {
                break;
            }
        }

        if (prefix == oldLength && prefix == newLength)
        {
            return null;
        }

        var suffix = 0;
        var maxSuffix = max - prefix;
        while (suffix < maxSuffix)
        {
            var n = Math.Min(Chunk, maxSuffix - suffix);
            before.CopyTo(oldLength - suffix - n, a, 0, n);
            after.CopyTo(newLength - suffix - n, b, 0, n);
            var i = 0;
            while (i < n && a[n - 1 - i] == b[n - 1 - i])
            {
                i++;
            }

            suffix += i;
            if (i < n)
            {
                break;
            }
        }

        return new TextRegion(prefix, oldLength - suffix, newLength - suffix);
    }

    /// <summary>Where an old position is in the new text, or null when the edit rewrote it.</summary>
    public int? Map(int oldPosition)
    {
        if (oldPosition < Start)
        {
            return oldPosition;
        }

        return oldPosition >= OldEnd ? oldPosition + Delta : null;
    }
}
