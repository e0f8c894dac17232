using System.Diagnostics;
using AtomicCompose.Tests.Robustness;
using AtomicCompose.Tests.TestSupport;
using Xunit.Abstractions;

namespace AtomicCompose.Tests.Journal;

/// <summary>
/// Drives the internal I/O fault seam (<c>ComposeOptions.IoHook</c>) of the default components: every temp write,
/// fsync, directory fsync, rename, backup copy, restore, delete, journal write, LiteDB write/commit/fsync, git
/// blob/tree/commit/ref/index write and exclude-file write is a fault point. A fault-free run counts them; then the
/// N-th is failed once, and persistently from N on, for every N. After each run (before recovery, when the error says
/// the transaction was rolled back or there was no error) and again after reopening the workspace with the faults
/// lifted (recovery), the invariant must hold: every file byte-identical to all-old or all-new (the same for all files),
/// the index matches the disk, git HEAD has the commit iff the files are new, no temp or backup leftovers, and the
/// <see cref="ComposeException.Step"/> names the step in which the fault fired. A second test fails the N-th operation
/// of recovery itself, from crash-like states (everything failing from some operation on), and checks that a second
/// recovery with the faults lifted completes.
/// </summary>
public sealed class FaultInjectionTests(ITestOutputHelper output) : IDisposable
{
    private const string Added = "namespace Demo;\n\n/// <summary>Added.</summary>\npublic static class Added\n{\n}\n";

    private readonly TempWorkspace _ws = TempWorkspace.Create();
    private readonly FaultPlan _plan = new();

    public void Dispose() => _ws.Dispose();

    /// <summary>
    /// The demo workspace, a warm engine and the scenario's fault-free run with every operation recorded in the plan:
    /// what "all old" and "all new" look like; the workspace is back at all-old when it returns.
    /// </summary>
    private (ComposeEngine Engine, string BaseHead, SortedDictionary<string, byte[]> Old, SortedDictionary<string, byte[]> New) FaultFreeRun(string scenario)
    {
        SampleProjects.WriteDemo(_ws);
        var baseHead = _ws.Git("rev-parse", "HEAD");
        var engine = Open();
        var old = Ws.Snapshot(_ws.Root);
        WarmUp(engine, scenario, baseHead);

        _plan.Arm(int.MaxValue, persistent: false, record: true);
        Assert.Null(Run(engine, scenario).Error);
        _plan.Disarm();
        var expectedNew = Ws.Snapshot(_ws.Root);
        Assert.False(Ws.Same(old, expectedNew));
        Reset(engine, baseHead);
        return (engine, baseHead, old, expectedNew);
    }

    public static TheoryData<string> Scenarios() => new() { "replace", "insert", "delete", "create", "multi" };

