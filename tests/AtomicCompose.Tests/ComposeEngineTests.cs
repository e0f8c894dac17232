using System.Text;
using AtomicCompose.Composition;
using AtomicCompose.DependencyInjection;
using AtomicCompose.Indexing;
using AtomicCompose.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace AtomicCompose.Tests;

public sealed class ComposeEngineTests : IDisposable
{
    private const string NewGreet = "public string Greet(string name) => $\"Hello, {name}\";";
    private readonly TempWorkspace _ws = TempWorkspace.Create();

    public ComposeEngineTests() => SampleProjects.WriteDemo(_ws);

    public void Dispose() => _ws.Dispose();

    [Fact]
    public void The_design_example_commits_exactly_the_composed_path_with_a_trailer()
    {
        var repoRoot = _ws.Root;
        var parent = _ws.Git("rev-parse", "HEAD");

        using var engine = ComposeEngine.Open(repoRoot);
        using var tx = engine.Begin("Make Greeter.Greet shorter");
        tx.Replace("src/Greeter.cs", "Demo.Greeter.Greet(string)",
                   "public string Greet(string name) => $\"Hello, {name}\";");
        ComposeResult result = tx.Complete();

        Assert.Equal(_ws.Git("rev-parse", "HEAD"), result.CommitSha);
        Assert.Equal(parent, _ws.Git("rev-parse", "HEAD~1"));
        Assert.Equal("src/Greeter.cs", _ws.Git("show", "--name-only", "--format=", "HEAD"));
        Assert.Contains($"Compose-Transaction: {tx.Id}", _ws.Git("log", "-1", "--format=%B"));
        var text = _ws.ReadText("src/Greeter.cs");
        Assert.Contains(NewGreet, text);
        Assert.Contains("/// <param name=\"name\">Who to greet.</param>", text);
        Assert.Equal(SampleProjects.Greeter[SampleProjects.Greeter.IndexOf("/// <summary>Says goodbye", StringComparison.Ordinal)..],
                     text[text.IndexOf("/// <summary>Says goodbye", StringComparison.Ordinal)..]);
        Assert.Equal("", _ws.Git("status", "--porcelain"));
        Assert.Equal(_ws.Git("show", "HEAD:src/Greeter.cs") + "\n", text);
    }

    [Fact]
    public void Preview_writes_nothing_and_shows_a_diff_and_a_passing_report()
    {
        var before = _ws.Snapshot(includeWorkspaceData: false);
        using var engine = ComposeEngine.Open(_ws.Root);
        using var tx = engine.Begin("preview");
        tx.Replace("src/Greeter.cs", "Demo.Greeter.Greet(string)", NewGreet);

        var preview = tx.Preview();

        var file = Assert.Single(preview.Files);
        Assert.Equal(FileChangeKind.Modified, file.Kind);
        Assert.Contains("+    " + NewGreet, file.UnifiedDiff);
        Assert.Contains("-        return \"Hello, \" + name + \"!\";", file.UnifiedDiff);
        Assert.Contains("@@ -", file.UnifiedDiff);
        Assert.True(preview.Validation.Passed, preview.Validation.Summary());
        Assert.Contains(preview.EntityChanges, e => e.NamePath == "Demo.Greeter.Greet(string)" && e.Change == EntityChangeKind.Modified);
        AssertSame(before, _ws.Snapshot());
    }

