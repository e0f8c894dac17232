using System.Text;
using AtomicCompose.Indexing;
using Microsoft.CodeAnalysis.CSharp;

namespace AtomicCompose.Tests.Indexing;

public sealed class IndexRecordBuilderTests
{
    private const string Sample = """
        using System;

        namespace Demo
        {
            /// <summary>Greets.</summary>
            [Serializable]
            public class Greeter : IDisposable
            {
                private int a, b = 2;
                public const string Prefix = "Hi";

                static Greeter() { }

                public Greeter() { }

                /// <summary>Creates.</summary>
                public Greeter(string name, int count) : this() { }

                ~Greeter() { }

                public string Name { get; private set; } = "";

                public int this[int index] => index;

                public event EventHandler? Changed;

                /// <summary>Greets.</summary>
                public string Greet(string name)
                {
                    return Local(name);
                    string Local(string n) => n;
                }

                void IDisposable.Dispose() { }

                public static Greeter operator +(Greeter left, Greeter right) => left;

                public static implicit operator string(Greeter g) => g.Name;

                internal T Map<T>(Dictionary<string, T> map, ref int x) => default!;

                protected internal event EventHandler Opened { add { } remove { } }

                class Nested { }
            }

            interface IShape { double Area(); }
            enum Color { Red, Green = 2 }
            public delegate void Handler(object sender);
            record Person(string Name);
            public record struct Point(int X, int Y);
            struct S { private protected int z; }
        }
        """;

    private static IReadOnlyList<EntityRecord> Build(string text, string path = "src/Sample.cs") =>
        IndexRecordBuilder.BuildEntities(path, CSharpSyntaxTree.ParseText(text, path: path), "tx1");

    [Fact]
    public void Extracts_every_kind_with_name_path_accessibility_and_lines()
    {
        var entities = Build(Sample);

        var actual = entities.Select(e => (e.Kind, e.NamePath, e.Accessibility, e.StartLine, e.EndLine, e.HasDocs)).ToList();
        (string, string, string, int, int, bool)[] expected =
        [
            ("class", "Demo.Greeter", "public", 5, 45, true),
            ("field", "Demo.Greeter.a", "private", 9, 9, false),
            ("field", "Demo.Greeter.b", "private", 9, 9, false),
            ("field", "Demo.Greeter.Prefix", "public", 10, 10, false),
            ("static-constructor", "Demo.Greeter.static Greeter()", "private", 12, 12, false),
            ("constructor", "Demo.Greeter.Greeter()", "public", 14, 14, false),
            ("constructor", "Demo.Greeter.Greeter(string, int)", "public", 16, 17, true),
            ("destructor", "Demo.Greeter.~Greeter()", "private", 19, 19, false),
            ("property", "Demo.Greeter.Name", "public", 21, 21, false),
            ("indexer", "Demo.Greeter.this[int]", "public", 23, 23, false),
            ("event", "Demo.Greeter.Changed", "public", 25, 25, false),
            ("method", "Demo.Greeter.Greet(string)", "public", 27, 32, true),
            ("local-function", "Demo.Greeter.Greet(string).Local(string)", "private", 31, 31, false),
            ("method", "Demo.Greeter.IDisposable.Dispose()", "private", 34, 34, false),
            ("operator", "Demo.Greeter.operator +(Greeter, Greeter)", "public", 36, 36, false),
            ("conversion", "Demo.Greeter.implicit operator string(Greeter)", "public", 38, 38, false),
            ("method", "Demo.Greeter.Map<T>(Dictionary<string, T>, ref int)", "internal", 40, 40, false),
            ("event", "Demo.Greeter.Opened", "protected internal", 42, 42, false),
            ("class", "Demo.Greeter.Nested", "private", 44, 44, false),
            ("interface", "Demo.IShape", "internal", 47, 47, false),
            ("method", "Demo.IShape.Area()", "public", 47, 47, false),
            ("enum", "Demo.Color", "internal", 48, 48, false),
            ("enum-member", "Demo.Color.Red", "public", 48, 48, false),
            ("enum-member", "Demo.Color.Green", "public", 48, 48, false),
            ("delegate", "Demo.Handler", "public", 49, 49, false),
            ("record", "Demo.Person", "internal", 50, 50, false),
            ("record-struct", "Demo.Point", "public", 51, 51, false),
            ("struct", "Demo.S", "internal", 52, 52, false),
            ("field", "Demo.S.z", "private protected", 52, 52, false),
        ];
        Assert.Equal(expected, actual);

        Assert.All(entities, e => Assert.Equal("src/Sample.cs#" + e.NamePath, e.Id));
        Assert.All(entities, e => Assert.Equal("src/Sample.cs", e.Path));
        Assert.All(entities, e => Assert.Equal("tx1", e.LastTransaction));
        Assert.Equal(entities.Count, entities.Select(e => e.Id).Distinct().Count());
    }

