using System.Text;

namespace AtomicCompose.Tests.Composition;

/// <summary>
/// Generates realistic C# files from a seed, deterministically: block and file-scoped namespaces, nested and
/// generic types, records (positional too), classes, structs, interfaces, enums, delegates, overloads with
/// ref/out/in/params/arrays/nullable/tuples/generics, constructors, static constructors, finalizers, properties,
/// indexers, operators, conversions, events, multi-declarator fields, local functions, partial types, members in
/// <c>#if</c>/<c>#region</c>; old and modern styles; LF or CRLF; tabs, 4 or 2 spaces; with or without a final newline.
/// </summary>
internal sealed class CorpusGenerator
{
    private static readonly string[] Words = ["Order", "Invoice", "Customer", "Ledger", "Parcel", "Route", "Sensor", "Report", "Account", "Widget", "Channel", "Batch", "Tariff", "Cargo", "Journal", "Meter"];

    private readonly Random _rng;
    private readonly List<(int Level, string Text)> _lines = [];
    private readonly HashSet<string> _typeNames = [];
    private int _level;

    private CorpusGenerator(int seed, bool realWorld = false)
    {
        Seed = seed;
        _rng = new Random(seed);
        NewLine = _rng.Next(3) == 0 ? "\r\n" : "\n";
        Indent = _rng.Next(4) switch { 0 => "\t", 1 => "  ", _ => "    " };
        FinalNewline = _rng.Next(4) != 0;
        Modern = _rng.Next(2) == 0;
        FileScoped = Modern && _rng.Next(3) != 0;
        RealWorld = realWorld;
        if (realWorld)
        {
            Indent = _rng.Next(3) switch { 0 => "\t", 1 => "  ", _ => "    " };
            Bom = _rng.Next(3) == 0;
            KAndR = _rng.Next(3) == 0;
        }
    }

    /// <summary>The real-world profile (<see cref="GenerateRealWorld"/>): the shapes code written by people has.</summary>
    public bool RealWorld { get; }

    /// <summary>Whether the file is meant to be written with a UTF-8 BOM (real-world profile only; the text never holds one).</summary>
    public bool Bom { get; }

    /// <summary>K&amp;R braces (on the header line) for the whole file, else Allman (real-world profile only).</summary>
    public bool KAndR { get; }

    public int Seed { get; }

    public string NewLine { get; }

    public string Indent { get; }

    public bool FinalNewline { get; }

    public bool Modern { get; }

    public bool FileScoped { get; }

    public static string Generate(int seed) => new CorpusGenerator(seed).Build();

    /// <summary>
    /// A file in the real-world profile: 2/4-space or tab indentation, K&amp;R or Allman braces, CRLF or LF, meant with or
    /// without a BOM; <c>#if</c>/<c>#region</c>/<c>#pragma</c> at column 0 and indented, inside members and between them;
    /// doc comments with and without a blank line before the member; attributes on their own lines and inline;
    /// expression-bodied members with trailing comments; a generic and a non-generic type of one name; explicit
    /// interface implementations; nested and partial types; verbatim and raw string literals spanning lines; two
    /// signatures under <c>#if</c> sharing one body.
    /// </summary>
    public static (string Text, bool Bom) GenerateRealWorld(int seed)
    {
        var g = new CorpusGenerator(seed, realWorld: true);
        return (g.Build(), g.Bom);
    }

    /// <summary>A one-line description of a real-world file's style, for failure messages.</summary>
    public static string DescribeRealWorld(int seed) => new CorpusGenerator(seed, realWorld: true).Describe();

    /// <summary>A one-line description of the file's style, for failure messages.</summary>
    public static string Describe(int seed) => new CorpusGenerator(seed).Describe();

    private string Describe()
        => $"{(RealWorld ? "real-world " : "")}seed {Seed}: {(NewLine == "\r\n" ? "CRLF" : "LF")}, indent '{Indent.Replace("\t", "\\t", StringComparison.Ordinal)}', final newline {FinalNewline}, {(Modern ? "modern" : "old")}, {(FileScoped ? "file-scoped" : "block")} namespace"
            + (RealWorld ? $", {(KAndR ? "K&R" : "Allman")}, {(Bom ? "BOM" : "no BOM")}" : "");

