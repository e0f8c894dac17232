using AtomicCompose.Tests.TestSupport;
using AtomicCompose.Vcs;

namespace AtomicCompose.Tests.Vcs;

public sealed class GitVcsTests : IDisposable
{
    private readonly TempWorkspace _ws = TempWorkspace.Create();

    public void Dispose() => _ws.Dispose();

    private string[] Tree(string rev = "HEAD") => _ws.Git("ls-tree", "-r", "--name-only", rev).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private string[] ChangedIn(string rev = "HEAD") =>
        _ws.Git("show", "--name-only", "--format=", rev).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private string[] Porcelain() => _ws.Git("status", "--porcelain").Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private string SeedRepo()
    {
        _ws.Write("src/A.cs", "class A { }\n");
        _ws.Write("src/B.cs", "class B { }\n");
        _ws.Write("README.md", "readme\n");
        return _ws.CommitAll();
    }

    [Fact]
    public void Commit_contains_exactly_the_given_paths_with_trailer_and_is_found_by_transaction_id()
    {
        var parent = SeedRepo();
        using var vcs = new GitVcs(_ws.Root);
        _ws.Write("src/A.cs", "class A { int X; }\n");
        _ws.Write("src/New.cs", "class New { }\n");
        _ws.Write("README.md", "readme changed but not composed\n");

        var sha = vcs.Commit(new VcsCommitRequest(["src/A.cs", "src/New.cs"], "Edit A", "tx-123", parent));

        Assert.Equal(sha, _ws.Git("rev-parse", "HEAD"));
        Assert.Equal(parent, _ws.Git("rev-parse", "HEAD^"));
        Assert.Equal(["src/A.cs", "src/New.cs"], ChangedIn().Order().ToArray());
        Assert.Equal("class A { int X; }\n", _ws.Git("show", "HEAD:src/A.cs") + "\n");
        Assert.Equal("readme\n", _ws.Git("show", "HEAD:README.md") + "\n");
        Assert.Equal("tx-123", _ws.Git("log", "-1", "--format=%(trailers:key=Compose-Transaction,valueonly)").Trim());
        Assert.Equal("Edit A", _ws.Git("log", "-1", "--format=%s"));
        Assert.Equal(sha, vcs.FindTransactionCommit("tx-123"));
        Assert.Null(vcs.FindTransactionCommit("tx-999"));
        Assert.Equal(sha, vcs.Head());
    }

    [Fact]
    public void Users_staged_and_unstaged_changes_survive_and_committed_paths_are_clean()
    {
        var parent = SeedRepo();
        using var vcs = new GitVcs(_ws.Root);
        _ = vcs.Head(); // the user stages *after* the repository was first touched: a cached index must not win
        _ws.Write("src/B.cs", "class B { staged }\n");
        _ws.Git("add", "src/B.cs");
        _ws.Write("README.md", "readme unstaged edit\n");
        _ws.Write("untracked.txt", "u\n");
        _ws.Write("src/A.cs", "class A { composed }\n");

        vcs.Commit(new VcsCommitRequest(["src/A.cs"], "Edit A", "tx-1", parent));

        Assert.Equal(["src/A.cs"], ChangedIn());
        Assert.Equal("class B { }\n", _ws.Git("show", "HEAD:src/B.cs") + "\n");
        var status = Porcelain();
        Assert.Contains("M  src/B.cs", status);      // still staged, not committed
        Assert.Contains(" M README.md", status);     // still unstaged
        Assert.Contains("?? untracked.txt", status);
        Assert.DoesNotContain(status, l => l.EndsWith("src/A.cs", StringComparison.Ordinal));
        Assert.Equal("class B { staged }\n", _ws.Git("show", ":src/B.cs") + "\n");
        Assert.Equal("readme unstaged edit\n", _ws.ReadText("README.md"));
    }

    [Fact]
    public void A_same_size_edit_made_in_the_second_git_recorded_the_file_stays_visible_after_a_later_commit()
    {
        var parent = SeedRepo();
        using var vcs = new GitVcs(_ws.Root);

        // git (without nanosecond times) sees this edit only while the index is as new as the entry, to the second.
        long second;
        do
        {
            second = WaitForNextSecond();
            _ws.Write("README.md", "readme\n");
            _ws.Git("add", "README.md");
            _ws.Write("README.md", "README\n");
        }
        while (DateTimeOffset.UtcNow.ToUnixTimeSeconds() != second);

        WaitForNextSecond();
        _ws.Write("src/A.cs", "class A { composed }\n");
        vcs.Commit(new VcsCommitRequest(["src/A.cs"], "Edit A", "tx-racy", parent));

        Assert.Equal([" M README.md"], Porcelain());
        Assert.Equal("README\n", _ws.ReadText("README.md"));
        Assert.Equal("readme\n", _ws.Git("show", ":README.md") + "\n");
    }

