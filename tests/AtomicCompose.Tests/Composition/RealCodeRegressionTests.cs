using AtomicCompose.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using static AtomicCompose.Tests.Composition.ComposeTestHelpers;

namespace AtomicCompose.Tests.Composition;

/// <summary>
/// The shapes real code has that once broke a no-op replace (issue 17), each in a few lines: column-0 directives
/// inside members, column-0 directives that skewed the indentation guess, doc comments parted from their member by
/// a blank line, a generic and a non-generic type of one name, trailing comments, and two signatures under
/// <c>#if</c> sharing one body.
/// </summary>
public class RealCodeRegressionTests
{
    [Fact]
    public void Directives_at_column_0_inside_a_member_keep_column_0_when_the_code_is_dedented()
    {
        const string src = "class C\n{\n    void M()\n    {\n#pragma warning disable 618\n        Old();\n#pragma warning restore 618\n#if DEBUG\n        Log();\n#else\n        Quiet();\n#endif\n    }\n}\n";
        const string dedented = "void M()\n{\n#pragma warning disable 618\n    Old();\n#pragma warning restore 618\n#if DEBUG\n    Log();\n#else\n    Quiet();\n#endif\n}";
        Assert.Equal(src, ApplyClean(src, Replace("C.M()", dedented)));

        // Indented directives still move with the code.
        const string indented = "class C\n{\n    void M()\n    {\n        #region Body\n        Old();\n        #endregion\n    }\n}\n";
        Assert.Equal(indented, ApplyClean(indented, Replace("C.M()", "void M()\n{\n    #region Body\n    Old();\n    #endregion\n}")));
    }

    [Fact]
    public void Column_0_directives_before_members_do_not_make_a_2_space_file_look_4_space()
    {
        // Each '#pragma' at column 0 followed by a member at column 4 once counted as a 4-wide indentation step.
        const string src = "namespace N\n{\n  class C\n  {\n#pragma warning disable 618\n    int A() => Old();\n#pragma warning restore 618\n\n#pragma warning disable 618\n    int B() => Old();\n#pragma warning restore 618\n\n#pragma warning disable 618\n    int D() => Old();\n#pragma warning restore 618\n\n#pragma warning restore 618\n    void M()\n    {\n      if (true)\n      {\n        Old();\n      }\n    }\n  }\n}\n";
        Assert.Equal(src, ApplyClean(src, Replace("N.C.M()", "void M()\n{\n  if (true)\n  {\n    Old();\n  }\n}")));
    }

    [Fact]
    public void A_doc_comment_parted_by_a_blank_line_is_the_members()
    {
        const string src = "class C\n{\n    int x;\n\n    /// <summary>Does M.</summary>\n\n    void M() { }\n}\n";
        Assert.Equal(src, ApplyClean(src, Replace("C.M()", "/// <summary>Does M.</summary>\n\nvoid M() { }")));
        Assert.Equal("class C\n{\n    int x;\n\n    /// <summary>Does M better.</summary>\n    void M() { }\n}\n",
            ApplyClean(src, Replace("C.M()", "/// <summary>Does M better.</summary>\nvoid M() { }")));

        // Without a doc comment in the code the member keeps its own, with the blank line that parts them.
        Assert.Equal("class C\n{\n    int x;\n\n    /// <summary>Does M.</summary>\n\n    void M() { N(); }\n}\n", ApplyClean(src, Replace("C.M()", "void M() { N(); }")));
        Assert.Equal("class C\n{\n    int x;\n}\n", ApplyClean(src, Delete("C.M()")));
        var target = Assert.Single(Composer.ListTargets(Tree(src)), t => t.NamePath == "C.M()");
        Assert.Equal(new LineRange(5, 7), target.Lines);
    }

    [Fact]
    public void A_plain_comment_parted_by_a_blank_line_stays_a_section_header()
    {
        const string src = "class C\n{\n    // ---- helpers ----\n\n    void M() { }\n}\n";
        Assert.Equal("class C\n{\n    // ---- helpers ----\n}\n", ApplyClean(src, Delete("C.M()")));
    }

