using System.Text;
using AtomicCompose.Indexing;
using AtomicCompose.Tests.TestSupport;

namespace AtomicCompose.Tests;

/// <summary><see cref="ComposeEngine.Undo"/>: a transaction of its own that takes a completed one back, in a real git repository.</summary>
public sealed class UndoTests : IDisposable
{
    private const string NewGreet = "public string Greet(string name) => $\"Hello, {name}\";";
    private readonly TempWorkspace _ws = TempWorkspace.Create();

    public UndoTests() => SampleProjects.WriteDemo(_ws);

    public void Dispose() => _ws.Dispose();

    [Fact]
    public void Undo_restores_the_bytes_in_a_new_commit_that_names_what_it_undoes()
    {
        var before = _ws.Snapshot();
        using var engine = ComposeEngine.Open(_ws.Root);
        var edit = Replace(engine);
        var editCommit = _ws.Git("rev-parse", "HEAD");

        var undo = engine.Undo(edit.TransactionId);

        Assert.Equal(before, _ws.Snapshot());
        Assert.NotEqual(edit.TransactionId, undo.TransactionId);
        Assert.Equal(_ws.Git("rev-parse", "HEAD"), undo.CommitSha);
        Assert.Equal(editCommit, _ws.Git("rev-parse", "HEAD~1"));
        var message = _ws.Git("log", "-1", "--format=%B");
        Assert.Contains($"Compose-Undoes: {edit.TransactionId}\nCompose-Transaction: {undo.TransactionId}", message);
        Assert.Equal(edit.TransactionId, _ws.Git("log", "-1", "--format=%(trailers:key=Compose-Undoes,valueonly)").Trim());
        Assert.Equal("src/Greeter.cs", _ws.Git("show", "--name-only", "--format=", "HEAD"));
        Assert.Equal("", _ws.Git("status", "--porcelain"));
        var file = Assert.Single(undo.Files);
        Assert.Equal(FileChangeKind.Modified, file.Kind);
        Assert.Contains("-    " + NewGreet, file.UnifiedDiff);
        Assert.True(engine.Verify().IsConsistent);
        Assert.Equal(undo.TransactionId, engine.GetIndexedFile("src/Greeter.cs")!.LastTransaction);
    }

    [Fact]
    public void Undo_of_a_created_file_deletes_it_and_undo_of_a_deleted_file_recreates_its_exact_bytes()
    {
        // A BOM and CRLF line endings: the recreated file must get them back, not a re-encoding.
        var original = "\uFEFFnamespace Demo;\r\n\r\n/// <summary>Old.</summary>\r\npublic static class Old\r\n{\r\n}\r\n";
        File.WriteAllBytes(_ws.PathOf("src/Old.cs"), Encoding.UTF8.GetBytes(original));
        _ws.CommitAll("old file");
        var before = _ws.Snapshot();
        using var engine = ComposeEngine.Open(_ws.Root);
        using (var tx = engine.Begin("create one, delete one"))
        {
            tx.CreateFile("src/New.cs", "namespace Demo;\n\n/// <summary>New.</summary>\npublic static class New\n{\n}\n");
            tx.CreateFile("notes/readme.txt", "not C#\n");
            tx.DeleteFile("src/Old.cs");
            var edit = tx.Complete();
            Assert.False(File.Exists(_ws.PathOf("src/Old.cs")));

            var undo = engine.Undo(edit.TransactionId);

            Assert.Equal(before, _ws.Snapshot());
            Assert.Equal(Encoding.UTF8.GetBytes(original), _ws.ReadBytes("src/Old.cs"));
            Assert.True(engine.GetIndexedFile("src/Old.cs")!.HasBom);
            Assert.Equal("crlf", engine.GetIndexedFile("src/Old.cs")!.NewLine);
            Assert.False(File.Exists(_ws.PathOf("notes/readme.txt")));
            Assert.Contains(undo.Files, f => f.Path == "src/Old.cs" && f.Kind == FileChangeKind.Created);
            Assert.Contains(undo.Files, f => f.Path == "src/New.cs" && f.Kind == FileChangeKind.Deleted);
            Assert.Equal("", _ws.Git("status", "--porcelain"));
            Assert.True(engine.Verify().IsConsistent);
            Assert.NotEmpty(engine.FindEntities(new EntityQuery("Demo.Old")));
            Assert.Empty(engine.FindEntities(new EntityQuery("Demo.New")));
        }
    }

