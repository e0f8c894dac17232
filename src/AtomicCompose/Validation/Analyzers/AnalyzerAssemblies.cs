using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AtomicCompose.Validation.Analyzers;

/// <summary>
/// Loads the C# analyzers of analyzer assemblies (<c>&lt;Analyzer Include&gt;</c> items and package analyzers).
/// Each file version gets its own <see cref="AssemblyLoadContext"/>: two packages may ship different versions
/// of one dependency, and a rebuilt analyzer cannot be loaded again into a context that holds the old one.
/// The compiler's own assemblies and the framework come from the host, so that the analyzers' base types
/// are ours.
/// </summary>
internal static class AnalyzerAssemblies
{
    private static readonly ConcurrentDictionary<(string Path, DateTime Stamp), Lazy<Loaded>> Cache = new();

    /// <summary>The analyzers and source generators of one file, and why none could be loaded when that is the case.</summary>
    internal sealed record Loaded(ImmutableArray<DiagnosticAnalyzer> Analyzers, ImmutableArray<ISourceGenerator> Generators, string? Error);

    /// <summary>The C# analyzers and source generators in <paramref name="fullPath"/>; loaded once per file version for the process.</summary>
    public static Loaded Get(string fullPath)
    {
        var stamp = File.GetLastWriteTimeUtc(fullPath);
        return Cache.GetOrAdd((fullPath, stamp), key => new Lazy<Loaded>(() => Load(key.Path))).Value;
    }

    private static Loaded Load(string fullPath)
    {
        if (!File.Exists(fullPath))
        {
            return new Loaded([], [], "file not found");
        }

        var loader = new Loader(fullPath);
        var reference = new AnalyzerFileReference(fullPath, loader);
        string? error = null;
        reference.AnalyzerLoadFailed += (_, e) => error ??= e.Message;
        try
        {
            var analyzers = reference.GetAnalyzers(LanguageNames.CSharp);
            var generators = reference.GetGenerators(LanguageNames.CSharp);
            return new Loaded(analyzers, generators, analyzers.IsEmpty && generators.IsEmpty ? error : null);
        }
        catch (Exception ex) when (ex is IOException or BadImageFormatException or FileLoadException or ReflectionTypeLoadException or TypeLoadException)
        {
            return new Loaded([], [], ex.Message);
        }
    }

    private sealed class Loader(string analyzerPath) : IAnalyzerAssemblyLoader
    {
        private readonly Context _context = new(analyzerPath);

        public void AddDependencyLocation(string fullPath) => _context.AddDirectory(Path.GetDirectoryName(fullPath)!);

        public Assembly LoadFromPath(string fullPath)
        {
            _context.AddDirectory(Path.GetDirectoryName(fullPath)!);
            return _context.LoadFromAssemblyPath(fullPath);
        }
    }

    private sealed class Context : AssemblyLoadContext
    {
        private static readonly HashSet<string> HostAssemblies = HostNames();
        private readonly List<string> _directories = [];

        public Context(string analyzerPath)
            : base("AtomicCompose analyzer " + Path.GetFileName(analyzerPath)) => AddDirectory(Path.GetDirectoryName(analyzerPath)!);

        public void AddDirectory(string directory)
        {
            lock (_directories)
            {
                if (!_directories.Contains(directory, StringComparer.Ordinal))
                {
                    _directories.Add(directory);
                }
            }
        }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            var name = assemblyName.Name ?? "";

            // Sharing the compiler and the framework is what makes an analyzer's DiagnosticAnalyzer our type. Other
            // Microsoft.CodeAnalysis.* assemblies (the SDK's code-style rules ship Microsoft.CodeAnalysis.CodeStyle
            // next to the C# ones) come from the analyzer's folder like any dependency.
            if (HostAssemblies.Contains(name))
            {
                return null;
            }

            string[] directories;
            lock (_directories)
            {
                directories = [.. _directories];
            }

            var file = directories.Select(d => Path.Combine(d, name + ".dll")).FirstOrDefault(File.Exists);
            return file is null ? null : LoadFromAssemblyPath(file);
        }

        private static HashSet<string> HostNames()
        {
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string tpa)
            {
                foreach (var path in tpa.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
                {
                    names.Add(Path.GetFileNameWithoutExtension(path));
                }
            }

            foreach (var loaded in Default.Assemblies)
            {
                if (loaded.GetName().Name is { } n)
                {
                    names.Add(n);
                }
            }

            return names;
        }
    }
}