    [Fact]
    public void An_exact_name_path_wins_over_the_arity_free_shorthand()
    {
        const string src = "namespace Polly\n{\n    public class Policy\n    {\n        public Policy WithPolicyKey(string key) => this;\n    }\n\n    public class Policy<TResult>\n    {\n        public Policy<TResult> WithPolicyKey(string key) => this;\n    }\n}\n";
        var tree = Tree(src);
        Assert.Contains(Composer.ListTargets(tree), t => t.NamePath == "Polly.Policy.WithPolicyKey(string)");
        string replaced = ApplyClean(src, Replace("Polly.Policy.WithPolicyKey(string)", "public Policy WithPolicyKey(string key) => Keyed(key);"));
        Assert.Contains("public Policy WithPolicyKey(string key) => Keyed(key);", replaced, StringComparison.Ordinal);
        Assert.Contains("public Policy<TResult> WithPolicyKey(string key) => this;", replaced, StringComparison.Ordinal);
        Assert.Contains("public Policy WithPolicyKey(string key) => this;", ApplyClean(src, Delete("Polly.Policy<TResult>.WithPolicyKey(string)")), StringComparison.Ordinal);

        // The shorthand stays where only one type has the name.
        const string single = "class Repo<T>\n{\n    void Save(T item) { }\n}\n";
        Assert.Equal("class Repo<T>\n{\n}\n", ApplyClean(single, Delete("Repo.Save(T)")));
    }

    [Fact]
    public void The_suggestion_of_an_ambiguity_error_resolves()
    {
        // Two parts declaring the same partial method: one name path, so the suggestion is a line range.
        const string src = "partial class P\n{\n    partial void Go();\n}\n\npartial class P\n{\n    partial void Go() { }\n}\n";
        var ex = Fails(src, Delete("P.Go()"));
        Assert.Equal(ComposeErrorCode.AmbiguousTarget, ex.Code);
        string suggestion = System.Text.RegularExpressions.Regex.Match(ex.Message, @"e\.g\. '([^']+)'").Groups[1].Value;
        Assert.Equal("lines:3-3", suggestion);
        Assert.Equal("partial class P\n{\n}\n\npartial class P\n{\n    partial void Go() { }\n}\n", ApplyClean(src, Delete(suggestion)));

        // Two members matched through a suffix: the suggestion is a full name path that names one of them.
        const string two = "namespace A\n{\n    class C { void M() { } }\n}\n\nnamespace B\n{\n    class C { void M() { } }\n}\n";
        var ambiguous = Fails(two, Delete("C.M()"));
        string path = System.Text.RegularExpressions.Regex.Match(ambiguous.Message, @"e\.g\. '([^']+)'").Groups[1].Value;
        Assert.Equal("A.C.M()", path);
        Assert.Equal("namespace A\n{\n    class C { }\n}\n\nnamespace B\n{\n    class C { void M() { } }\n}\n", Apply(two, Delete(path)));
    }

    [Fact]
    public void A_trailing_comment_is_kept_when_the_code_carries_none()
    {
        const string src = "class C\n{\n    int Size() => default; // why: callers treat 0 as unknown\n}\n";
        Assert.Equal(src, ApplyClean(src, Replace("C.Size()", "int Size() => default;")));
        Assert.Equal("class C\n{\n    int Size() => 42; // why: callers treat 0 as unknown\n}\n", ApplyClean(src, Replace("C.Size()", "int Size() => 42;")));
        Assert.Equal("class C\n{\n    int Size() => 42; // known\n}\n", ApplyClean(src, Replace("C.Size()", "int Size() => 42; // known")));
        Assert.Equal("class C\n{\n}\n", ApplyClean(src, Delete("C.Size()")));
    }

    private const string TwoSignatures =
        "using System;\n\nclass C\n{\n    int x;\n\n    /// <summary>Counts.</summary>\n#if NET\n    public int Count(ReadOnlySpan<char> s)\n#else\n    public int Count(string s)\n#endif\n    {\n        return s.Length;\n    }\n\n    int y;\n}\n";

    [Fact]
    public void Two_signatures_under_if_sharing_one_body_are_one_member()
    {
        var target = Assert.Single(Composer.ListTargets(Tree(TwoSignatures)), t => t.NamePath == "C.Count(string)");
        Assert.Equal(new LineRange(7, 15), target.Lines);
        var net = Assert.Single(Composer.ListTargets(Tree(TwoSignatures, "NET")), t => t.NamePath == "C.Count(ReadOnlySpan<char>)");
        Assert.Equal(new LineRange(7, 15), net.Lines);

        string deleted = Apply(TwoSignatures, Delete("C.Count(string)"));
        Assert.Equal("using System;\n\nclass C\n{\n    int x;\n    int y;\n}\n", deleted);
        AssertCompilesForEverySymbolSet(deleted);

        string own = "/// <summary>Counts.</summary>\n#if NET\npublic int Count(ReadOnlySpan<char> s)\n#else\npublic int Count(string s)\n#endif\n{\n    return s.Length;\n}";
        Assert.Equal(TwoSignatures, Apply(TwoSignatures, Replace("C.Count(string)", own)));

        string replaced = Apply(TwoSignatures, Replace("C.Count(string)", "public int Count(string s) => s.Length;"));
        Assert.Contains("    /// <summary>Counts.</summary>\n    public int Count(string s) => s.Length;\n\n    int y;", replaced, StringComparison.Ordinal);
        AssertCompilesForEverySymbolSet(replaced);

        string body = Apply(TwoSignatures, Body("C.Count(string)", "return s.Length + 1;"));
        Assert.Contains("#endif\n    {\n        return s.Length + 1;\n    }", body, StringComparison.Ordinal);
        AssertCompilesForEverySymbolSet(body);

        string before = Apply(TwoSignatures, Before("C.Count(string)", "void Z() { }"));
        Assert.Contains("    void Z() { }\n\n    /// <summary>Counts.</summary>\n#if NET", before, StringComparison.Ordinal);
        AssertCompilesForEverySymbolSet(before);
    }