    private bool Chance(int percent) => _rng.Next(100) < percent;

    private T Pick<T>(IReadOnlyList<T> items) => items[_rng.Next(items.Count)];

    private string TypeName()
    {
        while (true)
        {
            string name = Pick(Words) + Pick(new[] { "", "Service", "Store", "Info", "Handler", "Options", "Builder" });
            if (_typeNames.Add(name))
            {
                return name;
            }
        }
    }

    /// <summary>Adds lines written with 4-space relative indentation at the current level.</summary>
    private void Add(string block)
    {
        foreach (var raw in block.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            if (raw.Trim().Length == 0)
            {
                _lines.Add((0, ""));
                continue;
            }

            int spaces = raw.Length - raw.TrimStart(' ').Length;
            _lines.Add((_level + (spaces / 4), raw.TrimStart(' ')));
        }
    }

    private void Blank() => _lines.Add((0, ""));

    /// <summary>A preprocessor directive: at column 0 or at the code's indentation, as files do both.</summary>
    private void Directive(string text, bool column0) => _lines.Add((column0 ? -1 : _level, text));

    private void Open(string header)
    {
        Add(header);
        if (RealWorld ? !KAndR : !Modern || Chance(85))
        {
            Add("{");
        }
        else
        {
            // K&R brace on the header line.
            var last = _lines[^1];
            _lines[^1] = (last.Level, last.Text + " {");
        }

        _level++;
    }

    private void Close(string suffix = "")
    {
        _level--;
        Add("}" + suffix);
    }

    private void Doc(string summary)
    {
        if (Chance(55))
        {
            Add($"/// <summary>{summary}</summary>");
            if (Chance(25))
            {
                Add("/// <remarks>Generated for the round-trip corpus.</remarks>");
            }
        }
    }

    private string Build()
    {
        if (Chance(40))
        {
            Add("// Copyright (c) Example Corp. All rights reserved.");
            Add("// Licensed under the MIT license.");
            if (Chance(50))
            {
                Blank();
            }
        }

        Add("using System;");
        Add("using System.Collections.Generic;");
        if (Chance(60))
        {
            Add("using System.Linq;");
        }

        if (Modern && Chance(50))
        {
            Add("using System.Threading.Tasks;");
        }

        Blank();
        if (Modern && Chance(40))
        {
            Add("#nullable enable");
            Blank();
        }

        string ns = "Gen" + Seed + "." + Pick(Words) + (Chance(50) ? ".Core" : "");
        if (FileScoped)
        {
            Add($"namespace {ns};");
            Blank();
            TypesBody();
        }
        else
        {
            Open($"namespace {ns}");
            TypesBody();
            if (Chance(30))
            {
                Blank();
                Open("namespace Inner" + Seed);
                Class(TypeName(), nestedDepth: 1);
                Close();
            }

            Close();
        }

        if (!FileScoped && Chance(25))
        {
            Blank();
            Open($"namespace {ns}.Extra");
            Enum(TypeName() + "Kind");
            Close();
        }

        var sb = new StringBuilder();
        for (int i = 0; i < _lines.Count; i++)
        {
            var (level, text) = _lines[i];
            if (text.Length > 0)
            {
                for (int j = 0; j < level; j++)
                {
                    sb.Append(Indent);
                }

                sb.Append(text);
            }

            if (i < _lines.Count - 1 || FinalNewline)
            {
                sb.Append(NewLine);
            }
        }

        return sb.ToString();
    }

    private void TypesBody()
    {
        if (RealWorld)
        {
            RealWorldTypes();
            return;
        }

        var makers = new List<Action>
        {
            () => Class(TypeName(), nestedDepth: 0),
            () => Class(TypeName(), nestedDepth: 0),
            () => Struct(TypeName()),
            () => Interface("I" + TypeName()),
            () => Enum(TypeName() + "Kind"),
            () => Delegate(),
            () => Records(),
            () => Partial(TypeName()),
        };
        int count = 3 + _rng.Next(4);
        var chosen = Enumerable.Range(0, count).Select(_ => Pick(makers)).ToList();

        // Every file has a class with the full member set, so each file exercises the common kinds.
        chosen.Insert(_rng.Next(chosen.Count + 1), () => Class(TypeName(), nestedDepth: 0));
        for (int i = 0; i < chosen.Count; i++)
        {
            if (i > 0)
            {
                Blank();
            }

            chosen[i]();
        }
    }

