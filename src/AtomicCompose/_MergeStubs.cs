namespace AtomicCompose.Indexing
{
    /// <summary>stub</summary>
    /// <param name="IsConsistent">x</param>
    /// <param name="Problems">x</param>
    public sealed record IndexVerification(bool IsConsistent, IReadOnlyList<string> Problems);

    internal static class IndexVerifier
    {
        public static IndexVerification Verify(string root, IIndexStore store, IEnumerable<string> relativePathsOnDisk) => throw new NotImplementedException();
    }
}