    /// <summary>Every I/O operation of each scenario, once and persistently: about 25 s for the five (up to 75 s when the two cores are busy with other work).</summary>
    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Failing_the_nth_io_operation_once_or_persistently_keeps_the_invariant(string scenario)
    {
        var stopwatch = Stopwatch.StartNew();
        var (engine, baseHead, old, expectedNew) = FaultFreeRun(scenario);
        var operations = _plan.Count;
        var kinds = _plan.Recorded.ToList();

        var violations = new List<string>();
        var failedSteps = new SortedSet<ComposeStep>();
        int runs = 0, endedNew = 0, rolledBackAtOnce = 0, swallowed = 0;
        foreach (var persistent in new[] { false, true })
        {
            for (var n = 1; n <= operations; n++)
            {
                var label = $"{scenario} #{n} {(persistent ? "persistent" : "once")} ({kinds[n - 1]})";
                _plan.Arm(n, persistent);
                var (error, txId) = Run(engine, scenario);
                _plan.Disarm();
                runs++;
                if (_plan.FailedAt is null)
                {
                    violations.Add($"{label}: the fault did not fire");
                }

                // Right after the failure, in this engine.
                if (error is null)
                {
                    // Only the journal retirement (step Done) may fail without failing the transaction: it is complete.
                    swallowed++;
                    Check(violations, _plan.FailedStep == ComposeStep.Done, $"{label}: a fault in step {_plan.FailedStep} was swallowed");
                    CheckInvariant(violations, engine, old, expectedNew, baseHead, txId, label + " (no error)", expectNew: true, recovered: false);
                }
                else
                {
                    failedSteps.Add(error.Step);
                    Check(violations, error.Step == _plan.FailedStep, $"{label}: the error names step {error.Step}, the fault fired in {_plan.FailedStep}: {error.Message}");
                    Check(violations, error.Code is ComposeErrorCode.IO or ComposeErrorCode.Index or ComposeErrorCode.Vcs, $"{label}: code {error.Code}");
                    Check(violations, persistent || error.State != TransactionState.NeedsRecovery, $"{label}: a single fault left the rollback unfinished: {error.Message}");
                    if (error.State == TransactionState.RolledBack)
                    {
                        rolledBackAtOnce++;
                        CheckInvariant(violations, engine, old, expectedNew, baseHead, txId, label + " (rolled back)", expectNew: false, recovered: false);
                    }
                    else
                    {
                        Check(violations, error.State is TransactionState.NeedsRecovery or TransactionState.CommittedNeedsRecovery, $"{label}: state {error.State}");
                    }
                }

                // Reopened with the faults lifted: recovery repairs whatever is left.
                engine.Dispose();
                engine = Open();
                bool? expect = error is null || error.State == TransactionState.CommittedNeedsRecovery ? true
                    : error.State == TransactionState.RolledBack ? false : null;
                endedNew += CheckInvariant(violations, engine, old, expectedNew, baseHead, txId, label + " (reopened)", expect, recovered: true) ? 1 : 0;
                ResetIfChanged(engine, old, baseHead);
            }
        }

        engine.Dispose();
        stopwatch.Stop();
        output.WriteLine($"{scenario}: {operations} I/O operations per transaction ({Summary(kinds)}); {runs} fault runs (once + persistent), "
            + $"{rolledBackAtOnce} rolled back at once, {runs - rolledBackAtOnce - swallowed} left to recovery, {swallowed} faults in Done (transaction complete), "
            + $"{endedNew} ended all-new; failed steps: {string.Join(", ", failedSteps)}; {violations.Count} violations; {stopwatch.Elapsed.TotalSeconds:0.0} s");
        Assert.True(violations.Count == 0, string.Join("\n", violations.Take(30)));
        Assert.Equal(2 * operations, runs);
        foreach (var step in new[] { ComposeStep.Journal, ComposeStep.WriteTemp, ComposeStep.Move, ComposeStep.IndexCommit, ComposeStep.VcsCommit })
        {
            Assert.Contains(step, failedSteps);
        }

        foreach (var kind in new[] { "file.create", "file.write", "file.fsync", "dir.fsync", "file.rename", "index.write", "index.commit", "git.tree", "git.commit", "git.ref", "git.index" })
        {
            Assert.Contains(kinds, k => k.StartsWith(kind + " ", StringComparison.Ordinal));
        }
    }

