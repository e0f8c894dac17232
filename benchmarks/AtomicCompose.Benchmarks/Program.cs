using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(AtomicCompose.Benchmarks.ReplacePathBenchmarks).Assembly).Run(args);
