using AtomicCompose.Tests.Robustness;
using AtomicCompose.Tests.TestSupport;

namespace AtomicCompose.Tests.Journal;

/// <summary>
/// Regressions for the bugs the I/O fault seam found (see <see cref="FaultInjectionTests"/>): each fails one
/// chosen operation through <c>ComposeOptions.IoHook</c> and checks the outcome exactly.
/// </summary>
public sealed class IoFaultRegressionTests : IDisposable
{
    private readonly TempWorkspace _ws = TempWorkspace.Create();
    private readonly string _baseHead;
    private Func<string, string, bool>? _fail;

    public IoFaultRegressionTests()
    {
        SampleProjects.WriteDemo(_ws);
        _baseHead = _ws.Git("rev-parse", "HEAD");
    }

    public void Dispose() => _ws.Dispose();

    [Fact]
    public void A_failed_fsync_after_the_index_commit_leaves_the_transaction_past_its_commit_point_not_rolled_back()
    {
        using var engine = Open();
        _fail = (op, path) => op == "file.fsync" && path.EndsWith("index-log.db", StringComparison.Ordinal);

        var error = Assert.Throws<ComposeException>(() => Replace(engine));

        // LiteDB had committed: rolling the files back (as before) left an index that recorded the new file over the old one.
        Assert.Equal(ComposeStep.IndexCommit, error.Step);
        Assert.Equal(TransactionState.CommittedNeedsRecovery, error.State);
        Assert.Contains("past its commit point", error.Message, StringComparison.Ordinal);
        Assert.Contains("Hi, {name}", _ws.ReadText("src/Greeter.cs"));
        Assert.True(engine.Verify().IsConsistent, string.Join("; ", engine.Verify().Problems));

        _fail = null;
        var report = engine.Recover();
        Assert.Single(report.RolledForward);
        Assert.Equal(_baseHead, _ws.Git("rev-parse", "HEAD~1"));
        Assert.Equal("", _ws.Git("status", "--porcelain"));
        Assert.Empty(Ws.Leftovers(_ws.Root));
    }

    [Fact]
    public void Recovery_flushes_an_index_commit_whose_fsync_failed_before_it_makes_the_git_commit()
    {
        using var engine = Open();
        _fail = (op, path) => op == "file.fsync" && path.EndsWith("index-log.db", StringComparison.Ordinal);
        Assert.Equal(TransactionState.CommittedNeedsRecovery, Assert.Throws<ComposeException>(() => Replace(engine)).State);

        // While the index cannot be flushed, recovery must not make the commit: a power loss could then keep the git
        // commit and drop the index record, and the next recovery would roll the files back under it.
        var error = Assert.Throws<ComposeException>(() => engine.Recover());
        Assert.Equal(TransactionState.CommittedNeedsRecovery, error.State);
        Assert.Equal(_baseHead, _ws.Git("rev-parse", "HEAD"));

        _fail = null;
        Assert.Single(engine.Recover().RolledForward);
        Assert.Equal(_baseHead, _ws.Git("rev-parse", "HEAD~1"));
    }

    [Theory]
    [InlineData("file.rename")]
    [InlineData("dir.fsync")]
    public void A_journal_write_that_fails_after_its_temp_exists_is_rolled_back_and_leaves_nothing_in_the_journal(string failing)
    {
        using var engine = Open();
        var journal = _ws.PathOf(".atomiccompose/journal");
        var seen = 0;
        // The rename of the journal entry, or the fsync of the journal folder after it (the folder's only fsync of the
        // Journal step since issue 13: it covers the temp's creation and the rename together).
        _fail = (op, path) => op == failing && path.Contains("/.atomiccompose/journal", StringComparison.Ordinal) && (failing != "dir.fsync" || ++seen == 1);

        var error = Assert.Throws<ComposeException>(() => Replace(engine));

        // Before: state Active and "nothing was written" while the entry (or its temp) stayed in the journal until the next Open.
        Assert.Equal(ComposeStep.Journal, error.Step);
        Assert.Equal(TransactionState.RolledBack, error.State);
        Assert.Empty(Directory.EnumerateFiles(journal));
        Assert.Equal(SampleProjects.Greeter, _ws.ReadText("src/Greeter.cs"));
        Assert.Equal(_baseHead, _ws.Git("rev-parse", "HEAD"));
    }

    [Fact]
    public void A_commit_whose_git_index_update_and_branch_undo_both_failed_gets_its_index_entries_on_recovery()
    {
        using var engine = Open();
        var failing = false;
        // Everything from the git index write on fails: the index is not written and the branch cannot be put back.
        _fail = (op, _) => failing |= op == "git.index";

        var error = Assert.Throws<ComposeException>(() => Replace(engine));
        Assert.Equal(ComposeStep.VcsCommit, error.Step);
        Assert.Equal(TransactionState.CommittedNeedsRecovery, error.State);
        Assert.Equal(_baseHead, _ws.Git("rev-parse", "HEAD~1")); // the commit stands
        Assert.NotEqual("", _ws.Git("status", "--porcelain")); // and the index still holds the old blob

        _fail = null;
        Assert.Single(engine.Recover().RolledForward);

        // Before: recovery found the commit by its trailer and retired the entry, leaving 'MM src/Greeter.cs'.
        Assert.Equal("", _ws.Git("status", "--porcelain"));
        Assert.Equal(_ws.Git("rev-parse", "HEAD"), engine.GetIndexedFile("src/Greeter.cs")!.Commit);
        Assert.True(engine.Verify().IsConsistent, string.Join("; ", engine.Verify().Problems));
    }