    [Fact]
    public void A_file_changed_since_refuses_the_undo_and_changes_nothing()
    {
        using var engine = ComposeEngine.Open(_ws.Root);
        var edit = Replace(engine);
        var edited = _ws.ReadText("src/Greeter.cs") + "// by hand\n";
        _ws.Write("src/Greeter.cs", edited);
        var head = _ws.Git("rev-parse", "HEAD");
        var before = _ws.Snapshot();
        var journal = Directory.GetFiles(_ws.PathOf(".atomiccompose/journal"));

        var error = Assert.Throws<ComposeException>(() => engine.Undo(edit.TransactionId));

        Assert.Equal(ComposeErrorCode.ChangedSinceTransaction, error.Code);
        Assert.Equal(ComposeStep.Undo, error.Step);
        Assert.Equal(["src/Greeter.cs"], error.Paths);
        Assert.Equal(before, _ws.Snapshot());
        Assert.Equal(journal, Directory.GetFiles(_ws.PathOf(".atomiccompose/journal")));
        Assert.Equal(edit.TransactionId, engine.GetIndexedFile("src/Greeter.cs")!.LastTransaction);
        Assert.Equal(head, _ws.Git("rev-parse", "HEAD"));
    }

    [Fact]
    public void A_later_transaction_on_the_same_file_refuses_the_undo_of_the_earlier_one()
    {
        using var engine = ComposeEngine.Open(_ws.Root);
        var first = Replace(engine);
        using (var tx = engine.Begin("second"))
        {
            tx.Replace("src/Greeter.cs", "Demo.Greeter.Greet(string)", "public string Greet(string name) => $\"Hi, {name}\";");
            tx.Complete();
        }

        var error = Assert.Throws<ComposeException>(() => engine.Undo(first.TransactionId));

        Assert.Equal(ComposeErrorCode.ChangedSinceTransaction, error.Code);
        Assert.Contains("Hi, {name}", _ws.ReadText("src/Greeter.cs"));
    }

    [Fact]
    public void Unknown_and_already_undone_transactions_are_typed_errors_and_undoing_the_undo_redoes()
    {
        using var engine = ComposeEngine.Open(_ws.Root);
        var unknown = Assert.Throws<ComposeException>(() => engine.Undo("20260101T000000-deadbeef"));
        Assert.Equal(ComposeErrorCode.UnknownTransaction, unknown.Code);

        var edit = Replace(engine);
        var edited = _ws.ReadBytes("src/Greeter.cs");
        var undo = engine.Undo(edit.TransactionId);
        var head = _ws.Git("rev-parse", "HEAD");

        var again = Assert.Throws<ComposeException>(() => engine.Undo(edit.TransactionId));
        Assert.Equal(ComposeErrorCode.AlreadyUndone, again.Code);
        Assert.Contains(undo.TransactionId, again.Reason);
        Assert.Equal(head, _ws.Git("rev-parse", "HEAD"));

        var redo = engine.Undo(undo.TransactionId);
        Assert.Equal(edited, _ws.ReadBytes("src/Greeter.cs"));
        Assert.Equal(redo.CommitSha, _ws.Git("rev-parse", "HEAD"));
    }

    [Fact]
    public void The_undo_record_survives_a_reopen()
    {
        string id;
        using (var engine = ComposeEngine.Open(_ws.Root))
        {
            id = Replace(engine).TransactionId;
        }

        using (var engine = ComposeEngine.Open(_ws.Root))
        {
            engine.Undo(id);
        }

        using (var engine = ComposeEngine.Open(_ws.Root))
        {
            Assert.Equal(ComposeErrorCode.AlreadyUndone, Assert.Throws<ComposeException>(() => engine.Undo(id)).Code);
        }
    }

