namespace AtomicCompose.Tests.Validation.Build;

/// <summary>
/// Which <c>dotnet build</c> judges an edit. The compiler stops after the declaration stage when it found an error
/// there (a type it cannot find in a signature, a duplicate member): it then reports no method-body errors, no unused
/// fields and runs no analyzer, in any file. So edits whose errors are all declaration errors are built apart from
/// edits whose errors are found in bodies, and edits that must reach App (which a build compiles only when Lib built for
/// net8.0) are built where Lib compiles.
/// </summary>
public enum OracleBatch
{
    /// <summary>Lib (and the net462-only shared folder): errors in bodies, flow analysis, nullable, unused fields, analyzers.</summary>
    LibBodies,

    /// <summary>Lib: declaration errors only (signatures, types, members).</summary>
    LibDeclarations,

    /// <summary>Lib: the <c>[LoggerMessage]</c> generator's diagnostics.</summary>
    Generators,

    /// <summary>Lib compiles; App breaks in bodies (or App's own edits).</summary>
    Callers,

    /// <summary>Lib compiles (for net8.0 at least); App breaks in its declarations.</summary>
    CallerDeclarations,
}

/// <summary>
/// One edit of the oracle suite: its own baseline files (every file name starts with <see cref="Id"/>, so the build's
/// errors are attributed by file), and the operations staged on the engine.
/// </summary>
/// <param name="Id">E001…: the prefix of every file the edit owns.</param>
/// <param name="Kind">framework, body, signature, nullable, analyzer, unused-field, generator, rename or delete.</param>
/// <param name="Batch">The build that judges it with others.</param>
/// <param name="Description">What it does.</param>
/// <param name="Files">Its baseline files.</param>
/// <param name="Stage">Stages it on a transaction.</param>
public sealed record OracleEdit(string Id, string Kind, OracleBatch Batch, string Description, IReadOnlyDictionary<string, string> Files, Action<ComposeTransaction> Stage)
{
    /// <summary>Files the edit owns besides its own (a generator's output, which holds what the edit's declaration generates).</summary>
    public IReadOnlyList<string> AlsoOwns { get; init; } = [];

    /// <summary>A difference between the engine and the build that is known, asserted as it is.</summary>
    public KnownDifference? Known { get; init; }

    public override string ToString() => $"{Id} [{Kind}] {Description}";
}

/// <summary>Where the engine and the build are known to differ on an edit: the ids only the engine reports, and only the build.</summary>
/// <param name="Why">Why (an engine bug, with what to fix, or a difference by design).</param>
/// <param name="EngineOnly">Error ids the engine reports and the build does not.</param>
/// <param name="BuildOnly">Error ids the build reports and the engine does not.</param>
public sealed record KnownDifference(string Why, string[] EngineOnly, string[] BuildOnly);

/// <summary>The edits of <see cref="OracleEditTests"/>, each independent of the others.</summary>
public static partial class OracleEdits
{
    public static IReadOnlyList<OracleEdit> All { get; } = Create();

