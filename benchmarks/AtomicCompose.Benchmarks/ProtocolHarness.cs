using System.Diagnostics;
using System.Globalization;
using LibGit2Sharp;

namespace AtomicCompose.Benchmarks;

/// <summary>
/// A Stopwatch harness of the committed path's protocol (every step but Validate): <c>ReplaceBody</c> of one method and
/// <c>Complete()</c> in a loop on a warm engine over <see cref="GeneratedProject"/>, medians per step from
/// <see cref="ComposeResult.Timings"/>, and the I/O operations of each step as the library's own fault seam sees them
/// (<c>ComposeOptions.IoHook</c>: every write, fsync, rename and delete), which, unlike times, are not noisy.
/// </summary>
/// <remarks>
/// Run: <c>dotnet run -c Release --project benchmarks/AtomicCompose.Benchmarks -- protocol --files 300 --other 0
/// --iterations 60</c>. <c>--validators on</c> keeps the built-in validators (the protocol figures do not include
/// Validate either way; off by default so the harness measures the protocol even where the project cannot be loaded).
/// <c>--root DIR</c> reuses a generated project (created there on first use) so several processes of an A/B comparison
/// measure the same repository; <c>--no-iohook</c> measures without the counting hook; <c>--gaps</c> prints the median
/// time between consecutive hooked operations (where inside a step the time goes). The <c>cpu</c> line is the process's
/// CPU time per transaction. For an A/B comparison build each version into its own folder
/// (<c>dotnet build -c Release benchmarks/AtomicCompose.Benchmarks -o /tmp/a</c>) and alternate processes of the two on
/// one <c>--root</c>.
/// </remarks>
internal static class ProtocolHarness
{
    public static int Run(string[] args)
    {
        var files = IntArg(args, "--files", 300);
        var other = IntArg(args, "--other", 0);
        var iterations = IntArg(args, "--iterations", 60);
        var warmup = IntArg(args, "--warmup", 10);
        var validators = StringArg(args, "--validators", "off") == "on";
        var countIo = !args.Contains("--no-iohook");
        var label = StringArg(args, "--label", "run");
        var root = StringArg(args, "--root", null);

        GeneratedProject? project = null;
        if (root is null)
        {
            project = GeneratedProject.Create(files, git: true, other);
            root = project.Root;
        }
        else if (!Directory.Exists(Path.Combine(root, ".git")))
        {
            GeneratedProject.CreateAt(root, files, other);
        }

        var step = "none";
        var ioByStep = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);

        // The time from one hooked operation to the next, keyed by the pair: where inside a step the time goes, without
        // instrumenting the library (each hook fires right before its operation).
        var gaps = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        var last = (Label: "start", At: 0.0);
        void Mark(string what)
        {
            var now = clock.Elapsed.TotalMilliseconds;
            var key = $"{last.Label} -> {what}";
            if (!gaps.TryGetValue(key, out var list))
            {
                gaps[key] = list = [];
            }

            list.Add(now - last.At);
            last = (what, now);
        }

        var options = new ComposeOptions { DisableBuiltInValidators = !validators, LoadProjectAnalyzers = validators };
        options.ProtocolHook = point =>
        {
            if (point.StartsWith("before:", StringComparison.Ordinal))
            {
                step = point["before:".Length..];
            }

            if (countIo && (point.StartsWith("before:", StringComparison.Ordinal) || point.StartsWith("after:", StringComparison.Ordinal)))
            {
                Mark(point);
            }
        };
        if (countIo)
        {
            options.IoHook = (op, path) =>
            {
                if (!ioByStep.TryGetValue(step, out var ops))
                {
                    ioByStep[step] = ops = new Dictionary<string, int>(StringComparer.Ordinal);
                }

                ops[op] = ops.GetValueOrDefault(op) + 1;
                Mark($"{op} {Path.GetFileName(path)}");
            };
        }

        var steps = new Dictionary<ComposeStep, List<double>>();
        var protocol = new List<double>();
        var wall = new List<double>();
        var cpu = new List<double>();
        var byValidator = new Dictionary<string, List<double>>(StringComparer.Ordinal);

