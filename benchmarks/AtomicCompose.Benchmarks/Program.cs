using BenchmarkDotNet.Running;

if (args.Length > 0 && args[0] == "protocol")
{
    return AtomicCompose.Benchmarks.ProtocolHarness.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(AtomicCompose.Benchmarks.ReplacePathBenchmarks).Assembly).Run(args);
return 0;
