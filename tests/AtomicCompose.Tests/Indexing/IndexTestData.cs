using System.Text;
using AtomicCompose.Indexing;
using Microsoft.CodeAnalysis.CSharp;

namespace AtomicCompose.Tests.Indexing;

/// <summary>Builds realistic index records from C# text, the way the engine will.</summary>
internal static class IndexTestData
{
    public static (FileRecord File, IReadOnlyList<EntityRecord> Entities) Records(string path, string text, string txId, bool bom = false)
    {
        var body = Encoding.UTF8.GetBytes(text);
        byte[] bytes = bom ? [0xEF, 0xBB, 0xBF, .. body] : body;
        var file = IndexRecordBuilder.BuildFile(path, bytes, text, bom, txId);
        var entities = IndexRecordBuilder.BuildEntities(path, CSharpSyntaxTree.ParseText(text, path: path), txId);
        return (file, entities);
    }

    public static IndexChangeSet ChangeSet(string txId, params (string Path, string Text)[] files)
    {
        var fileRecords = new List<FileRecord>();
        var entities = new List<EntityRecord>();
        foreach (var (path, text) in files)
        {
            var (f, e) = Records(path, text, txId);
            fileRecords.Add(f);
            entities.AddRange(e);
        }

        return new IndexChangeSet(txId, fileRecords, entities, []);
    }

    /// <summary>Indexes the given workspace files (as they are on disk) in one commit.</summary>
    public static void IndexFromDisk(IIndexStore store, string root, string txId, params string[] paths)
    {
        var files = new List<FileRecord>();
        var entities = new List<EntityRecord>();
        foreach (var path in paths)
        {
            var bytes = File.ReadAllBytes(Path.Combine(root, path));
            var bom = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF;
            var text = new UTF8Encoding(false, true).GetString(bytes, bom ? 3 : 0, bytes.Length - (bom ? 3 : 0));
            files.Add(IndexRecordBuilder.BuildFile(path, bytes, text, bom, txId));
            entities.AddRange(IndexRecordBuilder.BuildEntities(path, CSharpSyntaxTree.ParseText(text, path: path), txId));
        }

        store.Commit(new IndexChangeSet(txId, files, entities, []));
    }

    public const string Greeter = """
        namespace Demo;

        public class Greeter
        {
            /// <summary>Greets.</summary>
            public string Greet(string name) => "Hello " + name;

            public string Farewell(string name) => "Bye " + name;
        }
        """;

    public const string GreeterV2 = """
        namespace Demo;

        public class Greeter
        {
            public string Greet(string name) => "Hi " + name;

            public int Count { get; set; }
        }
        """;

    public const string Util = """
        namespace Demo.Tools;

        internal static class Util
        {
            public static int My_A() => 1;

            public static int MyXA() => 2;
        }
        """;
}
