// The example of docs/validation.md, compiled and run: if this file changes, change the doc too.
using AtomicCompose.Validation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AtomicCompose.Tests.Validation;

public sealed class NoDateTimeNowValidator : IValidator
{
    public string Name => "no-datetime-now";

    public IReadOnlyList<ValidationDiagnostic> Validate(ValidationContext context, CancellationToken cancellationToken)
    {
        var found = new List<ValidationDiagnostic>();
        if (context.AfterCompilation is null)
        {
            return found;
        }

        foreach (var doc in context.Documents)
        {
            if (doc.After is null)
            {
                continue; // deleted file
            }

            var model = context.AfterCompilation.GetSemanticModel(doc.After);
            foreach (var access in doc.After.GetRoot(cancellationToken).DescendantNodes().OfType<MemberAccessExpressionSyntax>())
            {
                if (access.Name.Identifier.ValueText != "Now"
                    || model.GetSymbolInfo(access, cancellationToken).Symbol is not IPropertySymbol property
                    || property.ContainingType.SpecialType != SpecialType.System_DateTime)
                {
                    continue;
                }

                var start = access.GetLocation().GetLineSpan().StartLinePosition;
                bool isNew = doc.ChangedSpans.Any(span => span.IntersectsWith(access.Span));
                found.Add(new ValidationDiagnostic(
                    "DT0001", DiagnosticSeverity.Error, "Use TimeProvider instead of DateTime.Now.",
                    doc.Path, start.Line + 1, start.Character + 1, Name, ValidationCategory.Custom, isNew));
            }
        }

        return found;
    }
}

public class NoDateTimeNowValidatorTests
{
    private const string Before = """
        namespace Lib;

        public static class Clock
        {
            public static System.DateTime Stamp() => System.DateTime.UtcNow;

            public static System.DateTime Legacy() => System.DateTime.Now;
        }
        """;

    [Fact]
    public void New_use_is_new_and_blocks_old_use_does_not()
    {
        string after = Before.Replace(
            "    public static System.DateTime Legacy()",
            "    public static System.DateTime Today() => System.DateTime.Now.Date;\n\n    public static System.DateTime Legacy()");
        var context = ValidationContext.FromSources(
            new Dictionary<string, string> { ["Clock.cs"] = Before },
            new Dictionary<string, string> { ["Clock.cs"] = after });

        var found = new NoDateTimeNowValidator().Validate(context, CancellationToken.None);

        Assert.Equal(2, found.Count);
        var fresh = Assert.Single(found, d => d.IsNew);
        Assert.Equal(("Clock.cs", 7), (fresh.Path, fresh.Line));
        var old = Assert.Single(found, d => !d.IsNew);
        Assert.Equal(9, old.Line);

        var policy = new ValidationPolicy();
        Assert.True(policy.Blocks(fresh));
        Assert.False(policy.Blocks(old));
    }
}
public class NoDateTimeNowValidatorEngineTests
{
    [Fact]
    public void A_registered_custom_validator_blocks_a_transaction()
    {
        using var ws = AtomicCompose.Tests.TestSupport.TempWorkspace.Create();
        AtomicCompose.Tests.TestSupport.SampleProjects.WriteDemo(ws);
        var options = new ComposeOptions();
        options.Validators.Add(new NoDateTimeNowValidator());
        using var engine = ComposeEngine.Open(ws.Root, options);
        using var tx = engine.Begin("uses DateTime.Now");
        tx.Replace("src/Greeter.cs", "Demo.Greeter.Greet(string)", "public string Greet(string name) => name + System.DateTime.Now;");

        var ex = Assert.Throws<ComposeValidationException>(() => tx.Complete());

        var blocking = Assert.Single(ex.Report.Blocking);
        Assert.Equal(("DT0001", "no-datetime-now", ValidationCategory.Custom), (blocking.Id, blocking.Validator, blocking.Category));
        Assert.Equal(AtomicCompose.Tests.TestSupport.SampleProjects.Greeter, ws.ReadText("src/Greeter.cs"));
    }
}
