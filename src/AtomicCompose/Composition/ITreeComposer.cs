using Microsoft.CodeAnalysis;

namespace AtomicCompose.Composition;

/// <summary>
/// Applies edit operations to a syntax tree. Pure: no I/O, no state between calls.
/// Each operation is applied to the tree the operations before it produced.
/// </summary>
public interface ITreeComposer
{
    /// <summary>Applies <paramref name="operations"/> in order to <paramref name="tree"/>.</summary>
    /// <param name="tree">The file as it is now.</param>
    /// <param name="operations">The operations, applied in order.</param>
    /// <param name="options">Composition options; defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the composition.</param>
    /// <returns>The new tree and, per operation, the lines it changed.</returns>
    /// <exception cref="ComposeException">A target matches nothing or several nodes (<see cref="ComposeException.Candidates"/> lists them), or code does not parse.</exception>
    CompositionResult Compose(SyntaxTree tree, IReadOnlyList<EditOperation> operations, CompositionOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Lists every addressable member in the tree with its name path.</summary>
    /// <param name="tree">The tree to list.</param>
    /// <returns>The members, in source order.</returns>
    IReadOnlyList<MemberTarget> ListTargets(SyntaxTree tree);
}

/// <summary>Options for composition.</summary>
public sealed class CompositionOptions
{
    /// <summary>When replacement code has no XML doc comment, keep the member's existing one. Default <see langword="true"/>.</summary>
    public bool KeepExistingDocComment { get; set; } = true;

    /// <summary>
    /// When a replaced member ends in a comment on its last line (<c>=&gt; default; // why</c>) and the replacement
    /// code's last line has none, keep the member's comment after the new code. Default <see langword="true"/>.
    /// </summary>
    public bool KeepExistingTrailingComment { get; set; } = true;
}

/// <summary>The result of composing one file.</summary>
/// <param name="Tree">The new tree.</param>
/// <param name="Operations">Per operation, in order: the lines it changed before and after.</param>
public sealed record CompositionResult(SyntaxTree Tree, IReadOnlyList<OperationOutcome> Operations);

/// <summary>What one operation changed.</summary>
/// <param name="Operation">The operation.</param>
/// <param name="OldLines">The lines it replaced in the tree it was applied to (empty for a pure insertion).</param>
/// <param name="NewLines">The lines it produced in its result tree (empty for a deletion).</param>
public sealed record OperationOutcome(EditOperation Operation, LineRange OldLines, LineRange NewLines);

/// <summary>An addressable member: its kind, name path and lines.</summary>
/// <param name="Kind">A short kind name: namespace, class, struct, record, record-struct, interface, enum, enum-member, delegate, method, constructor, static-constructor, destructor, property, indexer, operator, conversion, event, field, local-function (and extension for a C# 14 extension block).</param>
/// <param name="NamePath">The full name path, e.g. <c>Demo.Greeter.Greet(string)</c>.</param>
/// <param name="Lines">The lines the member spans, including its attributes and doc comment.</param>
/// <param name="Node">The syntax node.</param>
public sealed record MemberTarget(string Kind, string NamePath, LineRange Lines, SyntaxNode Node)
{
    /// <inheritdoc />
    public override string ToString() => $"{NamePath} ({Kind}, lines {Lines})";
}
