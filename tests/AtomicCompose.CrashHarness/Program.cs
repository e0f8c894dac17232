// Runs one transaction (or only recovery) in a child process and kills itself (SIGKILL, no cleanup,
// no finally blocks) when the protocol reaches the boundary named by args[1]. The crash tests then
// open the workspace again and check that recovery repaired it.
//
// usage: AtomicCompose.CrashHarness <root> <mode> [scenario]
//   mode:     <label>                     SIGKILL when the protocol (or recovery) hook fires <label>
//             none                        never crash
//             trace                       never crash; print every hook label as "LABEL <label>"
//             random:<seed>:<maxMicros>   at the first hook ("before:Journal", or "recovery:start" for the
//                                         recover scenario) start a thread that spins a seeded random
//                                         0..maxMicros µs and then SIGKILLs: a crash between any two instructions
//   scenario: replace | multi             the fixed edits of the crash tests
//             greet:<tag> | farewell:<tag> distinct edits (Greet or Farewell returns "<tag>") for concurrent runs
//             recover                     only open the workspace (recovery runs in Open), no transaction
// exit codes: 0 success ("OK <sha>"), 3 a ComposeException ("ComposeException <Code> <Step> <State>: <message>").
using System.Diagnostics;
using AtomicCompose;

var root = args[0];
var mode = args[1];
var scenario = args.Length > 2 ? args[2] : "replace";
var options = new ComposeOptions { LockTimeout = TimeSpan.FromSeconds(60) };
var armed = 0;
options.ProtocolHook = label =>
{
    if (mode == "trace")
    {
        Console.WriteLine("LABEL " + label);
        return;
    }

    if (mode.StartsWith("random:", StringComparison.Ordinal))
    {
        if ((label == "before:Journal" || label == "recovery:start") && Interlocked.Exchange(ref armed, 1) == 0)
        {
            var parts = mode.Split(':');
            var rng = new Random(int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
            var delayTicks = (long)(rng.NextDouble() * long.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture) * Stopwatch.Frequency / 1_000_000);
            var start = Stopwatch.GetTimestamp();
            var killer = new Thread(() =>
            {
                while (Stopwatch.GetTimestamp() - start < delayTicks)
                {
                    Thread.SpinWait(20);
                }

                Die();
            }) { IsBackground = true, Priority = ThreadPriority.Highest };
            killer.Start();
        }

        return;
    }

    if (label == mode)
    {
        Die();
    }
};

try
{
    using var engine = ComposeEngine.Open(root, options);
    if (scenario == "recover")
    {
        Console.WriteLine($"OK recovered back={engine.LastRecovery.RolledBack.Count} forward={engine.LastRecovery.RolledForward.Count} conflicts={engine.LastRecovery.Conflicts.Count}");
        return 0;
    }

    using var tx = engine.Begin("crash harness: " + scenario);
    var (name, tag) = scenario.Split(':', 2) is [var n, var t] ? (n, t) : (scenario, "");
    switch (name)
    {
        case "replace":
            tx.Replace("src/Greeter.cs", "Demo.Greeter.Greet(string)", "public string Greet(string name) => $\"Hi, {name}\";");
            break;
        case "multi":
            tx.Replace("src/Greeter.cs", "Demo.Greeter.Greet(string)", "public string Greet(string name) => $\"Hi, {name}\";");
            tx.CreateFile("src/Extra/Added.cs", "namespace Demo;\n\n/// <summary>Added.</summary>\npublic static class Added\n{\n}\n");
            tx.Delete("src/Program.cs", "Demo.Program.Main()");
            break;
        case "greet":
            tx.Replace("src/Greeter.cs", "Demo.Greeter.Greet(string)", $"public string Greet(string name) => \"{tag}\";");
            break;
        case "farewell":
            tx.Replace("src/Greeter.cs", "Demo.Greeter.Farewell(string)", $"public string Farewell(string name) => \"{tag}\";");
            break;
        default:
            throw new ArgumentException("unknown scenario " + scenario);
    }

    var result = tx.Complete();
    Console.WriteLine("OK " + result.CommitSha + " " + result.TransactionId);
    return 0;
}
catch (ComposeException ex)
{
    Console.WriteLine($"ComposeException {ex.Code} {ex.Step} {ex.State}: {ex.Message}");
    return 3;
}

static void Die()
{
    Console.Out.Flush();
    Process.GetCurrentProcess().Kill();
    Thread.Sleep(Timeout.Infinite);
}