    private static List<OracleEdit> Create()
    {
        var edits = new List<OracleEdit>();

        void Add(string kind, OracleBatch batch, string description, Func<string, Dictionary<string, string>> files, Action<ComposeTransaction, string> stage)
        {
            var id = $"E{edits.Count + 1:000}";
            edits.Add(new OracleEdit(id, kind, batch, description, files(id), tx => stage(tx, id)));
        }

        // The last edit added, with a known difference or a file it also owns.
        void Last(Func<OracleEdit, OracleEdit> change) => edits[^1] = change(edits[^1]);

        // A body of Lib (three frameworks), of the shared folder (net462 only) or of App (net8.0).
        void Body(string kind, string body, string folder = "Lib", OracleBatch batch = OracleBatch.LibBodies) =>
            Add(kind, folder == "App" ? OracleBatch.Callers : batch, $"{folder} body: {OneLine(body)}", id => new() { [BodyPath(folder, id)] = BodyFile(folder, id) }, (tx, id) => tx.ReplaceBody(BodyPath(folder, id), $"{id}.Run(string, int)", body));

        // Framework-only APIs in a body: the build of each framework knows its own reference assemblies.
        string[] frameworkBodies =
        [
            "System.ArgumentOutOfRangeException.ThrowIfNegative(count);\nreturn count;",
            "System.ArgumentNullException.ThrowIfNull(text);\nreturn count;",
            "return text.Contains('x') ? 1 : count;",
            "return int.Parse(text.AsSpan(), provider: null);",
            "return System.Math.Clamp(count, 0, 10);",
            "return text.Split(',', 2).Length;",
            "return System.HashCode.Combine(text, count);",
            "return string.Join(',', new[] { text }).Length;",
            "return text.StartsWith('a') ? 1 : 0;",
            "return System.Enum.GetValues<System.DayOfWeek>().Length;",
            "return text.ReplaceLineEndings().Length;",
            "return System.Random.Shared.Next(count);",
            "return System.Text.Json.JsonSerializer.Serialize(count).Length;",
            "return text.AsSpan().IndexOfAny('a', 'b');",
            "return System.Convert.ToHexString(new byte[] { 1 }).Length;",
            "return string.Create(2, count, (span, c) => span.Fill('x')).Length;",
            "return text.GetHashCode(System.StringComparison.Ordinal);",
            "return System.Linq.Enumerable.Count(System.Linq.Enumerable.Chunk(new[] { 1, 2 }, 1));",
            "return System.Linq.Enumerable.ToHashSet(new[] { count }).Count;",
            "return System.Linq.Enumerable.Count(System.Linq.Enumerable.TakeLast(new[] { count }, 1));",
            "return text.Contains(\"x\", System.StringComparison.Ordinal) ? 1 : 0;",
            "return text.Replace(\"a\", \"b\", System.StringComparison.Ordinal).Length;",
            "return System.Threading.Tasks.Task.CompletedTask.IsCompleted ? 1 : count;",
            "return System.Array.Empty<int>().Length + count;",
            "return new System.Collections.Generic.PriorityQueue<int, int>().Count;",
            "return System.IO.Path.Join(\"a\", text).Length;",
            "return System.Numerics.BitOperations.PopCount((uint)count);",
            "return System.Runtime.CompilerServices.Unsafe.SizeOf<int>() + count;",
            "return text.AsSpan().Trim().Length;",
            "return System.DateOnly.FromDateTime(System.DateTime.UtcNow).Day;",
            "return text is [var first, ..] ? first : count;",
            "return System.Linq.Enumerable.MaxBy(new[] { text }, s => s.Length)!.Length;",
            "var rest = text[1..];\nreturn rest.Length;",
            "return text.AsSpan()[^1];",
            "return System.Buffers.ArrayPool<int>.Shared.Rent(count).Length;",
            "return nint.Size + count;",
            "return System.Environment.ProcessId + count;",
            "return System.Threading.Tasks.Task.FromResult(count).WaitAsync(System.TimeSpan.FromSeconds(1)).Result;",
            "var list = new System.Collections.Generic.List<int> { count };\nreturn System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list)[0];",
            "return System.Linq.Enumerable.Count(System.Linq.Enumerable.Append(new[] { count }, 2));",
            "#if NET462\nreturn text;\n#else\nreturn count;\n#endif",
            "#if FEATURE_FAST\nreturn count;\n#else\nreturn text;\n#endif",
            "#if NETSTANDARD2_0\nreturn text.Length;\n#else\nreturn text.Contains('x') ? 1 : count;\n#endif",
        ];
        foreach (var body in frameworkBodies)
        {
            Body("framework", body);
        }

        // The net462-only shared folder: only net462 judges it.
        foreach (var body in new[] { frameworkBodies[0], frameworkBodies[2], frameworkBodies[4], frameworkBodies[23], "return text;", "return Missing(count);", "string? maybe = count > 0 ? text : null;\nreturn maybe.Length;", "int unused;\nreturn count;" })
        {
            Body("framework", body, folder: "shared");
        }

        // Errors in bodies and flow analysis, on every framework.
        string[] bodyErrors =
        [
            "return text;",
            "return Missing(count);",
            "return count.NoSuchMember;",
            "int unused;\nreturn count;",
            "if (count > 0)\n{\n    return 1;\n}",
            "return count / 0;",
            "return (int)text;",
            "while (true)\n{\n}\n\nreturn count;",
            "await System.Threading.Tasks.Task.Delay(1);\nreturn count;",
            "return default(int?);",
            "const int Overflow = int.MaxValue + 1;\nreturn Overflow;",
            "var list = new System.Collections.Generic.List<int>();\nreturn list[0..1].Count;",
            "return count is > 0 and < 10 ? 1 : 0;",
            "object boxed = text;\nreturn boxed is string s ? s.Length : count;",
            "System.Diagnostics.Debug.Assert(count > 0, \"positive\");\nreturn count;",
            "return System.Threading.Interlocked.Increment(ref count);",
            "return text.Length switch\n{\n    0 => 0,\n    _ => count,\n};",
            "return Local(count);\n\nstatic int Local(int value) => value + 1;",
            "int x = 1;\nint x = 2;\nreturn x;",
            "return count++ + ++count;",
        ];
        foreach (var body in bodyErrors)
        {
            Body("body", body);
        }

        // Nullable warnings, errors here (TreatWarningsAsErrors).
        string[] nullableBodies =
        [
            "string s = null;\nreturn s.Length;",
            "string? maybe = count > 0 ? text : null;\nreturn maybe.Length;",
            "return Helper(null);\n\nstatic int Helper(string s) => s.Length;",
            "string s = default;\nreturn s.Length;",
            "text = null;\nreturn count;",
            "string? maybe = count > 0 ? text : null;\nreturn maybe!.Length;",
            "return Find(text).Length;\n\nstatic string? Find(string s) => s.Length > 1 ? s : null;",
            "var items = new string?[] { text, null };\nreturn items[1].Length;",
        ];
        foreach (var body in nullableBodies)
        {
            Body("nullable", body);
        }

        // Analyzer rules, from the StyleCop package and the SDK's CA rules, as errors.
        string[] analyzerBodies =
        [
            "//no space\nreturn count;",
            "return 1 == count ? 1 : 0;",
            "if (count > 0) return 1;\nreturn 0;",
            "return text == \"\" ? 0 : 1;",
            "return count  + 1;",
            "if (text == null)\n{\n    throw new System.ArgumentNullException(nameof(text));\n}\n\nreturn count;",
            "if (count < 0)\n{\n    throw new System.ArgumentOutOfRangeException(nameof(count));\n}\n\nreturn count;",
            "return text.Contains(\"x\") ? 1 : 0;",
            "return text.StartsWith(\"a\", System.StringComparison.Ordinal) ? 1 : 0;",
            "return new int[0].Length;",
            "return string.Concat(text.Substring(1), \"x\").Length;",
            "return string.Join(\",\", new[] { \"a\", \"b\" }).Length;",
        ];
        foreach (var body in analyzerBodies)
        {
            Body("analyzer", body);
        }

        void Member(string kind, OracleBatch batch, string description, string member) =>
            Add(kind, batch, description, id => new() { [BodyPath("Lib", id)] = BodyFile("Lib", id) }, (tx, id) => tx.InsertAfter(BodyPath("Lib", id), $"{id}.Run(string, int)", member));
        Member("analyzer", OracleBatch.LibBodies, "a member without an access modifier (SA1400)", "static int Other() => 1;");
        Member("analyzer", OracleBatch.LibBodies, "a field initialized to its default (CA1805)", "private static int zero = 0;\n\ninternal static int Zero() => zero;");
        Member("analyzer", OracleBatch.LibBodies, "a static readonly that could be const (CA1802)", "private static readonly int Limit = 10;\n\ninternal static int Max() => Limit;");

        // Unused private fields and events: the compiler reports them only over the whole assembly.
        void Field(string description, string member) =>
            Add("unused-field", OracleBatch.LibBodies, description, id => new() { [BodyPath("Lib", id)] = FieldFile(id) }, (tx, id) =>
                new Ops(tx, id).InsertAfter(BodyPath("Lib", id), $"{id}.Value()", member));
        Field("a private field never used (CS0169)", "private int unusedField;");
        Field("a private field never assigned (CS0649)", "private string? neverAssigned;\n\ninternal int Length() => this.neverAssigned?.Length ?? 0;");
        Field("a static private field never used", "private static int unusedStatic;");
        Field("a private field used (no warning)", "private int usedField;\n\ninternal int Use() => this.usedField++;");
        Field("an internal field never assigned, with InternalsVisibleTo (no warning)", "internal int internalField;");
        Field("a readonly private field never used", "private readonly int readonlyUnused;");
        Field("a private delegate field never assigned", "private System.Action? handler;\n\ninternal void Raise() => this.handler?.Invoke();");
        Field("a private event never used (CS0067)", "private event System.EventHandler? Changed;");
        Field("two private fields never used", "private int a, b;");
        Field("a private field only written (CS0414)", "private int pending;\n\ninternal void Set(int v) => this.pending = v;");
        Field("a private field read by a method inserted with it", "private int counted;\n\ninternal int Counted() => this.counted + 1;");
        Field("an unused field with an explanatory pragma", "#pragma warning disable CS0169\nprivate int silenced;\n#pragma warning restore CS0169");

        // Renames, deletes and signature changes of a member another file of Lib uses.
        void Used(string kind, string description, Action<Ops, string, string> stage) =>
            Add(kind, OracleBatch.LibBodies, description, id => new() { [BodyPath("Lib", id)] = UsedFile(id), [$"src/Lib/Edits/{id}Use.cs"] = UseFile(id) }, (tx, id) => stage(new Ops(tx, id), id, BodyPath("Lib", id)));
        Used("rename", "rename a method used in another file", (tx, id, p) => tx.Replace(p, $"{id}.Value(int)", "internal static int Renamed(int x) => x;"));
        Used("rename", "rename the class whose method another file uses", (tx, id, p) => tx.Replace(p, id, $"internal static class {id}Renamed\n{{\n    internal static int Value(int x) => x;\n}}"));
        Used("rename", "rename a method and its use in one transaction", (tx, id, p) => tx.Replace(p, $"{id}.Value(int)", "internal static int Renamed(int x) => x;").ReplaceBody($"src/Lib/Edits/{id}Use.cs", $"{id}Use.Call()", $"return {id}.Renamed(1);"));
        Used("delete", "delete a method used in another file", (tx, id, p) => tx.Delete(p, $"{id}.Value(int)"));
        Used("delete", "delete the file of a class another file uses", (tx, id, p) => tx.DeleteFile(p));
        Used("delete", "delete a method and its only use", (tx, id, p) => tx.Delete(p, $"{id}.Value(int)").ReplaceBody($"src/Lib/Edits/{id}Use.cs", $"{id}Use.Call()", "return 1;"));
        Used("signature", "add a parameter", (tx, id, p) => tx.Replace(p, $"{id}.Value(int)", "internal static int Value(int x, int y) => x + y;"));
        Used("signature", "add an optional parameter", (tx, id, p) => tx.Replace(p, $"{id}.Value(int)", "internal static int Value(int x, int y = 0) => x + y;"));
        Used("signature", "change the parameter's type", (tx, id, p) => tx.Replace(p, $"{id}.Value(int)", "internal static int Value(string x) => x.Length;"));
        Used("signature", "make the method private", (tx, id, p) => tx.Replace(p, $"{id}.Value(int)", "private static int Value(int x) => x;"));
        Used("signature", "change the return type to string", (tx, id, p) => tx.Replace(p, $"{id}.Value(int)", "internal static string Value(int x) => x.ToString(System.Globalization.CultureInfo.InvariantCulture);"));
        Used("signature", "change the return type to long", (tx, id, p) => tx.Replace(p, $"{id}.Value(int)", "internal static long Value(int x) => x;"));
        Used("signature", "make the method generic", (tx, id, p) => tx.Replace(p, $"{id}.Value(int)", "internal static T Value<T>(T x) => x;"));
        Used("signature", "make the parameter ref", (tx, id, p) => tx.Replace(p, $"{id}.Value(int)", "internal static int Value(ref int x) => x;"));
        Used("signature", "make the parameter params", (tx, id, p) => tx.Replace(p, $"{id}.Value(int)", "internal static int Value(params int[] x) => x.Length;"));
        Used("signature", "mark the method obsolete as an error", (tx, id, p) => tx.Replace(p, $"{id}.Value(int)", "[System.Obsolete(\"gone\", true)]\ninternal static int Value(int x) => x;"));
        Used("signature", "mark the method obsolete", (tx, id, p) => tx.Replace(p, $"{id}.Value(int)", "[System.Obsolete(\"going\")]\ninternal static int Value(int x) => x;"));
        Used("signature", "make the parameter nullable and return it", (tx, id, p) => tx.Replace(p, $"{id}.Value(int)", "internal static int? Value(int? x) => x;"));

        // Declaration errors in Lib, some only where a framework lacks a type.
        void Declaration(string kind, string description, string code, bool replace = false, bool atNamespace = false) =>
            Add(kind, OracleBatch.LibDeclarations, description, id => new() { [BodyPath("Lib", id)] = DeclarationFile(id) }, (transaction, id) =>
            {
                var tx = new Ops(transaction, id);
                var path = BodyPath("Lib", id);
                code = code.Replace("{id}", id, StringComparison.Ordinal);
                if (replace)
                {
                    tx.Replace(path, $"{id}.Run(int)", code);
                }
                else
                {
                    tx.InsertAfter(path, atNamespace ? id : $"{id}.Run(int)", code);
                }
            });
        Declaration("framework", "a DateOnly in a signature", "public static System.DateOnly When() => default;");
        Declaration("framework", "a Half in a signature", "public static System.Half Half() => default;");
        Declaration("framework", "a record (IsExternalInit)", "public sealed record {id}Record(int X);", atNamespace: true);
        Declaration("framework", "an init accessor", "public sealed class {id}Options\n{\n    public int X { get; init; }\n}", atNamespace: true);
        Declaration("framework", "a Span in a signature (System.Memory where the framework lacks it)", "public static System.Span<int> Buffer() => default;");
        Declaration("framework", "an IAsyncEnumerable in a signature", "public static System.Collections.Generic.IAsyncEnumerable<int>? Items() => null;");
        Declaration("framework", "a ValueTask in a signature", "public static System.Threading.Tasks.ValueTask<int> Later() => default;");
        Declaration("framework", "a tuple in a signature", "public static (int A, int B) Pair() => default;");
        Declaration("framework", "an Index in a signature", "public static System.Index Last() => default;");
        Declaration("signature", "a type that does not exist in a signature", "public static NoSuchType Make() => default!;");
        Declaration("signature", "a duplicate method", "public static int Run(int count) => 0;", replace: false);
        Declaration("signature", "a duplicate parameter name", "public static int Run(int count, int count) => 0;", replace: true);
        Declaration("signature", "a default value of the wrong type", "public static int Run(int count = \"x\") => count;", replace: true);
        Declaration("signature", "an instance member in a static class", "public int Instance() => 1;");
        Last(e => e with { Known = new("engine: the compiler stops after declaration errors (CS0708) and runs no analyzer, so the build reports no CA1822 (member could be static) until CS0708 is fixed; the engine runs the analyzers anyway. Same verdict, one id more", ["CA1822"], []) });
        Declaration("signature", "unmanaged with new() constraints", "public static T Make<T>()\n    where T : unmanaged, new() => default;");
        Declaration("signature", "a method with a new parameter, unused elsewhere (no error)", "public static int Run(int count, int step) => count + step;", replace: true);
        Declaration("signature", "a public member added (no error)", "public static int Twice(int count) => count * 2;");

        // The [LoggerMessage] source generator of the package, on every framework.
        void Logger(string description, string member, OracleBatch batch = OracleBatch.Generators) =>
            Add("generator", batch, description, id => new() { [BodyPath("Lib", id)] = LoggerFile(id) }, (tx, id) => tx.InsertAfter(BodyPath("Lib", id), $"{id}.Started(ILogger, string)", member));
        Logger("an argument not in the message (SYSLIB1015)", "[LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = \"Done\")]\ninternal static partial void Done(ILogger logger, int count);");
        Logger("a duplicate event id (SYSLIB1006)", "[LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = \"Again {Name}\")]\ninternal static partial void Again(ILogger logger, string name);");
        Logger("a logging method returning a value (SYSLIB1003)", "[LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = \"Bad\")]\ninternal static partial int Bad(ILogger logger);");
        Logger("a template naming a missing argument (SYSLIB1014, and CS0103 in the generated code)", "[LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = \"Hello {Missing}\")]\ninternal static partial void Hello(ILogger logger);", OracleBatch.LibBodies);

        // The generator writes one file for every [LoggerMessage] class: its errors there are this edit's in a batch where no other edit changes a logging method.
        Last(e => e with { AlsoOwns = ["LoggerMessage.g.cs"] });
        Logger("a logging method without a logger (SYSLIB1019)", "[LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = \"No {Name}\")]\ninternal static partial void NoLogger(string name);");
        Logger("a correct logging method and its use (no error)", "[LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = \"Count {Count}\")]\ninternal static partial void Counted(ILogger logger, int count);\n\ninternal static void Use(ILogger logger) => Counted(logger, 1);");
        Logger("a use of the generated method (no error)", "internal static void Use(ILogger logger) => Started(logger, \"x\");");
        Logger("a logging method with a generic parameter", "[LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = \"Generic {Value}\")]\ninternal static partial void Generic<T>(ILogger logger, T value);");

        // Edits of Lib that break callers in App (another project); Lib itself compiles.
        void Caller(string kind, string description, Action<Ops, string, string> stage) =>
            Add(kind, OracleBatch.Callers, description, id => new() { [BodyPath("Lib", id)] = PublicFile(id), [$"src/App/Callers/{id}Caller.cs"] = CallerFile(id) }, (tx, id) => stage(new Ops(tx, id), id, BodyPath("Lib", id)));
        Caller("rename", "rename a public method App calls", (tx, id, p) => tx.Replace(p, $"{id}.Value(int)", "public static int Renamed(int x) => x;"));
        Caller("rename", "rename the public class App uses", (tx, id, p) => tx.Replace(p, id, $"public static class {id}Renamed\n{{\n    public static int Value(int x) => x;\n\n    public static string Name() => \"name\";\n\n    internal static int Secret(int x) => x;\n}}"));
        Caller("rename", "rename the internal method App calls through InternalsVisibleTo", (tx, id, p) => tx.Replace(p, $"{id}.Secret(int)", "internal static int Hidden(int x) => x;"));
        Caller("rename", "rename a method and its caller in App in one transaction", (tx, id, p) => tx.Replace(p, $"{id}.Value(int)", "public static int Renamed(int x) => x;").ReplaceBody($"src/App/Callers/{id}Caller.cs", $"{id}Caller.Call()", $"return Lib.Edits.{id}.Renamed(1) + Lib.Edits.{id}.Secret(2) + Lib.Edits.{id}.Name().Length;"));
        Caller("delete", "delete a public method App calls", (tx, id, p) => tx.Delete(p, $"{id}.Value(int)"));
        Caller("delete", "delete the internal method App calls", (tx, id, p) => tx.Delete(p, $"{id}.Secret(int)"));
        Caller("signature", "add a parameter to a method App calls", (tx, id, p) => tx.Replace(p, $"{id}.Value(int)", "public static int Value(int x, int y) => x + y;"));
        Caller("signature", "add an optional parameter (no error)", (tx, id, p) => tx.Replace(p, $"{id}.Value(int)", "public static int Value(int x, int y = 1) => x + y;"));
        Caller("signature", "change a parameter's type", (tx, id, p) => tx.Replace(p, $"{id}.Value(int)", "public static int Value(string x) => x.Length;"));
        Caller("signature", "change a return type", (tx, id, p) => tx.Replace(p, $"{id}.Value(int)", "public static string Value(int x) => \"x\";"));
        Caller("signature", "make a public method internal (InternalsVisibleTo: no error)", (tx, id, p) => tx.Replace(p, $"{id}.Value(int)", "internal static int Value(int x) => x;"));
        Caller("signature", "make the internal method private", (tx, id, p) => tx.Replace(p, $"{id}.Secret(int)", "private static int Secret(int x) => x;"));
        Last(e => e with { Known = new("engine bug: App is judged against Lib's compilation (source), where a private member is visible and inaccessible (CS0122); the build compiles App against Lib's assembly, whose private members are not imported (CS0117). Same verdict, another id", ["CS0122"], ["CS0117"]) });
        Caller("signature", "make a method generic with a constraint App's argument breaks", (tx, id, p) => tx.Replace(p, $"{id}.Value(int)", "public static int Value<T>(T x)\n    where T : class => 1;"));
        Caller("signature", "mark a method obsolete as an error", (tx, id, p) => tx.Replace(p, $"{id}.Value(int)", "[System.Obsolete(\"gone\", true)]\npublic static int Value(int x) => x;"));
        Caller("signature", "mark a method obsolete (a warning, an error here)", (tx, id, p) => tx.Replace(p, $"{id}.Value(int)", "[System.Obsolete(\"going\")]\npublic static int Value(int x) => x;"));
        Caller("nullable", "a return made nullable that App dereferences", (tx, id, p) => tx.Replace(p, $"{id}.Name()", "public static string? Name() => null;"));
        Caller("nullable", "a parameter made nullable (no error)", (tx, id, p) => tx.Replace(p, $"{id}.Value(int)", "public static int Value(int? x) => x ?? 0;"));
        Caller("body", "a body change in Lib App calls (no error)", (tx, id, p) => tx.ReplaceBody(p, $"{id}.Value(int)", "return x + 1;"));

        // App's own bodies (net8.0): its framework has the APIs netstandard2.0 and net462 lack.
        foreach (var body in new[] { frameworkBodies[0], frameworkBodies[1], frameworkBodies[2], frameworkBodies[29], "return text;", "string? maybe = count > 0 ? text : null;\nreturn maybe.Length;", "return Lib.Edits.E001.Run(text, count);", "return Lib.Edits.NoSuch.Run(text, count);", analyzerBodies[5], analyzerBodies[0] })
        {
            Body(body.StartsWith("string?", StringComparison.Ordinal) ? "nullable" : body.StartsWith("if", StringComparison.Ordinal) || body.StartsWith("//", StringComparison.Ordinal) ? "analyzer" : "framework", body, folder: "App");
        }

        // Edits of Lib that break App's declarations: an interface App implements, a class it derives from.
        void Contract(string kind, string description, Action<Ops, string, string> stage, OracleBatch batch = OracleBatch.CallerDeclarations) =>
            Add(kind, batch, description, id => new() { [BodyPath("Lib", id)] = ContractFile(id), [$"src/App/Callers/{id}Impl.cs"] = ImplFile(id) }, (tx, id) => stage(new Ops(tx, id), id, BodyPath("Lib", id)));
        Contract("signature", "add a member to an interface App implements", (tx, id, p) => tx.InsertAfter(p, $"I{id}.M()", "int N();"));
        Contract("rename", "rename an interface App implements", (tx, id, p) => tx.Replace(p, $"I{id}", $"public interface I{id}Renamed\n{{\n    int M();\n}}"));
        Contract("signature", "add an abstract member to a class App derives from", (tx, id, p) => tx.InsertAfter(p, $"{id}Base.M()", "public abstract int N();"));

        return edits;
    }

