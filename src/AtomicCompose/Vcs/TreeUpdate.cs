using System.Runtime.InteropServices;
using System.Text;
using LibGit2Sharp;

namespace AtomicCompose.Vcs;

/// <summary>
/// Builds a commit's tree from its parent's tree with only the composed paths changed, through libgit2's own
/// <c>git_tree_create_updated</c>, which LibGit2Sharp 0.32 does not expose.
/// </summary>
/// <remarks>
/// <para><see cref="TreeDefinition"/> rebuilds each tree on the changed paths with a tree builder that inserts every
/// entry again, and under libgit2's strict object creation (on by default) each insert reads the header of the entry's
/// object: a syscall trace of a one-file commit showed one open and read per file of the edited folder (30 at 300 files,
/// 300 at 3,000), so the commit grew with the folder. <c>git_tree_create_updated</c> copies the parent's entries without
/// that check (libgit2 PR 4727: entries read from an existing tree are not validated again) and writes only the trees
/// on the changed paths, so its cost follows the composed paths.</para>
/// <para>The native structure is <c>git_tree_update</c> of <c>git2/tree.h</c> (action, oid of 20 bytes in libgit2
/// builds without experimental SHA-256, file mode, path). The result is checked against LibGit2Sharp's view of the new
/// tree (every updated path holds the expected object and mode, every removed one is gone); when that check fails or
/// the native calls are not available, the caller builds the tree with <see cref="TreeDefinition"/> as before.</para>
/// </remarks>
internal static unsafe class TreeUpdate
{
    private const int UpdateSize = 40;
    private const int ActionUpsert = 0;
    private const int ActionRemove = 1;

    private static readonly Lazy<Natives?> Api = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Whether the native path is available in this process (for tests).</summary>
    internal static bool Available => Api.Value is not null && NativeHandles.Available<Repository>() && IntPtr.Size == 8;

    /// <summary>
    /// The tree of <paramref name="baseline"/> with <paramref name="entries"/> applied (a <see langword="null"/> blob
    /// removes the path), written to the object database; <see langword="null"/> when the native path is not available
    /// or its result did not check out.
    /// </summary>
    /// <param name="repo">The repository.</param>
    /// <param name="baseline">The parent's tree.</param>
    /// <param name="entries">Repository-relative paths with their new blob and mode.</param>
    public static Tree? Apply(Repository repo, Tree baseline, IReadOnlyList<(string Path, Blob? Blob, Mode Mode)> entries)
    {
        if (!Available || entries.Count == 0)
        {
            return null;
        }

        var api = Api.Value!;
        var repoHandle = NativeHandles.Of(repo);
        if (repoHandle == IntPtr.Zero)
        {
            return null;
        }

        var baselineRaw = baseline.Id.RawId;
        IntPtr nativeTree;
        fixed (byte* oid = baselineRaw)
        {
            if (api.TreeLookup(&nativeTree, repoHandle, oid) != 0 || nativeTree == IntPtr.Zero)
            {
                return null;
            }
        }

        var paths = new List<IntPtr>(entries.Count);
        var updates = (byte*)NativeMemory.AllocZeroed((nuint)(entries.Count * UpdateSize));
        try
        {
            for (var i = 0; i < entries.Count; i++)
            {
                var (path, blob, mode) = entries[i];
                var update = updates + (i * UpdateSize);
                *(int*)update = blob is null ? ActionRemove : ActionUpsert;
                if (blob is not null)
                {
                    blob.Id.RawId.CopyTo(new Span<byte>(update + 4, 20));
                    *(int*)(update + 24) = (int)mode;
                }

                var bytes = Encoding.UTF8.GetBytes(path + "\0");
                var native = (IntPtr)NativeMemory.Alloc((nuint)bytes.Length);
                bytes.CopyTo(new Span<byte>((void*)native, bytes.Length));
                paths.Add(native);
                *(IntPtr*)(update + 32) = native;
            }

            var result = new byte[20];
            int rc;
            fixed (byte* output = result)
            {
                rc = api.CreateUpdated(output, repoHandle, nativeTree, (nuint)entries.Count, updates);
            }

            if (rc != 0)
            {
                return null;
            }

            var tree = repo.Lookup<Tree>(new ObjectId(result));
            return tree is not null && Holds(tree, entries) ? tree : null;
        }
        finally
        {
            foreach (var native in paths)
            {
                NativeMemory.Free((void*)native);
            }

            NativeMemory.Free(updates);
            api.TreeFree(nativeTree);
            GC.KeepAlive(repo);
        }
    }

    private static bool Holds(Tree tree, IReadOnlyList<(string Path, Blob? Blob, Mode Mode)> entries)
    {
        foreach (var (path, blob, mode) in entries)
        {
            var entry = tree[path];
            if (blob is null ? entry is not null : entry is null || entry.Mode != mode || !entry.Target.Id.Equals(blob.Id))
            {
                return false;
            }
        }

        return true;
    }

    private static Natives? Load()
    {
        var handle = LibGit2Options.LoadedLibgit2();
        if (handle == IntPtr.Zero
            || !NativeLibrary.TryGetExport(handle, "git_tree_create_updated", out var createUpdated)
            || !NativeLibrary.TryGetExport(handle, "git_tree_lookup", out var lookup)
            || !NativeLibrary.TryGetExport(handle, "git_tree_free", out var free))
        {
            return null;
        }

        return new Natives(createUpdated, lookup, free);
    }

    private sealed class Natives(IntPtr createUpdated, IntPtr lookup, IntPtr free)
    {
        public int CreateUpdated(byte* output, IntPtr repo, IntPtr baseline, nuint count, byte* updates) =>
            ((delegate* unmanaged[Cdecl]<byte*, IntPtr, IntPtr, nuint, byte*, int>)createUpdated)(output, repo, baseline, count, updates);

        public int TreeLookup(IntPtr* output, IntPtr repo, byte* oid) =>
            ((delegate* unmanaged[Cdecl]<IntPtr*, IntPtr, byte*, int>)lookup)(output, repo, oid);

        public void TreeFree(IntPtr tree) => ((delegate* unmanaged[Cdecl]<IntPtr, void>)free)(tree);
    }
}
