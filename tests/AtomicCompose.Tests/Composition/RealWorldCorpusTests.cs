using System.Diagnostics;
using AtomicCompose.Composition;
using AtomicCompose.Tests.TestSupport;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using static AtomicCompose.Tests.Composition.ComposeTestHelpers;
using static AtomicCompose.Tests.Composition.RoundTripTests;

namespace AtomicCompose.Tests.Composition;

/// <summary>
/// The properties of issue 17 over the real-world profile of <see cref="CorpusGenerator"/> (fixed seeds): every member's
/// own text, dedented as a person copying it would, given back to <c>Replace</c> with its listed name path is
/// byte-identical; every listed name path resolves to exactly its member; and on a sample, through the engine,
/// <c>Preview()</c> of such a replace shows no diff.
/// </summary>
[Collection(nameof(CorpusRoundTripTests))]
public class RealWorldCorpusTests
{
    private const int Files = 240;

    private const int MinMembers = 20_000;

    private static IEnumerable<int> Seeds => Enumerable.Range(1, Files);

    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public RealWorldCorpusTests(Xunit.Abstractions.ITestOutputHelper output) => _output = output;

    /// <summary>
    /// A member's own text as a person would copy it: its listed lines, with the indentation of its declaration's line
    /// removed from every line that has it, except lines inside a multi-line string (that would change the string).
    /// Column-0 directives keep column 0. A member sharing its line with another is its node's text.
    /// </summary>
    internal static string DedentedOwnText(MemberTarget target, SyntaxTree tree)
    {
        var text = tree.GetText();
        var root = tree.GetRoot();
        var node = target.Node;
        var declLine = text.Lines.GetLineFromPosition(node.SpanStart);
        string indent = text.ToString(TextSpan.FromBounds(declLine.Start, node.SpanStart));
        if (node is VariableDeclaratorSyntax || indent.Trim().Length > 0)
        {
            return node.ToString();
        }

        var lines = new List<string>();
        for (int i = target.Lines.Start - 1; i < target.Lines.End; i++)
        {
            var line = text.Lines[i];
            string s = line.ToString();
            var token = root.FindToken(line.Start);
            bool insideString = token.SpanStart < line.Start && line.Start < token.Span.End;
            lines.Add(!insideString && s.StartsWith(indent, StringComparison.Ordinal) ? s[indent.Length..] : s);
        }

        return string.Join("\n", lines);
    }

    /// <summary>The target a caller gives for a listed member: its name path, or its lines where another member has the same path (partial parts).</summary>
    private static string TargetOf(IReadOnlyList<MemberTarget> targets, MemberTarget target)
        => Unique(targets, target) ? target.NamePath : $"lines:{target.Lines.Start}-{target.Lines.End}";

