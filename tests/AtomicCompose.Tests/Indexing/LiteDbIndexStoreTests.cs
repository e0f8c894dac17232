using AtomicCompose.Indexing;
using AtomicCompose.Tests.TestSupport;
using LiteDB;

namespace AtomicCompose.Tests.Indexing;

public sealed class LiteDbIndexStoreTests : IDisposable
{
    private readonly TempWorkspace _ws = TempWorkspace.Create(git: false);

    private string DbPath => _ws.PathOf(".atomiccompose/index.db");

    public void Dispose() => _ws.Dispose();

    [Fact]
    public void Commit_then_read_back_files_and_entities()
    {
        using var store = new LiteDbIndexStore(DbPath);
        var cs = IndexTestData.ChangeSet("tx1", ("src/Greeter.cs", IndexTestData.Greeter), ("src/Util.cs", IndexTestData.Util));

        store.Commit(cs);

        var files = store.GetFiles();
        Assert.Equal(["src/Greeter.cs", "src/Util.cs"], files.Select(f => f.Path));
        var greeter = store.GetFile("src/Greeter.cs");
        Assert.NotNull(greeter);
        var expected = cs.Files[0];
        Assert.Equal(expected.ContentHash, greeter.ContentHash);
        Assert.Equal(expected.Size, greeter.Size);
        Assert.Equal(expected.Lines, greeter.Lines);
        Assert.Equal("lf", greeter.NewLine);
        Assert.Equal("utf-8", greeter.Encoding);
        Assert.Equal("tx1", greeter.LastTransaction);
        Assert.Null(greeter.Commit);

        var entities = store.QueryEntities(new EntityQuery(Path: "src/Greeter.cs"));
        Assert.Equal(["Demo.Greeter", "Demo.Greeter.Greet(string)", "Demo.Greeter.Farewell(string)"], entities.Select(e => e.NamePath));
        var greet = entities[1];
        var original = cs.Entities.Single(e => e.NamePath == "Demo.Greeter.Greet(string)");
        Assert.Equal("src/Greeter.cs#Demo.Greeter.Greet(string)", greet.Id);
        Assert.Equal(original.Signature, greet.Signature);
        Assert.Equal(original.TextHash, greet.TextHash);
        Assert.Equal(original.StructuralHash, greet.StructuralHash);
        Assert.Equal((5, 6), (greet.StartLine, greet.EndLine));
        Assert.True(greet.HasDocs);
        Assert.Equal("public", greet.Accessibility);
        Assert.Equal("method", greet.Kind);
        Assert.Equal("tx1", greet.LastTransaction);
        Assert.Null(store.GetFile("src/Nope.cs"));
    }

    [Fact]
    public void Empty_strings_and_whitespace_survive_the_round_trip()
    {
        using var store = new LiteDbIndexStore(DbPath);
        var file = new FileRecord { Path = "a.cs", ContentHash = "h", NewLine = "crlf" };
        var entity = new EntityRecord { Id = "a.cs#X", Path = "a.cs", NamePath = "X", Kind = "class", Signature = "", Accessibility = " internal ", TextHash = "t", StructuralHash = "s" };
        store.Commit(new IndexChangeSet("tx1", [file], [entity], []));

        var back = Assert.Single(store.QueryEntities(new EntityQuery()));
        Assert.Equal("", back.Signature);
        Assert.Equal(" internal ", back.Accessibility);
        Assert.Equal("crlf", store.GetFile("a.cs")!.NewLine);
    }

    [Fact]
    public void Paths_differing_only_in_case_are_different_keys()
    {
        using var store = new LiteDbIndexStore(DbPath);
        store.Commit(IndexTestData.ChangeSet("tx1", ("A.cs", IndexTestData.Greeter), ("a.cs", IndexTestData.Util)));

        Assert.Equal(["A.cs", "a.cs"], store.GetFiles().Select(f => f.Path));
        Assert.Equal("Demo.Greeter", store.QueryEntities(new EntityQuery(Path: "A.cs"))[0].NamePath);
        Assert.Equal("Demo.Tools.Util", store.QueryEntities(new EntityQuery(Path: "a.cs"))[0].NamePath);
        Assert.Empty(store.QueryEntities(new EntityQuery(NamePath: "demo.greeter")));
    }

