using AtomicCompose.Tests.Robustness;
using AtomicCompose.Tests.TestSupport;
using Xunit.Abstractions;

namespace AtomicCompose.Tests.Journal;

/// <summary>
/// Crashes at protocol boundaries, at random instants, and while recovery itself runs: a child process
/// (tests/AtomicCompose.CrashHarness) is SIGKILLed, then recovery runs again (in another child that may
/// itself be killed at a recovery boundary), and finally in this process, which checks the invariant:
/// all-old or all-new, git agrees, index verified, git status clean, no temp file, journal empty.
/// </summary>
public sealed class RecoveryCrashTests : IDisposable
{
    private readonly TempWorkspace _ws = TempWorkspace.Create();
    private readonly ITestOutputHelper _output;
    private readonly List<string> _copies = [];

    public RecoveryCrashTests(ITestOutputHelper output)
    {
        _output = output;
        SampleProjects.WriteDemo(_ws);
        using var engine = ComposeEngine.Open(_ws.Root); // index the workspace once, like a user's first Open
    }

    public void Dispose()
    {
        foreach (var c in _copies)
        {
            Ws.DeleteDir(c);
        }

        _ws.Dispose();
    }

    [Fact]
    public void Recovery_killed_while_rolling_back_is_finished_by_the_next_recovery()
    {
        var old = Ws.Snapshot(_ws.Root);
        var head = _ws.Git("rev-parse", "HEAD");
        var (newFiles, _) = ExpectedNew("replace");

        Assert.NotEqual(0, Harness.Run(_ws.Root, "after:Move", "replace").ExitCode);
        var (exit, output) = Harness.Run(_ws.Root, "recovery:rollback:restored:src/Greeter.cs", "recover");
        Assert.True(exit != 0 && exit != 3, $"recovery was not killed: {output}");
        Assert.Single(Directory.EnumerateFiles(_ws.PathOf(".atomiccompose/journal"))); // the entry survives the killed recovery
        (exit, output) = Harness.Run(_ws.Root, "recovery:rollback:before:Retire", "recover");
        Assert.True(exit != 0 && exit != 3, $"second recovery was not killed: {output}");

        Assert.False(Ws.AssertRecoveredInvariant(_ws.Root, old, newFiles, head, "rollback killed twice"));
    }

    [Fact]
    public void Recovery_killed_while_rolling_forward_commits_exactly_once()
    {
        var old = Ws.Snapshot(_ws.Root);
        var head = _ws.Git("rev-parse", "HEAD");
        var (newFiles, _) = ExpectedNew("replace");

        Assert.NotEqual(0, Harness.Run(_ws.Root, "after:IndexCommit", "replace").ExitCode);
        var (exit, output) = Harness.Run(_ws.Root, "recovery:forward:after:VcsCommit", "recover");
        Assert.True(exit != 0 && exit != 3, $"recovery was not killed: {output}");
        Assert.NotEqual(head, _ws.Git("rev-parse", "HEAD"));
        (exit, output) = Harness.Run(_ws.Root, "recovery:forward:after:SetCommit", "recover");
        Assert.True(exit != 0 && exit != 3, $"second recovery was not killed: {output}");

        Assert.True(Ws.AssertRecoveredInvariant(_ws.Root, old, newFiles, head, "roll-forward killed twice"));
        using var engine = ComposeEngine.Open(_ws.Root);
        Assert.Equal(_ws.Git("rev-parse", "HEAD"), engine.GetIndexedFile("src/Greeter.cs")!.Commit);
    }

