using AtomicCompose.Composition;
using AtomicCompose.Indexing;
using AtomicCompose.Tests.Composition;
using Microsoft.CodeAnalysis.CSharp;

namespace AtomicCompose.Tests.Indexing;

/// <summary>An entity found in the index must be addressable by the same name path in a transaction.</summary>
public sealed class NamePathAgreementTests
{
    [Theory]
    [MemberData(nameof(SampleFiles.All), MemberType = typeof(SampleFiles))]
    public void Every_indexed_entity_name_path_is_a_composer_target(string sample)
    {
        var text = SampleFiles.Get(sample);
        var tree = CSharpSyntaxTree.ParseText(text, path: "S.cs");
        var targets = new RoslynTreeComposer().ListTargets(tree).Select(t => t.NamePath).ToHashSet(StringComparer.Ordinal);
        var entities = IndexRecordBuilder.BuildEntities("S.cs", tree, null).Select(e => e.NamePath).ToList();

        Assert.NotEmpty(entities);
        Assert.All(entities, e => Assert.Contains(e, targets));
    }
}