    [Fact]
    public void An_intent_to_add_entry_stays_intent_to_add_after_a_commit()
    {
        var parent = SeedRepo();
        using var vcs = new GitVcs(_ws.Root);
        _ws.Write("planned.txt", "not staged yet\n");
        _ws.Git("add", "-N", "planned.txt");
        _ws.Write("src/A.cs", "class A { composed }\n");

        vcs.Commit(new VcsCommitRequest(["src/A.cs"], "Edit A", "tx-ita", parent));

        Assert.Equal([" A planned.txt"], Porcelain());
        Assert.Equal(["src/A.cs"], ChangedIn());
    }

    private static long WaitForNextSecond()
    {
        var now = DateTimeOffset.UtcNow;
        var next = now.ToUnixTimeSeconds() + 1;
        Thread.Sleep(DateTimeOffset.FromUnixTimeSeconds(next) - now + TimeSpan.FromMilliseconds(20));
        return next;
    }

    [Fact]
    public void A_different_staged_version_of_a_committed_path_is_replaced_by_the_committed_one()
    {
        var parent = SeedRepo();
        using var vcs = new GitVcs(_ws.Root);
        _ws.Write("src/A.cs", "class A { staged by user }\n");
        _ws.Git("add", "src/A.cs");
        _ws.Write("src/A.cs", "class A { composed }\n");

        vcs.Commit(new VcsCommitRequest(["src/A.cs"], "Edit A", "tx-2", parent));

        Assert.Equal("class A { composed }", _ws.Git("show", "HEAD:src/A.cs"));
        Assert.Equal("class A { composed }", _ws.Git("show", ":src/A.cs"));
        Assert.Empty(Porcelain());
    }

    [Fact]
    public void Deleted_path_is_removed_from_the_tree_and_the_index()
    {
        var parent = SeedRepo();
        using var vcs = new GitVcs(_ws.Root);
        File.Delete(_ws.PathOf("src/B.cs"));

        vcs.Commit(new VcsCommitRequest(["src/B.cs"], "Delete B", "tx-del", parent));

        Assert.DoesNotContain("src/B.cs", Tree());
        Assert.Contains("src/A.cs", Tree());
        Assert.Empty(Porcelain());
    }

    [Fact]
    public void Paths_with_glob_characters_are_taken_literally()
    {
        _ws.Write("a[1].cs", "one\n");
        _ws.Write("a1.cs", "a1\n");
        var parent = _ws.CommitAll();
        using var vcs = new GitVcs(_ws.Root);
        _ws.Write("a[1].cs", "one changed\n");
        _ws.Write("a1.cs", "a1 changed, not composed\n");

        vcs.Commit(new VcsCommitRequest(["a[1].cs"], "glob", "tx-glob", parent));

        Assert.Equal(["a[1].cs"], ChangedIn());
        Assert.Equal([" M a1.cs"], Porcelain());
    }

    [Fact]
    public void Executable_bit_becomes_mode_100755()
    {
        if (OperatingSystem.IsWindows()) { return; } // POSIX-only behaviour
        var parent = SeedRepo();
        using var vcs = new GitVcs(_ws.Root);
        var script = _ws.Write("build.sh", "#!/bin/sh\n");
        File.SetUnixFileMode(script, (UnixFileMode)Convert.ToInt32("755", 8));

        vcs.Commit(new VcsCommitRequest(["build.sh", "src/A.cs"], "Add script", "tx-x", parent));

        Assert.StartsWith("100755 ", _ws.Git("ls-tree", "HEAD", "build.sh"));
        Assert.StartsWith("100644 ", _ws.Git("ls-tree", "HEAD", "src/A.cs"));
        Assert.Empty(Porcelain());
    }

