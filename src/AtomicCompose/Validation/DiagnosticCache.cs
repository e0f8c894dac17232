using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace AtomicCompose.Validation;

/// <summary>
/// Per-tree compiler diagnostics of one compilation. Binding a file is the expensive part of validation,
/// and the baseline does not change between validations, so its answers are kept until it does.
/// </summary>
internal sealed class DiagnosticCache
{
    private readonly ConcurrentDictionary<SyntaxTree, ImmutableArray<Diagnostic>> _byTree = new();

    public ImmutableArray<Diagnostic> Get(Compilation compilation, SyntaxTree tree, CancellationToken cancellationToken)
    {
        if (_byTree.TryGetValue(tree, out var cached))
        {
            return cached;
        }

        var diagnostics = compilation.GetSemanticModel(tree).GetDiagnostics(cancellationToken: cancellationToken)
            .Where(d => d.Severity != DiagnosticSeverity.Hidden)
            .ToImmutableArray();
        return _byTree.GetOrAdd(tree, diagnostics);
    }

    /// <summary>
    /// Records what a run over the whole of <paramref name="tree"/> would find, known without the run (a body edit's
    /// member findings and the rest of the file's, moved); an answer already cached is kept.
    /// </summary>
    public void Add(SyntaxTree tree, ImmutableArray<Diagnostic> diagnostics) => _byTree.TryAdd(tree, diagnostics);

    /// <summary>Whether the diagnostics of <paramref name="tree"/> are cached.</summary>
    public bool Contains(SyntaxTree tree) => _byTree.ContainsKey(tree);

    /// <summary>Copies the entries of trees that <paramref name="keep"/> accepts into <paramref name="target"/>.</summary>
    public void CopyTo(DiagnosticCache target, Func<SyntaxTree, bool> keep)
    {
        foreach (var (tree, diagnostics) in _byTree)
        {
            if (keep(tree))
            {
                target._byTree.TryAdd(tree, diagnostics);
            }
        }
    }
}
