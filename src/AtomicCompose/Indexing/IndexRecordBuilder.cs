using Microsoft.CodeAnalysis;

namespace AtomicCompose.Indexing;

/// <summary>Builds index records from file contents. (Stub: being implemented.)</summary>
internal static class IndexRecordBuilder
{
    /// <summary>The file record for <paramref name="bytes"/> at root-relative <paramref name="path"/>.</summary>
    public static FileRecord BuildFile(string path, byte[] bytes, string text, bool hasBom, string? transactionId)
        => throw new NotImplementedException();

    /// <summary>The entity records of <paramref name="tree"/>.</summary>
    public static IReadOnlyList<EntityRecord> BuildEntities(string path, SyntaxTree tree, string? transactionId)
        => throw new NotImplementedException();
}
