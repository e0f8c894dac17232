using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace AtomicCompose.Composition;

/// <summary>
/// The default <see cref="ITreeComposer"/>: resolves name paths on the Roslyn tree, splices text so that
/// every byte outside an edit stays as it was, and reparses incrementally.
/// </summary>
/// <remarks>
/// Name paths: <c>Namespace.Type.Member</c>; generic types as <c>Repo&lt;T&gt;</c> or plain <c>Repo</c>;
/// overloads as <c>M(int, string)</c> with parameter types as written (<c>ref</c>/<c>out</c>/<c>in</c>/<c>params</c> kept);
/// constructors <c>Type.Type(int)</c> (also <c>Type.ctor(int)</c> or <c>Type..ctor(int)</c>);
/// static constructors <c>Type.static Type()</c> (also <c>Type.cctor</c>); finalizers <c>Type.~Type()</c>;
/// indexers <c>Type.this[int]</c>; operators <c>Type.operator +(A, A)</c>; conversions <c>Type.implicit operator int(Type)</c>;
/// one declarator of <c>int a, b;</c> as <c>Type.a</c>; local functions <c>Type.Method.Local</c>; line ranges <c>lines:10-20</c>.
/// A full name path wins; otherwise the target may be a trailing part of name paths (<c>Greeter.Greet</c>).
/// Where <c>Policy</c> and <c>Policy&lt;TResult&gt;</c> both match, the one whose arity the target spells wins.
/// A segment without parameters matches every overload. Adding a using that is already present changes nothing.
/// </remarks>
public sealed class RoslynTreeComposer : ITreeComposer
{
    /// <inheritdoc />
    public CompositionResult Compose(SyntaxTree tree, IReadOnlyList<EditOperation> operations, CompositionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(operations);
        options ??= new CompositionOptions();
        var text = tree.GetText(cancellationToken);
        string newLine = DetectNewLine(text);
        var initial = text;
        IndentStyle? style = null;
        IndentStyle Style() => style ??= IndentStyle.Detect(initial);

        var outcomes = new List<OperationOutcome>(operations.Count);
        for (int i = 0; i < operations.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var op = operations[i] ?? throw new ArgumentException($"Operation {i + 1} is null.", nameof(operations));
            EditPlan plan;
            try
            {
                plan = new EditPlanner(tree, text, options, newLine, Style).Plan(op);
            }
            catch (ComposeException ex) when (ex.Step == ComposeStep.Compose)
            {
                string hint = i > 0 && ex.Code == ComposeErrorCode.TargetNotFound
                    ? " It was resolved against the file as the earlier operations of this batch left it; one of them may have removed or renamed it."
                    : "";
                throw new ComposeException(ex.Code, ex.Step, $"Operation {i + 1} of {operations.Count} ({op.Kind} '{op.Target}'): {ex.Reason}{hint}", ex.Paths, ex.State, ex, ex.Candidates);
            }

            if (plan.Changes.Count == 0)
            {
                var empty = MemberExtent.Lines(text, plan.Anchor, plan.Anchor);
                outcomes.Add(new OperationOutcome(op, empty, empty));
                continue;
            }

            var changes = plan.Changes.OrderBy(c => c.Span.Start).ToList();
            int oldStart = changes[0].Span.Start;
            int oldEnd = changes.Max(c => c.Span.End);
            int delta = changes.Sum(c => (c.NewText?.Length ?? 0) - c.Span.Length);
            var newText = text.WithChanges(changes);
            tree = tree.WithChangedText(newText);
            outcomes.Add(new OperationOutcome(op, MemberExtent.Lines(text, oldStart, oldEnd), MemberExtent.Lines(newText, oldStart, oldEnd + delta)));
            text = newText;
        }

        return new CompositionResult(tree, outcomes);
    }

    /// <inheritdoc />
    public IReadOnlyList<MemberTarget> ListTargets(SyntaxTree tree) => NamePathResolver.ListTargets(tree);

    /// <summary>Counts line breaks through the line table, so a large file is not copied into a string.</summary>
    private static string DetectNewLine(SourceText text)
    {
        int crlf = 0, lf = 0, cr = 0;
        foreach (var line in text.Lines)
        {
            int width = line.EndIncludingLineBreak - line.End;
            if (width == 2)
            {
                crlf++;
            }
            else if (width == 1)
            {
                if (text[line.End] == '\n')
                {
                    lf++;
                }
                else
                {
                    cr++;
                }
            }
        }

        if (crlf > lf && crlf >= cr)
        {
            return "\r\n";
        }

        return cr > lf && cr > crlf ? "\r" : "\n";
    }
}
