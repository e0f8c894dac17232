namespace AtomicCompose.Indexing;

/// <summary>The index record of one file.</summary>
public sealed class FileRecord
{
    /// <summary>Root-relative path, '/'-separated; the key.</summary>
    public string Path { get; set; } = "";

    /// <summary>SHA-256 of the bytes on disk, lowercase hex.</summary>
    public string ContentHash { get; set; } = "";

    /// <summary>Size in bytes.</summary>
    public long Size { get; set; }

    /// <summary>Number of lines.</summary>
    public int Lines { get; set; }

    /// <summary>Encoding name (always <c>utf-8</c> today).</summary>
    public string Encoding { get; set; } = "utf-8";

    /// <summary>Whether the file has a UTF-8 BOM.</summary>
    public bool HasBom { get; set; }

    /// <summary><c>lf</c>, <c>crlf</c> or <c>mixed</c>.</summary>
    public string NewLine { get; set; } = "lf";

    /// <summary>The transaction that last wrote the file.</summary>
    public string? LastTransaction { get; set; }

    /// <summary>The git commit of that transaction, when known.</summary>
    public string? Commit { get; set; }
}

/// <summary>The index record of one entity (type or member) of a file.</summary>
public sealed class EntityRecord
{
    /// <summary>Unique id: path + '#' + name path.</summary>
    public string Id { get; set; } = "";

    /// <summary>Root-relative file path.</summary>
    public string Path { get; set; } = "";

    /// <summary>Kind (class, method, property, ...).</summary>
    public string Kind { get; set; } = "";

    /// <summary>The name path, e.g. <c>Demo.Greeter.Greet(string)</c>.</summary>
    public string NamePath { get; set; } = "";

    /// <summary>The declaration's signature text, without body, normalized to one line.</summary>
    public string Signature { get; set; } = "";

    /// <summary>Declared or default accessibility (public, internal, ...).</summary>
    public string Accessibility { get; set; } = "";

    /// <summary>First line (1-based), including attributes and doc comment.</summary>
    public int StartLine { get; set; }

    /// <summary>Last line (1-based).</summary>
    public int EndLine { get; set; }

    /// <summary>Whether it has an XML doc comment.</summary>
    public bool HasDocs { get; set; }

    /// <summary>SHA-256 of its exact text.</summary>
    public string TextHash { get; set; } = "";

    /// <summary>Hash of its structure ignoring trivia (whitespace and comments): equal for formatting-only changes.</summary>
    public string StructuralHash { get; set; } = "";

    /// <summary>The transaction that wrote it.</summary>
    public string? LastTransaction { get; set; }
}
