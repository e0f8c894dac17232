using System.Security.Cryptography;
using System.Text;

namespace AtomicCompose.Indexing;

/// <summary>SHA-256 helpers producing lowercase hex, the one hash format of the index.</summary>
internal static class Hashing
{
    /// <summary>SHA-256 of <paramref name="bytes"/>, lowercase hex.</summary>
    public static string Sha256Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>SHA-256 of the UTF-8 encoding of <paramref name="text"/>, lowercase hex.</summary>
    public static string Sha256Hex(string text) => Sha256Hex(Encoding.UTF8.GetBytes(text));
}
