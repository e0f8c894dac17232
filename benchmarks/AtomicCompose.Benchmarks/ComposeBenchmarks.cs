using AtomicCompose.Composition;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AtomicCompose.Benchmarks;

/// <summary>Composing one member replacement in a 5,000-line file (pure, in memory).</summary>
[MemoryDiagnoser]
public class ComposeBenchmarks
{
    private readonly RoslynTreeComposer _composer = new();
    private SyntaxTree _tree = null!;
    private EditOperation[] _operation = null!;

    [GlobalSetup]
    public void Setup()
    {
        // 160 generated classes of ~31 lines each in one file: about 5,000 lines.
        var text = string.Concat(Enumerable.Range(0, 160).Select(i => GeneratedProject.ClassText(i, 160).Replace("namespace Generated.Area", "namespace Generated.Area" + i + "x", StringComparison.Ordinal).Replace(";\n\nusing", "\n{\nusing", StringComparison.Ordinal) + "}\n"));
        _tree = CSharpSyntaxTree.ParseText(text);
        _operation = [new EditOperation(EditKind.Replace, "Generated.Area80x0.Service0080.Compute3(int)", "public int Compute3(int value)\n{\n    return value * 5;\n}")];
        if (_tree.GetText().Lines.Count < 5000)
        {
            throw new InvalidOperationException($"the file has only {_tree.GetText().Lines.Count} lines");
        }
    }

    [Benchmark]
    public SyntaxTree ReplaceOneMember() => _composer.Compose(_tree, _operation).Tree;
}
