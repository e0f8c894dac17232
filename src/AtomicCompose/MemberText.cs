using AtomicCompose.Composition;

namespace AtomicCompose;

/// <summary>A member as it is on disk now, read by <see cref="ComposeEngine.ReadMember"/>.</summary>
public sealed class MemberText
{
    /// <summary>Root-relative path of the file.</summary>
    public string Path { get; init; } = "";

    /// <summary>The member's full name path (what a plan's <c>target</c> may name exactly).</summary>
    public string NamePath { get; init; } = "";

    /// <summary>The member kind (method, property, class, ...).</summary>
    public string Kind { get; init; } = "";

    /// <summary>Its lines (1-based, inclusive), attributes and doc comment included: the span a <c>replace</c> replaces.</summary>
    public LineRange Lines { get; init; }

    /// <summary>Its exact text over <see cref="Lines"/>: attributes, doc comment and declaration.</summary>
    public string Text { get; init; } = "";

    /// <summary>Its XML doc comment as written (the <c>///</c> lines), or <see langword="null"/> when it has none.</summary>
    public string? DocComment { get; init; }
}