    /// <summary>
    /// Crash-like states (every operation failing from the c-th on, so neither the transaction nor its rollback
    /// finishes), then the m-th operation of the recovery in the next Open fails, once and persistently, for every m;
    /// a second Open with the faults lifted must complete the recovery to the invariant.
    /// </summary>
    /// <remarks>Three scenarios of distinct I/O shape (replace, insert and delete touch one existing file alike): about 60 s, up to 75 s under load.</remarks>
    [Theory]
    [InlineData("replace")]
    [InlineData("create")]
    [InlineData("multi")]
    [Trait("Category", "Slow")]
    public void Failing_the_nth_io_operation_of_recovery_then_recovering_again_keeps_the_invariant(string scenario)
    {
        var stopwatch = Stopwatch.StartNew();
        var (engine, baseHead, old, expectedNew) = FaultFreeRun(scenario);
        var kinds = _plan.Recorded.ToList();
        var steps = _plan.RecordedSteps.ToList();
        engine.Dispose();

        // The crash points: the first and the last operation of each step (all of them would take minutes).
        var crashPoints = Enumerable.Range(0, kinds.Count)
            .Where(i => i == 0 || i == kinds.Count - 1 || steps[i] != steps[i - 1] || steps[i] != steps[i + 1])
            .Select(i => i + 1)
            .ToList();

        var violations = new List<string>();
        int states = 0, runs = 0, recoveryOps = 0, openFailed = 0;
        foreach (var crashAt in crashPoints)
        {
            foreach (var persistent in new[] { false, true })
            {
                for (var m = 1; ; m++)
                {
                    // The crash-like state.
                    engine = Open();
                    _plan.Arm(crashAt, persistent: true);
                    var (error, txId) = Run(engine, scenario);
                    _plan.Disarm();
                    engine.Dispose();
                    var label = $"{scenario} crash-like from #{crashAt} ({kinds[crashAt - 1]}, {error?.State.ToString() ?? "complete"}), recovery fault #{m} {(persistent ? "persistent" : "once")}";
                    if (!Directory.EnumerateFiles(_ws.PathOf(".atomiccompose/journal")).Any())
                    {
                        // Nothing left to recover (the rollback needed no I/O after the failure).
                        CheckRecovered(violations, old, expectedNew, baseHead, txId, label, ref runs, baseHeadReset: true);
                        break;
                    }

                    if (m == 1 && !persistent)
                    {
                        states++;
                    }

                    // Recovery under faults.
                    _plan.Arm(m, persistent);
                    try
                    {
                        Open().Dispose();
                    }
                    catch (ComposeException ex)
                    {
                        openFailed++;
                        Check(violations, ex.Step == ComposeStep.Recovery, $"{label}: Open failed naming step {ex.Step}: {ex.Message}");
                        Check(violations, ex.State is TransactionState.NeedsRecovery or TransactionState.CommittedNeedsRecovery, $"{label}: Open failed with state {ex.State}");
                    }
#pragma warning disable CA1031 // recorded as a violation
                    catch (Exception ex)
#pragma warning restore CA1031
                    {
                        violations.Add($"{label}: Open threw {ex.GetType().Name}, not a ComposeException: {ex.Message}");
                    }

                    var fired = _plan.FailedAt is not null;
                    if (!fired && !persistent)
                    {
                        // The first m past the end: this Open ran the whole recovery of the state.
                        recoveryOps += _plan.Count;
                    }

                    _plan.Disarm();

                    // Idempotence: the next Open, faults lifted, finishes the job.
                    CheckRecovered(violations, old, expectedNew, baseHead, txId, label, ref runs, baseHeadReset: true);
                    if (!fired)
                    {
                        break;
                    }
                }
            }
        }

        stopwatch.Stop();
        output.WriteLine($"{scenario} recovery: {crashPoints.Count} crash points, {states} crash-like states needing recovery, "
            + $"{recoveryOps} recovery I/O operations over those states (each failed once and persistently), {runs} runs ({openFailed} Opens failed by the fault), {violations.Count} violations; {stopwatch.Elapsed.TotalSeconds:0.0} s");
        Assert.True(violations.Count == 0, string.Join("\n", violations.Take(30)));
        Assert.True(states >= 4, $"only {states} crash-like states needed recovery");
    }

    private void CheckRecovered(List<string> violations, SortedDictionary<string, byte[]> old, SortedDictionary<string, byte[]> expectedNew, string baseHead, string txId, string label, ref int runs, bool baseHeadReset)
    {
        runs++;
        ComposeEngine engine;
        try
        {
            engine = Open();
        }
        catch (ComposeException ex)
        {
            violations.Add($"{label}: the Open with faults lifted failed: {ex.Message}");
            return;
        }

        using (engine)
        {
            CheckInvariant(violations, engine, old, expectedNew, baseHead, txId, label + " (recovered)", null, recovered: true);
            if (baseHeadReset)
            {
                ResetIfChanged(engine, old, baseHead);
            }
        }
    }

