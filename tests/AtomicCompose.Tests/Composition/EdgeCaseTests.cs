using AtomicCompose.Composition;
using static AtomicCompose.Tests.Composition.ComposeTestHelpers;

namespace AtomicCompose.Tests.Composition;

public class EdgeCaseTests
{
    [Fact]
    public void Deleting_every_member_leaves_empty_braces()
    {
        const string src = "class C\n{\n    int a;\n\n    void M() { }\n\n    int P => 1;\n}\n";
        Assert.Equal("class C\n{\n}\n", ApplyClean(src, Delete("C.M"), Delete("C.a"), Delete("C.P")));
    }

    [Fact]
    public void ReplaceBody_gives_a_body_to_a_bodiless_method()
    {
        const string src = "interface I\n{\n    void M();\n}\n";
        Assert.Equal("interface I\n{\n    void M() => Run();\n}\n", ApplyClean(src, Body("I.M", "=> Run()")));
        Assert.Equal("interface I\n{\n    void M()\n    {\n        Run();\n        Run();\n    }\n}\n", ApplyClean(src, Body("I.M", "Run();\nRun();")));
    }

    [Fact]
    public void ReplaceBody_of_auto_property_with_initializer()
    {
        const string src = "class C\n{\n    public int P { get; set; } = 5;\n}\n";
        Assert.Equal("class C\n{\n    public int P { get; private set; } = 5;\n}\n", ApplyClean(src, Body("C.P", "{ get; private set; }")));
        Assert.Equal("class C\n{\n    public int P => 6;\n}\n", ApplyClean(src, Body("C.P", "=> 6;")));
    }

    [Fact]
    public void Replace_accepts_crlf_code_in_lf_file()
    {
        const string src = "class C\n{\n    void M() { }\n}\n";
        Assert.Equal("class C\n{\n    void M()\n    {\n        M();\n    }\n}\n", ApplyClean(src, Replace("C.M", "void M()\r\n{\r\n    M();\r\n}\r\n")));
    }

    [Fact]
    public void Replace_type_in_file_scoped_namespace()
    {
        const string src = "namespace N;\n\npublic class A { }\n\npublic class B { }\n";
        Assert.Equal("namespace N;\n\npublic record A(int X);\n\npublic class B { }\n", ApplyClean(src, Replace("N.A", "public record A(int X);")));
    }

    [Fact]
    public void Replace_file_scoped_namespace_itself()
    {
        const string src = "using System;\n\nnamespace N;\n\nclass A { }\n";
        Assert.Equal("using System;\n\nnamespace M;\n\nclass B { }\n", ApplyClean(src, Replace("N", "namespace M;\n\nclass B { }")));
    }

    [Fact]
    public void AddUsing_into_file_without_usings_and_global_usings()
    {
        Assert.Equal("using System;\n\nnamespace N;\n\nclass A { }\n", ApplyClean("namespace N;\n\nclass A { }\n", Using("System")));
        Assert.Equal("global using System;\nusing Alpha;\n\nclass A { }\n", ApplyClean("using Alpha;\n\nclass A { }\n", Using("global using System;")));
        Assert.Equal("using Alpha;\nusing B = Beta.Thing;\n\nclass A { }\n", ApplyClean("using Alpha;\n\nclass A { }\n", Using("using B = Beta.Thing;")));
    }

    [Fact]
    public void Line_range_on_last_line_without_newline()
    {
        Assert.Equal("a\nb\nX", Apply("a\nb\nc", Replace("lines:3", "X")));
        Assert.Equal("a\nb\nc\nX", Apply("a\nb\nc", After("lines:3", "X")));
        Assert.Equal("a\nb\n", Apply("a\nb\nc", Delete("lines:3")));
    }

