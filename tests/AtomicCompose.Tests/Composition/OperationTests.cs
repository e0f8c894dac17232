using AtomicCompose.Composition;
using static AtomicCompose.Tests.Composition.ComposeTestHelpers;

namespace AtomicCompose.Tests.Composition;

public class OperationTests
{
    private const string Greeter = """
        using System;

        namespace Demo;

        /// <summary>Greets people.</summary>
        public class Greeter
        {
            private readonly string _prefix = "Hello";

            /// <summary>Says hello.</summary>
            /// <param name="name">Who to greet.</param>
            /// <returns>The greeting.</returns>
            public string Greet(string name)
            {
                return _prefix + ", " + name + "!";
            }

            /// <summary>Says goodbye.</summary>
            public string Farewell(string name) => "Bye, " + name;
        }

        """;

    [Fact]
    public void Replace_keeps_existing_doc_comment_when_code_has_none()
    {
        string result = ApplyClean(Greeter, Replace("Demo.Greeter.Greet(string)", "public string Greet(string name) => $\"Hello, {name}\";"));
        Assert.Equal(Greeter.Replace(
            "    public string Greet(string name)\n    {\n        return _prefix + \", \" + name + \"!\";\n    }\n",
            "    public string Greet(string name) => $\"Hello, {name}\";\n", StringComparison.Ordinal), result);
    }

    [Fact]
    public void Design_example_on_the_sample_project_keeps_the_doc_comment()
    {
        string source = TestSupport.SampleProjects.Greeter;
        var result = Run(source, Replace("Demo.Greeter.Greet(string)", "public string Greet(string name) => $\"Hello, {name}\";"));
        string expected = source.Replace(
            "    public string Greet(string name)\n    {\n        return \"Hello, \" + name + \"!\";\n    }\n",
            "    public string Greet(string name) => $\"Hello, {name}\";\n", StringComparison.Ordinal);
        Assert.NotEqual(source, expected);
        Assert.Equal(expected, result.Tree.GetText().ToString());
        Assert.Equal(new LineRange(9, 12), result.Operations[0].OldLines);
        Assert.Equal(new LineRange(9, 9), result.Operations[0].NewLines);
    }

    [Fact]
    public void Replace_with_doc_comment_replaces_the_old_one()
    {
        string result = ApplyClean(Greeter, Replace("Greeter.Farewell", "/// <summary>Waves.</summary>\npublic string Farewell(string name) => \"Ciao\";"));
        Assert.Equal(Greeter.Replace(
            "    /// <summary>Says goodbye.</summary>\n    public string Farewell(string name) => \"Bye, \" + name;",
            "    /// <summary>Waves.</summary>\n    public string Farewell(string name) => \"Ciao\";", StringComparison.Ordinal), result);
    }

    [Fact]
    public void Replace_drops_old_doc_when_option_is_off()
    {
        var result = Composer.Compose(Tree(Greeter), [Replace("Greeter.Farewell", "public string Farewell(string name) => \"Ciao\";")], new CompositionOptions { KeepExistingDocComment = false });
        Assert.Equal(Greeter.Replace(
            "    /// <summary>Says goodbye.</summary>\n    public string Farewell(string name) => \"Bye, \" + name;",
            "    public string Farewell(string name) => \"Ciao\";", StringComparison.Ordinal), result.Tree.GetText().ToString());
    }

    [Fact]
    public void Replace_reindents_code_given_without_indentation()
    {
        string result = ApplyClean(Greeter, Replace("Greeter.Greet", "public string Greet(string name)\n{\n    if (name.Length == 0)\n    {\n        return \"?\";\n    }\n\n    return name;\n}"));
        Assert.Contains("    public string Greet(string name)\n    {\n        if (name.Length == 0)\n        {\n            return \"?\";\n        }\n\n        return name;\n    }\n", result, StringComparison.Ordinal);
        Assert.StartsWith(Greeter[..Greeter.IndexOf("    public string Greet", StringComparison.Ordinal)], result, StringComparison.Ordinal);
    }

    [Fact]
    public void Replace_with_first_line_trimmed_and_rest_indented()
    {
        // As copied from a file: the first line lost its indentation, the others kept it.
        string result = ApplyClean(Greeter, Replace("Greeter.Greet", "public string Greet(string name)\n        {\n            return name;\n        }"));
        Assert.Contains("    public string Greet(string name)\n    {\n        return name;\n    }\n", result, StringComparison.Ordinal);
    }

