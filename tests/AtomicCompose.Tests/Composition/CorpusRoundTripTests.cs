using AtomicCompose.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static AtomicCompose.Tests.Composition.ComposeTestHelpers;
using static AtomicCompose.Tests.Composition.RoundTripTests;

namespace AtomicCompose.Tests.Composition;

/// <summary>
/// The round-trip properties over a generated corpus of realistic files (<see cref="CorpusGenerator"/>, fixed seeds):
/// replacing every member with its own text is byte-identical, and deleting a member then inserting it back beside
/// a sibling restores the file.
/// </summary>
[Collection(nameof(CorpusRoundTripTests))]
public class CorpusRoundTripTests
{
    private const int Files = 200;

    private static IEnumerable<int> Seeds => Enumerable.Range(1, Files);

    [Fact]
    public void The_corpus_parses_and_covers_every_construct()
    {
        var kinds = new HashSet<string>();
        var features = new HashSet<string>();
        foreach (int seed in Seeds)
        {
            string source = CorpusGenerator.Generate(seed);
            Assert.Equal(source, CorpusGenerator.Generate(seed)); // deterministic
            var tree = Tree(source);
            var errors = tree.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            Assert.True(errors.Count == 0, $"{CorpusGenerator.Describe(seed)}: {string.Join("; ", errors)}\n{source}");
            var targets = Composer.ListTargets(tree);
            Assert.True(targets.Count >= 20, $"{CorpusGenerator.Describe(seed)}: only {targets.Count} targets");
            kinds.UnionWith(targets.Select(t => t.Kind));
            if (targets.Any(t => t.Node is VariableDeclaratorSyntax)) features.Add("multi-declarator");
            if (targets.Any(t => t.Node is RecordDeclarationSyntax { ParameterList: not null })) features.Add("positional-record");
            if (targets.Any(t => t.Node is TypeDeclarationSyntax { TypeParameterList: not null })) features.Add("generic-type");
            if (targets.Any(t => t.Node is TypeDeclarationSyntax && t.Node.Parent is TypeDeclarationSyntax)) features.Add("nested-type");
            if (targets.Any(t => t.Node is TypeDeclarationSyntax td && td.Modifiers.Any(m => m.Text == "partial"))) features.Add("partial");
            if (targets.Any(t => t.NamePath.Contains("ref int, out string, params object[]", StringComparison.Ordinal))) features.Add("ref-out-params");
            if (targets.Any(t => t.NamePath.Contains("in long, int[], int[,]", StringComparison.Ordinal))) features.Add("in-arrays");
            if (targets.Any(t => t.NamePath.Contains("(int a, string b), Dictionary<string, List<int>>, string?", StringComparison.Ordinal))) features.Add("tuple-generic-nullable");
            if (targets.Any(t => t.NamePath.EndsWith("Process<T>(T)", StringComparison.Ordinal))) features.Add("generic-method");
            features.Add(source.Contains("\r\n", StringComparison.Ordinal) ? "crlf" : "lf");
            features.Add(source.Contains("\n\t", StringComparison.Ordinal) ? "tabs" : "spaces");
            features.Add(source.EndsWith('\n') ? "final-newline" : "no-final-newline");
            features.Add(tree.GetRoot().DescendantNodes().OfType<FileScopedNamespaceDeclarationSyntax>().Any() ? "file-scoped" : "block-namespace");
            if (source.Contains("#region", StringComparison.Ordinal)) features.Add("region");
            if (source.Contains("#if DEBUG", StringComparison.Ordinal)) features.Add("if");
            if (source.Contains("init;", StringComparison.Ordinal)) features.Add("modern");
            if (source.Contains("new Dictionary<string, int>()", StringComparison.Ordinal)) features.Add("old");
            Assert.False(source.StartsWith('\uFEFF'));
        }

        string[] wantedKinds = ["namespace", "class", "struct", "record", "record-struct", "interface", "enum", "enum-member", "delegate", "method", "constructor", "static-constructor", "destructor", "property", "indexer", "operator", "conversion", "event", "field", "local-function"];
        Assert.Empty(wantedKinds.Except(kinds));
        string[] wantedFeatures = ["multi-declarator", "positional-record", "generic-type", "nested-type", "partial", "ref-out-params", "in-arrays", "tuple-generic-nullable", "generic-method", "crlf", "lf", "tabs", "spaces", "final-newline", "no-final-newline", "file-scoped", "block-namespace", "region", "if", "modern", "old"];
        Assert.Empty(wantedFeatures.Except(features));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Replacing_every_member_of_every_corpus_file_with_its_own_text_is_byte_identical()
    {
        var failures = new List<string>();
        int checkedCount = 0;
        foreach (int seed in Seeds)
        {
            string source = CorpusGenerator.Generate(seed);
            var tree = Tree(source);
            var targets = Composer.ListTargets(tree);
            foreach (var target in targets.Where(t => Unique(targets, t)))
            {
                try
                {
                    var result = Composer.Compose(tree, [Replace(target.NamePath, OwnText(target, tree))]);
                    string after = result.Tree.GetText().ToString();
                    if (source != after)
                    {
                        failures.Add($"{CorpusGenerator.Describe(seed)}: replacing {target} changed the file:\n{FirstDifference(source, after)}");
                    }
                    else if (result.Operations[0].OldLines != result.Operations[0].NewLines)
                    {
                        failures.Add($"{CorpusGenerator.Describe(seed)}: replacing {target} reported {result.Operations[0].OldLines} -> {result.Operations[0].NewLines}");
                    }
                }
                catch (ComposeException ex)
                {
                    failures.Add($"{CorpusGenerator.Describe(seed)}: replacing {target} threw {ex.Code}: {ex.Message}");
                }

                checkedCount++;
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {checkedCount} replacements failed:\n" + string.Join("\n---\n", failures.Take(15)));
        Assert.True(checkedCount >= Files * 20, $"only {checkedCount} members checked");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Deleting_then_reinserting_every_member_of_every_corpus_file_restores_it()
    {
        var failures = new List<string>();
        int restored = 0;
        foreach (int seed in Seeds)
        {
            string source = CorpusGenerator.Generate(seed);
            var tree = Tree(source);
            var text = tree.GetText();
            var targets = Composer.ListTargets(tree);
            var byNode = targets.GroupBy(t => t.Node).ToDictionary(g => g.Key, g => g.First());
            foreach (var target in targets)
            {
                if (target.Node is VariableDeclaratorSyntax || target.Node is BaseNamespaceDeclarationSyntax || !Unique(targets, target))
                {
                    continue;
                }

                var node = target.Node;

                // A plain comment above a member is a section header the member does not own (operations.md §3):
                // it stays on deletion, so reinserting beside a sibling cannot put the member back under it.
                if (HasUnownedComment(node, target, text))
                {
                    continue;
                }

                var siblings = Siblings(node);
                int idx = siblings.IndexOf(node);
                var prev = idx > 0 ? siblings[idx - 1] : null;
                var next = idx >= 0 && idx + 1 < siblings.Count ? siblings[idx + 1] : null;
                string code = OwnText(target, tree);
                CompositionResult deleted;
                try
                {
                    deleted = Composer.Compose(tree, [Delete(target.NamePath)]);
                }
                catch (ComposeException ex)
                {
                    failures.Add($"{CorpusGenerator.Describe(seed)}: deleting {target} threw {ex.Code}: {ex.Message}");
                    continue;
                }

                var errors = deleted.Tree.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
                if (errors.Count > 0)
                {
                    failures.Add($"{CorpusGenerator.Describe(seed)}: deleting {target} broke the syntax: {errors[0]}");
                    continue;
                }

                void Check(string how, EditOperation op)
                {
                    try
                    {
                        string back = Composer.Compose(deleted.Tree, [op]).Tree.GetText().ToString();
                        if (source != back && !OnlySpacingLeftToGuess(source, back, node, siblings))
                        {
                            failures.Add($"{CorpusGenerator.Describe(seed)}: delete {target} + {how}:\n{FirstDifference(source, back)}");
                        }

                        restored++;
                    }
                    catch (ComposeException ex)
                    {
                        failures.Add($"{CorpusGenerator.Describe(seed)}: delete {target} + {how} threw {ex.Code}: {ex.Message}");
                    }
                }

                // Beside a sibling is only unambiguous when nothing but blank lines (no directive) separates them.
                if (next is not null && byNode.TryGetValue(next, out var nextTarget) && Unique(targets, nextTarget) && OnlyBlankBetween(text, node, next))
                {
                    Check($"InsertBefore {nextTarget.NamePath}", Before(nextTarget.NamePath, code));
                }

                if (prev is not null && byNode.TryGetValue(prev, out var prevTarget) && Unique(targets, prevTarget) && OnlyBlankBetween(text, prev, node))
                {
                    Check($"InsertAfter {prevTarget.NamePath}", After(prevTarget.NamePath, code));
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} failures ({restored} restorations):\n" + string.Join("\n---\n", failures.Take(15)));
        Assert.True(restored >= Files * 10, $"only {restored} restorations checked");
    }

    private static bool HasUnownedComment(SyntaxNode node, MemberTarget target, Microsoft.CodeAnalysis.Text.SourceText text)
        => node.GetLeadingTrivia().Any(t => (t.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.SingleLineCommentTrivia) || t.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.MultiLineCommentTrivia))
            && text.Lines.GetLineFromPosition(t.SpanStart).LineNumber < target.Lines.Start - 1);

    /// <summary>
    /// The one documented ambiguity: a one-line member of a kind that, once it is deleted, has a single
    /// one-line sibling of that kind left. The file then says nothing about whether such members sit tight
    /// or spaced, and the composer's default (tight) may differ from the original; only blank lines may differ.
    /// </summary>
    private static bool OnlySpacingLeftToGuess(string source, string back, SyntaxNode node, List<SyntaxNode> siblings)
    {
        static bool OneLine(SyntaxNode n) => n is PropertyDeclarationSyntax or BaseFieldDeclarationSyntax && !n.ToString().Contains('\n', StringComparison.Ordinal);
        static string NoBlankLines(string s) => string.Join("\n", s.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Where(l => l.Trim().Length > 0));
        return OneLine(node)
            && siblings.Count(n => n != node && n.RawKind == node.RawKind && OneLine(n)) <= 1
            && NoBlankLines(source) == NoBlankLines(back);
    }

    /// <summary>The first differing line with a little context, newlines made visible.</summary>
    internal static string FirstDifference(string expected, string actual)
    {
        int i = 0;
        while (i < expected.Length && i < actual.Length && expected[i] == actual[i])
        {
            i++;
        }

        int from = Math.Max(0, i - 120);
        static string Show(string s) => s.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n\n", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal);
        return $"expected: ...{Show(expected.Substring(from, Math.Min(expected.Length - from, 240)))}\nactual:   ...{Show(actual.Substring(from, Math.Min(actual.Length - from, 240)))}";
    }
}

/// <summary>The corpus runs alone, so its CPU load does not skew the timing tests of other classes.</summary>
[CollectionDefinition(nameof(CorpusRoundTripTests), DisableParallelization = true)]
public sealed class CorpusCollection
{
}