    private void Delegate()
    {
        Doc("A callback.");
        if (Chance(50))
        {
            Add($"public delegate void {TypeName()}Handler(object sender, int delta);");
        }
        else
        {
            Add($"public delegate TResult {TypeName()}Selector<in TSource, out TResult>(TSource source);");
        }
    }

    private void Records()
    {
        string name = TypeName();
        Doc("A value.");
        switch (_rng.Next(4))
        {
            case 0:
                Add($"public record {name}(int Id, string Name);");
                break;
            case 1:
                Add($"public readonly record struct {name}(double X, double Y);");
                break;
            case 2:
                Open($"public sealed record {name}(string Code, decimal Amount)");
                Add("public static " + name + " Empty { get; } = new(\"\", 0m);");
                Blank();
                Add("public string Display => $\"{Code}: {Amount}\";");
                Blank();
                Add("public " + name + " WithAmount(decimal amount) => this with { Amount = amount };");
                Close();
                break;
            default:
                Open($"public record {name}");
                Add("public string? Title { get; init; }");
                Add("public int Version { get; init; } = 1;");
                Blank();
                Add("public bool IsDraft() => Version < 1;");
                Close();
                break;
        }
    }

    private void Enum(string name)
    {
        Doc("Kinds.");
        if (Chance(30))
        {
            Add("[Flags]");
        }

        Open($"public enum {name}" + (Chance(20) ? " : byte" : ""));
        int n = 3 + _rng.Next(4);
        string[] names = ["None", "Pending", "Active", "Closed", "Archived", "Failed", "Retried"];
        for (int i = 0; i < n; i++)
        {
            if (i == 1 && Chance(30))
            {
                Add($"/// <summary>{names[i]}.</summary>");
            }

            string value = Chance(30) ? $" = {1 << i}" : "";
            bool last = i == n - 1;
            Add(names[i] + value + (last ? (Chance(40) ? "," : "") : ","));
        }

        Close();
    }

    private void Interface(string name)
    {
        Doc("A contract.");
        string generic = Chance(40) ? "<T>" : "";
        Open($"public interface {name}{generic}");
        Add("int Count { get; }");
        Blank();
        Add("event EventHandler Changed;");
        Blank();
        Doc("Loads one item.");
        Add(generic.Length > 0 ? "T Load(int id);" : "object Load(int id);");
        Blank();
        Add("void Save(string key, int[] values);");
        if (Modern)
        {
            Blank();
            Add("bool IsEmpty() => Count == 0;");
        }

        Close();
    }

    private void Struct(string name)
    {
        Doc("A small value.");
        bool ro = Modern && Chance(50);
        Open($"public {(ro ? "readonly " : "")}struct {name}" + (Chance(40) ? $" : IEquatable<{name}>" : ""));
        string f = ro ? "public readonly int" : "public int";
        Add($"{f} Left, Right;");
        Add($"{(ro ? "public readonly double" : "public double")} Weight;");
        Blank();
        Open($"public {name}(int left, int right)");
        Add("Left = left;");
        Add("Right = right;");
        Add("Weight = 1;");
        Close();
        Blank();
        Add("public int Sum => Left + Right;");
        Blank();
        Add($"public static {name} operator +({name} a, {name} b) => new {name}(a.Left + b.Left, a.Right + b.Right);");
        Blank();
        Add($"public static bool operator ==({name} a, {name} b) => a.Equals(b);");
        Blank();
        Add($"public static bool operator !=({name} a, {name} b) => !a.Equals(b);");
        Blank();
        Add($"public static explicit operator int({name} value) => value.Sum;");
        Blank();
        Add($"public bool Equals({name} other) => Left == other.Left && Right == other.Right;");
        Blank();
        Add("public override bool Equals(object" + (Modern ? "?" : "") + " obj) => obj is " + name + " other && Equals(other);");
        Blank();
        Add("public override int GetHashCode() => HashCode.Combine(Left, Right);");
        Close();
    }