    /// <summary>Checks the invariant; returns whether the files are all-new.</summary>
    private bool CheckInvariant(List<string> violations, ComposeEngine engine, SortedDictionary<string, byte[]> old, SortedDictionary<string, byte[]> expectedNew,
        string baseHead, string txId, string label, bool? expectNew, bool recovered)
    {
        var now = Ws.Snapshot(_ws.Root);
        var isOld = Ws.Same(old, now);
        var isNew = Ws.Same(expectedNew, now);
        Check(violations, isOld || isNew, $"{label}: neither all-old nor all-new (vs old: {Ws.Describe(old, now)}; vs new: {Ws.Describe(expectedNew, now)})");
        Check(violations, expectNew is null || (expectNew.Value ? isNew : isOld), $"{label}: expected all-{(expectNew == true ? "new" : "old")}");
        var head = _ws.Git("rev-parse", "HEAD");
        Check(violations, isNew == (head != baseHead), $"{label}: files new={isNew} but git moved={head != baseHead}");
        if (isNew && head != baseHead)
        {
            Check(violations, _ws.Git("rev-parse", "HEAD~1") == baseHead, $"{label}: HEAD~1 is not the base");
            Check(violations, _ws.Git("log", "-1", "--format=%B").Contains($"Compose-Transaction: {txId}", StringComparison.Ordinal), $"{label}: HEAD lacks the trailer");
        }

        var verification = engine.Verify();
        Check(violations, verification.IsConsistent, $"{label}: index: {string.Join("; ", verification.Problems)}");
        var leftovers = Directory.EnumerateFiles(_ws.Root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(_ws.Root, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith(".git/", StringComparison.Ordinal))
            .Where(f => f.EndsWith(".tmp", StringComparison.Ordinal) || f.EndsWith(".restore", StringComparison.Ordinal)
                        || (!isNew && f.StartsWith($".atomiccompose/backups/{txId}/", StringComparison.Ordinal)))
            .ToList();
        Check(violations, leftovers.Count == 0, $"{label}: leftovers {string.Join(", ", leftovers)}");
        if (recovered)
        {
            Check(violations, !Directory.EnumerateFiles(_ws.PathOf(".atomiccompose/journal")).Any(), $"{label}: the journal is not empty");
            Check(violations, engine.LastRecovery.Conflicts.Count == 0, $"{label}: conflicts {string.Join(", ", engine.LastRecovery.Conflicts)}");
            var status = _ws.Git("status", "--porcelain");
            Check(violations, status.Length == 0, $"{label}: git status: {status}");
        }

        return isNew;
    }

    private static void Check(List<string> violations, bool condition, string message)
    {
        if (!condition)
        {
            violations.Add(message);
        }
    }

    private ComposeEngine Open() => ComposeEngine.Open(_ws.Root, new ComposeOptions
    {
        IoHook = _plan.Before,
        ProtocolHook = _plan.Step,
        // Validation is not I/O; the built-in validators would only make every run slower.
        DisableBuiltInValidators = true,
        LockTimeout = TimeSpan.FromSeconds(5),
    });

    private static (ComposeException? Error, string TxId) Run(ComposeEngine engine, string scenario)
    {
        using var tx = engine.Begin("fault injection: " + scenario);
        switch (scenario)
        {
            case "replace":
                tx.Replace("src/Greeter.cs", "Demo.Greeter.Greet(string)", "public string Greet(string name) => $\"Hi, {name}\";");
                break;
            case "insert":
                tx.InsertAfter("src/Greeter.cs", "Demo.Greeter.Greet(string)", "/// <summary>Waves.</summary>\n/// <param name=\"name\">Who.</param>\n/// <returns>The wave.</returns>\npublic string Wave(string name) => \"Wave, \" + name;");
                break;
            case "delete":
                tx.Delete("src/Greeter.cs", "Demo.Greeter.Farewell(string)");
                break;
            case "create":
                tx.CreateFile("src/Extra/Added.cs", Added);
                break;
            case "multi":
                tx.Replace("src/Greeter.cs", "Demo.Greeter.Greet(string)", "public string Greet(string name) => $\"Hi, {name}\";");
                tx.CreateFile("src/Extra/Added.cs", Added);
                tx.Delete("src/Program.cs", "Demo.Program.Main()");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(scenario));
        }

        try
        {
            tx.Complete();
            return (null, tx.Id);
        }
        catch (ComposeException ex)
        {
            return (ex, tx.Id);
        }
    }