    [Fact]
    public void Dispose_after_Apply_restores_every_byte_drops_index_changes_and_leaves_no_temp()
    {
        var before = _ws.Snapshot();
        var head = _ws.Git("rev-parse", "HEAD");
        using var engine = ComposeEngine.Open(_ws.Root);
        var indexedHash = engine.GetIndexedFile("src/Greeter.cs")!.ContentHash;
        var tx = engine.Begin("rolled back");
        tx.Replace("src/Greeter.cs", "Demo.Greeter.Greet(string)", NewGreet);
        tx.CreateFile("src/New/Dir/Added.cs", "namespace Demo;\n\n/// <summary>A.</summary>\npublic class Added { }\n");

        tx.Apply();
        Assert.Contains(NewGreet, _ws.ReadText("src/Greeter.cs"));
        Assert.True(File.Exists(_ws.PathOf("src/New/Dir/Added.cs")));

        tx.Dispose();
        tx.Dispose();

        Assert.Equal(TransactionState.RolledBack, tx.State);
        AssertSame(before, _ws.Snapshot());
        Assert.False(Directory.Exists(_ws.PathOf("src/New")));
        Assert.Equal(head, _ws.Git("rev-parse", "HEAD"));
        Assert.Equal(indexedHash, engine.GetIndexedFile("src/Greeter.cs")!.ContentHash);
        Assert.Null(engine.GetIndexedFile("src/New/Dir/Added.cs"));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_ws.Root, ".atomiccompose", "journal")));
        Assert.True(engine.Verify().IsConsistent);
    }

    [Fact]
    public async Task Apply_and_Complete_work_from_different_threads()
    {
        await using var engine = ComposeEngine.Open(_ws.Root);
        await using var tx = engine.Begin("async");
        tx.Replace("src/Greeter.cs", "Demo.Greeter.Greet(string)", NewGreet);

        await tx.ApplyAsync();
        var applyThread = Environment.CurrentManagedThreadId;
        await Task.Delay(10);
        await Task.Run(() => Assert.True(true));
        var result = await tx.CompleteAsync();

        Assert.Equal(TransactionState.Completed, tx.State);
        Assert.Equal(_ws.Git("rev-parse", "HEAD"), result.CommitSha);
        var record = engine.GetIndexedFile("src/Greeter.cs")!;
        Assert.Equal(ComposeTransaction.Sha256(_ws.ReadBytes("src/Greeter.cs")), record.ContentHash);
        Assert.Equal(tx.Id, record.LastTransaction);
        Assert.Equal(result.CommitSha, record.Commit);
        _ = applyThread;
    }

    [Fact]
    public void Unknown_target_is_a_typed_error_listing_candidates_and_stages_nothing()
    {
        using var engine = ComposeEngine.Open(_ws.Root);
        using var tx = engine.Begin("bad target");

        var ex = Assert.Throws<ComposeException>(() => tx.Replace("src/Greeter.cs", "Demo.Greeter.Greeet(string)", NewGreet));

        Assert.Equal(ComposeErrorCode.TargetNotFound, ex.Code);
        Assert.Contains(ex.Candidates, c => c.Contains("Demo.Greeter.Greet(string)", StringComparison.Ordinal));
        var preview = tx.Preview();
        Assert.All(preview.Files, f => Assert.Equal("", f.UnifiedDiff));
    }

    [Fact]
    public void A_type_error_is_refused_and_nothing_changes()
    {
        var before = _ws.Snapshot();
        var head = _ws.Git("rev-parse", "HEAD");
        using var engine = ComposeEngine.Open(_ws.Root);
        using var tx = engine.Begin("broken");
        tx.Replace("src/Greeter.cs", "Demo.Greeter.Greet(string)", "public string Greet(string name) => Shout(name);");

        var ex = Assert.Throws<ComposeValidationException>(() => tx.Complete());

        Assert.Equal(ComposeErrorCode.ValidationFailed, ex.Code);
        Assert.Equal(ComposeStep.Validate, ex.Step);
        Assert.Contains(ex.Report.Blocking, d => d.Id == "CS0103" && d.Path == "src/Greeter.cs" && d.IsNew);
        AssertSame(before, _ws.Snapshot());
        Assert.Equal(head, _ws.Git("rev-parse", "HEAD"));
    }

    [Fact]
    public void A_pre_existing_error_elsewhere_in_the_file_does_not_block_an_unrelated_edit()
    {
        var broken = SampleProjects.Greeter.Replace("=> \"Bye, \" + name;", "=> Missing(name);", StringComparison.Ordinal);
        _ws.Write("src/Greeter.cs", broken);
        _ws.CommitAll("broken farewell");
        using var engine = ComposeEngine.Open(_ws.Root);
        using var tx = engine.Begin("unrelated");
        tx.Replace("src/Greeter.cs", "Demo.Greeter.Greet(string)", NewGreet);

        var result = tx.Complete();

        Assert.True(result.Validation.Passed);
        Assert.Contains(result.Validation.Diagnostics, d => d.Id == "CS0103" && !d.IsNew);
        Assert.Contains("Missing(name)", _ws.ReadText("src/Greeter.cs"));
    }

    [Fact]
    public void A_new_public_member_without_docs_is_refused()
    {
        using var engine = ComposeEngine.Open(_ws.Root);
        using var tx = engine.Begin("undocumented");
        tx.InsertAfter("src/Greeter.cs", "Demo.Greeter.Greet(string)", "public int Count() => 1;");

        var ex = Assert.Throws<ComposeValidationException>(() => tx.Apply());

        Assert.Contains(ex.Report.Blocking, d => d.Category == AtomicCompose.Validation.ValidationCategory.Documentation);
        Assert.Equal(SampleProjects.Greeter, _ws.ReadText("src/Greeter.cs"));
    }

    [Fact]
    public void The_users_unrelated_staged_and_unstaged_changes_stay_as_they_were()
    {
        _ws.Write("notes.txt", "staged by the user\n");
        _ws.Git("add", "notes.txt");
        var program = SampleProjects.Program.Replace("world", "there", StringComparison.Ordinal);
        _ws.Write("src/Program.cs", program);

        using var engine = ComposeEngine.Open(_ws.Root);
        using var tx = engine.Begin("edit greeter only");
        tx.Replace("src/Greeter.cs", "Demo.Greeter.Greet(string)", NewGreet);
        tx.Complete();

        Assert.Equal("src/Greeter.cs", _ws.Git("show", "--name-only", "--format=", "HEAD"));
        var status = _ws.Git("status", "--porcelain").Split('\n').Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { " M src/Program.cs", "A  notes.txt" }, status);
        Assert.Equal(program, _ws.ReadText("src/Program.cs"));
        Assert.Equal("staged by the user\n", _ws.Git("show", ":notes.txt") + "\n");
    }

    [Fact]
    public void A_workspace_that_is_not_a_git_repository_works_without_vcs()
    {
        using var plain = TempWorkspace.Create(git: false);
        SampleProjects.WriteDemo(plain);
        using var engine = ComposeEngine.Open(plain.Root);
        Assert.False(engine.HasVcs);
        using var tx = engine.Begin("no git");
        tx.Replace("src/Greeter.cs", "Demo.Greeter.Greet(string)", NewGreet);

        var result = tx.Complete();

        Assert.Null(result.CommitSha);
        Assert.Contains(NewGreet, plain.ReadText("src/Greeter.cs"));
        Assert.Equal(ComposeTransaction.Sha256(plain.ReadBytes("src/Greeter.cs")), engine.GetIndexedFile("src/Greeter.cs")!.ContentHash);
        Assert.False(Directory.Exists(plain.PathOf(".git")));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Bom_crlf_and_file_mode_are_kept()
    {
        var crlf = SampleProjects.Greeter.Replace("\n", "\r\n", StringComparison.Ordinal);
        var path = _ws.Write("src/Greeter.cs", crlf, bom: true);
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        _ws.CommitAll("crlf");

        using var engine = ComposeEngine.Open(_ws.Root);
        using var tx = engine.Begin("crlf edit");
        tx.Replace("src/Greeter.cs", "Demo.Greeter.Greet(string)", "public string Greet(string name)\n{\n    return name;\n}");
        tx.Complete();

        var bytes = _ws.ReadBytes("src/Greeter.cs");
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        Assert.DoesNotContain("\n", text.Replace("\r\n", "", StringComparison.Ordinal));
        Assert.Contains("return name;", text);
        Assert.Equal((UnixFileMode)0b111_101_101, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Workspace_data_is_excluded_through_git_info_exclude_not_gitignore()
    {
        using (ComposeEngine.Open(_ws.Root))
        {
        }

        using (ComposeEngine.Open(_ws.Root))
        {
        }

        var exclude = File.ReadAllLines(_ws.PathOf(".git/info/exclude"));
        Assert.Single(exclude, l => l.Trim().TrimStart('/') == ".atomiccompose/");
        Assert.Equal("bin/\nobj/\n", _ws.ReadText(".gitignore")); // the repository's own, untouched
        Assert.Equal("", _ws.Git("status", "--porcelain"));
    }

    [Fact]
    public void The_index_records_files_and_entities_and_verifies_against_disk()
    {
        using var engine = ComposeEngine.Open(_ws.Root);
        using var tx = engine.Begin("add member");
        tx.InsertAfter("src/Greeter.cs", "Demo.Greeter.Greet(string)", "/// <summary>Counts.</summary>\n/// <returns>One.</returns>\npublic int Count() => 1;");
        var result = tx.Complete();

        Assert.Contains(result.EntityChanges, e => e.NamePath == "Demo.Greeter.Count()" && e.Change == EntityChangeKind.Added);
        var count = Assert.Single(engine.FindEntities(new EntityQuery(NamePath: "Demo.Greeter.Count()")));
        Assert.Equal("method", count.Kind);
        Assert.Equal("public", count.Accessibility);
        Assert.True(count.HasDocs);
        Assert.Equal(tx.Id, count.LastTransaction);
        var lines = _ws.ReadText("src/Greeter.cs").Split('\n');
        Assert.Contains("public int Count() => 1;", lines[count.EndLine - 1]);
        Assert.True(engine.Verify().IsConsistent, string.Join("; ", engine.Verify().Problems));

        File.AppendAllText(_ws.PathOf("src/Program.cs"), "// touched\n");
        var drift = engine.Verify();
        Assert.False(drift.IsConsistent);
        Assert.Contains(drift.Problems, p => p.Contains("src/Program.cs", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("../outside.cs")]
    [InlineData("/etc/passwd")]
    [InlineData(".git/config")]
    [InlineData(".atomiccompose/index.db")]
    [InlineData("src/../../x.cs")]
    public void Paths_outside_the_root_or_into_data_folders_are_refused(string path)
    {
        var before = _ws.Snapshot(includeWorkspaceData: false);
        using var engine = ComposeEngine.Open(_ws.Root);
        using var tx = engine.Begin("hostile");

        var ex = Assert.Throws<ComposeException>(() => tx.CreateFile(path, "class X {}"));

        Assert.Equal(ComposeErrorCode.PathOutsideRoot, ex.Code);
        AssertSame(before, _ws.Snapshot());
    }

    [Fact]
    public void A_symlink_leading_outside_the_root_is_refused()
    {
        using var outside = TempWorkspace.Create(git: false);
        outside.Write("Target.cs", "class T {}");
        File.CreateSymbolicLink(_ws.PathOf("src/Link"), outside.Root);
        using var engine = ComposeEngine.Open(_ws.Root);
        using var tx = engine.Begin("symlink");

        var ex = Assert.Throws<ComposeException>(() => tx.Replace("src/Link/Target.cs", "T", "class T { }"));

        Assert.Equal(ComposeErrorCode.PathOutsideRoot, ex.Code);
        Assert.Equal("class T {}", outside.ReadText("Target.cs"));
    }

    [Fact]
    public void A_non_utf8_file_is_refused_not_corrupted()
    {
        var latin1 = Encoding.Latin1.GetBytes("namespace Demo; /// <summary>Caf\u00e9</summary>\npublic class Cafe { }\n");
        File.WriteAllBytes(_ws.PathOf("src/Cafe.cs"), latin1);
        using var engine = ComposeEngine.Open(_ws.Root);
        using var tx = engine.Begin("latin1");

        var ex = Assert.Throws<ComposeException>(() => tx.Delete("src/Cafe.cs", "Demo.Cafe"));

        Assert.Equal(ComposeErrorCode.NotUtf8, ex.Code);
        Assert.Equal(latin1, _ws.ReadBytes("src/Cafe.cs"));
    }

    [Fact]
    public void A_file_changed_on_disk_after_it_was_read_is_a_conflict_and_is_not_overwritten()
    {
        using var engine = ComposeEngine.Open(_ws.Root);
        using var tx = engine.Begin("conflict");
        tx.Replace("src/Greeter.cs", "Demo.Greeter.Greet(string)", NewGreet);
        var theirs = SampleProjects.Greeter + "// someone else\n";
        _ws.Write("src/Greeter.cs", theirs);

        var ex = Assert.Throws<ComposeException>(() => tx.Complete());

        Assert.Equal(ComposeErrorCode.FileChangedSinceRead, ex.Code);
        Assert.Equal(theirs, _ws.ReadText("src/Greeter.cs"));
        Assert.Contains("src/Greeter.cs", ex.Paths);
    }

    [Fact]
    public void Each_operation_sees_the_result_of_the_ones_before_it()
    {
        using var engine = ComposeEngine.Open(_ws.Root);
        using var tx = engine.Begin("sequence");
        tx.InsertAfter("src/Greeter.cs", "Demo.Greeter.Greet(string)", "/// <summary>Counts.</summary>\n/// <returns>One.</returns>\npublic int Count() => 1;");
        tx.Replace("src/Greeter.cs", "Demo.Greeter.Count()", "/// <summary>Counts.</summary>\n/// <returns>Two.</returns>\npublic int Count() => 2;");
        tx.Delete("src/Greeter.cs", "Demo.Greeter.Farewell(string)");
        var result = tx.Complete();

        var text = _ws.ReadText("src/Greeter.cs");
        Assert.Contains("public int Count() => 2;", text);
        Assert.DoesNotContain("Count() => 1", text);
        Assert.DoesNotContain("Farewell", text);
        Assert.Equal(3, Assert.Single(result.Files).Operations.Count);
        var ex = Assert.Throws<ComposeException>(() => { using var again = engine.Begin("x"); again.Delete("src/Greeter.cs", "Demo.Greeter.Farewell(string)"); });
        Assert.Equal(ComposeErrorCode.TargetNotFound, ex.Code);
    }

    [Fact]
    public void A_second_engine_on_the_same_workspace_fails_clearly_while_the_first_holds_it()
    {
        using var first = ComposeEngine.Open(_ws.Root);

        var ex = Assert.Throws<ComposeException>(() => ComposeEngine.Open(_ws.Root, new ComposeOptions { LockTimeout = TimeSpan.FromMilliseconds(200) }));

        Assert.Equal(ComposeErrorCode.WorkspaceLocked, ex.Code);
        Assert.Equal(ComposeStep.Open, ex.Step);
        first.Dispose();
        using var second = ComposeEngine.Open(_ws.Root);
        Assert.Equal(_ws.Root, second.Root);
    }

    [Fact]
    public void The_result_reports_timings_backups_and_changed_ranges()
    {
        using var engine = ComposeEngine.Open(_ws.Root);
        using var tx = engine.Begin("result");
        tx.Replace("src/Greeter.cs", "Demo.Greeter.Greet(string)", NewGreet);
        var result = tx.Complete();

        var steps = result.Timings.Select(t => t.Step).ToList();
        Assert.Equal(
            new[] { ComposeStep.Validate, ComposeStep.Journal, ComposeStep.WriteTemp, ComposeStep.Backup, ComposeStep.IndexStage, ComposeStep.Move, ComposeStep.IndexCommit, ComposeStep.VcsCommit, ComposeStep.Done },
            steps);
        var file = Assert.Single(result.Files);
        Assert.Equal(SampleProjects.Greeter, File.ReadAllText(_ws.PathOf(file.BackupPath!)));
        var op = Assert.Single(file.Operations);
        Assert.True(op.OldLines.Count > 1);
        Assert.Equal(1, op.NewLines.Count);
        Assert.Equal(ComposeTransaction.Sha256(Encoding.UTF8.GetBytes(SampleProjects.Greeter)), file.OldHash);
        Assert.Equal(ComposeTransaction.Sha256(_ws.ReadBytes("src/Greeter.cs")), file.NewHash);
    }

    [Fact]
    public void Each_protocol_step_logs_with_its_own_event_id()
    {
        var logs = new CapturingLoggerProvider();
        using var engine = ComposeEngine.Open(_ws.Root, new ComposeOptions { LoggerFactory = logs });
        using var tx = engine.Begin("logged");
        tx.Replace("src/Greeter.cs", "Demo.Greeter.Greet(string)", NewGreet);
        tx.Complete();

        var ids = logs.Entries.Select(e => e.Id.Id).ToHashSet();
        foreach (var expected in new[] { 1, 10, 12, 13, 14, 15, 16, 17, 18, 19, 20 })
        {
            Assert.Contains(expected, ids);
        }

        Assert.Contains(logs.Entries, e => e.Id.Id == 18 && e.Message.Contains(tx.Id, StringComparison.Ordinal));
    }

    [Fact]
    public void AddAtomicCompose_registers_a_factory_using_the_configured_options()
    {
        var services = new ServiceCollection();
        var marker = new ComposeOptions().BackupRetention + 7;
        services.AddAtomicCompose(o => o.BackupRetention = marker);
        using var provider = services.BuildServiceProvider();

        Assert.Equal(marker, provider.GetRequiredService<ComposeOptions>().BackupRetention);
        using var engine = provider.GetRequiredService<IComposeEngineFactory>().Open(_ws.Root);
        Assert.Equal(Path.GetFullPath(_ws.Root), engine.Root);
    }

    [Fact]
    public void Insert_first_and_add_using_are_reachable_through_Stage()
    {
        using var engine = ComposeEngine.Open(_ws.Root);
        using var tx = engine.Begin("stage");
        tx.Stage("src/Greeter.cs", new EditOperation(EditKind.AddUsing, "", "System.Text"));
        tx.Stage("src/Greeter.cs", new EditOperation(EditKind.InsertFirst, "Demo.Greeter", "/// <summary>Created.</summary>\npublic const int Zero = 0;"));
        tx.Complete();

        var text = _ws.ReadText("src/Greeter.cs");
        Assert.StartsWith("using System.Text;", text);
        Assert.True(text.IndexOf("Zero = 0", StringComparison.Ordinal) < text.IndexOf("Greet(string name)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_cancelled_token_stops_the_transaction_before_anything_is_written()
    {
        var before = _ws.Snapshot();
        var head = _ws.Git("rev-parse", "HEAD");
        await using var engine = ComposeEngine.Open(_ws.Root);
        await using var tx = engine.Begin("cancelled");
        tx.Replace("src/Greeter.cs", "Demo.Greeter.Greet(string)", NewGreet);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        var ex = await Assert.ThrowsAsync<ComposeException>(() => tx.CompleteAsync(cts.Token));

        Assert.Equal(ComposeErrorCode.Cancelled, ex.Code);
        AssertSame(before, _ws.Snapshot());
        Assert.Equal(head, _ws.Git("rev-parse", "HEAD"));
        Assert.Empty(Directory.EnumerateFiles(_ws.PathOf(".atomiccompose/journal")));
    }

    [Fact]
    public async Task Cancelling_after_Apply_rolls_the_files_back()
    {
        var before = _ws.Snapshot();
        await using var engine = ComposeEngine.Open(_ws.Root);
        await using var tx = engine.Begin("cancelled after apply");
        tx.Replace("src/Greeter.cs", "Demo.Greeter.Greet(string)", NewGreet);
        await tx.ApplyAsync();
        Assert.Contains(NewGreet, _ws.ReadText("src/Greeter.cs"));

        var ex = await Assert.ThrowsAsync<ComposeException>(() => tx.CompleteAsync(new CancellationToken(canceled: true)));

        Assert.Equal(ComposeErrorCode.Cancelled, ex.Code);
        Assert.Equal(TransactionState.RolledBack, ex.State);
        AssertSame(before, _ws.Snapshot());
    }

    [Fact]
    public void ReplaceFile_writes_the_new_text_in_the_files_own_encoding_and_commits_it()
    {
        _ws.Write("docs/notes.txt", "old\r\n", bom: true);
        _ws.CommitAll("notes");
        using var engine = ComposeEngine.Open(_ws.Root);
        using var tx = engine.Begin("new notes");
        tx.ReplaceFile("docs/notes.txt", "new\r\nlines\r\n");
        var result = tx.Complete();

        Assert.Equal([0xEF, 0xBB, 0xBF, .. "new\r\nlines\r\n"u8.ToArray()], _ws.ReadBytes("docs/notes.txt"));
        Assert.Equal("docs/notes.txt", _ws.Git("show", "--name-only", "--format=", "HEAD"));
        Assert.Equal(result.CommitSha, _ws.Git("rev-parse", "HEAD"));
    }

    [Fact]
    public void ReplaceFile_of_a_CSharp_file_is_the_text_later_member_operations_compose_on()
    {
        var replaced = SampleProjects.Greeter.Replace("Says goodbye", "Says farewell", StringComparison.Ordinal);
        Assert.NotEqual(SampleProjects.Greeter, replaced);
        using var engine = ComposeEngine.Open(_ws.Root);
        using var tx = engine.Begin("replaced, then one member");
        tx.ReplaceFile("src/Greeter.cs", replaced);
        tx.Replace("src/Greeter.cs", "Demo.Greeter.Greet(string)", NewGreet);
        tx.Complete();

        var text = _ws.ReadText("src/Greeter.cs");
        Assert.Contains("Says farewell", text, StringComparison.Ordinal);
        Assert.Contains(NewGreet, text, StringComparison.Ordinal);
    }

    [Fact]
    public void ReplaceFile_of_a_missing_or_deleted_file_is_refused_and_changes_nothing()
    {
        var before = _ws.Snapshot();
        using var engine = ComposeEngine.Open(_ws.Root);
        using var tx = engine.Begin("nothing to replace");

        var missing = Assert.Throws<ComposeException>(() => tx.ReplaceFile("src/Missing.txt", "x"));
        Assert.Equal((ComposeErrorCode.FileState, ComposeStep.Stage), (missing.Code, missing.Step));
        tx.DeleteFile("src/Greeter.cs");
        var deleted = Assert.Throws<ComposeException>(() => tx.ReplaceFile("src/Greeter.cs", "x"));
        Assert.Equal(ComposeErrorCode.FileState, deleted.Code);
        tx.Dispose();
        AssertSame(before, _ws.Snapshot());
    }

    private static void AssertSame(SortedDictionary<string, byte[]> expected, SortedDictionary<string, byte[]> actual)
    {
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (path, bytes) in expected)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(actual[path]), $"{path} differs");
        }
    }
}