    [Fact]
    public void Signatures_omit_bodies_initializers_docs_and_attributes()
    {
        var s = Build(Sample).ToDictionary(e => e.NamePath, e => e.Signature);

        Assert.Equal("public class Greeter : IDisposable", s["Demo.Greeter"]);
        Assert.Equal("private int b", s["Demo.Greeter.b"]);
        Assert.Equal("public const string Prefix", s["Demo.Greeter.Prefix"]);
        Assert.Equal("public Greeter(string name, int count)", s["Demo.Greeter.Greeter(string, int)"]);
        Assert.Equal("static Greeter()", s["Demo.Greeter.static Greeter()"]);
        Assert.Equal("public string Name { get; private set; }", s["Demo.Greeter.Name"]);
        Assert.Equal("public int this[int index]", s["Demo.Greeter.this[int]"]);
        Assert.Equal("public event EventHandler? Changed", s["Demo.Greeter.Changed"]);
        Assert.Equal("public string Greet(string name)", s["Demo.Greeter.Greet(string)"]);
        Assert.Equal("string Local(string n)", s["Demo.Greeter.Greet(string).Local(string)"]);
        Assert.Equal("public static Greeter operator +(Greeter left, Greeter right)", s["Demo.Greeter.operator +(Greeter, Greeter)"]);
        Assert.Equal("internal T Map<T>(Dictionary<string, T> map, ref int x)", s["Demo.Greeter.Map<T>(Dictionary<string, T>, ref int)"]);
        Assert.Equal("protected internal event EventHandler Opened { add; remove; }", s["Demo.Greeter.Opened"]);
        Assert.Equal("Green", s["Demo.Color.Green"]);
        Assert.Equal("enum Color", s["Demo.Color"]);
        Assert.Equal("public delegate void Handler(object sender)", s["Demo.Handler"]);
        Assert.Equal("record Person(string Name)", s["Demo.Person"]);
        Assert.Equal("public record struct Point(int X, int Y)", s["Demo.Point"]);
    }

    [Fact]
    public void Signature_collapses_whitespace_across_lines()
    {
        var e = Build("""
            class C
            {
                [Obsolete]
                public   static
                    int   Sum(  int a,
                              int b) { return a + b; }
            }
            """);

        var sum = e.Single(x => x.Kind == "method");
        Assert.Equal("C.Sum(int, int)", sum.NamePath);
        Assert.Equal("public static int Sum( int a, int b)", sum.Signature);
        Assert.Equal((3, 6), (sum.StartLine, sum.EndLine));
        Assert.Equal("internal", e[0].Accessibility);
    }