    [Fact]
    public void Replacing_a_file_replaces_all_its_entities()
    {
        using var store = new LiteDbIndexStore(DbPath);
        store.Commit(IndexTestData.ChangeSet("tx1", ("src/Greeter.cs", IndexTestData.Greeter), ("src/Util.cs", IndexTestData.Util)));
        var utilBefore = store.QueryEntities(new EntityQuery(Path: "src/Util.cs")).Select(e => e.Id).ToList();

        store.Commit(IndexTestData.ChangeSet("tx2", ("src/Greeter.cs", IndexTestData.GreeterV2)));

        var entities = store.QueryEntities(new EntityQuery(Path: "src/Greeter.cs"));
        Assert.Equal(["Demo.Greeter", "Demo.Greeter.Greet(string)", "Demo.Greeter.Count"], entities.Select(e => e.NamePath));
        Assert.All(entities, e => Assert.Equal("tx2", e.LastTransaction));
        Assert.Empty(store.QueryEntities(new EntityQuery(NamePath: "Demo.Greeter.Farewell(string)")));
        Assert.Equal("tx2", store.GetFile("src/Greeter.cs")!.LastTransaction);
        Assert.Equal(IndexTestData.Records("x", IndexTestData.GreeterV2, "t").File.ContentHash, store.GetFile("src/Greeter.cs")!.ContentHash);
        // The other file is untouched.
        Assert.Equal(utilBefore, store.QueryEntities(new EntityQuery(Path: "src/Util.cs")).Select(e => e.Id));
        Assert.Equal("tx1", store.GetFile("src/Util.cs")!.LastTransaction);
    }

    [Fact]
    public void Removed_paths_lose_their_file_and_entities()
    {
        using var store = new LiteDbIndexStore(DbPath);
        store.Commit(IndexTestData.ChangeSet("tx1", ("src/Greeter.cs", IndexTestData.Greeter), ("src/Util.cs", IndexTestData.Util)));

        store.Commit(new IndexChangeSet("tx2", [], [], ["src/Util.cs"]));

        Assert.Null(store.GetFile("src/Util.cs"));
        Assert.Empty(store.QueryEntities(new EntityQuery(Path: "src/Util.cs")));
        Assert.Empty(store.QueryEntities(new EntityQuery(NamePath: "Demo.Tools.*")));
        Assert.Equal(["src/Greeter.cs"], store.GetFiles().Select(f => f.Path));
        Assert.Equal(3, store.QueryEntities(new EntityQuery()).Count);
        Assert.True(store.IsCommitted("tx2"));
    }

    [Fact]
    public void IsCommitted_is_true_only_after_commit()
    {
        using var store = new LiteDbIndexStore(DbPath);
        Assert.False(store.IsCommitted("tx1"));

        store.Commit(IndexTestData.ChangeSet("tx1", ("src/Greeter.cs", IndexTestData.Greeter)));

        Assert.True(store.IsCommitted("tx1"));
        Assert.False(store.IsCommitted("tx2"));
        var record = store.GetTransaction("tx1");
        Assert.NotNull(record);
        Assert.InRange(record.CommittedUtc.ToUniversalTime(), DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(1));
        Assert.Null(record.CommitSha);
    }

    [Fact]
    public void Failure_inside_commit_rolls_back_everything()
    {
        using var store = new LiteDbIndexStore(DbPath);
        store.Commit(IndexTestData.ChangeSet("tx1", ("src/Greeter.cs", IndexTestData.Greeter)));
        var before = store.GetFile("src/Greeter.cs")!;
        var entitiesBefore = store.QueryEntities(new EntityQuery()).Select(e => (e.Id, e.TextHash)).ToList();

        // tx2 rewrites Greeter.cs and adds Util.cs, but two entities share an id: LiteDB's unique key
        // fails the insert after the file upserts and entity deletes already happened.
        var cs = IndexTestData.ChangeSet("tx2", ("src/Greeter.cs", IndexTestData.GreeterV2), ("src/Util.cs", IndexTestData.Util));
        var dup = cs.Entities[^1];
        var clone = new EntityRecord { Id = dup.Id, Path = dup.Path, NamePath = dup.NamePath, Kind = dup.Kind, TextHash = "x", StructuralHash = "y" };
        var bad = cs with { Entities = [.. cs.Entities, clone] };

        var ex = Assert.Throws<ComposeException>(() => store.Commit(bad));

        Assert.Equal(ComposeErrorCode.Index, ex.Code);
        Assert.Equal(ComposeStep.IndexCommit, ex.Step);
        Assert.Equal(TransactionState.Applied, ex.State);
        Assert.NotNull(ex.InnerException);
        Assert.False(store.IsCommitted("tx2"));
        Assert.Null(store.GetFile("src/Util.cs"));
        Assert.Equal(before.ContentHash, store.GetFile("src/Greeter.cs")!.ContentHash);
        Assert.Equal("tx1", store.GetFile("src/Greeter.cs")!.LastTransaction);
        Assert.Equal(entitiesBefore, store.QueryEntities(new EntityQuery()).Select(e => (e.Id, e.TextHash)));

        // The write lock was released: the corrected change set commits.
        store.Commit(cs);
        Assert.True(store.IsCommitted("tx2"));
        Assert.NotNull(store.GetFile("src/Util.cs"));
    }

