using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace AtomicCompose.Validation;

/// <summary>
/// Which of some groups of words (attribute names, API names) a syntax tree's text names, as bits, remembered per tree (a
/// tree never changes). The targeting packs' generators and analyzers that only act on code naming them wait for one.
/// An alias names its target too, since the declaration spells it.
/// </summary>
internal sealed class NamedWords
{
    private readonly IReadOnlyList<IReadOnlyList<string>> _groups;
    private readonly ConditionalWeakTable<SyntaxTree, StrongBox<int>> _byTree = new();

    public NamedWords(IReadOnlyList<IReadOnlyList<string>> groups)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(groups.Count, 31, nameof(groups));
        _groups = groups;
    }

    /// <summary>Bit <c>i</c> is set when <paramref name="tree"/> names a word of group <c>i</c>.</summary>
    public int In(SyntaxTree tree, CancellationToken cancellationToken) =>
        _byTree.GetValue(tree, t =>
        {
            var text = t.GetText(cancellationToken).ToString();
            var bits = 0;
            for (var i = 0; i < _groups.Count; i++)
            {
                if (_groups[i].Any(word => text.Contains(word, StringComparison.Ordinal)))
                {
                    bits |= 1 << i;
                }
            }

            return new StrongBox<int>(bits);
        }).Value;

    /// <summary>The groups any of <paramref name="trees"/> names, as bits.</summary>
    public int In(IEnumerable<SyntaxTree> trees, CancellationToken cancellationToken) =>
        trees.Aggregate(0, (all, tree) => all | In(tree, cancellationToken));
}