    /// <summary>One run before counting, so that folders every later run finds (the backup store) exist in the counted one too.</summary>
    private void WarmUp(ComposeEngine engine, string scenario, string baseHead)
    {
        Assert.Null(Run(engine, scenario).Error);
        Reset(engine, baseHead);
    }

    /// <summary>Back to the base commit and the old files (also after a violation, so that one does not cascade into the next runs).</summary>
    private void ResetIfChanged(ComposeEngine engine, SortedDictionary<string, byte[]> old, string baseHead)
    {
        if (_ws.Git("rev-parse", "HEAD") != baseHead || !Ws.Same(old, Ws.Snapshot(_ws.Root)) || _ws.Git("status", "--porcelain").Length > 0)
        {
            Reset(engine, baseHead);
        }
    }

    private void Reset(ComposeEngine engine, string baseHead)
    {
        _ws.Git("reset", "-q", "--hard", baseHead);
        _ws.Git("clean", "-q", "-fd", "src");
        engine.Reindex();
    }

    private static string Summary(List<string> kinds) =>
        string.Join(", ", kinds.GroupBy(k => k, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"));

    /// <summary>Counts I/O operations and throws at the armed one (and, when persistent, at every one after it); tracks the protocol step.</summary>
    private sealed class FaultPlan
    {
        private int _failAt = int.MaxValue;
        private bool _persistent;
        private bool _armed;
        private bool _record;
        private ComposeStep? _step;

        public int Count { get; private set; }

        public string? FailedAt { get; private set; }

        public ComposeStep? FailedStep { get; private set; }

        /// <summary>"operation where" of each operation of a recording run.</summary>
        public List<string> Recorded { get; } = [];

        public List<ComposeStep?> RecordedSteps { get; } = [];

        public void Arm(int failAt, bool persistent, bool record = false)
        {
            _failAt = failAt;
            _persistent = persistent;
            _record = record;
            _armed = true;
            _step = null;
            Count = 0;
            FailedAt = null;
            FailedStep = null;
            if (record)
            {
                Recorded.Clear();
                RecordedSteps.Clear();
            }
        }

        public void Disarm() => _armed = false;

        public void Step(string label)
        {
            if (label.StartsWith("before:", StringComparison.Ordinal) && Enum.TryParse<ComposeStep>(label["before:".Length..], out var step))
            {
                _step = step;
            }
            else if (label == "recovery:start")
            {
                _step = ComposeStep.Recovery;
            }
        }

        public void Before(string operation, string path)
        {
            if (!_armed)
            {
                return;
            }

            Count++;
            var where = Where(path);
            if (_record)
            {
                Recorded.Add(operation + " " + where);
                RecordedSteps.Add(_step);
            }

            if (Count == _failAt || (_persistent && Count > _failAt))
            {
                if (FailedAt is null)
                {
                    FailedAt = $"{operation} {where} (#{Count})";
                    FailedStep = _step;
                }

                throw new IOException($"injected fault: {operation} {path} (#{Count})");
            }
        }

        private static string Where(string path)
        {
            var p = path.Replace('\\', '/');
            return p.Contains("/.atomiccompose/journal", StringComparison.Ordinal) ? "journal"
                : p.Contains("/.atomiccompose/backups", StringComparison.Ordinal) ? "backups"
                : p.Contains("/.atomiccompose/index", StringComparison.Ordinal) || p.EndsWith("/.atomiccompose", StringComparison.Ordinal) ? "index"
                : p.Contains("/.git", StringComparison.Ordinal) || !p.StartsWith('/') ? "git"
                : "worktree";
        }
    }
}
