using System.Reflection;

namespace AtomicCompose.Vcs;

/// <summary>
/// The native libgit2 object behind a LibGit2Sharp object (a <c>Repository</c>'s <c>git_repository</c>, an <c>Index</c>'s
/// <c>git_index</c>): LibGit2Sharp 0.32 keeps it in a private <c>handle</c> field whose type has <c>AsIntPtr()</c>, and
/// exposes no way to call the libgit2 functions it leaves out. Zero when that shape is not there (another
/// LibGit2Sharp version) or the object is disposed; callers then take their managed path.
/// </summary>
internal static class NativeHandles
{
    /// <summary>The native pointer behind <paramref name="owner"/>, or zero.</summary>
    public static IntPtr Of<T>(T owner)
        where T : class
    {
        if (Access<T>.Value.Value is not var (field, asIntPtr))
        {
            return IntPtr.Zero;
        }

        try
        {
            return field.GetValue(owner) is { } handle && asIntPtr.Invoke(handle, null) is IntPtr pointer ? pointer : IntPtr.Zero;
        }
        catch (Exception e) when (e is TargetInvocationException or InvalidCastException or ObjectDisposedException)
        {
            return IntPtr.Zero;
        }
    }

    /// <summary>Whether <typeparamref name="T"/> has the private handle this reads.</summary>
    public static bool Available<T>()
        where T : class => Access<T>.Value.Value is not null;

    // One reflection lookup per type, for the process.
    private static class Access<T>
    {
        public static readonly Lazy<(FieldInfo Field, MethodInfo AsIntPtr)?> Value = new(() =>
        {
            var field = typeof(T).GetField("handle", BindingFlags.NonPublic | BindingFlags.Instance);
            var asIntPtr = field?.FieldType.GetMethod("AsIntPtr", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance, Type.EmptyTypes);
            return field is not null && asIntPtr?.ReturnType == typeof(IntPtr) ? (field, asIntPtr) : null;
        }, LazyThreadSafetyMode.ExecutionAndPublication);
    }
}