    [Fact]
    public void Failed_commit_is_not_visible_after_reopen()
    {
        using (var store = new LiteDbIndexStore(DbPath))
        {
            var cs = IndexTestData.ChangeSet("tx1", ("src/Greeter.cs", IndexTestData.Greeter));
            var bad = cs with { Entities = [.. cs.Entities, cs.Entities[0]] };
            Assert.Throws<ComposeException>(() => store.Commit(bad));
        }

        using var reopened = new LiteDbIndexStore(DbPath);
        Assert.Empty(reopened.GetFiles());
        Assert.Empty(reopened.QueryEntities(new EntityQuery()));
        Assert.False(reopened.IsCommitted("tx1"));
    }

    [Fact]
    public void Commit_on_a_disposed_store_fails_and_commits_nothing()
    {
        var store = new LiteDbIndexStore(DbPath);
        store.Dispose();
        store.Dispose(); // idempotent

        var ex = Assert.Throws<ComposeException>(() => store.Commit(IndexTestData.ChangeSet("tx1", ("src/Greeter.cs", IndexTestData.Greeter))));
        Assert.Equal(ComposeErrorCode.Index, ex.Code);
        Assert.IsType<ObjectDisposedException>(ex.InnerException);

        using var reopened = new LiteDbIndexStore(DbPath);
        Assert.Empty(reopened.GetFiles());
        Assert.False(reopened.IsCommitted("tx1"));
    }

    [Fact]
    public void Invalid_change_sets_are_refused_before_writing()
    {
        using var store = new LiteDbIndexStore(DbPath);
        var cs = IndexTestData.ChangeSet("tx1", ("src/Greeter.cs", IndexTestData.Greeter));

        var orphan = new EntityRecord { Id = "other.cs#X", Path = "other.cs", NamePath = "X" };
        Assert.Throws<ComposeException>(() => store.Commit(cs with { Entities = [.. cs.Entities, orphan] }));
        Assert.Throws<ComposeException>(() => store.Commit(cs with { RemovedPaths = ["src/Greeter.cs"] }));
        Assert.Throws<ComposeException>(() => store.Commit(cs with { TransactionId = "" }));
        Assert.Throws<ComposeException>(() => store.Commit(cs with { Files = [cs.Files[0], cs.Files[0]] }));

        Assert.Empty(store.GetFiles());
        Assert.False(store.IsCommitted("tx1"));
    }

    [Fact]
    public void Committing_the_same_transaction_twice_fails_the_second_time()
    {
        using var store = new LiteDbIndexStore(DbPath);
        store.Commit(IndexTestData.ChangeSet("tx1", ("src/Greeter.cs", IndexTestData.Greeter)));

        var ex = Assert.Throws<ComposeException>(() => store.Commit(IndexTestData.ChangeSet("tx1", ("src/Util.cs", IndexTestData.Util))));

        Assert.Equal(ComposeErrorCode.Index, ex.Code);
        Assert.Null(store.GetFile("src/Util.cs"));
    }

