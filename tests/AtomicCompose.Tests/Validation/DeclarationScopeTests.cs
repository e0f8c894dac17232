using AtomicCompose.Validation;

namespace AtomicCompose.Tests.Validation;

public sealed class DeclarationScopeTests
{
    private const string Class = """
        namespace S;
        public class C
        {
            public int A(int x) { return x; }
            private int b;
            public int P { get; set; }
        }
        """;

    private static DeclarationScope ScopeOf(string before, string after) =>
        DeclarationScope.Compute(ValidationContext.FromSources(new Dictionary<string, string> { ["C.cs"] = before }, new Dictionary<string, string> { ["C.cs"] = after }).Documents, CancellationToken.None);

    [Theory]
    [InlineData("public int A(int x) { return x; }", "public int A(long x) { return 0; }", "A")]
    [InlineData("private int b;", "private string b = \"\";", "b")]
    [InlineData("public int P { get; set; }", "public int P { get; }", "P")]
    [InlineData("public int P { get; set; }", "public int P { get; set; }\n    public void Fresh() { }", "Fresh")]
    [InlineData("private int b;", "", "b")]
    public void Ordinary_member_changes_are_scoped_to_their_names(string find, string replace, string name)
    {
        var scope = ScopeOf(Class, Class.Replace(find, replace));
        Assert.False(scope.Everything);
        Assert.Equal([name], scope.Names);
        Assert.True(scope.Affects($"x.{name}"));
        Assert.False(scope.Affects("nothing here"));
    }

    [Theory]
    [InlineData("public int P { get; set; }", "public int P { get; set; }\n    public C(int z) { }")] // constructor
    [InlineData("public int P { get; set; }", "public int P { get; set; }\n    public static C operator +(C a, C b) => a;")] // operator
    [InlineData("public int P { get; set; }", "public int P { get; set; }\n    public int this[int i] => i;")] // indexer
    [InlineData("public int A(int x)", "public virtual int A(int x)")] // virtual
    [InlineData("public int P { get; set; }", "public required int P { get; set; }")] // object creations must set it
    [InlineData("public int P { get; set; }", "public int P { get; set; }\n    public void Add(int x) { }")] // collection initializers call Add
    [InlineData("public class C", "public class C : System.IDisposable")] // type header
    [InlineData("public class C", "public struct C")] // struct members
    [InlineData("namespace S;", "namespace S;\nusing System;")] // using directive
    [InlineData("public int P { get; set; }", "public int P { get; set; }\n    public class Nested { }")] // a new type
    public void Changes_other_files_can_depend_on_without_naming_them_widen_to_everything(string find, string replace)
    {
        Assert.True(ScopeOf(Class, Class.Replace(find, replace)).Everything);
    }

    [Fact]
    public void Interface_member_changes_widen_to_everything()
    {
        var before = "namespace S;\npublic interface I\n{\n    int A();\n}\n";
        Assert.True(ScopeOf(before, before.Replace("int A();", "int A();\n    int B();")).Everything);
    }

    [Fact]
    public void A_created_file_widens_to_everything()
    {
        var scope = DeclarationScope.Compute(ValidationContext.FromSources(new Dictionary<string, string>(), new Dictionary<string, string> { ["C.cs"] = Class }).Documents, CancellationToken.None);
        Assert.True(scope.Everything);
    }
}

public sealed class DeclarationChangeTests
{
    private static bool IsDeclarationChange(string before, string after) =>
        SemanticDiff.IsDeclarationChange(ValidationContext.FromSources(new Dictionary<string, string> { ["C.cs"] = before }, new Dictionary<string, string> { ["C.cs"] = after }).Documents.Single());

    [Theory]
    [InlineData("enum E { A = 1, B = 2 }", "enum E { A = 1, B = 3 }")] // other files switch on these values
    [InlineData("class C { public const int K = 1; }", "class C { public const int K = 2; }")]
    [InlineData("class C { public int M() { return 1; } }", "class C { public long M() { return 1; } }")]
    [InlineData("class C { }", "class C { public int M() => 1; }")]
    public void Changes_other_files_can_observe_are_declaration_changes(string before, string after) =>
        Assert.True(IsDeclarationChange(before, after));

    [Theory]
    [InlineData("class C { public int M() { return 1; } }", "class C { public int M() { return 2; } }")]
    [InlineData("class C { public int M() => 1; }", "class C { public int M() => 1 + 1; }")]
    [InlineData("class C { private int f = 1; }", "class C { private int f = 2; }")]
    public void Body_and_initializer_changes_are_not(string before, string after) =>
        Assert.False(IsDeclarationChange(before, after));
}

public sealed class SemanticDiffScopeTests
{
    private static readonly Dictionary<string, string> Project = new()
    {
        ["C.cs"] = "namespace S;\npublic class C\n{\n    public int A() => 1;\n    public int B() => 2;\n}\n",
        ["UsesA.cs"] = "namespace S;\ninternal static class UsesA { internal static int X() => new C().A(); }\n",
        ["UsesB.cs"] = "namespace S;\ninternal static class UsesB { internal static int X() => new C().B(); }\n",
        ["Neither.cs"] = "namespace S;\ninternal static class Neither { internal static int X() => 0; }\n",
    };

    private static SemanticDiff DiffOf(string newC)
    {
        var after = new Dictionary<string, string>(Project) { ["C.cs"] = newC };
        return ValidationContext.FromSources(Project, after).GetSemanticDiff(CancellationToken.None);
    }

    [Fact]
    public void Body_edit_checks_no_other_file()
    {
        var diff = DiffOf(Project["C.cs"].Replace("=> 1;", "=> 10;"));
        Assert.Equal(0, diff.CheckedOtherTrees);
    }

    [Fact]
    public void Removing_a_member_checks_only_the_files_naming_it_and_finds_the_break()
    {
        var diff = DiffOf(Project["C.cs"].Replace("    public int A() => 1;\n", ""));
        Assert.Equal(1, diff.CheckedOtherTrees);
        var broken = Assert.Single(diff.Entries, e => e.IsNew);
        Assert.Equal(("CS1061", "UsesA.cs"), (broken.Diagnostic.Id, broken.Path));
    }

    [Fact]
    public void Adding_a_constructor_checks_every_file()
    {
        var diff = DiffOf(Project["C.cs"].Replace("    public int A()", "    public C(int z) { }\n    public int A()"));
        Assert.Equal(3, diff.CheckedOtherTrees);
        Assert.Equal(2, diff.Entries.Count(e => e.IsNew && e.Diagnostic.Id == "CS7036"));
    }
}
