using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;

namespace AtomicCompose.Validation;

/// <summary>The metadata references a build compiles against (framework, packages, plain files), shared by every project and validation.</summary>
internal static class PackageReferences
{
    // One instance per file version, shared by every project and validation, like the framework references.
    private static readonly ConcurrentDictionary<(string Path, DateTime Stamp), MetadataReference> Cache = new();

    /// <summary>One reference per file version.</summary>
    /// <param name="path">Full path of a compile assembly.</param>
    /// <returns>The shared reference.</returns>
    public static MetadataReference Get(string path)
    {
        var stamp = File.GetLastWriteTimeUtc(path);
        return Cache.GetOrAdd((path, stamp), key => MetadataReference.CreateFromFile(key.Path));
    }
}