    [Fact]
    public void Data_persists_across_reopen_and_collections_exist()
    {
        using (var store = new LiteDbIndexStore(DbPath))
        {
            store.Commit(IndexTestData.ChangeSet("tx1", ("src/Greeter.cs", IndexTestData.Greeter)));
            store.SetCommit("tx1", "abc123", ["src/Greeter.cs"]);
        }

        using (var reopened = new LiteDbIndexStore(DbPath))
        {
            Assert.True(reopened.IsCommitted("tx1"));
            Assert.Equal("abc123", reopened.GetFile("src/Greeter.cs")!.Commit);
            Assert.Equal(3, reopened.QueryEntities(new EntityQuery(Path: "src/Greeter.cs")).Count);
            Assert.Equal("abc123", reopened.GetTransaction("tx1")!.CommitSha);
        }

        using var raw = new LiteDatabase(new ConnectionString { Filename = DbPath, Connection = ConnectionType.Direct, ReadOnly = true });
        Assert.Equal(["entities", "files", "transactions"], raw.GetCollectionNames().Order());
        var indexes = raw.GetCollection("$indexes").Find("collection = 'entities'").Select(d => d["name"].AsString).ToList();
        Assert.Contains("Path", indexes);
        Assert.Contains("NamePath", indexes);
        Assert.Contains("Kind", indexes);
        Assert.Equal("src/Greeter.cs", raw.GetCollection("files").FindAll().Single()["_id"].AsString);
    }

    [Fact]
    public void Lock_timeout_is_set_on_the_database()
    {
        using (var store = new LiteDbIndexStore(DbPath, TimeSpan.FromSeconds(3)))
        {
            Assert.Equal(TimeSpan.FromSeconds(3), store.LockTimeout);
        }

        using var byDefault = new LiteDbIndexStore(DbPath);
        Assert.Equal(LiteDbIndexStore.DefaultLockTimeout, byDefault.LockTimeout);
        Assert.NotEqual(TimeSpan.FromMinutes(1), LiteDbIndexStore.DefaultLockTimeout); // LiteDB's own default
    }

    [Fact]
    public void Fresh_store_creates_all_collections_at_startup()
    {
        new LiteDbIndexStore(DbPath).Dispose();

        using var raw = new LiteDatabase(new ConnectionString { Filename = DbPath, Connection = ConnectionType.Direct, ReadOnly = true });
        Assert.Equal(["entities", "files", "transactions"], raw.GetCollectionNames().Order());
    }

    [Fact]
    public void Commit_and_IsCommitted_work_from_threads_other_than_the_creator()
    {
        LiteDbIndexStore? store = null;
        var creator = new Thread(() => store = new LiteDbIndexStore(DbPath));
        creator.Start();
        creator.Join();
        using var _ = store;
        var creatorId = creator.ManagedThreadId;

        int committerId = 0;
        var committer = new Thread(() =>
        {
            committerId = Environment.CurrentManagedThreadId;
            store!.Commit(IndexTestData.ChangeSet("tx1", ("src/Greeter.cs", IndexTestData.Greeter)));
        });
        committer.Start();
        committer.Join();

        bool committed = false;
        var reader = new Thread(() => committed = store!.IsCommitted("tx1"));
        reader.Start();
        reader.Join();

        Assert.NotEqual(creatorId, committerId);
        Assert.True(committed);
        Assert.NotNull(store!.GetFile("src/Greeter.cs"));
    }

    [Fact]
    public async Task Commit_after_await_on_another_thread_commits()
    {
        using var store = new LiteDbIndexStore(DbPath);

        await Task.Yield();
        await Task.Run(() => store.Commit(IndexTestData.ChangeSet("tx1", ("src/Greeter.cs", IndexTestData.Greeter))));
        await Task.Run(() => store.Commit(IndexTestData.ChangeSet("tx2", ("src/Util.cs", IndexTestData.Util))));

        Assert.True(await Task.Run(() => store.IsCommitted("tx1")));
        Assert.True(store.IsCommitted("tx2"));
        Assert.Equal(2, store.GetFiles().Count);
    }

    [Fact]
    public void SetCommit_stamps_transaction_and_its_files_only()
    {
        using var store = new LiteDbIndexStore(DbPath);
        store.Commit(IndexTestData.ChangeSet("tx1", ("src/Greeter.cs", IndexTestData.Greeter), ("src/Util.cs", IndexTestData.Util)));
        store.Commit(IndexTestData.ChangeSet("tx2", ("src/Util.cs", IndexTestData.Util)));

        store.SetCommit("tx1", "sha1", ["src/Greeter.cs", "src/Util.cs", "src/Missing.cs"]);

        Assert.Equal("sha1", store.GetTransaction("tx1")!.CommitSha);
        Assert.Equal("sha1", store.GetFile("src/Greeter.cs")!.Commit);
        Assert.Null(store.GetFile("src/Util.cs")!.Commit); // rewritten by tx2 since
        Assert.Null(store.GetTransaction("tx2")!.CommitSha);

        var ex = Assert.Throws<ComposeException>(() => store.SetCommit("nope", "sha2", ["src/Greeter.cs"]));
        Assert.Equal(ComposeErrorCode.Index, ex.Code);
        Assert.Equal("sha1", store.GetFile("src/Greeter.cs")!.Commit);
    }

