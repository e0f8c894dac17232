using System.Security.Cryptography;
using System.Text;
using AtomicCompose.Files;
using AtomicCompose.Tests.TestSupport;

namespace AtomicCompose.Tests.Files;

public sealed class AtomicFileCommitterTests : IDisposable
{
    private readonly TempWorkspace _ws = TempWorkspace.Create(git: false);
    private readonly AtomicFileCommitter _committer = new();

    public void Dispose() => _ws.Dispose();

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    [Fact]
    public void Read_detects_and_strips_bom_and_encode_round_trips_bytes()
    {
        var path = _ws.Write("a.cs", "class A { }\n", bom: true);
        var original = File.ReadAllBytes(path);

        var snap = _committer.Read(path);

        Assert.True(snap.Exists);
        Assert.True(snap.HasBom);
        Assert.Equal("class A { }\n", snap.Text);
        Assert.NotEqual('\uFEFF', snap.Text[0]);
        Assert.Equal(original, snap.Bytes);
        Assert.Equal(original, snap.Encode(snap.Text));
        Assert.Equal(Sha(original), snap.Sha256);
    }

    [Fact]
    public void Read_without_bom_reports_no_bom()
    {
        var path = _ws.Write("a.cs", "class A { }\n");

        var snap = _committer.Read(path);

        Assert.False(snap.HasBom);
        Assert.Equal(File.ReadAllBytes(path), snap.Encode(snap.Text));
    }

    [Theory]
    [InlineData("a\r\nb\r\nc\n", "\r\n")]
    [InlineData("a\nb\nc\r\n", "\n")]
    [InlineData("no newline at all", "\n")]
    [InlineData("a\r\n", "\r\n")]
    public void Read_detects_dominant_newline(string text, string expected)
    {
        var path = _ws.Write("n.cs", text);

        Assert.Equal(expected, _committer.Read(path).NewLine);
    }

    [Fact]
    public void Read_of_invalid_utf8_throws_NotUtf8_with_path()
    {
        var path = _ws.PathOf("latin1.cs");
        File.WriteAllBytes(path, [0x2F, 0x2F, 0x20, 0x63, 0x61, 0x66, 0xE9, 0x0A]); // "// café" in Latin-1

        var e = Assert.Throws<ComposeException>(() => _committer.Read(path));

        Assert.Equal(ComposeErrorCode.NotUtf8, e.Code);
        Assert.Equal(ComposeStep.Stage, e.Step);
        Assert.Contains(path, e.Paths);
    }

