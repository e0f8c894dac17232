using AtomicCompose.Composition;
using static AtomicCompose.Tests.Composition.ComposeTestHelpers;

namespace AtomicCompose.Tests.Composition;

public class NamePathTests
{
    internal const string AllKinds = """
        using System;

        namespace Demo.Shapes
        {
            public delegate void Changed<T>(T value);

            public enum Color
            {
                Red,
                /// <summary>Green.</summary>
                Green = 2,
                Blue
            }

            public interface IShape
            {
                double Area();
            }

            public record Point(int X, int Y);

            public record struct Size(int W, int H);

            public struct Pair
            {
                public int A, B;
            }

            /// <summary>A repository.</summary>
            public class Repo<T> : IShape where T : class
            {
                private readonly int _count;
                public event EventHandler? Saved;
                public event EventHandler Renamed { add { } remove { } }

                static Repo() { }

                public Repo() { }

                public Repo(int count) { _count = count; }

                ~Repo() { }

                public int Count => _count;

                public T this[int index] => throw new NotImplementedException();

                public T this[string key, int? fallback] => throw new NotImplementedException();

                public double Area() => 0;

                [Obsolete]
                public void Save(int id, string name)
                {
                    int Local(int x) => x + Helper();
                    int Helper() => 1;
                    Local(id);
                }

                public void Save(ref int id, out string name, params string[] rest) { name = ""; }

                public void Save((int a, string b) tuple, Dictionary<string,  int> map, List<int>? list) { }

                public void Save<TKey>(TKey key) { }

                public static Repo<T> operator +(Repo<T> a, Repo<T> b) => a;

                public static implicit operator int(Repo<T> r) => r._count;

                #region Nested
                public class Inner
                {
                    public void Go() { }
                }
                #endregion

        #if DEBUG
                public void DebugOnly() { }
        #else
                public void ReleaseOnly() { }
        #endif
            }
        }
        """;

    [Fact]
    public void ListTargets_names_every_kind_in_source_order()
    {
        var targets = Composer.ListTargets(Tree(AllKinds));
        var paths = targets.Select(t => $"{t.Kind} {t.NamePath}").ToList();
        string[] expected =
        [
            "namespace Demo.Shapes",
            "delegate Demo.Shapes.Changed<T>",
            "enum Demo.Shapes.Color",
            "enum-member Demo.Shapes.Color.Red",
            "enum-member Demo.Shapes.Color.Green",
            "enum-member Demo.Shapes.Color.Blue",
            "interface Demo.Shapes.IShape",
            "method Demo.Shapes.IShape.Area()",
            "record Demo.Shapes.Point",
            "record-struct Demo.Shapes.Size",
            "struct Demo.Shapes.Pair",
            "field Demo.Shapes.Pair.A",
            "field Demo.Shapes.Pair.B",
            "class Demo.Shapes.Repo<T>",
            "field Demo.Shapes.Repo<T>._count",
            "event Demo.Shapes.Repo<T>.Saved",
            "event Demo.Shapes.Repo<T>.Renamed",
            "static-constructor Demo.Shapes.Repo<T>.static Repo()",
            "constructor Demo.Shapes.Repo<T>.Repo()",
            "constructor Demo.Shapes.Repo<T>.Repo(int)",
            "destructor Demo.Shapes.Repo<T>.~Repo()",
            "property Demo.Shapes.Repo<T>.Count",
            "indexer Demo.Shapes.Repo<T>.this[int]",
            "indexer Demo.Shapes.Repo<T>.this[string, int?]",
            "method Demo.Shapes.Repo<T>.Area()",
            "method Demo.Shapes.Repo<T>.Save(int, string)",
            "local-function Demo.Shapes.Repo<T>.Save(int, string).Local(int)",
            "local-function Demo.Shapes.Repo<T>.Save(int, string).Helper()",
            "method Demo.Shapes.Repo<T>.Save(ref int, out string, params string[])",
            "method Demo.Shapes.Repo<T>.Save((int a, string b), Dictionary<string, int>, List<int>?)",
            "method Demo.Shapes.Repo<T>.Save<TKey>(TKey)",
            "operator Demo.Shapes.Repo<T>.operator +(Repo<T>, Repo<T>)",
            "conversion Demo.Shapes.Repo<T>.implicit operator int(Repo<T>)",
            "class Demo.Shapes.Repo<T>.Inner",
            "method Demo.Shapes.Repo<T>.Inner.Go()",
            "method Demo.Shapes.Repo<T>.ReleaseOnly()",
        ];
        Assert.Equal(expected, paths);
    }