    [Fact]
    public void QueryEntities_filters_by_name_path_prefix_kind_and_path()
    {
        using var store = new LiteDbIndexStore(DbPath);
        store.Commit(IndexTestData.ChangeSet("tx1", ("src/Util.cs", IndexTestData.Util), ("src/Greeter.cs", IndexTestData.Greeter), ("lib/Greeter.cs", IndexTestData.GreeterV2)));

        var all = store.QueryEntities(new EntityQuery());
        Assert.Equal(3 + 3 + 3, all.Count);
        Assert.Equal(
            all.OrderBy(e => e.Path, StringComparer.Ordinal).ThenBy(e => e.StartLine).Select(e => e.Id),
            all.Select(e => e.Id));
        Assert.Equal("lib/Greeter.cs", all[0].Path);

        var exact = store.QueryEntities(new EntityQuery(NamePath: "Demo.Greeter.Greet(string)"));
        Assert.Equal(["lib/Greeter.cs", "src/Greeter.cs"], exact.Select(e => e.Path));

        var prefix = store.QueryEntities(new EntityQuery(NamePath: "Demo.Greeter.*"));
        Assert.Equal(["Demo.Greeter.Greet(string)", "Demo.Greeter.Count", "Demo.Greeter.Greet(string)", "Demo.Greeter.Farewell(string)"], prefix.Select(e => e.NamePath));

        // '_' is a LIKE wildcard in LiteDB: the prefix must still be literal.
        var underscore = store.QueryEntities(new EntityQuery(NamePath: "Demo.Tools.Util.My_*"));
        Assert.Equal(["Demo.Tools.Util.My_A()"], underscore.Select(e => e.NamePath));

        var methods = store.QueryEntities(new EntityQuery(Kind: "method", Path: "src/Greeter.cs"));
        Assert.Equal(["Demo.Greeter.Greet(string)", "Demo.Greeter.Farewell(string)"], methods.Select(e => e.NamePath));

        var combined = store.QueryEntities(new EntityQuery(NamePath: "Demo.*", Kind: "class"));
        Assert.Equal(["lib/Greeter.cs#Demo.Greeter", "src/Greeter.cs#Demo.Greeter", "src/Util.cs#Demo.Tools.Util"], combined.Select(e => e.Id));

        Assert.Equal(all.Count, store.QueryEntities(new EntityQuery(NamePath: "*")).Count);
        Assert.Empty(store.QueryEntities(new EntityQuery(Kind: "METHOD")));
        Assert.Empty(store.QueryEntities(new EntityQuery(NamePath: "Demo.Greeter.Greet")));
    }
}

public sealed class LiteDbIndexStoreCrashTests : IDisposable
{
    private readonly TempWorkspace _ws = TempWorkspace.Create(git: false);

    public void Dispose() => _ws.Dispose();

    /// <summary>
    /// Copies the data file and its write-ahead log while the store is still open, right after
    /// Commit returns: that is what a killed process leaves behind (its writes are in the OS, it
    /// never disposed or checkpointed). A store opened on the copy must see every commit.
    /// </summary>
    [Fact]
    public void A_commit_survives_a_process_crash_right_after_it_returns()
    {
        var dbPath = _ws.PathOf(".atomiccompose/index.db");
        using var store = new LiteDbIndexStore(dbPath);
        for (var i = 1; i <= 5; i++)
        {
            store.Commit(IndexTestData.ChangeSet("tx" + i, ($"src/F{i}.cs", IndexTestData.Greeter)));

            var crashDir = _ws.PathOf($"crash{i}");
            Directory.CreateDirectory(crashDir);
            var copy = Path.Combine(crashDir, "index.db");
            File.Copy(dbPath, copy);
            var log = Path.Combine(Path.GetDirectoryName(dbPath)!, "index-log.db");
            Assert.True(File.Exists(log), "the commit is expected in the write-ahead log, not yet checkpointed");
            File.Copy(log, Path.Combine(crashDir, "index-log.db"));

            using var recovered = new LiteDbIndexStore(copy);
            Assert.True(recovered.IsCommitted("tx" + i));
            Assert.Equal(i, recovered.GetFiles().Count);
            Assert.Equal(3 * i, recovered.QueryEntities(new EntityQuery()).Count);
        }
    }
}