    [Fact]
    public void Repairing_the_git_index_leaves_a_path_the_user_staged_differently_alone()
    {
        using (var engine = Open())
        {
            var failing = false;
            _fail = (op, _) => failing |= op == "git.index";
            Assert.Equal(TransactionState.CommittedNeedsRecovery, Assert.Throws<ComposeException>(() => Replace(engine)).State);
            _fail = null;
        }

        // The user stages another version of the file before recovery runs.
        _ws.Write("src/Greeter.cs", SampleProjects.Greeter.Replace("Hello", "Howdy", StringComparison.Ordinal));
        _ws.Git("add", "src/Greeter.cs");
        var staged = _ws.Git("ls-files", "-s", "src/Greeter.cs");

        using var reopened = Open();
        Assert.Equal(staged, _ws.Git("ls-files", "-s", "src/Greeter.cs"));
        Assert.Equal(["src/Greeter.cs"], reopened.LastRecovery.Conflicts); // changed by someone else: reported, not overwritten
    }

    [Theory]
    [InlineData("git.exclude")]
    [InlineData("dir.create")]
    public void An_io_failure_while_opening_is_a_ComposeException_naming_Open(string failing)
    {
        // A fresh workspace: .atomiccompose and the exclude entry do not exist yet, so Open writes both.
        _fail = (op, _) => op == failing;

        // Before: the raw IOException escaped Open.
        var error = Assert.Throws<ComposeException>(() => Open());
        Assert.Equal(ComposeErrorCode.IO, error.Code);
        Assert.Equal(ComposeStep.Open, error.Step);

        _fail = null;
        using var engine = Open();
        Assert.True(engine.Verify().IsConsistent);
    }

    [Fact]
    public void A_git_failure_while_recovery_rolls_forward_names_the_Recovery_step_and_CommittedNeedsRecovery()
    {
        using (var engine = Open())
        {
            _fail = (op, _) => op == "git.blob";
            Assert.Equal(TransactionState.CommittedNeedsRecovery, Assert.Throws<ComposeException>(() => Replace(engine)).State);
        }

        // The git failure persists: every Open fails (the known gap), and says where the transaction stands.
        var error = Assert.Throws<ComposeException>(() => Open());

        // Before: step VcsCommit, state Active, as if a new transaction had failed to commit.
        Assert.Equal(ComposeStep.Recovery, error.Step);
        Assert.Equal(TransactionState.CommittedNeedsRecovery, error.State);
        Assert.Equal(ComposeErrorCode.Vcs, error.Code);
        Assert.Contains("rolling it forward", error.Message, StringComparison.Ordinal);
        Assert.Equal(["src/Greeter.cs"], error.Paths);

        _fail = null;
        using var reopened = Open();
        Assert.Single(reopened.LastRecovery.RolledForward);
        Assert.Equal(_baseHead, _ws.Git("rev-parse", "HEAD~1"));
        Assert.Equal("", _ws.Git("status", "--porcelain"));
    }

    [Fact]
    public void The_commit_sha_recorded_in_the_index_is_flushed_before_the_journal_entry_is_retired()
    {
        using var engine = Open();
        var ops = new List<string>();
        _fail = (op, path) =>
        {
            ops.Add(op + " " + Path.GetFileName(path));
            return false;
        };
        Replace(engine);

        // Index ops in order: Commit (write, commit, fsync log + data, dir) then SetCommit, which had no fsync, so a power
        // loss after the journal entry was retired could lose the sha for good.
        var afterSetCommit = ops.SkipWhile(o => o != "git.ref main").SkipWhile(o => !o.StartsWith("index.commit", StringComparison.Ordinal)).ToList();
        var retire = afterSetCommit.FindIndex(o => o.StartsWith("file.delete", StringComparison.Ordinal) && o.EndsWith(".json", StringComparison.Ordinal));
        Assert.True(retire > 0, string.Join(", ", ops));
        Assert.Contains("file.fsync index-log.db", afterSetCommit.Take(retire));
    }

    private ComposeEngine Open() => ComposeEngine.Open(_ws.Root, new ComposeOptions
    {
        DisableBuiltInValidators = true,
        IoHook = (op, path) =>
        {
            if (_fail?.Invoke(op, path) == true)
            {
                throw new IOException($"injected fault: {op} {path}");
            }
        },
    });

    private static ComposeResult Replace(ComposeEngine engine)
    {
        using var tx = engine.Begin("regression");
        tx.Replace("src/Greeter.cs", "Demo.Greeter.Greet(string)", "public string Greet(string name) => $\"Hi, {name}\";");
        return tx.Complete();
    }
}
