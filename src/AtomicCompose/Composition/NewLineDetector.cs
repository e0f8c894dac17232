namespace AtomicCompose.Composition;

/// <summary>Finds the line break a file uses, so inserted text matches it.</summary>
internal static class NewLineDetector
{
    /// <summary>The dominant line break of <paramref name="text"/>: <c>"\r\n"</c>, <c>"\n"</c> or <c>"\r"</c>; <c>"\n"</c> when there is none.</summary>
    public static string Detect(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Detect(text.AsSpan());
    }

    /// <summary>The dominant line break of <paramref name="text"/>; <c>"\n"</c> when there is none.</summary>
    public static string Detect(ReadOnlySpan<char> text)
    {
        int crlf = 0, lf = 0, cr = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\r')
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
            else if (c == '\n')
            {
                lf++;
            }
        }

        // Ties go to LF: it is the default and what most tooling emits.
        if (crlf > lf && crlf >= cr)
        {
            return "\r\n";
        }

        return cr > lf && cr > crlf ? "\r" : "\n";
    }
}