    private void Partial(string name)
    {
        Doc("First part.");
        Open($"public partial class {name}");
        Add("private int _first;");
        Blank();
        Add("partial void OnCreated();");
        Blank();
        Open("public int First()");
        Add("return _first;");
        Close();
        Close();
        Blank();
        Open($"public partial class {name}");
        Add("private int _second;");
        Blank();
        Open("partial void OnCreated()");
        Add("_second = 2;");
        Close();
        Blank();
        Add("public int Second() => _second;");
        Close();
    }

    private void Class(string name, int nestedDepth)
    {
        bool generic = Chance(35);
        string header = $"public {(Chance(20) ? "sealed " : "")}class {name}" + (generic ? "<TItem>" : "") + (Chance(40) ? " : IDisposable" : "");
        Doc("A service.");
        if (Chance(30))
        {
            Add("[Serializable]");
        }

        Add(header);
        if (generic)
        {
            _level++;
            Add("where TItem : class");
            _level--;
        }

        Add("{");
        _level++;
        string self = name + (generic ? "<TItem>" : "");
        var groups = new List<Action>();

        // Fields: a tight run, one of them with several declarators.
        groups.Add(() =>
        {
            bool region = Chance(35);
            if (region)
            {
                Directive("#region Fields", column0: false);
                Blank();
            }

            Add(Modern ? "private static readonly object Sync = new();" : "private static readonly object Sync = new object();");
            Add(Modern ? "private readonly Dictionary<string, int> _stock = new();" : "private readonly Dictionary<string, int> _stock = new Dictionary<string, int>();");
            Add("private int _low, _high" + (Chance(50) ? " = 10" : "") + ";");
            Add("private string" + (Modern ? "?" : "") + " _label;");
            if (Chance(50))
            {
                Add("public const int MaxItems = 100;");
            }

            if (region)
            {
                Blank();
                Directive("#endregion", column0: false);
            }
        });

        // Events.
        groups.Add(() =>
        {
            Doc("Raised when stock changes.");
            Add("public event EventHandler" + (Modern ? "?" : "") + " Changed;");
            Blank();
            Open("public event EventHandler Renamed");
            Add("add { Changed += value; }");
            Add("remove { Changed -= value; }");
            Close();
        });

        // Constructors, static constructor, finalizer.
        groups.Add(() =>
        {
            Open($"static {name}()");
            Add("Console.WriteLine(\"loaded\");");
            Close();
            Blank();
            Doc("Creates an empty instance.");
            Add($"public {name}()");
            _level++;
            Add(": this(10)");
            _level--;
            Add("{");
            Add("}");
            Blank();
            Doc("Creates an instance with a capacity.");
            if (Modern)
            {
                Add($"public {name}(int capacity) => _high = capacity;");
            }
            else
            {
                Open($"public {name}(int capacity)");
                Add("_high = capacity;");
                Close();
            }

            Blank();
            Open($"~{name}()");
            Add("_stock.Clear();");
            Close();
        });

        // Properties: a tight run of one-liners, then a multi-line one.
        groups.Add(() =>
        {
            if (Modern)
            {
                Add("public int Capacity { get; private set; }");
                Add("public string Name { get; init; } = \"\";");
                Add("public bool IsEmpty => _stock.Count == 0;");
            }
            else
            {
                Add("public int Capacity { get; private set; }");
                Add("public string Name { get; set; }");
            }

            Blank();
            Doc("The label.");
            Open("public string Label");
            if (Modern)
            {
                Add("get => _label ?? \"\";");
                Add("set => _label = value;");
            }
            else
            {
                Add("get { return _label; }");
                Add("set { _label = value; }");
            }

            Close();
        });

        // Indexers.
        groups.Add(() =>
        {
            Doc("Stock of an item.");
            Open("public int this[string key]");
            Add("get { return _stock.TryGetValue(key, out var n) ? n : 0; }");
            Add("set { _stock[key] = value; }");
            Close();
            Blank();
            Add("public int this[int index, int? fallback] => fallback ?? index;");
        });

        // Overloads.
        groups.Add(() =>
        {
            Doc("Processes a value.");
            if (Chance(30))
            {
                Add("[Obsolete(\"Use Process(long)\")]");
            }

            Open("public void Process(int value)");
            Add("Process(value, 1);");
            Close();
            Blank();
            Add("public void Process(int value, int count) => _high += value * count;");
            Blank();
            Open("public bool Process(ref int value, out string text, params object[] rest)");
            Add("text = value.ToString();");
            Add("value++;");
            Add("return rest.Length > 0;");
            Close();
            Blank();
            Open("public long Process(in long value, int[] values, int[,] grid)");
            Add("return value + values.Length + grid.Length;");
            Close();
            Blank();
            Open("public string Process((int a, string b) pair, Dictionary<string, List<int>> map, string? note)");
            Add("return pair.b + map.Count + note;");
            Close();
            Blank();
            Add("public T Process<T>(T item)");
            Add("    where T : class");
            Add("{");
            _level++;
            Add("return item;");
            Close();
        });

        // A method with local functions.
        groups.Add(() =>
        {
            Doc("Sums the stock.");
            Open("public int Total(int bonus)");
            Add("int sum = 0;");
            Add("foreach (var pair in _stock)");
            Add("{");
            Add("    sum += Weigh(pair.Value);");
            Add("}");
            Blank();
            Add("return sum + bonus;");
            Blank();
            if (Modern)
            {
                Add("static int Weigh(int value) => value * 2;");
            }
            else
            {
                Open("int Weigh(int value)");
                Add("return Scale(value) * 2;");
                Blank();
                Add("int Scale(int x) => x + 1;");
                Close();
            }

            Close();
        });

        // Operators and conversions.
        groups.Add(() =>
        {
            Open($"public static {self} operator +({self} a, {self} b)");
            Add("a._high += b._high;");
            Add("return a;");
            Close();
            Blank();
            Add($"public static implicit operator int({self} value) => value._high;");
            Blank();
            Add($"public static explicit operator string({self} value) => value.Name;");
        });

        // Conditional members.
        groups.Add(() =>
        {
            bool column0 = Chance(50);
            Directive("#if DEBUG", column0);
            Add("public void DebugDump() { Console.WriteLine(_high); }");
            Directive("#else", column0);
            Open("public void ReleaseDump()");
            Add("Console.WriteLine(_low);");
            Close();
            Directive("#endif", column0);
        });

        // Async / modern method or old-style method with a comment.
        groups.Add(() =>
        {
            if (Modern)
            {
                Open("public async Task<int> LoadAsync(string? key = null)");
                Add("await Task.Yield();");
                Add("return key?.Length ?? 0;");
                Close();
            }
            else
            {
                Add("// Old-style helper.");
                Open("public virtual string Describe()");
                Add("return string.Format(\"{0}/{1}\", _low, _high);");
                Close();
            }

            Blank();
            Add("public override string ToString() => Name + \":\" + Capacity;");
        });

        if (header.Contains("IDisposable", StringComparison.Ordinal))
        {
            groups.Add(() =>
            {
                Open("public void Dispose()");
                Add("_stock.Clear();");
                Close();
                Blank();
                Add("void IDisposable.Dispose() => Dispose();");
            });
        }

        if (nestedDepth < 2)
        {
            groups.Add(() =>
            {
                Directive("#region Nested", column0: false);
                Blank();
                Doc("A nested helper.");
                Open("private sealed class Cursor" + (Chance(40) ? "<TKey>" : ""));
                Add("public int Position { get; set; }");
                Blank();
                Add("public void Move(int delta) => Position += delta;");
                if (nestedDepth == 0 && Chance(40))
                {
                    Blank();
                    Open("public enum Direction");
                    Add("Forward,");
                    Add("Back");
                    Close();
                }

                Close();
                Blank();
                Directive("#endregion", column0: false);
            });
        }

        // Keep the conventional order mostly, but drop a few groups and sometimes shuffle the middle.
        var kept = groups.Where(_ => Chance(85)).ToList();
        if (Chance(30) && kept.Count > 3)
        {
            int i = 1 + _rng.Next(kept.Count - 2);
            (kept[i], kept[i + 1]) = (kept[i + 1], kept[i]);
        }

        for (int i = 0; i < kept.Count; i++)
        {
            if (i > 0)
            {
                Blank();
            }

            kept[i]();
        }

        Close();
    }

