using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace AtomicCompose.Validation;

/// <summary>
/// Tells a warm project which of its files someone else touched since the last look, without stat-ing every
/// file per validation. On Linux it is an inotify instance over the project's folders, read without blocking
/// at each validation: the kernel queues an event when the write happens, so a change made before
/// <see cref="Drain"/> is always seen (unlike <see cref="FileSystemWatcher"/>, whose events arrive later on
/// another thread). Where inotify is not available (another OS, the per-user limit of instances or watches
/// reached) <see cref="Create"/> returns null and the caller falls back to a full scan per validation.
/// </summary>
internal sealed class DirectoryWatch : IDisposable
{
    private const int InNonBlock = 0x800;
    private const int InCloexec = 0x80000;
    private const uint InModify = 0x2;
    private const uint InAttrib = 0x4;
    private const uint InCloseWrite = 0x8;
    private const uint InMovedFrom = 0x40;
    private const uint InMovedTo = 0x80;
    private const uint InCreate = 0x100;
    private const uint InDelete = 0x200;
    private const uint InDeleteSelf = 0x400;
    private const uint InMoveSelf = 0x800;
    private const uint InQOverflow = 0x4000;
    private const uint InIgnored = 0x8000;
    private const uint InOnlyDir = 0x01000000;
    private const uint InIsDir = 0x40000000;
    private const uint Mask = InModify | InAttrib | InCloseWrite | InMovedFrom | InMovedTo | InCreate | InDelete | InDeleteSelf | InMoveSelf;
    private const int Eagain = 11;

    private readonly InotifyHandle _handle;
    private readonly Dictionary<int, string> _folders = [];
    private readonly byte[] _buffer = new byte[64 * 1024];

    private DirectoryWatch(InotifyHandle handle) => _handle = handle;

    /// <summary>What changed since the last <see cref="Drain"/>.</summary>
    /// <param name="Rescan">Something the watch cannot describe file by file happened (a file or folder created, deleted or renamed, a lost event): glob and stat everything again.</param>
    /// <param name="Modified">Full paths of files written in place.</param>
    internal readonly record struct Changes(bool Rescan, IReadOnlyCollection<string> Modified);

    /// <summary>Watches <paramref name="folders"/> (full paths); null when that is not possible here.</summary>
    public static DirectoryWatch? Create(IEnumerable<string> folders)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        InotifyHandle handle;
        try
        {
            handle = new InotifyHandle(inotify_init1(InNonBlock | InCloexec));
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }

        if (handle.IsInvalid)
        {
            handle.Dispose();
            return null;
        }

        var watch = new DirectoryWatch(handle);
        if (!watch.Add(folders))
        {
            watch.Dispose(); // out of watches: a partial watch would miss changes
            return null;
        }

        return watch;
    }

    /// <summary>
    /// Watches <paramref name="folders"/> too (a folder watched already keeps its watch); false when the kernel gives
    /// no more watches, and the caller must then stop relying on this one.
    /// </summary>
    /// <remarks>A full rescan adds the folders it finds to the watch it has rather than closing it and making a new
    /// one: closing an inotify instance waits for the kernel to retire its watches, which cost a warm project tens of
    /// milliseconds at each periodic rescan (seen in a trace of the committed path).</remarks>
    public bool Add(IEnumerable<string> folders)
    {
        foreach (var folder in folders.Distinct(StringComparer.Ordinal))
        {
            if (!Directory.Exists(folder))
            {
                continue;
            }

            var wd = inotify_add_watch(_handle, folder, Mask | InOnlyDir);
            if (wd < 0)
            {
                return false;
            }

            _folders[wd] = folder;
        }

        return true;
    }

    /// <summary>The folders a project's sources can appear in: the project folder and its subfolders (without build output and hidden folders), and the folders of <paramref name="sources"/>.</summary>
    public static IEnumerable<string> FoldersOf(string projectDirectory, IEnumerable<string> sources)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([projectDirectory]);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            if (!result.Add(dir))
            {
                continue;
            }

            IEnumerable<string> children;
            try
            {
                children = Directory.EnumerateDirectories(dir);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var child in children)
            {
                var name = Path.GetFileName(child);
                if (name is "bin" or "obj" or "node_modules" || name.StartsWith('.'))
                {
                    continue;
                }

                pending.Push(child);
            }
        }

        foreach (var source in sources)
        {
            if (Path.GetDirectoryName(source) is { } dir)
            {
                result.Add(dir);
            }
        }

        return result;
    }

    /// <summary>Reads every queued event without blocking; <paramref name="isSource"/> tells whether a full path is a known source.</summary>
    public unsafe Changes Drain(Func<string, bool> isSource)
    {
        var rescan = false;
        var modified = new HashSet<string>(StringComparer.Ordinal);
        fixed (byte* buffer = _buffer)
        {
            while (true)
            {
                var read = (long)read_(_handle, buffer, _buffer.Length);
                if (read <= 0)
                {
                    if (read < 0 && Marshal.GetLastPInvokeError() != Eagain)
                    {
                        rescan = true; // cannot tell what happened
                    }

                    break;
                }

                var offset = 0L;
                while (offset + 16 <= read)
                {
                    var wd = *(int*)(buffer + offset);
                    var mask = *(uint*)(buffer + offset + 4);
                    var length = *(uint*)(buffer + offset + 12);
                    var name = length == 0 ? "" : Marshal.PtrToStringUTF8((nint)(buffer + offset + 16)) ?? "";
                    offset += 16 + length;

                    if ((mask & (InQOverflow | InIgnored | InDeleteSelf | InMoveSelf | InIsDir)) != 0 || !_folders.TryGetValue(wd, out var folder))
                    {
                        rescan = true; // lost events, or a folder came, went or moved
                        continue;
                    }

                    var full = Path.Combine(folder, name);
                    if ((mask & (InCreate | InMovedTo)) != 0 && !isSource(full))
                    {
                        // Which files the globs claim is the loader's business: a new C# file means a re-glob.
                        rescan |= name.EndsWith(".cs", StringComparison.OrdinalIgnoreCase);
                        continue;
                    }

                    if ((mask & (InDelete | InMovedFrom)) != 0)
                    {
                        rescan |= isSource(full); // a source went away; anything else that went is no source
                        continue;
                    }

                    // Written in place, or replaced by a rename onto it (as the engine commits): read it again if it changed.
                    modified.Add(full);
                }
            }
        }

        return new Changes(rescan, modified);
    }

    public void Dispose() => _handle.Dispose();

    private sealed class InotifyHandle : SafeHandleZeroOrMinusOneIsInvalid
    {
        public InotifyHandle(int fd)
            : base(ownsHandle: true) => SetHandle(fd);

        protected override bool ReleaseHandle() => close((int)handle) == 0;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int inotify_init1(int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int inotify_add_watch(InotifyHandle fd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mask);

    [DllImport("libc", EntryPoint = "read", SetLastError = true)]
    private static extern unsafe nint read_(InotifyHandle fd, byte* buffer, nint count);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);
}
