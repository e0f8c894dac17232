using AtomicCompose.Validation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AtomicCompose.Tests.Validation;

/// <summary>A caller's rule: no console output in library code. Calls outside the edit are old news.</summary>
internal sealed class NoConsoleValidator : IValidator
{
    public string Name => "no-console";

    public IReadOnlyList<ValidationDiagnostic> Validate(ValidationContext context, CancellationToken cancellationToken)
    {
        var result = new List<ValidationDiagnostic>();
        foreach (var doc in context.Documents)
        {
            if (doc.After is null)
            {
                continue;
            }

            var model = context.AfterCompilation?.GetSemanticModel(doc.After);
            foreach (var call in doc.After.GetRoot(cancellationToken).DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                var symbol = model?.GetSymbolInfo(call, cancellationToken).Symbol as IMethodSymbol;
                if (symbol?.ContainingType.ToDisplayString() != "System.Console")
                {
                    continue;
                }

                var line = call.GetLocation().GetLineSpan().StartLinePosition;
                var isNew = doc.ChangedSpans.Any(s => s.IntersectsWith(call.Span));
                result.Add(new ValidationDiagnostic("NC0001", DiagnosticSeverity.Error, $"Console.{symbol.Name} in library code", doc.Path,
                    line.Line + 1, line.Character + 1, Name, ValidationCategory.Custom, isNew));
            }
        }

        return result;
    }
}

public sealed class CustomValidatorTests
{
    private const string Before = """
        namespace Lib;

        public static class Util
        {
            public static int Twice(int x) => x * 2;

            public static void Old() => System.Console.WriteLine("legacy");
        }
        """;

    [Fact]
    public void A_custom_validator_can_be_unit_tested_from_strings()
    {
        var after = Before.Replace("=> x * 2;", "{ System.Console.WriteLine(x); return x * 2; }");
        var context = ValidationContext.FromSources(
            new Dictionary<string, string> { ["Util.cs"] = Before, ["Other.cs"] = "namespace Lib; static class Other { }" },
            new Dictionary<string, string> { ["Util.cs"] = after, ["Other.cs"] = "namespace Lib; static class Other { }" });

        var found = new NoConsoleValidator().Validate(context, CancellationToken.None);

        Assert.Equal(2, found.Count);
        var fresh = Assert.Single(found, d => d.IsNew);
        Assert.Equal(5, fresh.Line);
        Assert.Equal("Util.cs", fresh.Path);
        Assert.False(Assert.Single(found, d => d.Line == 7).IsNew);
        Assert.True(new ValidationPolicy().Blocks(fresh));
    }

    [Fact]
    public void FromSources_builds_documents_spans_and_compilations()
    {
        var after = Before.Replace("x * 2", "x + x");
        var context = ValidationContext.FromSources(
            new Dictionary<string, string> { ["Util.cs"] = Before, ["Same.cs"] = "class Same { }", ["Gone.cs"] = "class Gone { }" },
            new Dictionary<string, string> { ["Util.cs"] = after, ["Same.cs"] = "class Same { }", ["New.cs"] = "class New { }" });

        Assert.Equal(["Gone.cs", "New.cs", "Util.cs"], context.Documents.Select(d => d.Path));
        var util = context.Documents.Single(d => d.Path == "Util.cs");
        var span = Assert.Single(util.ChangedSpans);
        Assert.Equal("+ x", util.After!.GetText().ToString(span)); // common prefix "x " is not part of the change
        Assert.Null(context.Documents.Single(d => d.Path == "Gone.cs").After);
        Assert.Null(context.Documents.Single(d => d.Path == "New.cs").Before);

        Assert.NotNull(context.BeforeCompilation);
        Assert.NotNull(context.AfterCompilation);
        Assert.Equal(3, context.AfterCompilation!.SyntaxTrees.Count());
        Assert.Same(context.BeforeCompilation!.SyntaxTrees.Single(t => t.FilePath == "Same.cs"), context.AfterCompilation.SyntaxTrees.Single(t => t.FilePath == "Same.cs"));
        Assert.Empty(context.AfterCompilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.Equal(DocumentationMode.Diagnose, ((CSharpParseOptions)util.After.Options).DocumentationMode);
    }

    [Fact]
    public void Built_in_validators_work_on_a_context_from_strings()
    {
        var before = "namespace Lib;\n/// <summary>U.</summary>\npublic static class U\n{\n    /// <summary>A.</summary>\n    /// <returns>1.</returns>\n    public static int A() => 1;\n}\n";
        var caller = "namespace Lib;\ninternal static class Caller { internal static int Call() => U.A(); }\n";
        var context = ValidationContext.FromSources(
            new Dictionary<string, string> { ["U.cs"] = before, ["Caller.cs"] = caller },
            new Dictionary<string, string> { ["U.cs"] = before.Replace("A()", "B()").Replace("=> 1", "=> 2") + "public class Undocumented { }\n", ["Caller.cs"] = caller });

        var compile = new CompilationValidator().Validate(context, CancellationToken.None);
        var docs = new DocumentationValidator().Validate(context, CancellationToken.None);

        var broken = Assert.Single(compile, d => d.IsNew && d.Severity == DiagnosticSeverity.Error);
        Assert.Equal("CS0117", broken.Id);
        Assert.Equal("Caller.cs", broken.Path);
        Assert.Contains(docs, d => d is { Id: "CS1591", IsNew: true, Path: "U.cs", Line: 9 });
        Assert.Empty(new SyntaxValidator().Validate(context, CancellationToken.None));
    }
}
