using AtomicCompose.Files;
using AtomicCompose.Indexing;
using AtomicCompose.Tests.TestSupport;
using AtomicCompose.Vcs;
using Xunit.Abstractions;

namespace AtomicCompose.Tests.Journal;

/// <summary>
/// Fails the N-th write of the protocol (file, index or git), once and persistently, for every N a
/// fault-free run makes, and checks after each run (and a recovery with the faults lifted) that the
/// workspace is all-old or all-new, git agrees, the index matches the disk, nothing is left behind,
/// and the error named the step that failed.
/// </summary>
public sealed class FaultInjectionTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempWorkspace _ws = TempWorkspace.Create();
    private readonly FaultPlan _plan = new();

    public void Dispose() => _ws.Dispose();

    public static TheoryData<string> Scenarios() => new() { "replace", "multi", "create", "delete" };

    [Theory]
    [MemberData(nameof(Scenarios))]
    [Trait("Category", "Slow")]
    public void Failing_the_nth_write_once_or_persistently_leaves_all_old_or_all_new(string scenario)
    {
        SampleProjects.WriteDemo(_ws);
        var baseCommit = _ws.Git("rev-parse", "HEAD");
        var options = new ComposeOptions
        {
            FileCommitter = new FaultyFiles(new AtomicFileCommitter(), _plan),
            IndexStoreFactory = dir => new FaultyIndex(new LiteDbIndexStore(Path.Combine(dir, "index.db")), _plan),
            VcsFactory = root => new FaultyVcs(new GitVcs(root), _plan),
        };
        using var engine = ComposeEngine.Open(_ws.Root, options);
        var old = _ws.Snapshot();

        // A fault-free run tells how many writes there are and what "all new" looks like.
        _plan.Arm(int.MaxValue, persistent: false);
        Run(engine, scenario);
        var writes = _plan.Count;
        var expectedNew = _ws.Snapshot();
        Assert.NotEqual(old.Keys.Count + old.Values.Sum(v => v.Length), expectedNew.Keys.Count + expectedNew.Values.Sum(v => v.Length));
        Reset(engine, baseCommit);

        var runs = 0;
        var failedSteps = new HashSet<ComposeStep>();
        foreach (var persistent in new[] { false, true })
        {
            for (var n = 1; n <= writes; n++)
            {
                _plan.Arm(n, persistent);
                ComposeException? error = null;
                try
                {
                    Run(engine, scenario);
                }
                catch (ComposeException ex)
                {
                    error = ex;
                    failedSteps.Add(ex.Step);
                }

                var label = $"{scenario} fault #{n}{(persistent ? " persistent" : " once")} at {_plan.FailedAt}";
                _plan.Disarm();
                Assert.True(error is not null || _plan.FailedAt is null || _plan.FailedAt.StartsWith("Delete", StringComparison.Ordinal),
                    $"{label}: the fault was swallowed");
                engine.Recover();

                var now = _ws.Snapshot();
                var isOld = SameFiles(old, now);
                var isNew = SameFiles(expectedNew, now);
                Assert.True(isOld || isNew, $"{label}: the workspace is neither all-old nor all-new (error: {error?.Message})");
                var head = _ws.Git("rev-parse", "HEAD");
                Assert.True(isNew == (head != baseCommit), $"{label}: files new={isNew}, git moved={head != baseCommit}");
                Assert.True(engine.Verify().IsConsistent, $"{label}: " + string.Join("; ", engine.Verify().Problems));
                Assert.Empty(Leftovers());
                if (error is not null && !isNew)
                {
                    Assert.NotEqual(TransactionState.Completed, error.State);
                }

                if (isNew)
                {
                    Reset(engine, baseCommit);
                }

                runs++;
            }
        }

        Assert.Equal(2 * writes, runs);
        output.WriteLine($"{scenario}: {writes} writes, {runs} fault runs, failed steps: {string.Join(", ", failedSteps)}");
        Assert.True(writes >= 8, $"only {writes} writes were counted");
        foreach (var step in new[] { ComposeStep.Journal, ComposeStep.WriteTemp, ComposeStep.Move, ComposeStep.IndexCommit, ComposeStep.VcsCommit })
        {
            Assert.Contains(step, failedSteps);
        }
    }

    private static void Run(ComposeEngine engine, string scenario)
    {
        using var tx = engine.Begin("fault injection: " + scenario);
        switch (scenario)
        {
            case "replace":
                tx.Replace("src/Greeter.cs", "Demo.Greeter.Greet(string)", "public string Greet(string name) => $\"Hi, {name}\";");
                break;
            case "multi":
                tx.Replace("src/Greeter.cs", "Demo.Greeter.Greet(string)", "public string Greet(string name) => $\"Hi, {name}\";");
                tx.CreateFile("src/Extra/Added.cs", "namespace Demo;\n\n/// <summary>Added.</summary>\npublic static class Added\n{\n}\n");
                tx.Delete("src/Program.cs", "Demo.Program.Main()");
                break;
            case "create":
                tx.CreateFile("src/Extra/Added.cs", "namespace Demo;\n\n/// <summary>Added.</summary>\npublic static class Added\n{\n}\n");
                break;
            case "delete":
                tx.Delete("src/Greeter.cs", "Demo.Greeter.Farewell(string)");
                break;
        }

        tx.Complete();
    }

    private void Reset(ComposeEngine engine, string baseCommit)
    {
        _ws.Git("reset", "-q", "--hard", baseCommit);
        _ws.Git("clean", "-q", "-fd", "src");
        engine.Reindex();
    }

    private IEnumerable<string> Leftovers() =>
        Directory.EnumerateFiles(_ws.Root, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/.git/", StringComparison.Ordinal))
            .Where(f => f.EndsWith(".tmp", StringComparison.Ordinal) || f.EndsWith(".restore", StringComparison.Ordinal) || f.Contains("/journal/", StringComparison.Ordinal));

    private static bool SameFiles(SortedDictionary<string, byte[]> a, SortedDictionary<string, byte[]> b) =>
        a.Keys.SequenceEqual(b.Keys) && a.All(kv => kv.Value.AsSpan().SequenceEqual(b[kv.Key]));

    /// <summary>Counts protocol writes and throws at the armed one (and, when persistent, at every one after it).</summary>
    private sealed class FaultPlan
    {
        private int _failAt = int.MaxValue;
        private bool _persistent;

        public int Count { get; private set; }

        public string? FailedAt { get; private set; }

        public void Arm(int failAt, bool persistent)
        {
            _failAt = failAt;
            _persistent = persistent;
            Count = 0;
            FailedAt = null;
        }

        public void Disarm() => _failAt = int.MaxValue;

        public void Tick(string operation)
        {
            Count++;
            if (Count == _failAt || (_persistent && Count > _failAt && _failAt != int.MaxValue))
            {
                FailedAt ??= $"{operation} (write #{Count})";
                throw new IOException($"injected fault: {operation} (write #{Count})");
            }
        }
    }

    private sealed class FaultyFiles(IFileCommitter inner, FaultPlan plan) : IFileCommitter
    {
        public FileSnapshot Read(string fullPath) => inner.Read(fullPath);

        public void WriteTemp(string tempPath, ReadOnlySpan<byte> content, UnixFileMode? mode)
        {
            plan.Tick("WriteTemp");
            inner.WriteTemp(tempPath, content, mode);
        }

        public void Backup(string sourcePath, string backupPath)
        {
            plan.Tick("Backup");
            inner.Backup(sourcePath, backupPath);
        }

        public void Replace(string tempPath, string targetPath)
        {
            plan.Tick("Replace");
            inner.Replace(tempPath, targetPath);
        }

        public void Restore(string backupPath, string targetPath, string tempPath, UnixFileMode? mode)
        {
            plan.Tick("Restore");
            inner.Restore(backupPath, targetPath, tempPath, mode);
        }

        public void Delete(string path)
        {
            plan.Tick("Delete");
            inner.Delete(path);
        }

        public void CreateDirectory(string directory)
        {
            plan.Tick("CreateDirectory");
            inner.CreateDirectory(directory);
        }

        public string? Hash(string path) => inner.Hash(path);
    }

    private sealed class FaultyIndex(IIndexStore inner, FaultPlan plan) : IIndexStore
    {
        public void Commit(IndexChangeSet changes)
        {
            if (!changes.TransactionId.StartsWith("index-", StringComparison.Ordinal))
            {
                plan.Tick("IndexCommit");
            }

            inner.Commit(changes);
        }

        public bool IsCommitted(string transactionId) => inner.IsCommitted(transactionId);

        public void SetCommit(string transactionId, string commitSha, IReadOnlyList<string> paths)
        {
            plan.Tick("SetCommit");
            inner.SetCommit(transactionId, commitSha, paths);
        }

        public FileRecord? GetFile(string path) => inner.GetFile(path);

        public IReadOnlyList<FileRecord> GetFiles() => inner.GetFiles();

        public IReadOnlyList<EntityRecord> QueryEntities(EntityQuery query) => inner.QueryEntities(query);

        public void Dispose() => inner.Dispose();
    }

    private sealed class FaultyVcs(IVcs inner, FaultPlan plan) : IVcs
    {
        public bool IsEnabled => inner.IsEnabled;

        public string? Head() => inner.Head();

        public string? Commit(VcsCommitRequest request)
        {
            plan.Tick("VcsCommit");
            return inner.Commit(request);
        }

        public string? FindTransactionCommit(string transactionId) => inner.FindTransactionCommit(transactionId);

        public void EnsureExcluded(string relativeDirectory) => inner.EnsureExcluded(relativeDirectory);

        public void Dispose() => inner.Dispose();
    }
}