    [Fact]
    public void ReplaceBody_with_block_keeps_signature()
    {
        string result = ApplyClean(Greeter, Body("Greeter.Greet", "{\n    return name;\n}"));
        Assert.Equal(Greeter.Replace("return _prefix + \", \" + name + \"!\";", "return name;", StringComparison.Ordinal), result);
    }

    [Fact]
    public void ReplaceBody_with_statements_builds_a_block()
    {
        string result = ApplyClean(Greeter, Body("Greeter.Greet", "var s = name.Trim();\nreturn s;"));
        Assert.Equal(Greeter.Replace("        return _prefix + \", \" + name + \"!\";", "        var s = name.Trim();\n        return s;", StringComparison.Ordinal), result);
    }

    [Fact]
    public void ReplaceBody_expression_to_expression_and_block_to_expression()
    {
        string result = ApplyClean(Greeter, Body("Greeter.Farewell", "=> \"Bye\""), Body("Greeter.Greet", "=> name;"));
        string expected = Greeter
            .Replace("=> \"Bye, \" + name;", "=> \"Bye\";", StringComparison.Ordinal)
            .Replace("public string Greet(string name)\n    {\n        return _prefix + \", \" + name + \"!\";\n    }", "public string Greet(string name) => name;", StringComparison.Ordinal);
        Assert.Equal(expected, result);
    }

    [Fact]
    public void ReplaceBody_expression_to_block()
    {
        string result = ApplyClean(Greeter, Body("Greeter.Farewell", "return \"Bye\";"));
        Assert.Contains("    public string Farewell(string name)\n    {\n        return \"Bye\";\n    }\n}", result, StringComparison.Ordinal);
    }

    [Fact]
    public void ReplaceBody_of_property_and_constructor_and_local_function()
    {
        const string src = """
            class C
            {
                int _x;
                public C(int x) { _x = x; }
                public int X { get => _x; set => _x = value; }
                void M()
                {
                    int Twice(int v) => v * 2;
                }
            }
            """;
        string result = ApplyClean(src,
            Body("C.C(int)", "{ _x = x * 2; }"),
            Body("C.X", "=> _x"),
            Body("C.M.Twice", "{ return v + v; }"));
        Assert.Equal("""
            class C
            {
                int _x;
                public C(int x) { _x = x * 2; }
                public int X => _x;
                void M()
                {
                    int Twice(int v) { return v + v; }
                }
            }
            """, result);
    }

