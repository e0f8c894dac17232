using Microsoft.CodeAnalysis;

namespace AtomicCompose.Composition;

/// <summary>The default <see cref="ITreeComposer"/>: Roslyn, trivia-preserving. (Stub: being implemented.)</summary>
public sealed class RoslynTreeComposer : ITreeComposer
{
    /// <inheritdoc />
    public CompositionResult Compose(SyntaxTree tree, IReadOnlyList<EditOperation> operations, CompositionOptions? options = null, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();

    /// <inheritdoc />
    public IReadOnlyList<MemberTarget> ListTargets(SyntaxTree tree) => throw new NotImplementedException();
}