    [Fact]
    public void Branch_moved_is_refused_and_nothing_is_committed()
    {
        var parent = SeedRepo();
        using var vcs = new GitVcs(_ws.Root);
        _ws.Write("other.txt", "someone else\n");
        var theirs = _ws.CommitAll("someone else's commit");
        _ws.Write("src/A.cs", "class A { mine }\n");

        var e = Assert.Throws<ComposeException>(() => vcs.Commit(new VcsCommitRequest(["src/A.cs"], "mine", "tx-m", parent)));

        Assert.Equal(ComposeErrorCode.Vcs, e.Code);
        Assert.Equal(ComposeStep.VcsCommit, e.Step);
        Assert.Contains("moved", e.Reason);
        Assert.Equal(theirs, _ws.Git("rev-parse", "HEAD"));
        Assert.Equal([" M src/A.cs"], Porcelain());
        Assert.Null(vcs.FindTransactionCommit("tx-m"));
    }

    [Fact]
    public void Stale_index_lock_gives_a_clear_error_and_leaves_HEAD_and_index_unchanged()
    {
        var parent = SeedRepo();
        using var vcs = new GitVcs(_ws.Root);
        _ws.Write("src/A.cs", "class A { locked }\n");
        var lockFile = _ws.PathOf(".git/index.lock");
        File.WriteAllText(lockFile, "");

        var e = Assert.Throws<ComposeException>(() => vcs.Commit(new VcsCommitRequest(["src/A.cs"], "locked", "tx-l", parent)));

        Assert.Equal(ComposeErrorCode.Vcs, e.Code);
        Assert.Contains("index.lock", e.Reason);
        Assert.Contains("nothing was committed", e.Reason);
        Assert.Equal(parent, _ws.Git("rev-parse", "HEAD"));
        File.Delete(lockFile);
        Assert.Equal([" M src/A.cs"], Porcelain());

        // Once the lock is gone the same request succeeds.
        Assert.NotNull(vcs.Commit(new VcsCommitRequest(["src/A.cs"], "locked", "tx-l", parent)));
        Assert.Empty(Porcelain());
    }

    [Fact]
    public void Stale_branch_lock_gives_a_clear_error_and_leaves_HEAD_unchanged()
    {
        var parent = SeedRepo();
        using var vcs = new GitVcs(_ws.Root);
        _ws.Write("src/A.cs", "class A { locked }\n");
        File.WriteAllText(_ws.PathOf(".git/refs/heads/main.lock"), "");

        var e = Assert.Throws<ComposeException>(() => vcs.Commit(new VcsCommitRequest(["src/A.cs"], "locked", "tx-r", parent)));

        Assert.Equal(ComposeErrorCode.Vcs, e.Code);
        Assert.Contains("locked", e.Reason);
        Assert.Contains("nothing was committed", e.Reason);
        File.Delete(_ws.PathOf(".git/refs/heads/main.lock"));
        Assert.Null(vcs.FindTransactionCommit("tx-r"));
        Assert.Equal(parent, _ws.Git("rev-parse", "HEAD"));
        Assert.Equal([" M src/A.cs"], Porcelain());
    }

    [Fact]
    public void Commit_in_an_empty_repository_creates_the_root_commit_on_the_unborn_branch()
    {
        using var vcs = new GitVcs(_ws.Root);
        Assert.Null(vcs.Head());
        Assert.Null(vcs.FindTransactionCommit("tx-root"));
        _ws.Write("src/A.cs", "class A { }\n");
        _ws.Write("notes.txt", "not composed\n");

        var sha = vcs.Commit(new VcsCommitRequest(["src/A.cs"], "First", "tx-root", null));

        Assert.Equal(sha, _ws.Git("rev-parse", "refs/heads/main"));
        Assert.Equal("refs/heads/main", _ws.Git("symbolic-ref", "HEAD"));
        Assert.Equal(["src/A.cs"], Tree());
        Assert.Equal("", _ws.Git("log", "-1", "--format=%P"));
        Assert.Equal(["?? notes.txt"], Porcelain());
        Assert.Equal(sha, vcs.FindTransactionCommit("tx-root"));
    }

    [Fact]
    public void Unborn_expected_but_branch_exists_is_refused()
    {
        var head = SeedRepo();
        using var vcs = new GitVcs(_ws.Root);
        _ws.Write("src/A.cs", "x\n");

        var e = Assert.Throws<ComposeException>(() => vcs.Commit(new VcsCommitRequest(["src/A.cs"], "x", "tx-u", null)));

        Assert.Equal(ComposeErrorCode.Vcs, e.Code);
        Assert.Equal(head, _ws.Git("rev-parse", "HEAD"));
    }

