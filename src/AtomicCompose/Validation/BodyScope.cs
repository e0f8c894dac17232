using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace AtomicCompose.Validation;

/// <summary>
/// The one member a body-only edit rewrote, when the edit is confined to a member whose body cannot change
/// the diagnostics of anything outside it. Then only that member has to be bound in the edited compilation;
/// every diagnostic elsewhere in the file is the baseline's, shifted by the edit.
/// </summary>
/// <remarks>
/// Not confined (the caller binds the whole file): an edit spanning members or touching trivia between them;
/// a member containing preprocessor directives (a <c>#pragma</c> or <c>#nullable</c> in one method changes
/// the diagnostics of the next); field initializers, property initializers and auto-accessors (bound with the
/// constructors, whose nullable and definite-assignment diagnostics they change); a property using the
/// <c>field</c> keyword (it decides whether a backing field exists); members of types with a primary
/// constructor or of extension blocks (an unread or captured parameter is reported on the type).
/// </remarks>
internal readonly record struct BodyScope(TextSpan OldMember, TextSpan NewMember)
{
    public static BodyScope? Find(SyntaxTree oldTree, SyntaxTree newTree, TextRegion region, CancellationToken cancellationToken)
    {
        var oldMember = Enclosing(oldTree.GetRoot(cancellationToken), TextSpan.FromBounds(region.Start, region.OldEnd));
        var newMember = Enclosing(newTree.GetRoot(cancellationToken), region.NewSpan);
        if (oldMember is null || newMember is null || oldMember.RawKind != newMember.RawKind
            || oldMember.FullSpan.Start != newMember.FullSpan.Start || oldMember.FullSpan.End + region.Delta != newMember.FullSpan.End
            || !Confines(oldMember) || !Confines(newMember))
        {
            return null;
        }

        return new BodyScope(oldMember.FullSpan, newMember.FullSpan);
    }

    /// <summary>Whether a diagnostic lies in the member: the same rule on both sides of the edit.</summary>
    public static bool Contains(TextSpan member, SyntaxTree tree, Diagnostic diagnostic) =>
        diagnostic.Location.IsInSource && diagnostic.Location.SourceTree == tree
        && diagnostic.Location.SourceSpan.Start >= member.Start && diagnostic.Location.SourceSpan.Start < member.End;

    private static MemberDeclarationSyntax? Enclosing(SyntaxNode root, TextSpan span)
    {
        if (span.End > root.FullSpan.End)
        {
            return null;
        }

        var member = root.FindToken(span.Start).Parent?.AncestorsAndSelf().OfType<MemberDeclarationSyntax>().FirstOrDefault();

        // Strictly inside: an edit at a member's edge could as well belong to its neighbour.
        return member is not null && span.Start > member.FullSpan.Start && span.End < member.FullSpan.End ? member : null;
    }

    private static bool Confines(MemberDeclarationSyntax member)
    {
        if (member.ContainsDirectives || member.Parent is not TypeDeclarationSyntax)
        {
            return false;
        }

        foreach (var type in member.Ancestors().OfType<TypeDeclarationSyntax>())
        {
            if (type.ParameterList is not null || !type.IsKind(SyntaxKind.ClassDeclaration) && !type.IsKind(SyntaxKind.StructDeclaration)
                && !type.IsKind(SyntaxKind.RecordDeclaration) && !type.IsKind(SyntaxKind.RecordStructDeclaration) && !type.IsKind(SyntaxKind.InterfaceDeclaration))
            {
                return false;
            }
        }

        return member switch
        {
            BaseMethodDeclarationSyntax => true, // methods, constructors, destructors, operators, conversions
            PropertyDeclarationSyntax p => p.Initializer is null && HasBodies(p),
            IndexerDeclarationSyntax or EventDeclarationSyntax => HasBodies((BasePropertyDeclarationSyntax)member),
            _ => false,
        };
    }

    private static bool HasBodies(BasePropertyDeclarationSyntax member)
    {
        if (member.DescendantTokens().Any(t => t.ValueText == "field"))
        {
            return false;
        }

        if (member is PropertyDeclarationSyntax { ExpressionBody: not null } or IndexerDeclarationSyntax { ExpressionBody: not null })
        {
            return true;
        }

        return member.AccessorList is { Accessors.Count: > 0 } list && list.Accessors.All(a => a.Body is not null || a.ExpressionBody is not null);
    }
}
