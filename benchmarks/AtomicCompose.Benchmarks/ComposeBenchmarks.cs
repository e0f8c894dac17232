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

    /// <summary>Generated classes of ~122 lines each: 42 make a 5,000-line file (the target), 160 a 19,500-line one.</summary>
    [Params(42, 160)]
    public int Classes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var text = string.Concat(Enumerable.Range(0, Classes).Select(i => GeneratedProject.ClassText(i, Classes).Replace("namespace Generated.Area", "namespace Generated.Area" + i + "x", StringComparison.Ordinal).Replace(";\n\nusing", "\n{\nusing", StringComparison.Ordinal) + "}\n"));
        _tree = CSharpSyntaxTree.ParseText(text);
        int middle = Classes / 2;
        _operation = [new EditOperation(EditKind.Replace, $"Generated.Area{middle}x{middle % 10}.Service{middle:D4}.Compute3(int)", "public int Compute3(int value)\n{\n    return value * 5;\n}")];
        int lines = _tree.GetText().Lines.Count;
        if (lines < 5000)
        {
            throw new InvalidOperationException($"the file has only {lines} lines");
        }

        // The target must resolve: a benchmark of an error path would measure the wrong thing.
        _composer.Compose(_tree, _operation);
    }

    [Benchmark]
    public SyntaxTree ReplaceOneMember() => _composer.Compose(_tree, _operation).Tree;
}