    [Fact]
    public void Author_comes_from_config_or_the_constructor()
    {
        var parent = SeedRepo();
        using (var vcs = new GitVcs(_ws.Root))
        {
            _ws.Write("src/A.cs", "1\n");
            vcs.Commit(new VcsCommitRequest(["src/A.cs"], "cfg", "tx-a1", parent));
            Assert.Equal("Test <test@example.com>", _ws.Git("log", "-1", "--format=%an <%ae>"));
        }

        using (var vcs = new GitVcs(_ws.Root, "Bot", "bot@example.org"))
        {
            _ws.Write("src/A.cs", "2\n");
            vcs.Commit(new VcsCommitRequest(["src/A.cs"], "ctor", "tx-a2", vcs.Head()));
            Assert.Equal("Bot <bot@example.org>|Bot <bot@example.org>", _ws.Git("log", "-1", "--format=%an <%ae>|%cn <%ce>"));
        }
    }

    [Fact]
    public void Workspace_in_a_subfolder_maps_paths_to_the_repository()
    {
        _ws.Write("app/src/A.cs", "class A { }\n");
        _ws.Write("lib/L.cs", "class L { }\n");
        var parent = _ws.CommitAll();
        using var vcs = new GitVcs(_ws.PathOf("app"));
        Assert.Equal("app/", vcs.RepositoryPrefix);
        _ws.Write("app/src/A.cs", "class A { sub }\n");
        _ws.Write("app/src/N.cs", "class N { }\n");

        vcs.Commit(new VcsCommitRequest(["src/A.cs", "src/N.cs"], "sub", "tx-sub", parent));
        vcs.EnsureExcluded(".atomiccompose/");
        _ws.Write("app/.atomiccompose/index.db", "x");

        Assert.Equal(["app/src/A.cs", "app/src/N.cs"], ChangedIn().Order().ToArray());
        Assert.Contains("lib/L.cs", Tree());
        Assert.Empty(Porcelain());
        Assert.Contains("/app/.atomiccompose/", File.ReadAllLines(_ws.PathOf(".git/info/exclude")));
    }

    [Fact]
    public void EnsureExcluded_is_idempotent_hides_the_folder_and_never_touches_gitignore()
    {
        SeedRepo();
        _ws.Write(".gitignore", "bin/\n");
        _ws.Git("add", ".gitignore");
        _ws.Git("commit", "-q", "-m", "gitignore");
        var exclude = _ws.PathOf(".git/info/exclude");
        var before = File.Exists(exclude) ? File.ReadAllText(exclude) : "";
        using var vcs = new GitVcs(_ws.Root);

        vcs.EnsureExcluded(".atomiccompose/");
        vcs.EnsureExcluded(".atomiccompose/");
        _ws.Write(".atomiccompose/journal/x.json", "{}");

        var lines = File.ReadAllLines(exclude);
        Assert.Single(lines, l => l == "/.atomiccompose/");
        Assert.StartsWith(before, File.ReadAllText(exclude));
        Assert.Equal("bin/\n", _ws.ReadText(".gitignore"));
        Assert.Empty(Porcelain());
        Assert.Equal(".atomiccompose/journal/x.json", _ws.Git("check-ignore", ".atomiccompose/journal/x.json"));
    }

    [Fact]
    public void EnsureExcluded_creates_info_exclude_when_missing()
    {
        SeedRepo();
        Directory.Delete(_ws.PathOf(".git/info"), recursive: true);
        using var vcs = new GitVcs(_ws.Root);

        vcs.EnsureExcluded(".atomiccompose/");

        Assert.Equal(["/.atomiccompose/"], File.ReadAllLines(_ws.PathOf(".git/info/exclude")));
    }

    [Fact]
    public void Paths_escaping_the_workspace_or_into_git_are_refused()
    {
        var parent = SeedRepo();
        using var vcs = new GitVcs(_ws.Root);

        foreach (var bad in new[] { "../x.cs", "/etc/passwd", ".git/config", "a//b.cs", "./a.cs" })
        {
            var e = Assert.Throws<ComposeException>(() => vcs.Commit(new VcsCommitRequest([bad], "bad", "tx-bad", parent)));
            Assert.Equal(ComposeErrorCode.PathOutsideRoot, e.Code);
        }

        Assert.Equal(parent, _ws.Git("rev-parse", "HEAD"));
    }