    [Fact]
    public void ReplaceBody_on_a_class_fails_clearly()
    {
        var ex = Fails(Greeter, Body("Demo.Greeter", "{ }"));
        Assert.Equal(ComposeErrorCode.TargetNotFound, ex.Code);
        Assert.Contains("Use Replace", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InsertAfter_and_InsertBefore_keep_blank_line_separation()
    {
        string result = ApplyClean(Greeter,
            After("Greeter.Greet", "public void A() { }"),
            Before("Greeter.Greet", "public void B() { }"));
        Assert.Equal(Greeter
            .Replace("    /// <summary>Says hello.</summary>", "    public void B() { }\n\n    /// <summary>Says hello.</summary>", StringComparison.Ordinal)
            .Replace("    }\n\n    /// <summary>Says goodbye.", "    }\n\n    public void A() { }\n\n    /// <summary>Says goodbye.", StringComparison.Ordinal), result);
    }

    [Fact]
    public void Insert_into_tight_field_run_stays_tight()
    {
        const string src = "class C\n{\n    int a;\n    int b;\n\n    void M() { }\n}\n";
        Assert.Equal("class C\n{\n    int a;\n    int x;\n    int b;\n\n    void M() { }\n}\n", ApplyClean(src, After("C.a", "int x;")));
        Assert.Equal("class C\n{\n    int a;\n    int b;\n    int x;\n\n    void M() { }\n}\n", ApplyClean(src, After("C.b", "int x;")));
        Assert.Equal("class C\n{\n    int a;\n    int b;\n\n    void N() { }\n\n    void M() { }\n}\n", ApplyClean(src, Before("C.M", "void N() { }")));
    }

    [Fact]
    public void Spacing_is_learned_per_kind_for_one_line_members()
    {
        // Fields sit tight while one-line properties are spaced; each keeps its own convention.
        const string src = "class C\n{\n    int _a;\n    int _b;\n\n    public int A { get; }\n\n    public int B { get; }\n}\n";
        Assert.Equal("class C\n{\n    int _a;\n    int _x;\n    int _b;\n\n    public int A { get; }\n\n    public int B { get; }\n}\n", ApplyClean(src, Before("C._b", "int _x;")));
        Assert.Equal("class C\n{\n    int _a;\n    int _b;\n\n    public int A { get; }\n\n    public int X { get; }\n\n    public int B { get; }\n}\n", ApplyClean(src, After("C.A", "public int X { get; }")));
        string deleted = ApplyClean(src, Delete("C._a"));
        Assert.Equal("class C\n{\n    int _b;\n\n    public int A { get; }\n\n    public int B { get; }\n}\n", deleted);
        Assert.Equal(src, ApplyClean(deleted, Before("C._b", "int _a;")));
    }

    [Fact]
    public void InsertFirst_and_InsertLast_into_type()
    {
        string result = ApplyClean(Greeter, First("Demo.Greeter", "private int _count;"), Last("Demo.Greeter", "public void Reset() { }"));
        Assert.Equal(Greeter
            .Replace("{\n    private readonly", "{\n    private int _count;\n    private readonly", StringComparison.Ordinal)
            .Replace("+ name;\n}", "+ name;\n\n    public void Reset() { }\n}", StringComparison.Ordinal), result);
    }

    [Fact]
    public void InsertFirst_into_empty_type_and_namespace()
    {
        Assert.Equal("namespace N\n{\n    class C\n    {\n        void M() { }\n    }\n}\n",
            ApplyClean("namespace N\n{\n    class C\n    {\n    }\n}\n", First("N.C", "void M() { }")));
        Assert.Equal("namespace N\n{\n    class C {\n        void M() { }\n    }\n}\n",
            ApplyClean("namespace N\n{\n    class C { }\n}\n", Last("N.C", "void M() { }")));
        Assert.Equal("namespace N\n{\n    class D { }\n}\n", ApplyClean("namespace N\n{\n}\n", Last("N", "class D { }")));
        Assert.Equal("namespace N;\n\nclass D { }\n", ApplyClean("namespace N;\n", Last("N", "class D { }")));
    }

    [Fact]
    public void InsertLast_into_namespace_with_types()
    {
        string result = ApplyClean(Greeter, Last("Demo", "public class Other { }"));
        Assert.Equal(Greeter.TrimEnd('\n') + "\n\npublic class Other { }\n", result);
    }

    [Fact]
    public void InsertFirst_into_a_method_fails()
    {
        var ex = Fails(Greeter, First("Greeter.Greet", "int x;"));
        Assert.Equal(ComposeErrorCode.TargetNotFound, ex.Code);
    }

    [Fact]
    public void Delete_removes_member_with_doc_and_one_blank_line()
    {
        string result = ApplyClean(Greeter, Delete("Greeter.Greet"));
        Assert.Equal("""
            using System;

            namespace Demo;

            /// <summary>Greets people.</summary>
            public class Greeter
            {
                private readonly string _prefix = "Hello";

                /// <summary>Says goodbye.</summary>
                public string Farewell(string name) => "Bye, " + name;
            }

            """, result);
    }

    [Fact]
    public void Delete_first_and_last_members_leave_no_blank_line_at_the_braces()
    {
        string result = ApplyClean(Greeter, Delete("Greeter._prefix"), Delete("Greeter.Farewell"));
        Assert.Equal("""
            using System;

            namespace Demo;

            /// <summary>Greets people.</summary>
            public class Greeter
            {
                /// <summary>Says hello.</summary>
                /// <param name="name">Who to greet.</param>
                /// <returns>The greeting.</returns>
                public string Greet(string name)
                {
                    return _prefix + ", " + name + "!";
                }
            }

            """, result);
    }

    [Fact]
    public void Delete_keeps_region_directives()
    {
        const string src = "class C\n{\n    #region Helpers\n    void A() { }\n\n    void B() { }\n    #endregion\n}\n";
        Assert.Equal("class C\n{\n    #region Helpers\n    void B() { }\n    #endregion\n}\n", ApplyClean(src, Delete("C.A")));
        Assert.Equal("class C\n{\n    #region Helpers\n    void A() { }\n    #endregion\n}\n", ApplyClean(src, Delete("C.B")));
    }

    [Fact]
    public void Enum_members_insert_replace_delete_manage_commas()
    {
        const string src = "enum E\n{\n    A,\n    B\n}\n";
        Assert.Equal("enum E\n{\n    A,\n    B,\n    C\n}\n", ApplyClean(src, After("E.B", "C")));
        Assert.Equal("enum E\n{\n    A,\n    C = 5,\n    B\n}\n", ApplyClean(src, Before("E.B", "C = 5,")));
        Assert.Equal("enum E\n{\n    A = 1,\n    B\n}\n", ApplyClean(src, Replace("E.A", "A = 1,")));
        Assert.Equal("enum E\n{\n    A\n}\n", ApplyClean(src, Delete("E.B")));
        Assert.Equal("enum E\n{\n    B\n}\n", ApplyClean(src, Delete("E.A")));
        Assert.Equal("enum E { A, C, B }", ApplyClean("enum E { A, B }", After("E.A", "C")));
        Assert.Equal("enum E { A, B, C }", ApplyClean("enum E { A, B }", Last("E", "C")));
        Assert.Equal("enum E { B }", ApplyClean("enum E { A, B }", Delete("E.A")));
        Assert.Equal("enum E { A }", ApplyClean("enum E { A, B }", Delete("E.B")));
    }

    [Fact]
    public void One_declarator_of_a_multi_variable_field()
    {
        const string src = "class C\n{\n    public int a, b = 2, c;\n}\n";
        Assert.Equal("class C\n{\n    public int a, c;\n}\n", ApplyClean(src, Delete("C.b")));
        Assert.Equal("class C\n{\n    public int b = 2, c;\n}\n", ApplyClean(src, Delete("C.a")));
        Assert.Equal("class C\n{\n    public int a, b = 2;\n}\n", ApplyClean(src, Delete("C.c")));
        Assert.Equal("class C\n{\n    public int a, b = 3, c;\n}\n", ApplyClean(src, Replace("C.b", "b = 3")));
        Assert.Equal("class C\n{\n    public int a, b = 4, c;\n}\n", ApplyClean(src, Replace("C.b", "public int b = 4;")));
        Assert.Equal(ComposeErrorCode.InvalidCode, Fails(src, Replace("C.b", "public long b = 4;")).Code);
        Assert.Equal("class C\n{\n    public int a, b = 2, c;\n    int d;\n}\n", ApplyClean(src, After("C.b", "int d;")));
    }

    [Fact]
    public void Local_function_operations()
    {
        const string src = "class C\n{\n    void M()\n    {\n        Go();\n\n        void Go() { }\n    }\n}\n";
        Assert.Equal("class C\n{\n    void M()\n    {\n        Go();\n\n        void Go() { Stop(); }\n    }\n}\n", ApplyClean(src, Replace("C.M.Go", "void Go() { Stop(); }")));
        Assert.Equal("class C\n{\n    void M()\n    {\n        Go();\n    }\n}\n", ApplyClean(src, Delete("C.M.Go")));
        Assert.Equal("class C\n{\n    void M()\n    {\n        Go();\n\n        void Go() { }\n\n        void Stop() { }\n    }\n}\n", ApplyClean(src, After("C.M.Go", "void Stop() { }")));
    }

    [Fact]
    public void Operators_conversions_indexers_destructors_can_be_replaced()
    {
        const string src = """
            struct V
            {
                public static V operator +(V a, V b) => a;
                public static explicit operator string(V v) => "";
                public int this[int i] => i;
                ~V() { }
            }
            """;
        string result = ApplyClean(src,
            Replace("V.operator +(V, V)", "public static V operator +(V a, V b) => b;"),
            Replace("V.explicit operator string", "public static explicit operator string(V v) => \"v\";"),
            Body("V.this[int]", "=> i + 1"),
            Delete("V.~V"));
        Assert.Equal("""
            struct V
            {
                public static V operator +(V a, V b) => b;
                public static explicit operator string(V v) => "v";
                public int this[int i] => i + 1;
            }
            """, result);
    }

    [Fact]
    public void AddUsing_sorted_position_and_no_duplicates()
    {
        const string src = "using System;\nusing System.IO;\nusing Zeta;\n\nnamespace N;\n\nclass C { }\n";
        Assert.Equal("using System;\nusing System.IO;\nusing System.Text;\nusing Zeta;\n\nnamespace N;\n\nclass C { }\n", ApplyClean(src, Using("System.Text")));
        Assert.Equal("using System;\nusing System.IO;\nusing Alpha;\nusing Zeta;\n\nnamespace N;\n\nclass C { }\n", ApplyClean(src, Using("using Alpha;")));
        Assert.Equal("using System;\nusing System.IO;\nusing Zeta;\nusing static System.Math;\n\nnamespace N;\n\nclass C { }\n", ApplyClean(src, Using("using static System.Math;")));
        var dup = Run(src, Using("System.IO"));
        Assert.Equal(src, dup.Tree.GetText().ToString());
        Assert.Equal(0, dup.Operations[0].NewLines.Count);
    }

    [Fact]
    public void AddUsing_unsorted_appends_and_empty_file_gets_a_block()
    {
        const string unsorted = "using Zeta;\nusing Alpha;\n\nclass C { }\n";
        Assert.Equal("using Zeta;\nusing Alpha;\nusing Beta;\n\nclass C { }\n", ApplyClean(unsorted, Using("Beta")));
        const string none = "// License header\n\nnamespace N;\n\n/// <summary>Doc.</summary>\nclass C { }\n";
        Assert.Equal("// License header\n\nusing System;\n\nnamespace N;\n\n/// <summary>Doc.</summary>\nclass C { }\n", ApplyClean(none, Using("System")));
    }

    [Fact]
    public void AddUsing_inside_file_scoped_namespace_block()
    {
        const string src = "namespace N;\n\nusing System;\n\nclass C { }\n";
        Assert.Equal("namespace N;\n\nusing System;\nusing System.Text;\n\nclass C { }\n", ApplyClean(src, Using("System.Text")));
        const string block = "namespace N\n{\n    using System;\n\n    class C { }\n}\n";
        Assert.Equal("namespace N\n{\n    using System;\n    using System.Text;\n\n    class C { }\n}\n", ApplyClean(block, Using("System.Text")));
    }

    [Fact]
    public void AddUsing_rejects_garbage()
    {
        var ex = Fails("class C { }", Using("using System..Text;"));
        Assert.Equal(ComposeErrorCode.InvalidCode, ex.Code);
    }

    [Fact]
    public void Invalid_code_reports_line_and_column_inside_the_code()
    {
        var ex = Fails(Greeter, Replace("Greeter.Greet", "public string Greet(string name)\n{\n    return name +;\n}"));
        Assert.Equal(ComposeErrorCode.InvalidCode, ex.Code);
        Assert.Equal(ComposeStep.Compose, ex.Step);
        Assert.Contains("line 3, column 18", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Operation 1 of 1 (Replace 'Greeter.Greet')", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Code_that_closes_its_container_is_rejected()
    {
        var ex = Fails(Greeter, After("Greeter.Greet", "void A() { } } class Evil {"));
        Assert.Equal(ComposeErrorCode.InvalidCode, ex.Code);
    }

    [Fact]
    public void Statements_are_not_type_members()
    {
        var ex = Fails(Greeter, After("Greeter.Greet", "Console.WriteLine(1);"));
        Assert.Equal(ComposeErrorCode.InvalidCode, ex.Code);
        Assert.Contains("type member declarations", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_code_is_invalid()
    {
        Assert.Equal(ComposeErrorCode.InvalidCode, Fails(Greeter, Replace("Greeter.Greet", "  \n")).Code);
    }

    [Fact]
    public void Line_range_replace_delete_insert()
    {
        const string src = "a\nb\nc\nd\n";
        Assert.Equal("a\nX\nd\n", Apply(src, Replace("lines:2-3", "X")));
        Assert.Equal("a\nd\n", Apply(src, Delete("lines:2-3")));
        Assert.Equal("a\nX\nb\nc\nd\n", Apply(src, Before("lines:2", "X")));
        Assert.Equal("a\nb\nc\nX\nd\n", Apply(src, After("lines:2-3", "X")));
        var ex = Fails(src, Delete("lines:4-9"));
        Assert.Equal(ComposeErrorCode.TargetNotFound, ex.Code);
        Assert.Equal(ComposeErrorCode.TargetNotFound, Fails(src, Body("lines:1-2", "{ }")).Code);
    }

    [Fact]
    public void Line_range_replace_reports_lines()
    {
        var result = Run("a\nb\nc\nd\n", Replace("lines:2-3", "X\nY\nZ"));
        Assert.Equal(new LineRange(2, 3), result.Operations[0].OldLines);
        Assert.Equal(new LineRange(2, 4), result.Operations[0].NewLines);
    }
}