    [Fact]
    public void File_scoped_namespaces_nested_types_and_generics_are_named()
    {
        var e = Build("""
            namespace Demo.Inner;

            public static class Outer<TKey, TValue>
            {
                public sealed class Box<T> where T : class
                {
                    public void Put(T item, params int[] extra) { }
                    public bool TryGet(out T? item, in (int a, string b) pair) { item = null; return false; }
                }
            }

            public interface IRepo { void Save(); }
            """);

        Assert.Equal(
            [
                "Demo.Inner.Outer<TKey, TValue>",
                "Demo.Inner.Outer<TKey, TValue>.Box<T>",
                "Demo.Inner.Outer<TKey, TValue>.Box<T>.Put(T, int[])",
                "Demo.Inner.Outer<TKey, TValue>.Box<T>.TryGet(out T?, in (int a, string b))",
                "Demo.Inner.IRepo",
                "Demo.Inner.IRepo.Save()",
            ],
            e.Select(x => x.NamePath));
        Assert.Equal("public", e[1].Accessibility);
        Assert.Equal("public sealed class Box<T> where T : class", e[1].Signature);
        Assert.Equal("public", e[5].Accessibility);
    }

    [Fact]
    public void Duplicate_name_paths_get_line_suffixed_ids()
    {
        var e = Build("""
            partial class P
            {
                partial void M();

                partial void M() { }

                void N() { }
            }
            """);

        var ms = e.Where(x => x.NamePath == "P.M()").ToList();
        Assert.Equal(2, ms.Count);
        Assert.Equal(["src/Sample.cs#P.M()@3", "src/Sample.cs#P.M()@5"], ms.Select(x => x.Id));
        Assert.Equal("src/Sample.cs#P.N()", e.Single(x => x.NamePath == "P.N()").Id);
    }

    [Fact]
    public void Same_line_duplicates_still_get_unique_ids()
    {
        var e = Build("class Q { int x; int x; }");

        Assert.Equal(2, e.Count(x => x.NamePath == "Q.x"));
        Assert.Equal(e.Count, e.Select(x => x.Id).Distinct().Count());
    }

    [Fact]
    public void Structural_hash_ignores_trivia_but_text_hash_does_not()
    {
        var v1 = Build("""
            class C
            {
                /// <summary>Adds.</summary>
                public int Add(int a, int b) { return a + b; }
            }
            """);
        var v2 = Build("""
            class C
            {
                /// <summary>Adds two numbers.</summary>
                public int Add(int a,    int b)
                {
                    // sum
                    return a + b;
                }
            }
            """);
        var v3 = Build("""
            class C
            {
                /// <summary>Adds.</summary>
                public int Add(int a, int b) { return a - b; }
            }
            """);

        var add1 = v1.Single(x => x.Kind == "method");
        var add2 = v2.Single(x => x.Kind == "method");
        var add3 = v3.Single(x => x.Kind == "method");
        Assert.Equal(add1.StructuralHash, add2.StructuralHash);
        Assert.NotEqual(add1.TextHash, add2.TextHash);
        Assert.NotEqual(add1.StructuralHash, add3.StructuralHash);
        Assert.NotEqual(add1.TextHash, add3.TextHash);
        Assert.Equal(v1[0].StructuralHash, v2[0].StructuralHash);
        Assert.Matches("^[0-9a-f]{64}$", add1.TextHash);
        Assert.Matches("^[0-9a-f]{64}$", add1.StructuralHash);
    }