    [Fact]
    public void Detached_head_is_moved_itself()
    {
        var parent = SeedRepo();
        _ws.Git("checkout", "-q", "--detach");
        using var vcs = new GitVcs(_ws.Root);
        _ws.Write("src/A.cs", "class A { detached }\n");

        var sha = vcs.Commit(new VcsCommitRequest(["src/A.cs"], "detached", "tx-d", parent));

        Assert.Equal(sha, _ws.Git("rev-parse", "HEAD"));
        Assert.Equal(parent, _ws.Git("rev-parse", "main"));
        Assert.Empty(Porcelain());
    }

    [Fact]
    public void IsRepository_distinguishes_work_trees_from_plain_folders()
    {
        using var plain = TempWorkspace.Create(git: false);
        Directory.CreateDirectory(_ws.PathOf("deep/er"));

        Assert.True(GitVcs.IsRepository(_ws.Root));
        Assert.True(GitVcs.IsRepository(_ws.PathOf("deep/er")));
        Assert.False(GitVcs.IsRepository(plain.Root));
        Assert.False(GitVcs.IsRepository(plain.PathOf("missing")));
        Assert.Equal(ComposeErrorCode.Vcs, Assert.Throws<ComposeException>(() => new GitVcs(plain.Root)).Code);
    }

    [Fact]
    public void Trailer_message_is_well_formed()
    {
        Assert.Equal("Subject\n\nBody\n\nCompose-Transaction: t1\n", GitVcs.BuildMessage("Subject\r\n\r\nBody\r\n\r\n", "t1"));
        Assert.Equal("AtomicCompose edit\n\nCompose-Transaction: t2\n", GitVcs.BuildMessage("  ", "t2"));
    }

    [Fact]
    public void Libgit2_fsync_of_the_git_directory_is_enabled()
    {
        SeedRepo();
        using var vcs = new GitVcs(_ws.Root);
        _ws.Write("src/A.cs", "class A { fsync }\n");
        vcs.Commit(new VcsCommitRequest(["src/A.cs"], "fsync", "tx-f", vcs.Head()));

        Assert.True(GitVcs.GitDirFsyncEnabled, GitVcs.GitDirFsyncFailure);
    }

    [Fact]
    public void An_unchanged_tree_still_records_the_transaction()
    {
        var parent = SeedRepo();
        using var vcs = new GitVcs(_ws.Root);

        var sha = vcs.Commit(new VcsCommitRequest(["src/A.cs"], "no-op", "tx-noop", parent));

        Assert.NotEqual(parent, sha);
        Assert.Equal(_ws.Git("rev-parse", "HEAD^{tree}"), _ws.Git("rev-parse", parent + "^{tree}"));
        Assert.Equal(sha, vcs.FindTransactionCommit("tx-noop"));
    }

    [Fact]
    public void Symbolic_link_is_committed_as_a_link()
    {
        if (OperatingSystem.IsWindows()) { return; } // POSIX-only behaviour
        var parent = SeedRepo();
        using var vcs = new GitVcs(_ws.Root);
        File.CreateSymbolicLink(_ws.PathOf("link.cs"), "src/A.cs");

        vcs.Commit(new VcsCommitRequest(["link.cs"], "link", "tx-link", parent));

        Assert.StartsWith("120000 ", _ws.Git("ls-tree", "HEAD", "link.cs"));
        Assert.Equal("src/A.cs", _ws.Git("cat-file", "-p", "HEAD:link.cs"));
        Assert.Empty(Porcelain());
    }

    [Fact]
    public void Concurrent_commits_from_two_threads_serialise_and_the_loser_sees_the_moved_branch()
    {
        var parent = SeedRepo();
        using var vcs = new GitVcs(_ws.Root);
        _ws.Write("src/A.cs", "class A { t }\n");
        _ws.Write("src/B.cs", "class B { t }\n");

        var results = new[] { "src/A.cs", "src/B.cs" }.AsParallel().Select(p =>
        {
            try
            {
                return vcs.Commit(new VcsCommitRequest([p], p, "tx-" + p, parent)) is not null ? "ok" : "null";
            }
            catch (ComposeException e) when (e.Code == ComposeErrorCode.Vcs)
            {
                return "moved";
            }
        }).ToList();

        Assert.Equal(["moved", "ok"], results.Order().ToArray());
        Assert.Equal(parent, _ws.Git("rev-parse", "HEAD^"));
    }

