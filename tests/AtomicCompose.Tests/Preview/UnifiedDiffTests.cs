using AtomicCompose.Preview;
using AtomicCompose.Tests.TestSupport;

namespace AtomicCompose.Tests.Preview;

public sealed class UnifiedDiffTests
{
    private static string Lines(int from, int to) => string.Concat(Enumerable.Range(from, to - from + 1).Select(i => $"line {i}\n"));

    [Fact]
    public void A_change_gets_one_hunk_with_three_lines_of_context()
    {
        var old = Lines(1, 20);
        var @new = old.Replace("line 10\n", "line ten\n", StringComparison.Ordinal);

        var diff = UnifiedDiff.Create("a.cs", old, @new);

        Assert.Equal(
            "--- a/a.cs\n+++ b/a.cs\n@@ -7,7 +7,7 @@\n line 7\n line 8\n line 9\n-line 10\n+line ten\n line 11\n line 12\n line 13\n",
            diff);
    }

    [Fact]
    public void Distant_changes_get_separate_hunks_and_near_ones_share_one()
    {
        var old = Lines(1, 40);
        var distant = old.Replace("line 5\n", "five\n", StringComparison.Ordinal).Replace("line 30\n", "thirty\n", StringComparison.Ordinal);
        var near = old.Replace("line 5\n", "five\n", StringComparison.Ordinal).Replace("line 10\n", "ten\n", StringComparison.Ordinal);

        Assert.Equal(2, UnifiedDiff.Create("a.cs", old, distant).Split('\n').Count(l => l.StartsWith("@@", StringComparison.Ordinal)));
        Assert.Contains("@@ -2,12 +2,12 @@\n", UnifiedDiff.Create("a.cs", old, near), StringComparison.Ordinal);
    }

    [Fact]
    public void A_created_file_is_all_additions_from_dev_null()
    {
        var diff = UnifiedDiff.Create("src/New.cs", null, "class A\n{\n}\n");

        Assert.Equal("--- /dev/null\n+++ b/src/New.cs\n@@ -0,0 +1,3 @@\n+class A\n+{\n+}\n", diff);
    }

    [Fact]
    public void A_deleted_file_is_all_removals_to_dev_null()
    {
        var diff = UnifiedDiff.Create("src/Old.cs", "class A\n{\n}\n", null);

        Assert.Equal("--- a/src/Old.cs\n+++ /dev/null\n@@ -1,3 +0,0 @@\n-class A\n-{\n-}\n", diff);
    }

    [Theory]
    [InlineData("a\r\nb\r\nc\r\n", "a\r\nB\r\nc\r\n")]
    [InlineData("a\rb\rc\r", "a\rB\rc\r")]
    [InlineData("a\nb\rc\r\n", "a\nB\rc\r\n")]
    public void Every_kind_of_line_break_counts_as_one(string old, string @new)
    {
        var diff = UnifiedDiff.Create("a.cs", old, @new);

        Assert.Equal("--- a/a.cs\n+++ b/a.cs\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n", diff);
    }

    [Fact]
    public void Equal_texts_give_an_empty_diff() => Assert.Equal("", UnifiedDiff.Create("a.cs", Lines(1, 5), Lines(1, 5)));
}

public sealed class PreviewTests : IDisposable
{
    private readonly TempWorkspace _ws = TempWorkspace.Create();

    public PreviewTests() => SampleProjects.WriteDemo(_ws);

    public void Dispose() => _ws.Dispose();

    [Fact]
    public void Created_and_deleted_files_are_previewed_with_their_whole_text_and_nothing_is_written()
    {
        var before = _ws.Snapshot();
        var program = _ws.ReadText("src/Program.cs");
        using var engine = ComposeEngine.Open(_ws.Root);
        using var tx = engine.Begin("create and delete");
        tx.CreateFile("src/Extra.cs", "namespace Demo;\n\n/// <summary>Extra.</summary>\npublic static class Extra\n{\n}\n");
        tx.DeleteFile("src/Program.cs");

        var preview = tx.Preview();

        var created = Assert.Single(preview.Files, f => f.Path == "src/Extra.cs");
        Assert.Equal(FileChangeKind.Created, created.Kind);
        Assert.StartsWith("--- /dev/null\n+++ b/src/Extra.cs\n@@ -0,0 +1,6 @@\n+namespace Demo;\n", created.UnifiedDiff, StringComparison.Ordinal);
        Assert.Null(created.OldHash);
        Assert.NotNull(created.NewHash);

        var deleted = Assert.Single(preview.Files, f => f.Path == "src/Program.cs");
        Assert.Equal(FileChangeKind.Deleted, deleted.Kind);
        var programLines = program.Split('\n').Length - 1;
        Assert.StartsWith($"--- a/src/Program.cs\n+++ /dev/null\n@@ -1,{programLines} +0,0 @@\n", deleted.UnifiedDiff, StringComparison.Ordinal);
        Assert.Equal(programLines, deleted.UnifiedDiff.Split('\n').Count(l => l.StartsWith('-') && !l.StartsWith("---", StringComparison.Ordinal)));
        Assert.Null(deleted.NewHash);

        Assert.Contains(preview.EntityChanges, e => e.Path == "src/Extra.cs" && e.NamePath == "Demo.Extra" && e.Change == EntityChangeKind.Added);
        Assert.Contains(preview.EntityChanges, e => e.Path == "src/Program.cs" && e.Change == EntityChangeKind.Removed);
        Assert.Equal(before, _ws.Snapshot());
    }
}