    [Fact]
    public void Trailing_comment_on_the_last_line_belongs_to_the_member()
    {
        // Like the doc comment, it is kept when the replacement carries none (operations.md §3), replaced when it carries one.
        const string src = "class C\n{\n    void M() { } // old\n\n    void N() { }\n}\n";
        Assert.Equal("class C\n{\n    void M() { M(); } // old\n\n    void N() { }\n}\n", ApplyClean(src, Replace("C.M", "void M() { M(); }")));
        Assert.Equal("class C\n{\n    void M() { M(); } // new\n\n    void N() { }\n}\n", ApplyClean(src, Replace("C.M", "void M() { M(); } // new")));
        Assert.Equal("class C\n{\n    void M() { M(); }\n\n    void N() { }\n}\n",
            Composer.Compose(Tree(src), [Replace("C.M", "void M() { M(); }")], new CompositionOptions { KeepExistingTrailingComment = false }).Tree.GetText().ToString());
        Assert.Equal("class C\n{\n    void N() { }\n}\n", ApplyClean(src, Delete("C.M")));
    }

    [Fact]
    public void Plain_comment_above_a_member_is_not_deleted_with_it()
    {
        const string src = "class C\n{\n    // ---- helpers ----\n\n    void M() { }\n}\n";
        Assert.Equal("class C\n{\n    // ---- helpers ----\n}\n", ApplyClean(src, Delete("C.M")));
    }

    [Fact]
    public void Insert_multiple_members_at_once()
    {
        const string src = "class C\n{\n    void A() { }\n}\n";
        Assert.Equal("class C\n{\n    void A() { }\n\n    void B() { }\n\n    void D() { }\n}\n",
            ApplyClean(src, After("C.A", "void B() { }\n\nvoid D() { }")));
    }

    [Fact]
    public void Member_sharing_a_line_is_edited_at_token_level()
    {
        const string src = "class C { int a; int b; }";
        Assert.Equal("class C { int a; long b; }", ApplyClean(src, Replace("C.b", "long b;")));
        Assert.Equal("class C { int b; }", ApplyClean(src, Delete("C.a")));
        Assert.Equal("class C { int a; int x; int b; }", ApplyClean(src, After("C.a", "int x;")));
        const string documented = "class C\n{\n    /// <summary>A.</summary>\n    int a; int b;\n}\n";
        Assert.Equal("class C\n{\n    int x;\n    /// <summary>A.</summary>\n    int a; int b;\n}\n", ApplyClean(documented, Before("C.a", "int x;")));
    }

    [Fact]
    public void Local_functions_by_bare_name_and_nested_are_never_silently_picked()
    {
        const string src = "class C\n{\n    void A()\n    {\n        int Go() => 1;\n    }\n\n    void B()\n    {\n        void Outer()\n        {\n            int Go() => 2;\n        }\n    }\n}\n";
        Assert.Equal(ComposeErrorCode.AmbiguousTarget, Fails(src, Delete("Go")).Code);
        Assert.Equal("class C\n{\n    void A()\n    {\n        int Go() => 1;\n    }\n\n    void B()\n    {\n        void Outer()\n        {\n        }\n    }\n}\n",
            ApplyClean(src, Delete("Outer.Go")));
        Assert.Equal("class C\n{\n    void A()\n    {\n    }\n\n    void B()\n    {\n        void Outer()\n        {\n            int Go() => 2;\n        }\n    }\n}\n",
            ApplyClean(src, Delete("C.A.Go")));
        const string clash = "class C\n{\n    int Go => 0;\n\n    void M()\n    {\n        int Go() => 1;\n    }\n}\n";
        var ex = Fails(clash, Delete("Go"));
        Assert.Equal(ComposeErrorCode.AmbiguousTarget, ex.Code);
        Assert.Equal(2, ex.Candidates.Count);
    }

    [Fact]
    public void Generic_method_and_type_forms()
    {
        const string src = "class Repo<T>\n{\n    void Save<TKey>(TKey key) { }\n\n    void Save(T item) { }\n}\n";
        Assert.Equal("class Repo<T>\n{\n    void Save(T item) { }\n}\n", ApplyClean(src, Delete("Repo<T>.Save<TKey>")));
        Assert.Equal("class Repo<T>\n{\n    void Save<TKey>(TKey key) { }\n}\n", ApplyClean(src, Delete("Repo.Save(T)")));
        Assert.Equal(ComposeErrorCode.TargetNotFound, Fails(src, Delete("Repo<U>.Save(T)")).Code);
    }
}
