using AtomicCompose.Files;
using AtomicCompose.Tests.TestSupport;

namespace AtomicCompose.Tests.Files;

/// <summary>
/// The grouped fsyncs of the protocol (temps and backups made durable together, one directory fsync per directory):
/// every file and every directory that got a new entry is still fsynced, each directory once.
/// </summary>
public sealed class DurabilityBatchTests : IDisposable
{
    private readonly TempWorkspace _ws = TempWorkspace.Create(git: false);

    public void Dispose() => _ws.Dispose();

    [Fact]
    public void Temps_and_backups_are_fsynced_file_by_file_then_each_new_folder_once()
    {
        var ops = new List<(string Op, string Path)>();
        var committer = new AtomicFileCommitter { IoHook = (op, path) => ops.Add((op, path)) };
        var source = _ws.Write("src/deep/A.cs", "class A { }\n");
        var temp = _ws.PathOf("src/deep/.A.cs.tx.tmp");
        var backup = _ws.PathOf(".atomiccompose/backups/tx/src/deep/A.cs");
        var batch = new DurabilityBatch();

        committer.WriteNew(temp, "class A { int X; }\n"u8, null, fsync: false, batch);
        committer.BackupDeferred(source, backup, batch);
        Assert.DoesNotContain(ops, o => o.Op is IoOp.FileFsync or IoOp.DirFsync);
        committer.Sync(batch);

        Assert.Equal("class A { }\n", File.ReadAllText(backup));
        Assert.Equal("class A { int X; }\n", File.ReadAllText(temp));
        var fsyncedFiles = ops.Where(o => o.Op == IoOp.FileFsync).Select(o => o.Path).ToList();
        Assert.Equal([temp, backup], fsyncedFiles);

        // Each folder that got an entry: .atomiccompose (backups created), backups, backups/tx, .../src, .../src/deep.
        var fsyncedDirs = ops.Where(o => o.Op == IoOp.DirFsync).Select(o => o.Path).ToList();
        Assert.Equal(fsyncedDirs.Distinct().Count(), fsyncedDirs.Count);
        foreach (var dir in new[] { ".atomiccompose", ".atomiccompose/backups", ".atomiccompose/backups/tx", ".atomiccompose/backups/tx/src", ".atomiccompose/backups/tx/src/deep" })
        {
            Assert.Contains(Path.TrimEndingDirectorySeparator(_ws.PathOf(dir)), fsyncedDirs);
        }

        // Every fsync comes after every write of the group.
        var lastWrite = ops.FindLastIndex(o => o.Op is IoOp.FileWrite or IoOp.FileCopy or IoOp.FileRename or IoOp.DirCreate);
        var firstSync = ops.FindIndex(o => o.Op is IoOp.FileFsync or IoOp.DirFsync);
        Assert.True(lastWrite < firstSync);
    }

    [Fact]
    public void Deferred_renames_leave_the_directory_fsync_to_one_call_per_directory()
    {
        var ops = new List<(string Op, string Path)>();
        var committer = new AtomicFileCommitter { IoHook = (op, path) => ops.Add((op, path)) };
        _ws.Write("src/A.cs", "a\n");
        _ws.Write("src/B.cs", "b\n");
        committer.WriteNew(_ws.PathOf("src/.A.tmp"), "A\n"u8, null, fsync: true);
        committer.WriteNew(_ws.PathOf("src/.B.tmp"), "B\n"u8, null, fsync: true);

        committer.ReplaceDeferred(_ws.PathOf("src/.A.tmp"), _ws.PathOf("src/A.cs"));
        committer.ReplaceDeferred(_ws.PathOf("src/.B.tmp"), _ws.PathOf("src/B.cs"));
        committer.SyncDirectories([_ws.PathOf("src"), _ws.PathOf("src")]);

        Assert.Equal("A\n", File.ReadAllText(_ws.PathOf("src/A.cs")));
        Assert.Equal("B\n", File.ReadAllText(_ws.PathOf("src/B.cs")));
        Assert.Equal([_ws.PathOf("src")], ops.Where(o => o.Op == IoOp.DirFsync).Select(o => o.Path));
        Assert.Equal(2, ops.Count(o => o.Op == IoOp.FileFsync));
    }
}
