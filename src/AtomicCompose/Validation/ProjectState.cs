using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace AtomicCompose.Validation;

/// <summary>
/// The warm baseline of one project: its compilation as committed, the tree of every file by path, and the
/// diagnostics already computed for it. Edits are validated against it by replacing only the edited trees.
/// </summary>
internal sealed class ProjectState
{
    private readonly Dictionary<string, SyntaxTree> _trees;
    private readonly List<ReferencedProject> _references;
    private Pending? _pending;

    private ProjectState(ProjectContext context, CSharpCompilation baseline, Dictionary<string, SyntaxTree> trees, List<ReferencedProject> references)
    {
        Context = context;
        Baseline = baseline;
        _trees = trees;
        _references = references;
    }

    /// <summary>A ProjectReference, compiled from source: the reference is swapped when that project's baseline moves on.</summary>
    private sealed class ReferencedProject(ProjectState state, MetadataReference reference, Compilation compilation)
    {
        public ProjectState State { get; } = state;

        public MetadataReference Reference { get; set; } = reference;

        public Compilation Compilation { get; set; } = compilation;
    }

    public ProjectContext Context { get; }

    public CSharpCompilation Baseline { get; private set; }

    public DiagnosticCache BaselineDiagnostics { get; private set; } = new();

    /// <summary>The compilation a validation built, remembered so that <see cref="Accept"/> can adopt it as is.</summary>
    private sealed record Pending(CSharpCompilation Compilation, Dictionary<string, SyntaxTree?> AfterTrees, DiagnosticCache Diagnostics, bool DeclarationChange);

    /// <summary>Parses every source of the project; <paramref name="resolveReference"/> gives the state of a referenced project, or null when it cannot be used (missing, or a cycle).</summary>
    public static ProjectState Load(string root, ProjectContext context, Func<string, ProjectState?> resolveReference, CancellationToken cancellationToken)
    {
        var trees = new Dictionary<string, SyntaxTree>(StringComparer.Ordinal);
        foreach (var path in context.SourcePaths)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var full = Path.Combine(root, path.Replace('/', Path.DirectorySeparatorChar));
            if (!File.Exists(full))
            {
                continue;
            }

            trees[path] = Parse(ReadSource(full), context, path);
        }

        var all = trees.Values.ToList();
        if (context.GlobalUsings is { } usings)
        {
            all.Add(Parse(SourceText.From(usings, Encoding.UTF8), context, context.GlobalUsingsPath));
        }

        var references = new List<ReferencedProject>();
        foreach (var path in context.ProjectReferences)
        {
            if (resolveReference(path) is { } referenced)
            {
                references.Add(new ReferencedProject(referenced, referenced.Baseline.ToMetadataReference(), referenced.Baseline));
            }
        }