    [Fact]
    public void ListTargets_lines_include_doc_and_attributes()
    {
        var targets = Composer.ListTargets(Tree(AllKinds));
        var repo = targets.Single(t => t.NamePath == "Demo.Shapes.Repo<T>");
        Assert.Equal(new LineRange(29, 82), repo.Lines);
        var save = targets.Single(t => t.NamePath.EndsWith("Save(int, string)", StringComparison.Ordinal));
        Assert.Equal(new LineRange(52, 58), save.Lines);
        var green = targets.Single(t => t.NamePath.EndsWith("Green", StringComparison.Ordinal));
        Assert.Equal(new LineRange(10, 11), green.Lines);
        Assert.Equal("Demo.Shapes.Color.Green (enum-member, lines 10-11)", green.ToString());
    }

    [Theory]
    [InlineData("Demo.Shapes", "namespace")]
    [InlineData("Demo.Shapes.Changed", "delegate")]
    [InlineData("Demo.Shapes.Changed<T>", "delegate")]
    [InlineData("Color", "enum")]
    [InlineData("Color.Green", "enum-member")]
    [InlineData("IShape.Area", "method")]
    [InlineData("Demo.Shapes.Point", "record")]
    [InlineData("Size", "record-struct")]
    [InlineData("Pair", "struct")]
    [InlineData("Pair.B", "field")]
    [InlineData("Demo.Shapes.Repo<T>", "class")]
    [InlineData("Demo.Shapes.Repo", "class")]
    [InlineData("Repo._count", "field")]
    [InlineData("Repo.Saved", "event")]
    [InlineData("Repo.Renamed", "event")]
    [InlineData("Repo.static Repo()", "static-constructor")]
    [InlineData("Repo.cctor", "static-constructor")]
    [InlineData("Repo..cctor", "static-constructor")]
    [InlineData("Repo.Repo()", "constructor")]
    [InlineData("Repo.Repo(int)", "constructor")]
    [InlineData("Repo.ctor(int)", "constructor")]
    [InlineData("Repo..ctor(int)", "constructor")]
    [InlineData("Repo.~Repo", "destructor")]
    [InlineData("Repo.~Repo()", "destructor")]
    [InlineData("Repo.Count", "property")]
    [InlineData("Repo.this[int]", "indexer")]
    [InlineData("Repo.this[string,int?]", "indexer")]
    [InlineData("Repo.this(int)", "indexer")]
    [InlineData("Repo<T>.Area", "method")]
    [InlineData("Repo.Save(int, string)", "method")]
    [InlineData("Repo.Save(int,string)", "method")]
    [InlineData("Repo.Save(ref int, out string, params string[])", "method")]
    [InlineData("Repo.Save( (int a,string b) , Dictionary<string,int>, List<int>? )", "method")]
    [InlineData("Repo.Save<TKey>", "method")]
    [InlineData("Repo.Save(TKey)", "method")]
    [InlineData("Repo.Save.Local", "local-function")]
    [InlineData("Repo.Save(int, string).Helper()", "local-function")]
    [InlineData("Repo.operator +(Repo<T>, Repo<T>)", "operator")]
    [InlineData("Repo.operator+", "operator")]
    [InlineData("Repo.implicit operator int", "conversion")]
    [InlineData("Repo.implicit operator int(Repo<T>)", "conversion")]
    [InlineData("Repo.Inner", "class")]
    [InlineData("Demo.Shapes.Repo<T>.Inner.Go()", "method")]
    [InlineData("ReleaseOnly", "method")]
    public void Resolves_each_kind(string target, string kind)
    {
        var tree = Tree(NamePathTests.AllKinds);
        var entries = NamePathBuilder.Build(tree.GetRoot());
        var query = NamePathQuery.TryParse(target, out string? error);
        Assert.Null(error);
        var entry = NamePathResolver.Resolve(entries, query!, tree.GetText());
        Assert.Equal(kind, entry.Kind);
    }

