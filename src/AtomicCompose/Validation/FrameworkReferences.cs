using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace AtomicCompose.Validation;

/// <summary>
/// The .NET reference assemblies embedded in the package, so validation works on a machine that never
/// ran a restore. One set of instances for the process: Roslyn shares metadata symbols between
/// compilations only when they get the same <see cref="MetadataReference"/> objects.
/// </summary>
internal static class FrameworkReferences
{
    /// <summary>The .NET version the embedded reference assemblies are of.</summary>
    public const int Major = 10;

    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyAll =
        new(() => [.. Basic.Reference.Assemblies.Net100.References.All], LazyThreadSafetyMode.ExecutionAndPublication);

    public static ImmutableArray<MetadataReference> All => LazyAll.Value;
}