    // ---- The real-world profile ----------------------------------------------------------------

    /// <summary>A line written as is, at column 0 (directives, the inside of multi-line strings).</summary>
    private void Column0(string text) => _lines.Add((-1, text));

    /// <summary>A line at <paramref name="level"/> whose own leading spaces are kept (inside a raw string).</summary>
    private void At(int level, string text) => _lines.Add((level, text));

    private void RealWorldTypes()
    {
        var makers = new List<Action>
        {
            () => RealWorldClass(TypeName()),
            () => SameNameTypes(),
            () => Class(TypeName(), nestedDepth: 0),
            () => Partial(TypeName()),
            () => Struct(TypeName()),
            () => Interface("I" + TypeName()),
        };
        var chosen = new List<Action> { () => RealWorldClass(TypeName()), () => SameNameTypes(), () => RealWorldClass(TypeName()) };
        int extra = 1 + _rng.Next(3);
        for (int i = 0; i < extra; i++)
        {
            chosen.Insert(_rng.Next(chosen.Count + 1), Pick(makers));
        }

        for (int i = 0; i < chosen.Count; i++)
        {
            if (i > 0)
            {
                Blank();
            }

            if (Chance(20))
            {
                // A directive between types: at column 0 or indented.
                Directive("#region " + Pick(Words), column0: Chance(50));
                Blank();
                chosen[i]();
                Blank();
                Directive("#endregion", column0: Chance(50));
            }
            else
            {
                chosen[i]();
            }
        }
    }