    [Fact]
    public void Text_hash_covers_the_doc_comment_and_the_node_text()
    {
        const string text = """
            class C
            {
                /// <summary>Doc.</summary>
                void M() { }
            }
            """;
        var m = Build(text).Single(x => x.Kind == "method");
        var start = text.IndexOf("/// <summary>", StringComparison.Ordinal);
        var end = text.IndexOf("{ }", StringComparison.Ordinal) + 3;
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text[start..end])));
        Assert.Equal(expected, m.TextHash);

        var undocumented = Build(text.Replace("/// <summary>Doc.</summary>", "// plain comment")).Single(x => x.Kind == "method");
        Assert.False(undocumented.HasDocs);
        Assert.Equal(4, undocumented.StartLine);
    }

    [Theory]
    [InlineData("", 0, "lf")]
    [InlineData("a", 1, "lf")]
    [InlineData("a\n", 1, "lf")]
    [InlineData("a\nb", 2, "lf")]
    [InlineData("a\n\n", 2, "lf")]
    [InlineData("a\r\nb\r\n", 2, "crlf")]
    [InlineData("a\r\nb", 2, "crlf")]
    [InlineData("a\r\nb\nc", 3, "mixed")]
    [InlineData("a\rb", 2, "mixed")]
    public void BuildFile_counts_lines_and_newline_kind(string text, int lines, string newLine)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var f = IndexRecordBuilder.BuildFile("x.cs", bytes, text, hasBom: false, "tx9");

        Assert.Equal(lines, f.Lines);
        Assert.Equal(newLine, f.NewLine);
        Assert.Equal(bytes.Length, f.Size);
        Assert.Equal("x.cs", f.Path);
        Assert.Equal("tx9", f.LastTransaction);
        Assert.False(f.HasBom);
        Assert.Equal("utf-8", f.Encoding);
    }

    [Fact]
    public void BuildFile_hashes_the_exact_bytes_including_the_bom()
    {
        var plain = IndexRecordBuilder.BuildFile("a.cs", Encoding.UTF8.GetBytes("abc"), "abc", false, null);
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", plain.ContentHash);

        byte[] withBom = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("abc")];
        var bom = IndexRecordBuilder.BuildFile("a.cs", withBom, "abc", true, null);
        Assert.True(bom.HasBom);
        Assert.Equal(6, bom.Size);
        Assert.Equal(1, bom.Lines);
        Assert.NotEqual(plain.ContentHash, bom.ContentHash);
        Assert.Null(bom.LastTransaction);
    }
}

public sealed class IndexRecordBuilderMoreKindsTests
{
    [Fact]
    public void Extension_blocks_conversions_file_types_and_interface_defaults()
    {
        const string text = """
            namespace N;

            public static class E
            {
                extension(string s)
                {
                    public bool IsEmpty => s.Length == 0;
                    public int Twice(int x) => x * 2;
                }
            }

            file class F
            {
                public static explicit operator int(F f) => 0;
                public static F operator checked -(F f) => f;
                public static F operator -(F f) => f;
                public int X => 1;
            }

            interface I
            {
                class Inner { }
                int P { get; }
            }
            """;
        var e = IndexRecordBuilder.BuildEntities("e.cs", Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(text, path: "e.cs"), null);

        Assert.Equal(
            [
                ("class", "N.E", "public"),
                ("extension", "N.E.extension(string)", "public"),
                ("property", "N.E.extension(string).IsEmpty", "public"),
                ("method", "N.E.extension(string).Twice(int)", "public"),
                ("class", "N.F", "file"),
                ("conversion", "N.F.explicit operator int(F)", "public"),
                ("operator", "N.F.operator checked -(F)", "public"),
                ("operator", "N.F.operator -(F)", "public"),
                ("property", "N.F.X", "public"),
                ("interface", "N.I", "internal"),
                ("class", "N.I.Inner", "public"),
                ("property", "N.I.P", "public"),
            ],
            e.Select(x => (x.Kind, x.NamePath, x.Accessibility)));
        Assert.Equal("public int X", e.Single(x => x.NamePath == "N.F.X").Signature);
        Assert.Equal("int P { get; }", e.Single(x => x.NamePath == "N.I.P").Signature);
        Assert.Equal("public static explicit operator int(F f)", e.Single(x => x.Kind == "conversion").Signature);
        Assert.Null(e[0].LastTransaction);
    }

    [Fact]
    public void Top_level_statements_are_not_entities_but_types_after_them_are()
    {
        const string text = """
            using System;

            Console.WriteLine(Twice(2));
            static int Twice(int x) => x * 2;

            record Result(int Value);
            """;
        var e = IndexRecordBuilder.BuildEntities("p.cs", Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(text, path: "p.cs"), null);

        var only = Assert.Single(e);
        Assert.Equal(("record", "Result", 6), (only.Kind, only.NamePath, only.StartLine));
    }
}
