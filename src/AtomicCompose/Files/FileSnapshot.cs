namespace AtomicCompose.Files;

/// <summary>A file as read: bytes, decoded text and what must be kept when writing it back.</summary>
public sealed class FileSnapshot
{
    /// <summary>Creates a snapshot.</summary>
    /// <param name="fullPath">Absolute path.</param>
    /// <param name="exists">Whether the file exists.</param>
    /// <param name="bytes">The raw bytes (empty when absent).</param>
    /// <param name="text">The decoded text without BOM (empty when absent).</param>
    /// <param name="hasBom">Whether the file starts with a UTF-8 BOM.</param>
    /// <param name="newLine">The dominant line ending (<c>\n</c> or <c>\r\n</c>).</param>
    /// <param name="mode">Unix permissions, when known.</param>
    /// <param name="sha256">SHA-256 of <paramref name="bytes"/>, lowercase hex; <see langword="null"/> when absent.</param>
    public FileSnapshot(string fullPath, bool exists, byte[] bytes, string text, bool hasBom, string newLine, UnixFileMode? mode, string? sha256)
    {
        FullPath = fullPath;
        Exists = exists;
        Bytes = bytes;
        Text = text;
        HasBom = hasBom;
        NewLine = newLine;
        Mode = mode;
        Sha256 = sha256;
    }

    /// <summary>Absolute path.</summary>
    public string FullPath { get; }

    /// <summary>Whether the file exists.</summary>
    public bool Exists { get; }

    /// <summary>The raw bytes.</summary>
    public byte[] Bytes { get; }

    /// <summary>The decoded text, without BOM.</summary>
    public string Text { get; }

    /// <summary>Whether the file starts with a UTF-8 BOM.</summary>
    public bool HasBom { get; }

    /// <summary>The dominant line ending.</summary>
    public string NewLine { get; }

    /// <summary>Unix permissions, when known.</summary>
    public UnixFileMode? Mode { get; }

    /// <summary>SHA-256 of the bytes, lowercase hex; <see langword="null"/> when absent.</summary>
    public string? Sha256 { get; }

    /// <summary>
    /// Whether <see cref="FullPath"/> is a symbolic link (the bytes are its target's). Such a file cannot be
    /// replaced atomically without replacing the link itself, so <see cref="IFileCommitter.Replace"/> refuses it;
    /// check this at staging time to fail before anything is written.
    /// </summary>
    public bool IsSymbolicLink { get; init; }

    /// <summary>Encodes <paramref name="text"/> as this file is encoded (UTF-8, with a BOM if it had one).</summary>
    /// <param name="text">The new text.</param>
    /// <returns>The bytes to write.</returns>
    public byte[] Encode(string text)
    {
        var body = System.Text.Encoding.UTF8.GetBytes(text);
        if (!HasBom)
        {
            return body;
        }

        var result = new byte[body.Length + 3];
        result[0] = 0xEF;
        result[1] = 0xBB;
        result[2] = 0xBF;
        body.CopyTo(result, 3);
        return result;
    }
}
