namespace AtomicCompose.Composition;

/// <summary>The kind of a structural edit.</summary>
public enum EditKind
{
    /// <summary>Replace the whole target member (attributes and doc comment belong to it).</summary>
    Replace,
    /// <summary>Replace only the body of the target, keeping its signature.</summary>
    ReplaceBody,
    /// <summary>Insert the code as a sibling before the target.</summary>
    InsertBefore,
    /// <summary>Insert the code as a sibling after the target.</summary>
    InsertAfter,
    /// <summary>Insert the code as the first member of the target type or namespace.</summary>
    InsertFirst,
    /// <summary>Insert the code as the last member of the target type or namespace.</summary>
    InsertLast,
    /// <summary>Delete the target.</summary>
    Delete,
    /// <summary>Add a <c>using</c> directive (the code is the namespace, or a full directive); no duplicates.</summary>
    AddUsing,
}

/// <summary>One staged edit of one file.</summary>
/// <param name="Kind">What to do.</param>
/// <param name="Target">A name path such as <c>Demo.Greeter.Greet(string)</c>, or a line range <c>lines:10-20</c>; empty for <see cref="EditKind.AddUsing"/>.</param>
/// <param name="Code">The new code; <see langword="null"/> for <see cref="EditKind.Delete"/>.</param>
public sealed record EditOperation(EditKind Kind, string Target, string? Code);

/// <summary>A 1-based, inclusive range of lines. An empty range (nothing on that side) has <see cref="Count"/> 0 and <see cref="End"/> = <see cref="Start"/> - 1.</summary>
/// <param name="Start">First line, 1-based.</param>
/// <param name="End">Last line, inclusive.</param>
public readonly record struct LineRange(int Start, int End)
{
    /// <summary>How many lines the range covers.</summary>
    public int Count => Math.Max(0, End - Start + 1);

    /// <inheritdoc />
    public override string ToString() => Count == 0 ? $"(empty at {Start})" : $"{Start}-{End}";
}
