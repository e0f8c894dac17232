using System.Reflection;
using System.Runtime.InteropServices;
using LibGit2Sharp;

namespace AtomicCompose.Vcs;

/// <summary>
/// Turns on libgit2's <c>GIT_OPT_ENABLE_FSYNC_GITDIR</c>. LibGit2Sharp 0.32 does not expose it
/// (<see cref="GlobalSettings"/> has no such setter), and without it libgit2 writes objects, refs and the index
/// without fsync, so a power loss after <see cref="GitVcs.Commit"/> returned could lose the commit. The option is
/// process-global, which is what we want: every repository this process touches gets durable writes.
/// </summary>
internal static unsafe class LibGit2Options
{
    // Position of GIT_OPT_ENABLE_FSYNC_GITDIR in libgit2's git_libgit2_opt_t, stable since libgit2 0.26.
    private const int OptEnableFsyncGitDir = 19;

    private static readonly Lazy<string?> State = new(Enable, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Whether fsync of the git directory is on; <see langword="false"/> if the native call was not possible.</summary>
    public static bool FsyncGitDirEnabled => State.Value is null;

    /// <summary>Why enabling failed, or <see langword="null"/> when it is enabled.</summary>
    public static string? FsyncGitDirFailure => State.Value;

    /// <summary>Enables the option once per process; cheap after the first call.</summary>
    public static void EnsureFsyncGitDir() => _ = State.Value;

    /// <summary>The native libgit2 library LibGit2Sharp loaded (initialising it first), or <see cref="IntPtr.Zero"/>.</summary>
    internal static IntPtr LoadedLibgit2()
    {
        try
        {
            _ = GlobalSettings.Version.Features;
            return FindLoadedLibgit2();
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException or TypeInitializationException or IOException or UnauthorizedAccessException)
        {
            return IntPtr.Zero;
        }
    }

    private static string? Enable()
    {
        // On Apple silicon a variadic C function takes its variadic arguments on the stack, so calling
        // git_libgit2_opts through a fixed signature would pass garbage; elsewhere the ABIs agree.
        if (OperatingSystem.IsMacOS() && RuntimeInformation.ProcessArchitecture == Architecture.Arm64)
        {
            return "not attempted on macOS arm64 (variadic ABI)";
        }

        try
        {
            // Touching LibGit2Sharp first makes it load and initialise its native library the way it wants.
            _ = GlobalSettings.Version.Features;
            var handle = FindLoadedLibgit2();
            if (handle == IntPtr.Zero)
            {
                return "the native libgit2 library loaded by LibGit2Sharp was not found";
            }

            if (!NativeLibrary.TryGetExport(handle, "git_libgit2_opts", out var opts))
            {
                return "git_libgit2_opts is not exported";
            }

            var rc = ((delegate* unmanaged[Cdecl]<int, int, int>)opts)(OptEnableFsyncGitDir, 1);
            return rc == 0 ? null : $"git_libgit2_opts returned {rc}";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException or TypeInitializationException or IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }

    private static IntPtr FindLoadedLibgit2()
    {
        // On Linux the mapped library is authoritative: dlopen of a path already mapped returns that same
        // instance, whereas probing by name could load a second copy (from another directory) whose globals
        // are not the ones LibGit2Sharp uses.
        if (OperatingSystem.IsLinux() && File.Exists("/proc/self/maps"))
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                var slash = line.IndexOf('/');
                if (slash < 0)
                {
                    continue;
                }

                var path = line[slash..];
                var file = Path.GetFileName(path);
                if (file.StartsWith("libgit2", StringComparison.Ordinal) && file.Contains(".so", StringComparison.Ordinal)
                    && NativeLibrary.TryLoad(path, out var mapped))
                {
                    return mapped;
                }
            }
        }

        var assembly = typeof(Repository).Assembly;
        var name = assembly.GetType("LibGit2Sharp.Core.NativeDllName")
            ?.GetField("Name", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            ?.GetRawConstantValue() as string;
        if (name is not null && NativeLibrary.TryLoad(name, assembly, null, out var handle))
        {
            return handle;
        }

        return IntPtr.Zero;
    }
}