        var target = $"Generated.Area7.{GeneratedProject.ClassName(7)}.Compute3(int)";
        var seed = Environment.ProcessId * 1000;
        using (var engine = ComposeEngine.Open(root, options))
        {
            for (var i = 0; i < warmup + iterations; i++)
            {
                if (i == warmup)
                {
                    ioByStep.Clear();
                    gaps.Clear();
                }

                last = ("begin", clock.Elapsed.TotalMilliseconds);

                var cpuBefore = ProcessCpuMilliseconds();
                var stopwatch = Stopwatch.StartNew();
                using var tx = engine.Begin("harness");
                tx.ReplaceBody(GeneratedProject.PathOf(7), target, $"{{\n    return value * {seed + i + 2};\n}}");
                var result = tx.Complete();
                stopwatch.Stop();
                step = "none";
                if (i < warmup)
                {
                    continue;
                }

                wall.Add(stopwatch.Elapsed.TotalMilliseconds);
                cpu.Add(ProcessCpuMilliseconds() - cpuBefore);
                var sum = 0.0;
                foreach (var timing in result.Timings)
                {
                    if (!steps.TryGetValue(timing.Step, out var list))
                    {
                        steps[timing.Step] = list = [];
                    }

                    list.Add(timing.Elapsed.TotalMilliseconds);
                    if (timing.Step != ComposeStep.Validate)
                    {
                        sum += timing.Elapsed.TotalMilliseconds;
                    }
                }

                protocol.Add(sum);
                foreach (var verdict in result.Validation.Verdicts.Where(v => !v.Skipped))
                {
                    var key = $"validator {verdict.Validator}";
                    if (!byValidator.TryGetValue(key, out var list))
                    {
                        byValidator[key] = list = [];
                    }

                    list.Add(verdict.Elapsed.TotalMilliseconds);
                }
            }
        }

        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"# {label}: {files} cs + {other} other, {iterations} iterations after {warmup} warm-up, validators {(validators ? "on" : "off")}"));
        foreach (var (s, times) in steps.OrderBy(s => s.Key))
        {
            Console.WriteLine(string.Create(inv, $"{label}\tstep\t{s}\t{Median(times):F3}\tmin {times.Min():F3}\tmax {times.Max():F3}"));
        }

        foreach (var (name, times) in byValidator.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            Console.WriteLine(string.Create(inv, $"{label}\t{name}\t{Median(times):F3}\tmin {times.Min():F3}\tmax {times.Max():F3}"));
        }

        Console.WriteLine(string.Create(inv, $"{label}\tprotocol\t{Median(protocol):F3}\tmin {protocol.Min():F3}\tmax {protocol.Max():F3}"));
        Console.WriteLine(string.Create(inv, $"{label}\twall\t{Median(wall):F3}"));

        // CPU time of the whole process per transaction (user + system, all threads): less sensitive than wall time to
        // other processes on the machine, which delay us without adding to it.
        Console.WriteLine(string.Create(inv, $"{label}\tcpu\t{Median(cpu):F3}"));
        if (countIo)
        {
            var total = 0;
            foreach (var (s, ops) in ioByStep.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                var perTx = string.Join(", ", ops.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => string.Create(inv, $"{o.Key} {o.Value / (double)iterations:0.##}")));
                total += ops.Values.Sum();
                Console.WriteLine($"{label}\tio\t{s}\t{perTx}");
            }

            Console.WriteLine(string.Create(inv, $"{label}\tio\ttotal per transaction\t{total / (double)iterations:0.##}"));
            if (args.Contains("--gaps"))
            {
                // Transaction-specific names (ids in temp and journal names) make keys differ per run; group what repeats.
                foreach (var (key, times) in gaps.Where(g => g.Value.Count >= iterations / 2).OrderByDescending(g => Median(g.Value)))
                {
                    Console.WriteLine(string.Create(inv, $"{label}\tgap\t{Median(times):F3}\t{key}\t(n={times.Count})"));
                }
            }
        }

        project?.Dispose();
        return 0;
    }

    /// <summary>CPU time of the process (all threads) in milliseconds: <c>clock_gettime(CLOCK_PROCESS_CPUTIME_ID)</c>, nanosecond resolution (Process.TotalProcessorTime counts in clock ticks of 10 ms).</summary>
    private static unsafe double ProcessCpuMilliseconds()
    {
        if (!OperatingSystem.IsLinux())
        {
            return Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;
        }

        long* timespec = stackalloc long[2];
        return ClockGetTime(2, timespec) == 0 ? (timespec[0] * 1000.0) + (timespec[1] / 1_000_000.0) : double.NaN;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern unsafe int ClockGetTime(int clock, long* timespec);

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[sorted.Count / 2];
    }

    private static int IntArg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string? StringArg(string[] args, string name, string? fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
