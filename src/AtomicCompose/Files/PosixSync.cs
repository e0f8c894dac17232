using System.Runtime.InteropServices;

namespace AtomicCompose.Files;

/// <summary>
/// Directory fsync through libc. .NET has no API for it: <c>FileStream</c> cannot open a directory, and a
/// rename or a create is only durable once the directory that holds the entry has been synced.
/// </summary>
internal static partial class PosixSync
{
    private const int ORdOnly = 0;
    private const int EIntr = 4;
    private const int EInval = 22;
    private const int ENotSup = 95;
    private const int EOpNotSuppDarwin = 45;
    private const uint SyncFileRangeWrite = 2;

    /// <summary>Flushes a directory's entries to stable storage.</summary>
    /// <param name="directory">The directory.</param>
    /// <param name="ioHook">The I/O fault seam (see <see cref="IoOp"/>); called before the sync.</param>
    /// <exception cref="IOException">open or fsync failed; the message carries errno.</exception>
    public static void FsyncDirectory(string directory, Action<string, string>? ioHook = null)
    {
        ioHook?.Invoke(IoOp.DirFsync, directory);
        // Windows has no equivalent through a plain handle, and NTFS journals its metadata; the rename
        // there is made as durable as the platform allows by the file's own flush.
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fd = OpenDirectory(directory);
        try
        {
            while (true)
            {
                if (Fsync(fd) == 0)
                {
                    return;
                }

                var errno = Marshal.GetLastPInvokeError();
                if (errno == EIntr)
                {
                    continue;
                }

                // Some file systems (certain FUSE and network mounts) cannot sync a directory at all and say so
                // with EINVAL/ENOTSUP; failing every write there would make the library unusable without
                // making anything more durable.
                if (errno is EInval or ENotSup or EOpNotSuppDarwin)
                {
                    return;
                }

                throw Error("fsync", directory, errno);
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>Flushes an existing file's data to stable storage (for files another library wrote without fsync).</summary>
    /// <param name="path">The file.</param>
    /// <param name="ioHook">The I/O fault seam (see <see cref="IoOp"/>); called before the sync.</param>
    public static void FsyncFile(string path, Action<string, string>? ioHook = null)
    {
        ioHook?.Invoke(IoOp.FileFsync, path);
        // Opened for writing only because FileStream skips the OS flush on a read-only stream; nothing is written.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, 1);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>
    /// Asks Linux to start writing a file's dirty pages now (<c>sync_file_range(SYNC_FILE_RANGE_WRITE)</c>), without
    /// waiting and without making anything durable; the fsync that follows later then finds them written or on their
    /// way. A no-op elsewhere and on any error: it is only a head start, never a substitute for the fsync.
    /// </summary>
    public static void StartWriteback(Microsoft.Win32.SafeHandles.SafeFileHandle handle)
    {
        if (!OperatingSystem.IsLinux() || handle.IsInvalid)
        {
            return;
        }

        try
        {
            var added = false;
            handle.DangerousAddRef(ref added);
            try
            {
                _ = SyncFileRange((int)handle.DangerousGetHandle(), 0, 0, SyncFileRangeWrite);
            }
            finally
            {
                if (added)
                {
                    handle.DangerousRelease();
                }
            }
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException or ObjectDisposedException)
        {
            _ = e;
        }
    }

    private static int OpenDirectory(string directory)
    {
        var flags = ORdOnly | ODirectory() | OCloexec();
        while (true)
        {
            var fd = Open(directory, flags);
            if (fd >= 0)
            {
                return fd;
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno != EIntr)
            {
                throw Error("open", directory, errno);
            }
        }
    }

    private static IOException Error(string call, string path, int errno) =>
        new($"{call}({path}) failed: errno {errno} ({Marshal.GetPInvokeErrorMessage(errno)}).", errno);

    // The flag values are ABI constants that differ between kernels and architectures.
    private static int ODirectory()
    {
        if (OperatingSystem.IsMacOS() || OperatingSystem.IsIOS() || OperatingSystem.IsFreeBSD())
        {
            return OperatingSystem.IsFreeBSD() ? 0x20000 : 0x100000;
        }

        return RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.Arm or Architecture.Arm64 or Architecture.Ppc64le => 0x4000,
            _ => 0x10000,
        };
    }

    private static int OCloexec()
    {
        if (OperatingSystem.IsMacOS() || OperatingSystem.IsIOS())
        {
            return 0x1000000;
        }

        if (OperatingSystem.IsFreeBSD())
        {
            return 0x100000;
        }

        return 0x80000;
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static partial int SyncFileRange(int fd, long offset, long count, uint flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
