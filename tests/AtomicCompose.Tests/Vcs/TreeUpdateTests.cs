using AtomicCompose.Tests.TestSupport;
using AtomicCompose.Vcs;
using LibGit2Sharp;

namespace AtomicCompose.Tests.Vcs;

/// <summary>
/// The native tree update (<c>git_tree_create_updated</c>) must build exactly the tree <see cref="TreeDefinition"/>
/// builds from the same parent and changes: same object id, so nothing but the cost changed.
/// </summary>
public sealed class TreeUpdateTests : IDisposable
{
    private readonly TempWorkspace _ws = TempWorkspace.Create();

    public void Dispose() => _ws.Dispose();

    [Fact]
    public void The_native_update_is_available_on_this_platform()
    {
        Assert.True(TreeUpdate.Available);
    }

    [Theory]
    [InlineData("modify")]
    [InlineData("add-nested")]
    [InlineData("remove")]
    [InlineData("remove-last-of-folder")]
    [InlineData("executable")]
    [InlineData("sort-edge")]
    [InlineData("several")]
    public void Builds_the_same_tree_as_a_tree_definition(string scenario)
    {
        _ws.Write("src/A.cs", "class A { }\n");
        _ws.Write("src/B.cs", "class B { }\n");
        _ws.Write("src/deep/C.cs", "class C { }\n");
        _ws.Write("src.txt", "x\n");
        _ws.Write("src-a/D.cs", "class D { }\n");
        _ws.Write("README.md", "readme\n");
        _ws.CommitAll();

        using var repo = new Repository(_ws.Root);
        var parent = repo.Head.Tip;
        Blob NewBlob(string text) => repo.ObjectDatabase.CreateBlob(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)));
        List<(string Path, Blob? Blob, Mode Mode)> changes = scenario switch
        {
            "modify" => [("src/A.cs", NewBlob("class A { int X; }\n"), Mode.NonExecutableFile)],
            "add-nested" => [("src/new/deeper/E.cs", NewBlob("class E { }\n"), Mode.NonExecutableFile)],
            "remove" => [("src/B.cs", null, default)],
            "remove-last-of-folder" => [("src/deep/C.cs", null, default)],
            "executable" => [("src/A.cs", repo.Lookup<Blob>(parent["src/A.cs"].Target.Id), Mode.ExecutableFile)],
            "sort-edge" => [("src.d/F.cs", NewBlob("f\n"), Mode.NonExecutableFile), ("src0", NewBlob("g\n"), Mode.NonExecutableFile)],
            _ =>
            [
                ("src/A.cs", NewBlob("class A { int Y; }\n"), Mode.NonExecutableFile),
                ("src/deep/C.cs", null, default),
                ("docs/G.md", NewBlob("g\n"), Mode.NonExecutableFile),
                ("README.md", NewBlob("readme 2\n"), Mode.NonExecutableFile),
            ],
        };

        var native = TreeUpdate.Apply(repo, parent.Tree, changes);

        var definition = TreeDefinition.From(parent);
        foreach (var (path, blob, mode) in changes)
        {
            if (blob is null)
            {
                definition.Remove(path);
            }
            else
            {
                definition.Add(path, blob, mode);
            }
        }

        var expected = repo.ObjectDatabase.CreateTree(definition);
        Assert.NotNull(native);
        Assert.Equal(expected.Id, native.Id);
    }
}