    [Theory]
    [InlineData("replace")]
    [InlineData("multi")]
    [Trait("Category", "Slow")]
    public void Killed_at_every_boundary_then_recovery_killed_at_every_recovery_boundary(string scenario)
    {
        var old = Ws.Snapshot(_ws.Root);
        var head = _ws.Git("rev-parse", "HEAD");
        var (newFiles, protocolLabels) = ExpectedNew(scenario);
        Assert.Contains("after:IndexCommit", protocolLabels);
        if (scenario == "multi")
        {
            Assert.Contains("WriteTemp:src/Extra/Added.cs", protocolLabels);
            Assert.Contains("Move:src/Program.cs", protocolLabels);
        }

        var pristine = Copy(_ws.Root);
        int crashes = 0, recoveryCrashes = 0, allNew = 0;
        foreach (var label in protocolLabels.Distinct())
        {
            var crashed = Copy(pristine);
            var (exit, output) = Harness.Run(crashed, label, scenario);
            Assert.True(exit != 0 && exit != 3, $"{label}: the harness was not killed: {output}");
            crashes++;

            // Which boundaries does recovery pass from this state? Trace it in this process on a copy, then check plain recovery.
            var traced = Copy(crashed);
            var recoveryLabels = new List<string>();
            using (ComposeEngine.Open(traced, new ComposeOptions { ProtocolHook = recoveryLabels.Add }))
            {
            }

            allNew += Ws.AssertRecoveredInvariant(traced, old, newFiles, head, $"{scenario} {label}") ? 1 : 0;
            recoveryLabels = recoveryLabels.Where(l => l.StartsWith("recovery:", StringComparison.Ordinal)).Distinct().ToList();

            // replace: every recovery boundary of every crash point; multi (more files, more labels): one, rotating, to stay bounded.
            var chosen = scenario == "replace" || recoveryLabels.Count == 0 ? recoveryLabels : [recoveryLabels[crashes % recoveryLabels.Count]];
            foreach (var recoveryLabel in chosen)
            {
                var twice = Copy(crashed);
                var (rexit, routput) = Harness.Run(twice, recoveryLabel, "recover");
                Assert.True(rexit != 0 && rexit != 3, $"{label} then {recoveryLabel}: recovery was not killed: {routput}");
                recoveryCrashes++;
                Ws.AssertRecoveredInvariant(twice, old, newFiles, head, $"{scenario} {label} then recovery killed at {recoveryLabel}");
                Ws.DeleteDir(twice);
            }

            Ws.DeleteDir(traced);
            Ws.DeleteDir(crashed);
        }

        _output.WriteLine($"{scenario}: {crashes} protocol crash points, {recoveryCrashes} recovery crash points, {allNew} rolled forward");
        Assert.True(crashes >= 18);
        Assert.True(recoveryCrashes >= crashes / 2, $"only {recoveryCrashes} recovery crash points");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Killed_at_random_instants_during_the_protocol_and_during_recovery()
    {
        var old = Ws.Snapshot(_ws.Root);
        var head = _ws.Git("rev-parse", "HEAD");
        var (newFiles, _) = ExpectedNew("multi");
        var pristine = Copy(_ws.Root);
        int killed = 0, finished = 0, recoveryKilled = 0;
        for (var seed = 1; seed <= 20; seed++)
        {
            var run = Copy(pristine);
            var (exit, output) = Harness.Run(run, $"random:{seed}:80000", "multi");
            Assert.True(exit != 3, $"seed {seed}: {output}");
            if (exit == 0)
            {
                finished++;
            }
            else
            {
                killed++;
                var (rexit, routput) = Harness.Run(run, $"random:{seed * 7919}:30000", "recover");
                Assert.True(rexit != 3, $"seed {seed} recovery: {routput}");
                recoveryKilled += rexit == 0 ? 0 : 1;
            }

            Ws.AssertRecoveredInvariant(run, old, newFiles, head, $"random seed {seed}");
            Ws.DeleteDir(run);
        }

        _output.WriteLine($"random: {killed} killed mid-protocol ({recoveryKilled} recoveries killed too), {finished} finished before the kill");
    }

    /// <summary>Runs the scenario to completion on a copy, tracing its labels; returns the all-new files and the labels.</summary>
    private (SortedDictionary<string, byte[]> Files, List<string> Labels) ExpectedNew(string scenario)
    {
        var copy = Copy(_ws.Root);
        var (exit, output) = Harness.Run(copy, "trace", scenario);
        Assert.True(exit == 0, output);
        var labels = Harness.Labels(output).Where(l => !l.StartsWith("recovery:", StringComparison.Ordinal)).ToList();
        Assert.True(labels.Count >= 18, output);
        return (Ws.Snapshot(copy), labels);
    }

    private string Copy(string root)
    {
        var copy = Ws.Copy(root);
        _copies.Add(copy);
        return copy;
    }
}