    /// <summary>
    /// The names an edit's declarations use, made its own: each edit of a declaration gets its own namespace and member names,
    /// as in a real library, so that the engine's check of the files a declaration change reaches (those that name the
    /// changed member, or are in the namespace a type is added to or removed from) looks at this edit's files, not at
    /// every edit's <c>Value</c>.
    /// </summary>
    internal static string Unique(string id, string code)
    {
        code = code.Replace("namespace Lib.Edits;", $"namespace Lib.N{id};", StringComparison.Ordinal)
            .Replace("Lib.Edits.", $"Lib.N{id}.", StringComparison.Ordinal)
            .Replace("App.Callers", $"App.N{id}", StringComparison.Ordinal);
        return MemberName().Replace(code, m => m.Value + id);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(Value|Secret|Name|M|N|Run)(?=\s*[(<])")]
    private static partial System.Text.RegularExpressions.Regex MemberName();

    private static string OneLine(string code) => code.Replace('\n', ' ');

    private static string BodyPath(string folder, string id) => folder switch
    {
        "shared" => $"src/shared/{id}.cs",
        "App" => $"src/App/Edits/{id}.cs",
        _ => $"src/Lib/Edits/{id}.cs",
    };

    private static string Namespace(string folder) => folder switch
    {
        "shared" => "Lib.Shared",
        "App" => "App.Edits",
        _ => "Lib.Edits",
    };

    private static string BodyFile(string folder, string id) => $$"""
        namespace {{Namespace(folder)}};

        internal static class {{id}}
        {
            internal static int Run(string text, int count)
            {
                return count;
            }
        }

        """;

    private static string FieldFile(string id) => Unique(id, $$"""
        namespace Lib.Edits;

        internal sealed class {{id}}
        {
            private readonly int value = 1;

            internal int Value() => this.value;
        }

        """);

    private static string UsedFile(string id) => Unique(id, $$"""
        namespace Lib.Edits;

        internal static class {{id}}
        {
            internal static int Value(int x) => x;
        }

        """);

    private static string UseFile(string id) => Unique(id, $$"""
        namespace Lib.Edits;

        internal static class {{id}}Use
        {
            internal static int Call()
            {
                return {{id}}.Value(1);
            }
        }

        """);

    private static string DeclarationFile(string id) => Unique(id, $$"""
        namespace Lib.Edits;

        public static class {{id}}
        {
            public static int Run(int count) => count;
        }

        """);

    private static string LoggerFile(string id) => $$"""
        using Microsoft.Extensions.Logging;

        namespace Lib.Edits;

        internal static partial class {{id}}
        {
            [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Started {Name}")]
            internal static partial void Started(ILogger logger, string name);
        }

        """;

    private static string PublicFile(string id) => Unique(id, $$"""
        namespace Lib.Edits;

        public static class {{id}}
        {
            public static int Value(int x) => x;

            public static string Name() => "name";

            internal static int Secret(int x) => x;
        }

        """);

    private static string CallerFile(string id) => Unique(id, $$"""
        namespace App.Callers;

        internal static class {{id}}Caller
        {
            internal static int Call()
            {
                return Lib.Edits.{{id}}.Value(1) + Lib.Edits.{{id}}.Secret(2) + Lib.Edits.{{id}}.Name().Length;
            }
        }

        """);

    private static string ContractFile(string id) => Unique(id, $$"""
        namespace Lib.Edits;

        public interface I{{id}}
        {
            int M();
        }

        public abstract class {{id}}Base
        {
            public abstract int M();
        }

        """);

    private static string ImplFile(string id) => Unique(id, $$"""
        namespace App.Callers;

        internal sealed class {{id}}Impl : Lib.Edits.I{{id}}
        {
            public int M() => 1;
        }

        internal sealed class {{id}}Derived : Lib.Edits.{{id}}Base
        {
            public override int M() => 2;
        }

        """);
}

/// <summary>A transaction's staging calls, with an edit's names made its own (<see cref="OracleEdits.Unique"/>).</summary>
internal sealed class Ops(ComposeTransaction tx, string id)
{
    public Ops Replace(string path, string target, string code) => Do(() => tx.Replace(path, OracleEdits.Unique(id, target), OracleEdits.Unique(id, code)));

    public Ops ReplaceBody(string path, string target, string body) => Do(() => tx.ReplaceBody(path, OracleEdits.Unique(id, target), OracleEdits.Unique(id, body)));

    public Ops InsertAfter(string path, string target, string code) => Do(() => tx.InsertAfter(path, OracleEdits.Unique(id, target), OracleEdits.Unique(id, code)));

    public Ops Delete(string path, string target) => Do(() => tx.Delete(path, OracleEdits.Unique(id, target)));

    public Ops CreateFile(string path, string content) => Do(() => tx.CreateFile(path, OracleEdits.Unique(id, content)));

    public Ops DeleteFile(string path) => Do(() => tx.DeleteFile(path));

    private Ops Do(Action stage)
    {
        stage();
        return this;
    }
}