    [Fact]
    public void Method_name_without_parameters_is_ambiguous_across_overloads()
    {
        var ex = Fails(AllKinds, Delete("Repo.Save"));
        Assert.Equal(ComposeErrorCode.AmbiguousTarget, ex.Code);
        Assert.Equal(ComposeStep.Compose, ex.Step);
        Assert.Equal(4, ex.Candidates.Count);
        Assert.Contains("Demo.Shapes.Repo<T>.Save(int, string) (method, lines 52-58)", ex.Candidates);
        Assert.Contains("Save(ref int, out string, params string[])", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_without_parameters_is_ambiguous_between_overloads()
    {
        var ex = Fails(AllKinds, Delete("Repo.Repo"));
        Assert.Equal(ComposeErrorCode.AmbiguousTarget, ex.Code);
        Assert.Equal(2, ex.Candidates.Count);
        Assert.All(ex.Candidates, c => Assert.Contains("(constructor,", c, StringComparison.Ordinal));
    }

    [Fact]
    public void No_match_lists_similar_candidates_with_lines()
    {
        var ex = Fails(AllKinds, Delete("Repo.Sav(int, string)"));
        Assert.Equal(ComposeErrorCode.TargetNotFound, ex.Code);
        Assert.Equal(ComposeStep.Compose, ex.Step);
        Assert.Contains("Demo.Shapes.Repo<T>.Save(int, string) (method, lines 52-58)", ex.Candidates);
        Assert.DoesNotContain(ex.Candidates, c => c.Contains("Color", StringComparison.Ordinal));
    }

    [Fact]
    public void No_match_without_similar_names_lists_all_members()
    {
        var ex = Fails(AllKinds, Delete("Zzzzzzzzzz"));
        Assert.Equal(ComposeErrorCode.TargetNotFound, ex.Code);
        Assert.Equal(Composer.ListTargets(Tree(AllKinds)).Select(t => t.ToString()), ex.Candidates);
    }

    [Fact]
    public void Wrong_parameter_types_do_not_match()
    {
        var ex = Fails(AllKinds, Delete("Repo.Save(long, string)"));
        Assert.Equal(ComposeErrorCode.TargetNotFound, ex.Code);
        Assert.Contains(ex.Candidates, c => c.StartsWith("Demo.Shapes.Repo<T>.Save(int, string)", StringComparison.Ordinal));
    }

    [Fact]
    public void Malformed_target_is_not_found_with_reason()
    {
        var ex = Fails(AllKinds, Delete("Repo.Save(int"));
        Assert.Equal(ComposeErrorCode.TargetNotFound, ex.Code);
        Assert.Contains("unbalanced", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void File_scoped_namespace_and_explicit_interface_members()
    {
        const string src = """
            namespace Demo.Flat;

            public class List : System.Collections.IEnumerable, IDisposable
            {
                System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => null!;
                void IDisposable.Dispose() { }
            }
            """;
        var paths = Composer.ListTargets(Tree(src)).Select(t => t.NamePath).ToList();
        Assert.Equal(
            ["Demo.Flat", "Demo.Flat.List", "Demo.Flat.List.System.Collections.IEnumerable.GetEnumerator()", "Demo.Flat.List.IDisposable.Dispose()"],
            paths);
        Assert.Equal("namespace Demo.Flat;\n\npublic class List : System.Collections.IEnumerable, IDisposable\n{\n    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => null!;\n}",
            Apply(src, Delete("List.IDisposable.Dispose")));
    }

    [Fact]
    public void Full_path_wins_over_suffix_match()
    {
        const string src = """
            namespace A
            {
                class B { }
                namespace A { class B { } }
            }
            """;
        // "A.B" is the full path of the first class and a suffix of "A.A.B".
        string result = Apply(src, Delete("A.B"));
        Assert.Equal("namespace A\n{\n    namespace A { class B { } }\n}", result);
        Assert.Equal(ComposeErrorCode.AmbiguousTarget, Fails(src, Delete("B")).Code);
    }

    [Fact]
    public void Top_level_local_functions_are_addressable()
    {
        const string src = "Console.WriteLine(Twice(2));\nint Twice(int x) => x * 2;\n";
        var targets = Composer.ListTargets(Tree(src));
        var twice = Assert.Single(targets);
        Assert.Equal("local-function", twice.Kind);
        Assert.Equal("Twice(int)", twice.NamePath);
        Assert.Equal(new LineRange(2, 2), twice.Lines);
    }
}
