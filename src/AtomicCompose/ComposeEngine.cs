namespace AtomicCompose;

/// <summary>A workspace opened for composition. (Skeleton: being implemented.)</summary>
public sealed class ComposeEngine : IDisposable
{
    private ComposeEngine() { }

    /// <summary>Opens the workspace at <paramref name="root"/>.</summary>
    /// <param name="root">The workspace root.</param>
    /// <param name="options">Options.</param>
    /// <returns>The engine.</returns>
    public static ComposeEngine Open(string root, ComposeOptions? options = null) { _ = root; _ = options; return new(); }

    /// <summary>Repairs unfinished transactions.</summary>
    public void Recover() { }

    /// <inheritdoc />
    public void Dispose() { }
}