    [Fact]
    public void Inserted_code_takes_its_neighbours_indentation_and_newline_and_keeps_column_0_directives()
    {
        const string src = "namespace N\r\n{\r\n\tclass C\r\n\t{\r\n\t\tvoid A() { }\r\n\r\n\t\tvoid B() { }\r\n\t}\r\n}\r\n";
        const string code = "void D()\n{\n#if DEBUG\n    Log();\n#endif\n}";
        const string inserted = "\t\tvoid D()\r\n\t\t{\r\n#if DEBUG\r\n\t\t\tLog();\r\n#endif\r\n\t\t}\r\n";
        Assert.Equal("namespace N\r\n{\r\n\tclass C\r\n\t{\r\n" + inserted + "\r\n\t\tvoid A() { }\r\n\r\n\t\tvoid B() { }\r\n\t}\r\n}\r\n", ApplyClean(src, Before("N.C.A()", code)));
        Assert.Equal("namespace N\r\n{\r\n\tclass C\r\n\t{\r\n\t\tvoid A() { }\r\n\r\n" + inserted + "\r\n\t\tvoid B() { }\r\n\t}\r\n}\r\n", ApplyClean(src, After("N.C.A()", code)));
        Assert.Equal(ApplyClean(src, Before("N.C.A()", code)), ApplyClean(src, First("N.C", code)));
        Assert.Equal("namespace N\r\n{\r\n\tclass C\r\n\t{\r\n\t\tvoid A() { }\r\n\r\n\t\tvoid B() { }\r\n\r\n" + inserted + "\t}\r\n}\r\n", ApplyClean(src, Last("N.C", code)));

        // Into an empty type: one level deeper than its braces, in the file's 2-space style.
        const string empty = "namespace N\n{\n  class E\n  {\n  }\n\n  class F\n  {\n    int f;\n  }\n}\n";
        Assert.Equal("namespace N\n{\n  class E\n  {\n    void D()\n    {\n#if DEBUG\n      Log();\n#endif\n    }\n  }\n\n  class F\n  {\n    int f;\n  }\n}\n", ApplyClean(empty, Last("N.E", code)));
    }

    [Fact]
    public void A_region_closing_after_a_file_scoped_namespace_belongs_to_it()
    {
        const string src = "namespace N;\n\n#region Types\nclass A { }\n\nclass B { }\n#endregion\n";
        var ns = Assert.Single(Composer.ListTargets(Tree(src)), t => t.NamePath == "N");
        Assert.Equal(new LineRange(1, 7), ns.Lines);
        Assert.Equal(src, ApplyClean(src, Replace("N", "namespace N;\n\n#region Types\nclass A { }\n\nclass B { }\n#endregion")));
    }

    [Fact]
    public void Line_range_code_keeps_the_lines_of_its_multi_line_strings()
    {
        const string src = "class C\n{\n    void M()\n    {\n        var q = @\"SELECT\n  FROM T\";\n    }\n}\n";
        Assert.Equal(src, Apply(src, Replace("lines:3-7", "void M()\n{\n    var q = @\"SELECT\n  FROM T\";\n}")));
    }

    private static SyntaxTree Tree(string source, params string[] symbols)
        => CSharpSyntaxTree.ParseText(source, CSharpParseOptions.Default.WithPreprocessorSymbols(symbols));

    /// <summary>Compiles <paramref name="source"/> with and without NET defined, against the running runtime's assemblies.</summary>
    internal static void AssertCompilesForEverySymbolSet(string source)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p) is "System.Runtime.dll" or "System.Private.CoreLib.dll" or "netstandard.dll")
            .Select(p => MetadataReference.CreateFromFile(p)).ToList();
        foreach (string[] symbols in (string[][])[[], ["NET"]])
        {
            var compilation = CSharpCompilation.Create("Check", [Tree(source, symbols)], references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            Assert.True(errors.Count == 0, $"with [{string.Join(", ", symbols)}]: {string.Join("; ", errors)}\n{source}");
        }
    }
}