        var compilation = CSharpCompilation.Create(context.AssemblyName, all, [.. FrameworkReferences.All, .. references.Select(r => r.Reference)], context.CompilationOptions);
        return new ProjectState(context, compilation, trees, references);
    }

    public static SyntaxTree Parse(SourceText text, ProjectContext context, string path) =>
        CSharpSyntaxTree.ParseText(text, context.ParseOptions, path);

    // SourceText.From(Stream) detects the BOM and the encoding, like the compiler reading the file.
    private static SourceText ReadSource(string fullPath)
    {
        using var stream = File.OpenRead(fullPath);
        return SourceText.From(stream, Encoding.UTF8, SourceHashAlgorithm.Sha256, throwIfBinaryDetected: false);
    }

    /// <summary>
    /// Builds the before and after compilations for <paramref name="documents"/> (paths already normalised).
    /// A document's own before-tree wins over the warm one when their texts differ: the file changed on disk
    /// since the baseline was taken, and the edit was composed against what is there now.
    /// </summary>
    public ValidationContext Prepare(IReadOnlyList<ValidationDocument> documents, CancellationToken cancellationToken)
    {
        var drifted = false;
        foreach (var r in _references)
        {
            if (!ReferenceEquals(r.Compilation, r.State.Baseline))
            {
                var reference = r.State.Baseline.ToMetadataReference();
                Baseline = Baseline.ReplaceReference(r.Reference, reference);
                (r.Reference, r.Compilation) = (reference, r.State.Baseline);
                drifted = true;
            }
        }

        foreach (var doc in documents)
        {
            var warm = _trees.GetValueOrDefault(doc.Path);
            if (doc.Before is null)
            {
                if (warm is not null)
                {
                    Baseline = Baseline.RemoveSyntaxTrees(warm);
                    _trees.Remove(doc.Path);
                    drifted = true;
                }

                continue;
            }

            var text = doc.Before.GetText(cancellationToken);
            if (warm is null)
            {
                // An edited file the project globs do not claim is still compiled with the project: it is
                // what the user is working on, and judging it alone would report every type it uses.
                var tree = Parse(text, Context, doc.Path);
                Baseline = Baseline.AddSyntaxTrees(tree);
                _trees[doc.Path] = tree;
                drifted = true;
            }
            else if (!warm.GetText(cancellationToken).ContentEquals(text))
            {
                var tree = Parse(text, Context, doc.Path);
                Baseline = Baseline.ReplaceSyntaxTree(warm, tree);
                _trees[doc.Path] = tree;
                drifted = true;
            }
        }

        if (drifted)
        {
            // Which other files' diagnostics the drift changed is unknown; start over rather than trust them.
            BaselineDiagnostics = new DiagnosticCache();
        }

        var after = Baseline;
        var normalized = new List<ValidationDocument>(documents.Count);
        var afterTrees = new Dictionary<string, SyntaxTree?>(StringComparer.Ordinal);
        foreach (var doc in documents)
        {
            var oldTree = _trees.GetValueOrDefault(doc.Path);

            // Re-parsed with the project's options: the composer's tree may have other preprocessor
            // symbols or language version, which changes what the compiler sees.
            var newTree = doc.After is null ? null : Parse(doc.After.GetText(cancellationToken), Context, doc.Path);
            after = (oldTree, newTree) switch
            {
                (not null, not null) => after.ReplaceSyntaxTree(oldTree, newTree),
                (null, not null) => after.AddSyntaxTrees(newTree),
                (not null, null) => after.RemoveSyntaxTrees(oldTree),
                _ => after,
            };
            afterTrees[doc.Path] = newTree;
            normalized.Add(new ValidationDocument(doc.Path, oldTree, newTree, doc.ChangedSpans));
        }

        var afterDiagnostics = new DiagnosticCache();
        _pending = new Pending(after, afterTrees, afterDiagnostics, normalized.Any(SemanticDiff.IsDeclarationChange));
        return new ValidationContext(normalized, Baseline, after)
        {
            BeforeDiagnostics = BaselineDiagnostics,
            AfterDiagnostics = afterDiagnostics,
        };
    }

    /// <summary>Makes the documents' after-state the baseline, adopting the last validated compilation when it is for exactly these texts.</summary>
    public void Accept(IReadOnlyList<ValidationDocument> documents)
    {
        var pending = _pending;
        _pending = null;
        if (pending is not null && Matches(pending, documents))
        {
            var oldCache = BaselineDiagnostics;
            foreach (var (path, tree) in pending.AfterTrees)
            {
                if (tree is null)
                {
                    _trees.Remove(path);
                }
                else
                {
                    _trees[path] = tree;
                }
            }

            Baseline = pending.Compilation;
            BaselineDiagnostics = pending.Diagnostics;

            // A body-only edit cannot change another file's diagnostics, so theirs carry over.
            if (!pending.DeclarationChange)
            {
                var edited = pending.AfterTrees.Keys.ToHashSet(StringComparer.Ordinal);
                oldCache.CopyTo(BaselineDiagnostics, t => !edited.Contains(t.FilePath) && Baseline.ContainsSyntaxTree(t));
            }

            return;
        }

        foreach (var doc in documents)
        {
            var oldTree = _trees.GetValueOrDefault(doc.Path);
            var newTree = doc.After is null ? null : Parse(doc.After.GetText(), Context, doc.Path);
            Baseline = (oldTree, newTree) switch
            {
                (not null, not null) => Baseline.ReplaceSyntaxTree(oldTree, newTree),
                (null, not null) => Baseline.AddSyntaxTrees(newTree),
                (not null, null) => Baseline.RemoveSyntaxTrees(oldTree),
                _ => Baseline,
            };
            if (newTree is null)
            {
                _trees.Remove(doc.Path);
            }
            else
            {
                _trees[doc.Path] = newTree;
            }
        }

        BaselineDiagnostics = new DiagnosticCache();
    }

    private static bool Matches(Pending pending, IReadOnlyList<ValidationDocument> documents)
    {
        if (pending.AfterTrees.Count != documents.Count)
        {
            return false;
        }

        foreach (var doc in documents)
        {
            if (!pending.AfterTrees.TryGetValue(doc.Path, out var tree))
            {
                return false;
            }

            if (tree is null || doc.After is null)
            {
                if (tree is not null || doc.After is not null)
                {
                    return false;
                }

                continue;
            }

            if (!tree.GetText().ContentEquals(doc.After.GetText()))
            {
                return false;
            }
        }

        return true;
    }
}
