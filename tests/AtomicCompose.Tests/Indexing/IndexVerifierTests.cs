using AtomicCompose.Indexing;
using AtomicCompose.Tests.TestSupport;

namespace AtomicCompose.Tests.Indexing;

public sealed class IndexVerifierTests : IDisposable
{
    private readonly TempWorkspace _ws = TempWorkspace.Create(git: false);
    private readonly LiteDbIndexStore _store;

    public IndexVerifierTests()
    {
        _store = new LiteDbIndexStore(_ws.PathOf(".atomiccompose/index.db"));
        _ws.Write("src/Greeter.cs", IndexTestData.Greeter);
        _ws.Write("src/Util.cs", IndexTestData.Util.Replace("\n", "\r\n"), bom: true);
        IndexTestData.IndexFromDisk(_store, _ws.Root, "tx1", "src/Greeter.cs", "src/Util.cs");
    }

    public void Dispose()
    {
        _store.Dispose();
        _ws.Dispose();
    }

    private string[] OnDisk() =>
        Directory.EnumerateFiles(_ws.Root, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(_ws.Root, f).Replace('\\', '/'))
            .ToArray();

    [Fact]
    public void Consistent_index_passes()
    {
        var result = IndexVerifier.Verify(_ws.Root, _store, OnDisk());

        Assert.True(result.IsConsistent, string.Join("\n", result.Problems));
        Assert.Empty(result.Problems);
        Assert.True(_store.GetFile("src/Util.cs")!.HasBom);
        Assert.Equal("crlf", _store.GetFile("src/Util.cs")!.NewLine);
    }

    [Fact]
    public void Detects_a_changed_file()
    {
        _ws.Write("src/Greeter.cs", IndexTestData.GreeterV2);

        var result = IndexVerifier.Verify(_ws.Root, _store, OnDisk());

        Assert.False(result.IsConsistent);
        var problem = Assert.Single(result.Problems);
        Assert.StartsWith("src/Greeter.cs: content changed", problem);
    }

    [Fact]
    public void Detects_a_missing_file()
    {
        File.Delete(_ws.PathOf("src/Util.cs"));

        var result = IndexVerifier.Verify(_ws.Root, _store, OnDisk());

        Assert.False(result.IsConsistent);
        Assert.Equal(["src/Util.cs: indexed but missing on disk"], result.Problems);
    }

    [Fact]
    public void Detects_an_unindexed_file()
    {
        _ws.Write("src/New.cs", "class New { }\n");

        var result = IndexVerifier.Verify(_ws.Root, _store, OnDisk());

        Assert.False(result.IsConsistent);
        Assert.Equal(["src/New.cs: on disk but not indexed"], result.Problems);
    }

    [Fact]
    public void Detects_stale_entities_when_the_file_hash_matches()
    {
        // The file record is right, but the entities were built from another text.
        var (file, _) = IndexTestData.Records("src/Greeter.cs", IndexTestData.Greeter, "tx2");
        var (_, wrong) = IndexTestData.Records("src/Greeter.cs", IndexTestData.GreeterV2, "tx2");
        _store.Commit(new IndexChangeSet("tx2", [file], wrong, []));

        var result = IndexVerifier.Verify(_ws.Root, _store, OnDisk());

        Assert.False(result.IsConsistent);
        Assert.Equal(2, result.Problems.Count);
        Assert.Contains(result.Problems, p => p.StartsWith("src/Greeter.cs: entities not in the index:", StringComparison.Ordinal) && p.Contains("Demo.Greeter.Farewell(string)"));
        Assert.Contains(result.Problems, p => p.StartsWith("src/Greeter.cs: stale entities in the index:", StringComparison.Ordinal) && p.Contains("Demo.Greeter.Count"));
    }

    [Fact]
    public void Reports_an_invalid_utf8_file_whose_hash_still_matches()
    {
        byte[] bytes = [.. "class X { }\n"u8, 0xFF];
        File.WriteAllBytes(_ws.PathOf("src/Bad.cs"), bytes);
        var file = new FileRecord { Path = "src/Bad.cs", ContentHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)) };
        _store.Commit(new IndexChangeSet("tx2", [file], [], []));

        var result = IndexVerifier.Verify(_ws.Root, _store, OnDisk());

        Assert.Equal(["src/Bad.cs: not valid UTF-8"], result.Problems);
    }
}
