using AtomicCompose.Tests.TestSupport;

namespace AtomicCompose.Tests.Robustness;

/// <summary>Bugs the hostile-input fuzz found, pinned one by one.</summary>
public sealed class HostileInputRegressionTests : IDisposable
{
    private readonly TempWorkspace _ws = TempWorkspace.Create();

    public HostileInputRegressionTests() => SampleProjects.WriteDemo(_ws);

    public void Dispose() => _ws.Dispose();

    [Theory]
    [InlineData("src/")]
    [InlineData("src")]
    public void A_directory_path_is_a_typed_error_not_an_UnauthorizedAccessException(string path)
    {
        using var engine = ComposeEngine.Open(_ws.Root);
        using var tx = engine.Begin("directory");
        var error = Assert.Throws<ComposeException>(() => tx.Replace(path, "Demo.Greeter.Greet(string)", "public string Greet(string name) => \"x\";"));
        Assert.True(error.Code is ComposeErrorCode.FileState or ComposeErrorCode.PathOutsideRoot, error.Message);
        Assert.Contains("folder", error.Message.Replace("directory", "folder", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Throws<ComposeException>(() => tx.DeleteFile(path));
        Assert.Throws<ComposeException>(() => engine.ListTargets(path));
        Assert.Empty(tx.Paths); // still usable, nothing staged
    }

    [Fact]
    public void A_file_name_longer_than_the_file_system_allows_is_a_typed_error()
    {
        using var engine = ComposeEngine.Open(_ws.Root);
        using var tx = engine.Begin("long name");
        var error = Assert.ThrowsAny<ComposeException>(() => tx.Replace("src/" + new string('n', 300) + ".cs", "Demo.X", "int x;"));
        Assert.NotEqual(ComposeErrorCode.ValidationFailed, error.Code);
    }

    [Fact]
    public void A_commit_message_with_a_NUL_is_refused_at_Begin_and_cannot_strand_a_committed_transaction()
    {
        var head = _ws.Git("rev-parse", "HEAD");
        using var engine = ComposeEngine.Open(_ws.Root);

        // Before the fix, Begin accepted it; the index commit succeeded, git refused the message, and every later
        // recovery failed the same way: files and index new, git never committed, the journal stuck for good.
        var error = Assert.Throws<ArgumentException>(() => engine.Begin("fix \0 bug"));
        Assert.Equal("message", error.ParamName);

        using var tx = engine.Begin("fix bug");
        tx.Replace("src/Greeter.cs", "Demo.Greeter.Greet(string)", "public string Greet(string name) => \"x\";");
        var result = tx.Complete();
        Assert.Equal(head, _ws.Git("rev-parse", "HEAD~1"));
        Assert.Equal(result.CommitSha, _ws.Git("rev-parse", "HEAD"));
        Assert.Empty(Ws.Leftovers(_ws.Root));
        Assert.Equal(0, engine.Recover().Repaired);
    }

    [Theory]
    [InlineData("\r")]
    [InlineData("namespace Demo;\r/// <summary>C.</summary>\rpublic static class C { }\r")]
    [InlineData("namespace Demo;\r\n\r/// <summary>C.</summary>\npublic static class C { }\n")]
    public void Text_with_a_lone_carriage_return_previews_and_commits_instead_of_throwing_ArgumentOutOfRange(string content)
    {
        using var engine = ComposeEngine.Open(_ws.Root);
        using var tx = engine.Begin("lone CR");
        tx.CreateFile("src/Gen/C.cs", content);
        var preview = tx.Preview();
        Assert.Equal("src/Gen/C.cs", Assert.Single(preview.Files).Path);
        var result = tx.Complete();
        Assert.Equal(content, File.ReadAllText(_ws.PathOf("src/Gen/C.cs")));
        Assert.Equal(result.CommitSha, _ws.Git("rev-parse", "HEAD"));
    }

    [Fact]
    public void A_backslash_path_is_refused_instead_of_colliding_with_the_slash_path_in_validation()
    {
        using var engine = ComposeEngine.Open(_ws.Root);
        using var tx = engine.Begin("backslash");
        var error = Assert.Throws<ComposeException>(() => tx.CreateFile("src\\Greeter.cs", "namespace Demo;\n"));
        Assert.Equal(ComposeErrorCode.PathOutsideRoot, error.Code);
        Assert.Throws<ComposeException>(() => tx.Replace("src\\Greeter.cs", "Demo.Greeter.Greet(string)", "public string Greet(string name) => \"x\";"));
        Assert.False(File.Exists(_ws.PathOf("src\\Greeter.cs")));
    }

    [Fact]
    public void Creating_a_path_with_a_trailing_slash_is_refused_and_leaves_nothing_behind()
    {
        var before = Ws.Snapshot(_ws.Root);
        using var engine = ComposeEngine.Open(_ws.Root);
        using (var tx = engine.Begin("trailing slash"))
        {
            var error = Assert.Throws<ComposeException>(() => tx.CreateFile("src/New.cs/", "namespace Demo;\n"));
            Assert.Equal(ComposeErrorCode.PathOutsideRoot, error.Code);
        }

        Assert.True(Ws.Same(before, Ws.Snapshot(_ws.Root)));
        Assert.False(Directory.Exists(_ws.PathOf("src/New.cs")));
    }
}