    [Fact]
    public void Read_of_invalid_utf8_after_bom_throws_NotUtf8()
    {
        var path = _ws.PathOf("bom-bad.cs");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, 0x61, 0xFF, 0x0A]);

        Assert.Equal(ComposeErrorCode.NotUtf8, Assert.Throws<ComposeException>(() => _committer.Read(path)).Code);
    }

    [Fact]
    public void Read_of_missing_file_is_an_absent_snapshot()
    {
        var path = _ws.PathOf("missing/none.cs");

        var snap = _committer.Read(path);

        Assert.False(snap.Exists);
        Assert.Empty(snap.Bytes);
        Assert.Equal(string.Empty, snap.Text);
        Assert.Equal("\n", snap.NewLine);
        Assert.Null(snap.Sha256);
        Assert.Null(snap.Mode);
    }

    [Fact]
    public void Read_reports_unix_mode()
    {
        if (OperatingSystem.IsWindows()) { return; } // POSIX-only behaviour
        var path = _ws.Write("run.sh", "#!/bin/sh\n");
        var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(path, mode);

        Assert.Equal(mode, _committer.Read(path).Mode);
    }

    [Fact]
    public void WriteTemp_gives_exactly_the_requested_mode_despite_umask()
    {
        if (OperatingSystem.IsWindows()) { return; } // POSIX-only behaviour
        var temp = _ws.PathOf(".a.cs.tx1.tmp");
        // 0775 includes group write, which the usual umask 022 would strip from a plain create.
        var mode = (UnixFileMode)Convert.ToInt32("775", 8);

        _committer.WriteTemp(temp, "hello"u8, mode);

        Assert.Equal(mode, File.GetUnixFileMode(temp));
        Assert.Equal("hello"u8.ToArray(), File.ReadAllBytes(temp));
    }

    [Fact]
    public void WriteTemp_keeps_0755_of_target()
    {
        if (OperatingSystem.IsWindows()) { return; } // POSIX-only behaviour
        var target = _ws.Write("tool.sh", "#!/bin/sh\necho old\n");
        File.SetUnixFileMode(target, (UnixFileMode)Convert.ToInt32("755", 8));
        var snap = _committer.Read(target);
        var temp = _ws.PathOf(".tool.sh.tx.tmp");

        _committer.WriteTemp(temp, snap.Encode("#!/bin/sh\necho new\n"), snap.Mode);
        _committer.Replace(temp, target);

        Assert.Equal((UnixFileMode)Convert.ToInt32("755", 8), File.GetUnixFileMode(target));
        Assert.Equal("#!/bin/sh\necho new\n", File.ReadAllText(target));
    }

    [Fact]
    public void WriteTemp_refuses_an_existing_file_and_leaves_it_intact()
    {
        var temp = _ws.Write(".x.tmp", "someone else's");

        Assert.Throws<IOException>(() => _committer.WriteTemp(temp, "mine"u8, null));

        Assert.Equal("someone else's", File.ReadAllText(temp));
    }

    [Fact]
    public void Replace_is_a_rename_the_target_gets_the_temp_inode_and_content()
    {
        if (OperatingSystem.IsWindows()) { return; } // POSIX-only behaviour
        var target = _ws.Write("a.cs", "old\n");
        var temp = _ws.PathOf(".a.cs.tx.tmp");
        _committer.WriteTemp(temp, "new\n"u8, null);
        var tempInode = Inode(temp);
        var oldInode = Inode(target);

        _committer.Replace(temp, target);

        Assert.False(File.Exists(temp));
        Assert.Equal("new\n", File.ReadAllText(target));
        Assert.Equal(tempInode, Inode(target));
        Assert.NotEqual(oldInode, Inode(target));
    }

    [Fact]
    public void Replace_creates_a_target_that_did_not_exist()
    {
        var target = _ws.PathOf("New.cs");
        var temp = _ws.PathOf(".New.cs.tx.tmp");
        _committer.WriteTemp(temp, "class New { }\n"u8, null);

        _committer.Replace(temp, target);

        Assert.Equal("class New { }\n", File.ReadAllText(target));
    }

    [Fact]
    public void Replace_across_directories_is_refused_and_nothing_moves()
    {
        var target = _ws.Write("a.cs", "old\n");
        Directory.CreateDirectory(_ws.PathOf("other"));
        var temp = _ws.PathOf("other/.a.cs.tx.tmp");
        _committer.WriteTemp(temp, "new\n"u8, null);

        Assert.Throws<ArgumentException>(() => _committer.Replace(temp, target));

        Assert.True(File.Exists(temp));
        Assert.Equal("old\n", File.ReadAllText(target));
    }

    [Fact]
    public void Replace_refuses_a_symlink_target_and_keeps_the_link()
    {
        if (OperatingSystem.IsWindows()) { return; } // POSIX-only behaviour
        var real = _ws.Write("real.cs", "real\n");
        var link = _ws.PathOf("link.cs");
        File.CreateSymbolicLink(link, real);
        var temp = _ws.PathOf(".link.cs.tx.tmp");
        _committer.WriteTemp(temp, "new\n"u8, null);

        var e = Assert.Throws<ComposeException>(() => _committer.Replace(temp, link));

        Assert.Equal(ComposeErrorCode.FileState, e.Code);
        Assert.Equal(ComposeStep.Move, e.Step);
        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.Equal("real\n", File.ReadAllText(real));
        Assert.True(_committer.Read(link).IsSymbolicLink);
        Assert.False(_committer.Read(real).IsSymbolicLink);
    }

    [Fact]
    public void Backup_then_Restore_is_byte_identical_and_keeps_the_backup()
    {
        var original = new byte[] { 0xEF, 0xBB, 0xBF, (byte)'a', (byte)'\r', (byte)'\n', (byte)'b' };
        var target = _ws.PathOf("a.cs");
        File.WriteAllBytes(target, original);
        var backup = _ws.PathOf(".atomiccompose/backups/tx1/a.cs");

        _committer.Backup(target, backup);
        File.WriteAllText(target, "changed");
        _committer.Restore(backup, target, _ws.PathOf(".a.cs.tx1.restore.tmp"), null);

        Assert.Equal(original, File.ReadAllBytes(target));
        Assert.Equal(original, File.ReadAllBytes(backup));
        Assert.False(File.Exists(_ws.PathOf(".a.cs.tx1.restore.tmp")));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(backup)!, "*.tmp"));
    }

    [Fact]
    public void Restore_sets_mode_recreates_a_deleted_target_and_tolerates_a_leftover_temp()
    {
        if (OperatingSystem.IsWindows()) { return; } // POSIX-only behaviour
        var target = _ws.Write("bin/run.sh", "#!/bin/sh\n");
        var backup = _ws.PathOf(".atomiccompose/backups/tx2/bin/run.sh");
        _committer.Backup(target, backup);
        File.Delete(target);
        var temp = _ws.Write("bin/.run.sh.tx2.tmp", "stale half-written temp from a crash");
        var mode = (UnixFileMode)Convert.ToInt32("755", 8);

        _committer.Restore(backup, target, temp, mode);

        Assert.Equal("#!/bin/sh\n", File.ReadAllText(target));
        Assert.Equal(mode, File.GetUnixFileMode(target));
        Assert.False(File.Exists(temp));
    }

    [Fact]
    public void Backup_overwrites_an_older_backup_at_the_same_path()
    {
        var target = _ws.Write("a.cs", "v2");
        var backup = _ws.Write(".atomiccompose/backups/a.cs", "v1");

        _committer.Backup(target, backup);

        Assert.Equal("v2", File.ReadAllText(backup));
    }

    [Fact]
    public void Delete_removes_an_existing_file_and_ignores_a_missing_one()
    {
        var path = _ws.Write("gone.cs", "x");

        _committer.Delete(path);
        _committer.Delete(path);
        _committer.Delete(_ws.PathOf("no/such/dir/file.cs"));

        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Delete_removes_a_dangling_symlink()
    {
        if (OperatingSystem.IsWindows()) { return; } // POSIX-only behaviour
        var link = _ws.PathOf("dangling.cs");
        File.CreateSymbolicLink(link, _ws.PathOf("nowhere.cs"));

        _committer.Delete(link);

        Assert.Null(new FileInfo(link).LinkTarget);
        Assert.False(File.Exists(link));
    }

    [Fact]
    public void Hash_is_lowercase_sha256_or_null()
    {
        var path = _ws.Write("h.cs", "abc");

        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", _committer.Hash(path));
        Assert.Null(_committer.Hash(_ws.PathOf("nope.cs")));
    }

    [Fact]
    public void CreateDirectory_creates_nested_directories()
    {
        var dir = _ws.PathOf("a/b/c/d");

        _committer.CreateDirectory(dir);
        _committer.CreateDirectory(dir);

        Assert.True(Directory.Exists(dir));
    }

    [Fact]
    public void FsyncDirectory_works_on_a_real_directory_and_reports_errno_on_a_missing_one()
    {
        if (OperatingSystem.IsWindows()) { return; } // POSIX-only behaviour
        PosixSync.FsyncDirectory(_ws.Root);

        var e = Assert.Throws<IOException>(() => PosixSync.FsyncDirectory(_ws.PathOf("missing-dir")));
        Assert.Contains("errno 2", e.Message);
    }

    [Fact]
    public void FsyncDirectory_on_a_regular_file_fails_because_of_O_DIRECTORY()
    {
        if (OperatingSystem.IsWindows()) { return; } // POSIX-only behaviour
        var file = _ws.Write("f.txt", "x");

        var e = Assert.Throws<IOException>(() => PosixSync.FsyncDirectory(file));
        Assert.Contains("errno 20", e.Message); // ENOTDIR proves the flag value is right for this architecture
    }

    [Fact]
    public void A_decorator_can_inject_faults_into_the_committer()
    {
        var faulty = new FaultInjectingFileCommitter(_committer) { FailReplace = () => new IOException("No space left on device", 28) };
        var target = _ws.Write("a.cs", "old");
        var temp = _ws.PathOf(".a.cs.t.tmp");
        faulty.WriteTemp(temp, "new"u8, null);

        var e = Assert.Throws<IOException>(() => faulty.Replace(temp, target));

        Assert.Equal(28, e.HResult);
        Assert.Equal("old", File.ReadAllText(target));
        Assert.Equal(1, faulty.Calls["WriteTemp"]);
    }

    private static ulong Inode(string path)
    {
        // `stat -c %i` keeps the test free of another P/Invoke surface.
        var psi = new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%i", path]) { RedirectStandardOutput = true };
        using var p = System.Diagnostics.Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return ulong.Parse(output.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