    /// <summary>A non-generic and a generic type of one name with the same members (Polly's Policy and Policy&lt;TResult&gt;).</summary>
    private void SameNameTypes()
    {
        string name = TypeName();
        foreach (string generic in (string[])["", "<TResult>"])
        {
            if (generic.Length > 0)
            {
                Blank();
            }

            Doc(generic.Length == 0 ? "The non-generic one." : "The generic one.");
            Open($"public {(generic.Length == 0 ? "abstract " : "")}class {name}{generic}");
            Add($"private string{(Modern ? "?" : "")} _key;");
            Blank();
            Doc("Sets the key.");
            Add($"public {name}{generic} WithPolicyKey(string key) {{ _key = key; return this; }}");
            Blank();
            Add($"public string Key => _key ?? \"\"; // never null");
            Blank();
            Open($"public {(generic.Length == 0 ? "void" : "TResult")} Execute({(generic.Length == 0 ? "Action" : "Func<TResult>")} action)");
            Add(generic.Length == 0 ? "action();" : "return action();");
            Close();
            Close();
        }
    }

    private void RealWorldClass(string name)
    {
        Doc("A class in the style people write.");
        if (Chance(40))
        {
            Add("[Serializable]");
        }

        Open($"public sealed partial class {name} : IDisposable, IComparable");
        var groups = new List<Action>();

        // Fields, with verbatim and raw string literals spanning lines.
        groups.Add(() =>
        {
            Add("private bool _open;");
            Add("private int _count;");
            Blank();
            Add("private const string Query = @\"SELECT Id");
            Column0("  FROM Items");
            Column0(" WHERE Id = @id\";");
            if (Modern)
            {
                Blank();
                Add("private static readonly string Template = \"\"\"");
                At(_level + 1, "{");
                At(_level + 1, "  \"name\": \"value\"");
                At(_level + 1, "}");
                At(_level + 1, "\"\"\";");
            }
        });

        // Directives at column 0 and indented inside a member; a multi-line interpolated verbatim string.
        groups.Add(() =>
        {
            Doc("Runs.");
            Open("public void Run(int count)");
            Column0("#pragma warning disable 618");
            Add("Legacy(count);");
            Column0("#pragma warning restore 618");
            Column0("#if DEBUG");
            Add("Console.WriteLine(count);");
            Column0("#else");
            Add("Console.Write(count);");
            Column0("#endif");
            Directive("#region Loop", column0: false);
            Open("for (int i = 0; i < count; i++)");
            Add("_count += i;");
            Close();
            Directive("#endregion", column0: false);
            Add("string report = $@\"Count: {_count}");
            Column0("Open: {_open}\";");
            Add("Console.WriteLine(report);");
            Close();
        });

        // An indented #if inside a member, at the body's level.
        groups.Add(() =>
        {
            Open("private int Measure()");
            Directive("#if DEBUG", column0: false);
            Add("return _count * 2;");
            Directive("#else", column0: false);
            Add("return _count;");
            Directive("#endif", column0: false);
            Close();
        });

        // Inline and own-line attributes; a column-0 pragma pair between members.
        groups.Add(() =>
        {
            Add("[Obsolete(\"Use Run\")] private void Legacy(int n) { _count += n; }");
            Blank();
            Column0("#pragma warning disable 618");
            Add("[Obsolete(\"Use Run\")]");
            Add("[System.Diagnostics.DebuggerStepThrough]");
            Open("public void LegacyTwice(int n)");
            Add("Legacy(n);");
            Add("Legacy(n);");
            Close();
            Column0("#pragma warning restore 618");
        });

        // Doc comments parted from their member by a blank line.
        groups.Add(() =>
        {
            Add("/// <summary>Opens it.</summary>");
            Blank();
            Open("public void Open()");
            Add("_open = true;");
            Close();
            Blank();
            Add("/// <summary>Closes it.</summary>");
            Add("/// <remarks>Idempotent.</remarks>");
            Blank();
            Add("[System.Diagnostics.DebuggerStepThrough]");
            Add("public void Close() => _open = false;");
        });

        // Expression-bodied members with trailing comments.
        groups.Add(() =>
        {
            Add("public int Size() => default; // why: callers treat 0 as unknown");
            Blank();
            Add("public bool IsOpen => _open; // cached");
            Blank();
            Add("public override string ToString() => \"" + name + "\"; /* for the debugger */");
        });

        // Explicit interface implementations.
        groups.Add(() =>
        {
            Open("void IDisposable.Dispose()");
            Add("_open = false;");
            Close();
            Blank();
            Add("int IComparable.CompareTo(object" + (Modern ? "?" : "") + " obj) => obj is " + name + " other ? _count.CompareTo(other._count) : 1;");
        });

        // Two signatures under #if sharing one body.
        groups.Add(() =>
        {
            Doc("Counts characters.");
            Column0("#if NET");
            Add("public int Count(ReadOnlySpan<char> text)" + (KAndR ? " {" : ""));
            Column0("#else");
            Add("public int Count(string text)" + (KAndR ? " {" : ""));
            Column0("#endif");
            if (!KAndR)
            {
                Add("{");
            }

            _level++;
            Add("return text.Length;");
            Close();
        });

        // A member wrapped in a column-0 #if between members, and a #region around members.
        groups.Add(() =>
        {
            bool column0 = Chance(50);
            Directive("#region Helpers", column0);
            Blank();
            Column0("#if DEBUG");
            Add("public void Trace() { Console.WriteLine(_count); }");
            Column0("#endif");
            Blank();
            Add("public int Twice(int x) => x * 2;");
            Blank();
            Directive("#endregion", column0);
        });

        // Nested types.
        groups.Add(() =>
        {
            Doc("A node.");
            Open("private sealed class Node");
            Add("public int Value { get; set; }");
            Blank();
            Open("public struct Slot");
            Add("public int Index;");
            Blank();
            Add("public override string ToString() => \"#\" + Index; // shown in lists");
            Close();
            Blank();
            Open("public enum State");
            Add("Idle,");
            Add("Busy,");
            Close();
            Close();
        });

        // Properties with accessor blocks.
        groups.Add(() =>
        {
            Doc("The count.");
            Open("public int Total");
            Add("get { return _count; }");
            Add("set { _count = value; }");
            Close();
        });

        var kept = groups.Where(_ => Chance(90)).ToList();
        for (int i = 0; i < kept.Count; i++)
        {
            if (i > 0)
            {
                Blank();
            }

            kept[i]();
        }

        Close();

        // The other part of the partial class.
        Blank();
        Open($"public sealed partial class {name}");
        Add("private int _extra;");
        Blank();
        Add("public int Extra() => _extra; // second part");
        Close();
    }
}