    [Fact]
    public void An_undo_that_fails_before_its_commit_point_rolls_back_and_can_be_run_again()
    {
        string? failAt = null;
        var options = new ComposeOptions { IoHook = (op, _) => { if (op == failAt) { throw new IOException("injected"); } } };
        using var engine = ComposeEngine.Open(_ws.Root, options);
        var edit = Replace(engine);
        var edited = _ws.ReadBytes("src/Greeter.cs");
        var head = _ws.Git("rev-parse", "HEAD");

        failAt = AtomicCompose.Files.IoOp.IndexCommit;
        var error = Assert.Throws<ComposeException>(() => engine.Undo(edit.TransactionId));
        failAt = null;

        Assert.Equal(ComposeStep.IndexCommit, error.Step);
        Assert.Equal(TransactionState.RolledBack, error.State);
        Assert.Equal(edited, _ws.ReadBytes("src/Greeter.cs"));
        Assert.Equal(head, _ws.Git("rev-parse", "HEAD"));
        var undo = engine.Undo(edit.TransactionId);
        Assert.Equal(undo.CommitSha, _ws.Git("rev-parse", "HEAD"));
    }

    [Fact]
    public void An_undo_whose_git_commit_failed_is_finished_by_recovery_with_its_trailer()
    {
        string? failAt = null;
        var options = new ComposeOptions { IoHook = (op, _) => { if (op == failAt) { throw new IOException("injected"); } } };
        var before = _ws.ReadBytes("src/Greeter.cs");
        using var engine = ComposeEngine.Open(_ws.Root, options);
        var edit = Replace(engine);

        failAt = AtomicCompose.Files.IoOp.GitCommit;
        var error = Assert.Throws<ComposeException>(() => engine.Undo(edit.TransactionId));
        failAt = null;
        Assert.Equal(TransactionState.CommittedNeedsRecovery, error.State);
        Assert.Equal(before, _ws.ReadBytes("src/Greeter.cs"));

        var report = engine.Recover();

        Assert.Single(report.RolledForward);
        Assert.Contains($"Compose-Undoes: {edit.TransactionId}\nCompose-Transaction: {report.RolledForward[0]}", _ws.Git("log", "-1", "--format=%B"));
        Assert.Equal("", _ws.Git("status", "--porcelain"));
        Assert.Equal(ComposeErrorCode.AlreadyUndone, Assert.Throws<ComposeException>(() => engine.Undo(edit.TransactionId)).Code);
    }

    [Fact]
    public void Undo_works_without_git()
    {
        using var ws = TempWorkspace.Create(git: false);
        SampleProjects.WriteDemo(ws, commit: false);
        var before = ws.Snapshot();
        using var engine = ComposeEngine.Open(ws.Root);
        var edit = Replace(engine);
        Assert.Null(edit.CommitSha);

        var undo = engine.Undo(edit.TransactionId);

        Assert.Null(undo.CommitSha);
        Assert.Equal(before, ws.Snapshot());
        Assert.True(engine.Verify().IsConsistent);
    }

    [Fact]
    public async Task OpenAsync_opens_the_workspace_and_a_cancelled_open_leaves_it_free()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var error = await Assert.ThrowsAsync<ComposeException>(() => ComposeEngine.OpenAsync(_ws.Root, cancellationToken: cancelled.Token));
        Assert.Equal(ComposeErrorCode.Cancelled, error.Code);

        await using var engine = await ComposeEngine.OpenAsync(_ws.Root, cancellationToken: CancellationToken.None);
        var edit = Replace(engine);
        var undo = await engine.UndoAsync(edit.TransactionId, CancellationToken.None);
        Assert.Equal(_ws.Git("rev-parse", "HEAD"), undo.CommitSha);
    }

    private static ComposeResult Replace(ComposeEngine engine)
    {
        using var tx = engine.Begin("Make Greeter.Greet shorter");
        tx.Replace("src/Greeter.cs", "Demo.Greeter.Greet(string)", NewGreet);
        return tx.Complete();
    }
}
