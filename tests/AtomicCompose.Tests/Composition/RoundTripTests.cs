using AtomicCompose.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static AtomicCompose.Tests.Composition.ComposeTestHelpers;

namespace AtomicCompose.Tests.Composition;

/// <summary>Properties over realistic files: a no-op edit is byte-identical, and delete + reinsert restores the file.</summary>
public class RoundTripTests
{
    /// <summary>A member's own text as a caller would copy it: its whole lines, or the declarator alone.</summary>
    internal static string OwnText(MemberTarget target, SyntaxTree tree)
    {
        var text = tree.GetText();
        var firstLine = text.Lines.GetLineFromPosition(target.Node.SpanStart);
        bool startsLine = text.ToString(Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(firstLine.Start, target.Node.SpanStart)).Trim().Length == 0;
        if (target.Node is VariableDeclaratorSyntax || !startsLine)
        {
            return target.Node.ToString();
        }

        return string.Join("\n", Enumerable.Range(target.Lines.Start - 1, target.Lines.Count).Select(i => text.Lines[i].ToString()));
    }

    internal static bool Unique(IReadOnlyList<MemberTarget> targets, MemberTarget target)
        => targets.Count(t => t.NamePath == target.NamePath) == 1;

    [Theory]
    [MemberData(nameof(SampleFiles.All), MemberType = typeof(SampleFiles))]
    public void Sample_files_parse_cleanly(string name)
    {
        var tree = Tree(SampleFiles.Get(name));
        Assert.DoesNotContain(tree.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
        Assert.True(Composer.ListTargets(tree).Count > 8);
    }

    [Theory]
    [MemberData(nameof(SampleFiles.All), MemberType = typeof(SampleFiles))]
    public void Replacing_every_member_with_its_own_text_is_byte_identical(string name)
    {
        string source = SampleFiles.Get(name);
        var tree = Tree(source);
        var targets = Composer.ListTargets(tree);
        int checkedCount = 0;
        foreach (var target in targets.Where(t => Unique(targets, t)))
        {
            var result = Composer.Compose(tree, [Replace(target.NamePath, OwnText(target, tree))]);
            string after = result.Tree.GetText().ToString();
            Assert.True(source == after, $"Replacing {target} changed the file:\n{after}");
            Assert.Equal(result.Operations[0].OldLines, result.Operations[0].NewLines);
            checkedCount++;
        }

        Assert.True(checkedCount >= 7, $"only {checkedCount} members checked");
    }

    [Theory]
    [MemberData(nameof(SampleFiles.All), MemberType = typeof(SampleFiles))]
    public void Delete_then_reinsert_beside_a_sibling_restores_the_file(string name)
    {
        string source = SampleFiles.Get(name);
        var tree = Tree(source);
        var text = tree.GetText();
        var targets = Composer.ListTargets(tree);
        var byNode = targets.GroupBy(t => t.Node).ToDictionary(g => g.Key, g => g.First());
        int restored = 0;
        foreach (var target in targets)
        {
            bool innermost = !targets.Any(t => t != target && t.Node != target.Node && target.Node.Span.Contains(t.Node.Span));
            if (!innermost || target.Node is VariableDeclaratorSyntax || !Unique(targets, target))
            {
                continue;
            }

            var node = target.Node;
            var siblings = Siblings(node);
            int idx = siblings.IndexOf(node);
            var prev = idx > 0 ? siblings[idx - 1] : null;
            var next = idx + 1 < siblings.Count ? siblings[idx + 1] : null;
            string code = OwnText(target, tree);
            var deleted = Composer.Compose(tree, [Delete(target.NamePath)]);
            Assert.DoesNotContain(deleted.Tree.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
            Assert.DoesNotContain(Composer.ListTargets(deleted.Tree), t => t.NamePath == target.NamePath);

            // Beside a sibling is only unambiguous when nothing but blank lines (no directive) separates them.
            if (next is not null && byNode.TryGetValue(next, out var nextTarget) && Unique(targets, nextTarget) && OnlyBlankBetween(text, node, next))
            {
                string back = Composer.Compose(deleted.Tree, [Before(nextTarget.NamePath, code)]).Tree.GetText().ToString();
                Assert.True(source == back, $"Delete {target} + InsertBefore {nextTarget.NamePath}:\n{back}");
                restored++;
            }

            if (prev is not null && byNode.TryGetValue(prev, out var prevTarget) && Unique(targets, prevTarget) && OnlyBlankBetween(text, prev, node))
            {
                string back = Composer.Compose(deleted.Tree, [After(prevTarget.NamePath, code)]).Tree.GetText().ToString();
                Assert.True(source == back, $"Delete {target} + InsertAfter {prevTarget.NamePath}:\n{back}");
                restored++;
            }
        }

        Assert.True(restored >= 6, $"only {restored} restorations checked");
    }

    internal static bool OnlyBlankBetween(Microsoft.CodeAnalysis.Text.SourceText text, SyntaxNode a, SyntaxNode b)
    {
        string between = text.ToString(Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(a.Span.End, b.SpanStart));
        return !between.Contains('#', StringComparison.Ordinal) && !between.Contains("//", StringComparison.Ordinal) || between.Contains("///", StringComparison.Ordinal) && !between.Contains('#', StringComparison.Ordinal);
    }

    internal static List<SyntaxNode> Siblings(SyntaxNode node) => node.Parent switch
    {
        TypeDeclarationSyntax t => t.Members.Cast<SyntaxNode>().ToList(),
        EnumDeclarationSyntax e => e.Members.Cast<SyntaxNode>().ToList(),
        BaseNamespaceDeclarationSyntax n => n.Members.Cast<SyntaxNode>().ToList(),
        CompilationUnitSyntax c => c.Members.Cast<SyntaxNode>().ToList(),
        BlockSyntax b => b.Statements.Cast<SyntaxNode>().ToList(),
        _ => [node],
    };
}
