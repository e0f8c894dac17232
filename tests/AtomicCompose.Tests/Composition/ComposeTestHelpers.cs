using AtomicCompose.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AtomicCompose.Tests.Composition;

internal static class ComposeTestHelpers
{
    public static readonly RoslynTreeComposer Composer = new();

    public static SyntaxTree Tree(string source) => CSharpSyntaxTree.ParseText(source);

    public static CompositionResult Run(string source, params EditOperation[] ops) => Composer.Compose(Tree(source), ops);

    public static string Apply(string source, params EditOperation[] ops) => Run(source, ops).Tree.GetText().ToString();

    public static ComposeException Fails(string source, params EditOperation[] ops)
        => Assert.Throws<ComposeException>(() => Run(source, ops));

    public static EditOperation Replace(string target, string code) => new(EditKind.Replace, target, code);

    public static EditOperation Body(string target, string code) => new(EditKind.ReplaceBody, target, code);

    public static EditOperation Before(string target, string code) => new(EditKind.InsertBefore, target, code);

    public static EditOperation After(string target, string code) => new(EditKind.InsertAfter, target, code);

    public static EditOperation First(string target, string code) => new(EditKind.InsertFirst, target, code);

    public static EditOperation Last(string target, string code) => new(EditKind.InsertLast, target, code);

    public static EditOperation Delete(string target) => new(EditKind.Delete, target, null);

    public static EditOperation Using(string code) => new(EditKind.AddUsing, "", code);

    /// <summary>Asserts the new tree parses without errors, so an edit never leaves broken syntax behind.</summary>
    public static string ApplyClean(string source, params EditOperation[] ops)
    {
        var result = Run(source, ops);
        var errors = result.Tree.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors) + "\n" + result.Tree.GetText());
        Assert.Equal(result.Tree.GetText().ToString(), CSharpSyntaxTree.ParseText(result.Tree.GetText().ToString()).GetText().ToString());
        return result.Tree.GetText().ToString();
    }
}