    [Fact]
    public void A_commit_slipped_in_between_check_and_move_is_kept_and_ours_is_refused()
    {
        var parent = SeedRepo();
        using var vcs = new GitVcs(_ws.Root);
        _ws.Write("src/A.cs", "class A { mine }\n");
        string? theirs = null;
        vcs.BetweenCheckAndMove = () =>
        {
            _ws.Git("commit", "-q", "--allow-empty", "-m", "racing commit");
            theirs = _ws.Git("rev-parse", "HEAD");
        };

        var e = Assert.Throws<ComposeException>(() => vcs.Commit(new VcsCommitRequest(["src/A.cs"], "mine", "tx-race", parent)));

        Assert.Contains("moved", e.Reason);
        Assert.NotNull(theirs);
        Assert.Equal(theirs, _ws.Git("rev-parse", "HEAD"));
        Assert.Null(vcs.FindTransactionCommit("tx-race"));
    }

    [Fact]
    public void Index_locked_after_the_branch_moved_puts_the_branch_back()
    {
        var parent = SeedRepo();
        using var vcs = new GitVcs(_ws.Root);
        _ws.Write("src/A.cs", "class A { late lock }\n");
        var lockFile = _ws.PathOf(".git/index.lock");
        vcs.BeforeIndexUpdate = () => File.WriteAllText(lockFile, "");

        var e = Assert.Throws<ComposeException>(() => vcs.Commit(new VcsCommitRequest(["src/A.cs"], "late", "tx-late", parent)));

        File.Delete(lockFile);
        Assert.Equal(ComposeErrorCode.Vcs, e.Code);
        Assert.Contains("branch was put back", e.Reason);
        Assert.Contains("index.lock", e.Reason);
        Assert.Equal(parent, _ws.Git("rev-parse", "HEAD"));
        Assert.Equal([" M src/A.cs"], Porcelain());
    }

    [Fact]
    public void Index_locked_after_the_root_commit_removes_the_new_branch_again()
    {
        using var vcs = new GitVcs(_ws.Root);
        _ws.Write("src/A.cs", "class A { }\n");
        var lockFile = _ws.PathOf(".git/index.lock");
        vcs.BeforeIndexUpdate = () => File.WriteAllText(lockFile, "");

        Assert.Throws<ComposeException>(() => vcs.Commit(new VcsCommitRequest(["src/A.cs"], "root", "tx-root-late", null)));

        File.Delete(lockFile);
        Assert.Null(vcs.Head());
        Assert.Equal("refs/heads/main", _ws.Git("symbolic-ref", "HEAD"));
    }

    [Fact]
    public void Bare_repository_is_refused()
    {
        using var bare = TempWorkspace.Create(git: false);
        bare.Git("init", "-q", "--bare");

        Assert.False(GitVcs.IsRepository(bare.Root));
        Assert.Equal(ComposeErrorCode.Vcs, Assert.Throws<ComposeException>(() => new GitVcs(bare.Root)).Code);
    }

    [Fact]
    public void Linked_worktree_commits_on_its_branch_and_excludes_through_the_shared_info_exclude()
    {
        var parent = SeedRepo();
        var linked = _ws.PathOf("../" + Path.GetFileName(_ws.Root) + "-linked");
        _ws.Git("worktree", "add", "-q", "-b", "feature", linked);
        try
        {
            using var vcs = new GitVcs(linked);
            File.WriteAllText(Path.Combine(linked, "src/A.cs"), "class A { linked }\n");

            var sha = vcs.Commit(new VcsCommitRequest(["src/A.cs"], "linked", "tx-wt", parent));
            vcs.EnsureExcluded(".atomiccompose/");

            Assert.Equal(sha, _ws.Git("rev-parse", "feature"));
            Assert.Equal(parent, _ws.Git("rev-parse", "main"));
            Assert.Contains("/.atomiccompose/", File.ReadAllLines(_ws.PathOf(".git/info/exclude")));
            Assert.Empty(_ws.Git("-C", linked, "status", "--porcelain"));
        }
        finally
        {
            Directory.Delete(linked, recursive: true);
        }
    }

    [Fact]
    public void Disposed_vcs_refuses_calls()
    {
        SeedRepo();
        var vcs = new GitVcs(_ws.Root);
        vcs.Dispose();
        vcs.Dispose();

        Assert.Throws<ObjectDisposedException>(() => vcs.Head());
    }
}