    [Fact]
    public void The_real_world_corpus_parses_and_has_every_shape()
    {
        var features = new HashSet<string>();
        int members = 0;
        foreach (int seed in Seeds)
        {
            var (source, bom) = CorpusGenerator.GenerateRealWorld(seed);
            Assert.Equal(source, CorpusGenerator.GenerateRealWorld(seed).Text); // deterministic
            var tree = Tree(source);
            var errors = tree.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            Assert.True(errors.Count == 0, $"{CorpusGenerator.DescribeRealWorld(seed)}: {string.Join("; ", errors)}\n{source}");
            var netErrors = CSharpSyntaxTree.ParseText(source, CSharpParseOptions.Default.WithPreprocessorSymbols("NET", "DEBUG")).GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            Assert.True(netErrors.Count == 0, $"{CorpusGenerator.DescribeRealWorld(seed)} with NET, DEBUG: {string.Join("; ", netErrors)}");
            var targets = Composer.ListTargets(tree);
            members += targets.Count;
            string[] lines = source.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
            features.Add(source.Contains("\r\n", StringComparison.Ordinal) ? "crlf" : "lf");
            features.Add(bom ? "bom" : "no-bom");
            features.Add(lines.Any(l => l.StartsWith('\t')) ? "tabs" : lines.Any(l => l.StartsWith("  {", StringComparison.Ordinal) || l.StartsWith("  public", StringComparison.Ordinal)) ? "2-space" : "4-space");
            features.Add(lines.Any(l => l.TrimEnd().EndsWith(") {", StringComparison.Ordinal)) ? "k&r" : "allman");
            foreach (string d in (string[])["#if", "#region", "#pragma"])
            {
                if (lines.Any(l => l.StartsWith(d, StringComparison.Ordinal))) features.Add(d + "-column0");
                if (lines.Any(l => l.Length > 0 && char.IsWhiteSpace(l[0]) && l.TrimStart().StartsWith(d, StringComparison.Ordinal))) features.Add(d + "-indented");
            }

            foreach (var t in targets)
            {
                var node = t.Node;
                bool hasDirectiveInside = node is not TypeDeclarationSyntax && node.DescendantTrivia().Any(x => x.IsDirective && x.SpanStart > node.SpanStart);
                if (hasDirectiveInside) features.Add("directive-inside-member");
                if (node.GetLeadingTrivia().Any(x => x.IsDirective)) features.Add("directive-between-members");
                if (node.GetLeadingTrivia().ToFullString().Contains("///", StringComparison.Ordinal))
                {
                    features.Add(System.Text.RegularExpressions.Regex.IsMatch(node.GetLeadingTrivia().ToFullString(), @"</\w+>\s*\r?\n[ \t]*\r?\n") ? "doc-blank-line" : "doc-adjacent");
                }

                if (node is MemberDeclarationSyntax { AttributeLists.Count: > 0 } m)
                {
                    features.Add(text(tree, m.AttributeLists[^1].Span.End, m.AttributeLists[^1].Span.End + 2).Contains('\n', StringComparison.Ordinal) ? "attribute-own-line" : "attribute-inline");
                }

                if (node is MethodDeclarationSyntax { ExpressionBody: not null } or PropertyDeclarationSyntax { ExpressionBody: not null }
                    && node.GetLastToken().TrailingTrivia.Any(x => x.IsKind(SyntaxKind.SingleLineCommentTrivia) || x.IsKind(SyntaxKind.MultiLineCommentTrivia)))
                {
                    features.Add("expression-body-trailing-comment");
                }

                if (node is MethodDeclarationSyntax { ExplicitInterfaceSpecifier: not null }) features.Add("explicit-interface");
                if (node is TypeDeclarationSyntax && node.Parent is TypeDeclarationSyntax) features.Add("nested-type");
                if (node is TypeDeclarationSyntax td && td.Modifiers.Any(x => x.IsKind(SyntaxKind.PartialKeyword))) features.Add("partial-type");
                if (node.DescendantTokens().Any(x => x.IsKind(SyntaxKind.StringLiteralToken) && x.Text.StartsWith('@') && x.Text.Contains('\n', StringComparison.Ordinal))) features.Add("verbatim-multiline");
                if (node.DescendantTokens().Any(x => x.IsKind(SyntaxKind.MultiLineRawStringLiteralToken))) features.Add("raw-multiline");
                if (node is MethodDeclarationSyntax && t.Lines.Start < tree.GetText().Lines.GetLineFromPosition(node.SpanStart).LineNumber + 1
                    && tree.GetText().Lines[t.Lines.Start - 1].ToString().StartsWith("#if", StringComparison.Ordinal)) features.Add("if-signatures");
            }

            var typeNames = targets.Where(t => t.Node is TypeDeclarationSyntax).Select(t => ((TypeDeclarationSyntax)t.Node).Identifier.Text + "|" + (((TypeDeclarationSyntax)t.Node).TypeParameterList is null ? "" : "<>")).ToList();
            if (typeNames.Any(n => n.EndsWith("|", StringComparison.Ordinal) && typeNames.Contains(n + "<>"))) features.Add("generic-and-non-generic");
        }

        string[] wanted = ["crlf", "lf", "bom", "no-bom", "tabs", "2-space", "4-space", "k&r", "allman", "#if-column0", "#if-indented", "#region-column0", "#region-indented", "#pragma-column0",
            "directive-inside-member", "directive-between-members", "doc-blank-line", "doc-adjacent", "attribute-own-line", "attribute-inline", "expression-body-trailing-comment",
            "explicit-interface", "nested-type", "partial-type", "verbatim-multiline", "raw-multiline", "if-signatures", "generic-and-non-generic"];
        Assert.Empty(wanted.Except(features));
        Assert.True(members >= MinMembers, $"only {members} members");

        static string text(SyntaxTree tree, int start, int end) => tree.GetText().ToString(TextSpan.FromBounds(start, Math.Min(end, tree.GetText().Length)));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Replacing_every_member_with_its_own_dedented_text_is_byte_identical()
    {
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        int checkedCount = 0;
        var clock = Stopwatch.StartNew();

        // The composer is pure and each file independent: both cores, so the run stays well inside CI's budget.
        Parallel.ForEach(Seeds, new ParallelOptions { MaxDegreeOfParallelism = 2 }, seed =>
        {
            string source = CorpusGenerator.GenerateRealWorld(seed).Text;
            var tree = Tree(source);
            var targets = Composer.ListTargets(tree);
            foreach (var target in targets)
            {
                string where = TargetOf(targets, target);
                try
                {
                    var result = Composer.Compose(tree, [Replace(where, DedentedOwnText(target, tree))]);
                    string after = result.Tree.GetText().ToString();
                    if (source != after)
                    {
                        failures.Enqueue($"{CorpusGenerator.DescribeRealWorld(seed)}: replacing {target} changed the file:\n{CorpusRoundTripTests.FirstDifference(source, after)}");
                    }
                }
                catch (ComposeException ex)
                {
                    failures.Enqueue($"{CorpusGenerator.DescribeRealWorld(seed)}: replacing {target} threw {ex.Code}: {ex.Message}");
                }

                Interlocked.Increment(ref checkedCount);
            }
        });

        _output.WriteLine($"{checkedCount} members in {Files} files, {checkedCount - failures.Count} byte-identical, {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(failures.Count == 0, $"{failures.Count} of {checkedCount} replacements failed:\n" + string.Join("\n---\n", failures.Take(15)));
        Assert.True(checkedCount >= MinMembers, $"only {checkedCount} members checked");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Every_listed_name_path_resolves_to_exactly_its_member()
    {
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        int resolved = 0;
        Parallel.ForEach(Seeds, new ParallelOptions { MaxDegreeOfParallelism = 2 }, seed =>
        {
            var tree = Tree(CorpusGenerator.GenerateRealWorld(seed).Text);
            var root = tree.GetRoot();
            var text = tree.GetText();
            var entries = NamePathBuilder.Build(root);
            var targets = Composer.ListTargets(tree);
            foreach (var target in targets.Where(t => Unique(targets, t)))
            {
                try
                {
                    var query = NamePathQuery.TryParse(target.NamePath, out string? error) ?? throw new InvalidOperationException(error);
                    var entry = NamePathResolver.Resolve(entries, query, text);
                    if (entry.Node != target.Node)
                    {
                        failures.Enqueue($"{CorpusGenerator.DescribeRealWorld(seed)}: '{target.NamePath}' resolved to {entry.Kind} at {entry.Node.GetLocation().GetLineSpan().StartLinePosition}");
                    }

                    Interlocked.Increment(ref resolved);
                }
                catch (ComposeException ex)
                {
                    failures.Enqueue($"{CorpusGenerator.DescribeRealWorld(seed)}: '{target.NamePath}' threw {ex.Code}: {ex.Message}");
                }
            }

            // Paths two members share (partial parts) are reported ambiguous, with a suggestion that resolves.
            foreach (var group in targets.Where(t => !Unique(targets, t)).GroupBy(t => t.NamePath))
            {
                var ex = Assert.Throws<ComposeException>(() => NamePathResolver.Resolve(entries, NamePathQuery.TryParse(group.Key, out _)!, text));
                string suggestion = System.Text.RegularExpressions.Regex.Match(ex.Message, @"e\.g\. '([^']+)'").Groups[1].Value;
                if (ex.Code != ComposeErrorCode.AmbiguousTarget || suggestion != TargetOf(targets, group.First()))
                {
                    failures.Enqueue($"{CorpusGenerator.DescribeRealWorld(seed)}: '{group.Key}' is ambiguous but suggests '{suggestion}'");
                }
            }
        });

        Assert.True(failures.Count == 0, $"{failures.Count} of {resolved} paths failed:\n" + string.Join("\n", failures.Take(20)));
        Assert.True(resolved >= MinMembers * 9 / 10, $"only {resolved} paths resolved");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Preview_of_a_no_op_replace_shows_no_diff_through_the_engine()
    {
        using var ws = TempWorkspace.Create();
        int[] seeds = Seeds.Where(s => s % 40 == 1 || s % 40 == 2 || s % 40 == 3).ToArray();
        var files = new List<(string Path, string Source, int Seed)>();
        foreach (int seed in seeds)
        {
            var (source, bom) = CorpusGenerator.GenerateRealWorld(seed);
            string path = $"src/Real{seed}.cs";
            ws.Write(path, source, bom);
            files.Add((path, source, seed));
        }

        Assert.Contains(seeds, s => CorpusGenerator.GenerateRealWorld(s).Bom);
        Assert.Contains(seeds, s => !CorpusGenerator.GenerateRealWorld(s).Bom);
        ws.CommitAll();
        var before = ws.Snapshot();
        using var engine = ComposeEngine.Open(ws.Root, new ComposeOptions { DisableBuiltInValidators = true });
        int previewed = 0;
        var rng = new Random(17);
        foreach (var (path, source, seed) in files)
        {
            var tree = Tree(source);
            var targets = Composer.ListTargets(tree);
            foreach (var target in targets.Where(_ => rng.Next(6) == 0))
            {
                using var tx = engine.Begin("no-op " + target.NamePath);
                tx.Replace(path, TargetOf(targets, target), DedentedOwnText(target, tree));
                var preview = tx.Preview();
                Assert.True(preview.Files.All(f => f.UnifiedDiff.Length == 0), $"{CorpusGenerator.DescribeRealWorld(seed)}: {target}:\n{string.Join("\n", preview.Files.Select(f => f.UnifiedDiff))}");
                previewed++;
            }
        }

        Assert.True(previewed >= 100, $"only {previewed} previews");
        var after = ws.Snapshot();
        Assert.Equal(before.Keys, after.Keys);
        Assert.All(before, kv => Assert.Equal(kv.Value, after[kv.Key]));
    }
}
