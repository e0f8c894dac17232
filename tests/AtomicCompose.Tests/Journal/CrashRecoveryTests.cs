using AtomicCompose.Tests.TestSupport;

namespace AtomicCompose.Tests.Journal;

/// <summary>
/// A child process runs a transaction and is SIGKILLed at a protocol boundary; the next Open must
/// repair the workspace: before the index commit everything is rolled back, after it everything is
/// rolled forward, and files, index and git always agree.
/// </summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private readonly TempWorkspace _ws = TempWorkspace.Create();

    public CrashRecoveryTests() => SampleProjects.WriteDemo(_ws);

    public void Dispose() => _ws.Dispose();

    [Fact]
    public void Killed_after_the_move_and_before_the_index_commit_is_rolled_back()
    {
        var before = _ws.Snapshot();
        var head = _ws.Git("rev-parse", "HEAD");
        PrepareIndex();

        var (exit, output) = CrashHarness.Run(_ws.Root, "after:Move");
        Assert.NotEqual(0, exit);
        Assert.Contains("Hi, {name}", _ws.ReadText("src/Greeter.cs")); // the crash really happened after the move
        _ = output;

        using var engine = ComposeEngine.Open(_ws.Root);

        Assert.Single(engine.LastRecovery.RolledBack);
        Assert.Empty(engine.LastRecovery.RolledForward);
        AssertFilesEqual(before, _ws.Snapshot());
        Assert.Equal(head, _ws.Git("rev-parse", "HEAD"));
        Assert.Equal("", _ws.Git("status", "--porcelain"));
        Assert.True(engine.Verify().IsConsistent, string.Join("; ", engine.Verify().Problems));
        AssertNoLeftovers();
    }

    [Fact]
    public void Killed_after_the_index_commit_and_before_git_is_rolled_forward()
    {
        var head = _ws.Git("rev-parse", "HEAD");
        PrepareIndex();

        var (exit, _) = CrashHarness.Run(_ws.Root, "after:IndexCommit");
        Assert.NotEqual(0, exit);
        Assert.Equal(head, _ws.Git("rev-parse", "HEAD")); // git commit not yet made

        using var engine = ComposeEngine.Open(_ws.Root);

        var txId = Assert.Single(engine.LastRecovery.RolledForward);
        Assert.Contains("Hi, {name}", _ws.ReadText("src/Greeter.cs"));
        Assert.Equal(head, _ws.Git("rev-parse", "HEAD~1"));
        Assert.Contains($"Compose-Transaction: {txId}", _ws.Git("log", "-1", "--format=%B"));
        Assert.Equal("src/Greeter.cs", _ws.Git("show", "--name-only", "--format=", "HEAD"));
        Assert.Equal("", _ws.Git("status", "--porcelain"));
        Assert.Equal(_ws.Git("rev-parse", "HEAD"), engine.GetIndexedFile("src/Greeter.cs")!.Commit);
        Assert.True(engine.Verify().IsConsistent, string.Join("; ", engine.Verify().Problems));
        AssertNoLeftovers();
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Killed_at_every_protocol_boundary_the_workspace_is_all_old_or_all_new()
    {
        var original = _ws.Snapshot();
        var head = _ws.Git("rev-parse", "HEAD");
        PrepareIndex();
        foreach (var label in CrashHarness.ReplaceLabels)
        {
            var (exit, output) = CrashHarness.Run(_ws.Root, label);
            Assert.True(exit != 0, $"{label}: the harness was not killed: {output}");

            using (var engine = ComposeEngine.Open(_ws.Root))
            {
                var text = _ws.ReadText("src/Greeter.cs");
                var isNew = text.Contains("Hi, {name}", StringComparison.Ordinal);
                var movedHead = _ws.Git("rev-parse", "HEAD") != head;
                Assert.True(isNew == movedHead, $"{label}: files new={isNew} but git moved={movedHead}");
                if (!isNew)
                {
                    AssertFilesEqual(original, _ws.Snapshot());
                }

                Assert.True(engine.Verify().IsConsistent, $"{label}: " + string.Join("; ", engine.Verify().Problems));
                Assert.Equal("", _ws.Git("status", "--porcelain"));
                AssertNoLeftovers();
            }

            // Back to the original state for the next boundary, committed like a user would.
            if (_ws.Git("rev-parse", "HEAD") != head)
            {
                _ws.Git("reset", "-q", "--hard", head);
                using var reindex = ComposeEngine.Open(_ws.Root);
                reindex.Reindex();
            }
        }
    }

    private void PrepareIndex()
    {
        using var engine = ComposeEngine.Open(_ws.Root);
        Assert.True(engine.Verify().IsConsistent);
    }

    private void AssertNoLeftovers()
    {
        var leftovers = Directory.EnumerateFiles(_ws.Root, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/.git/", StringComparison.Ordinal))
            .Where(f => f.EndsWith(".tmp", StringComparison.Ordinal) || f.EndsWith(".restore", StringComparison.Ordinal))
            .ToList();
        Assert.Empty(leftovers);
        Assert.Empty(Directory.EnumerateFiles(_ws.PathOf(".atomiccompose/journal")));
    }

    private static void AssertFilesEqual(SortedDictionary<string, byte[]> expected, SortedDictionary<string, byte[]> actual)
    {
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (path, bytes) in expected)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(actual[path]), $"{path} differs");
        }
    }
}
