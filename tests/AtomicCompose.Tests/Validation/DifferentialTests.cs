using System.Text;
using AtomicCompose.Tests.TestSupport;
using AtomicCompose.Validation;
using Microsoft.CodeAnalysis;
using Xunit.Abstractions;

namespace AtomicCompose.Tests.Validation;

/// <summary>
/// The incremental verdict (warm compilation, only the trees an edit can affect) must equal the verdict of
/// compiling the whole project from scratch before and after the edit and comparing everything.
/// </summary>
public sealed class DifferentialTests(ITestOutputHelper output)
{
    private const int Types = 8;
    private const int Methods = 4;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Incremental_verdict_equals_a_full_compile_over_generated_edits(int seed) => Run(seed, frameworks: null);

    /// <summary>
    /// The same for a project built for two frameworks, with a third of the methods compiled for .NET 10 only: each
    /// framework's new findings must be a fresh compile's for that framework, and the verdict passes only when both pass.
    /// </summary>
    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void Incremental_verdict_equals_a_full_compile_of_each_framework_of_a_multi_targeting_project(int seed) => Run(seed, ["net10.0", "net8.0"]);

    private void Run(int seed, string[]? frameworks)
    {
        var random = new Random(seed);
        var csproj = frameworks is null
            ? SampleProjects.Csproj
            : SampleProjects.Csproj.Replace("<TargetFramework>net10.0</TargetFramework>", $"<TargetFrameworks>{string.Join(';', frameworks)}</TargetFrameworks>", StringComparison.Ordinal);
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["Gen.csproj"] = csproj };
        for (var t = 0; t < Types; t++)
        {
            files[$"src/T{t}.cs"] = GenerateType(t, random, multiTarget: frameworks is not null);
        }

        using var h = ValidationHarness.Create(files);
        var steps = 0;
        var blocked = 0;
        var kinds = new Dictionary<string, int>();
        while (steps < 50)
        {
            var edits = new Dictionary<string, string?>(StringComparer.Ordinal);
            var names = new List<string>();
            var count = random.Next(4) == 0 ? 2 : 1;
            for (var i = 0; i < count; i++)
            {
                var (kind, path, text) = RandomEdit(h, edits, random);
                if (path is null)
                {
                    continue;
                }

                edits[path] = text;
                names.Add(kind);
            }

            if (edits.Count == 0)
            {
                continue;
            }

            steps++;
            var docs = edits.Select(e => h.Rewrite(e.Key, e.Value)).ToArray();
            var report = h.Validate(docs);
            var label = $"step {steps} ({string.Join(" + ", names)} on {string.Join(", ", edits.Keys)})";
            var verdicts = (frameworks ?? [null!]).Select(f => (Framework: f, Verdict: FullVerdict(h, edits, f))).ToList();
            var expectedPassed = verdicts.All(v => v.Verdict.Passed);
            Assert.True(expectedPassed == report.Passed, $"{label}: full compile says passed={expectedPassed}, incremental says {report.Summary()}\nexpected new: {string.Join("; ", verdicts.SelectMany(v => v.Verdict.New))}");
            foreach (var (framework, (expectedNew, _, _)) in verdicts.Where(v => !v.Verdict.SyntaxBroken))
            {
                // A finding several frameworks report alike is listed once, naming each of them.
                var actualNew = report.Diagnostics
                    .Where(d => FullCompileFindings.Counts(d) && (framework is null || (d.TargetFramework ?? "").Split(';').Contains(framework)))
                    .Select(d => FullCompileFindings.KeyOf(d.Id, d.Path, d.Message))
                    .Order(StringComparer.Ordinal)
                    .ToList();
                Assert.True(expectedNew.SequenceEqual(actualNew), $"{label} {framework}:\nfull:        {string.Join("; ", expectedNew)}\nincremental: {string.Join("; ", actualNew)}");
            }

            foreach (var n in names)
            {
                kinds[n] = kinds.GetValueOrDefault(n) + 1;
            }

            blocked += report.Passed ? 0 : 1;
            if (random.Next(2) == 0)
            {
                h.Commit(docs);
            }
        }

        output.WriteLine($"{steps} steps, {blocked} blocked; {string.Join(", ", kinds.OrderBy(k => k.Key).Select(k => $"{k.Key}={k.Value}"))}");

        // A generator that only produced passing (or only failing) edits would prove nothing.
        Assert.InRange(blocked, 10, 40);
        Assert.True(kinds.Count >= 10, "too few kinds of edit");
    }

    /// <summary>Fresh compilations of every file before and after, for one framework; new = after minus before, as multisets.</summary>
    private static (List<string> New, bool Passed, bool SyntaxBroken) FullVerdict(ValidationHarness h, Dictionary<string, string?> edits, string? framework)
    {
        var context = h.Context("Gen.csproj", framework);
        var beforeFiles = context.SourcePaths.ToDictionary(p => p, h.Read, StringComparer.Ordinal);
        var afterFiles = new Dictionary<string, string>(beforeFiles, StringComparer.Ordinal);
        foreach (var (path, text) in edits)
        {
            if (text is null)
            {
                afterFiles.Remove(path);
            }
            else
            {
                afterFiles[path] = text;
            }
        }

        var (fresh, syntaxBroken) = FullCompileFindings.New(Diagnose(context, beforeFiles), Diagnose(context, afterFiles));
        return (fresh, fresh.Count == 0, syntaxBroken);
    }

    private static List<FullCompileFindings.Finding> Diagnose(ProjectContext context, Dictionary<string, string> files) =>
        FullCompileFindings.Of(FullCompileFindings.Compile(context, files));

    private static string GenerateType(int t, Random random, bool multiTarget)
    {
        var sb = new StringBuilder($"namespace Gen;\n\n/// <summary>Type {t}.</summary>\npublic class T{t}\n{{\n");
        for (var m = 0; m < Methods; m++)
        {
            // Compiled for .NET 10 only: its callers break in the .NET 8 build, and an edit of it counts in one build.
            var net10Only = multiTarget && random.Next(3) == 0;
            sb.Append(net10Only ? "#if NET10_0_OR_GREATER\n" : "").Append(MethodText(t, m, random)).Append(net10Only ? "#endif\n" : "");
        }

        // Pre-existing errors that no edit should be blamed for.
        if (t == 1)
        {
            sb.Append("    /// <summary>Broken.</summary>\n    /// <param name=\"x\">X.</param>\n    /// <returns>R.</returns>\n    public int Broken(int x) { return x + missing; }\n");
        }

        if (t == 2)
        {
            sb.Append("    public int Undocumented(int x) { return x; }\n");
        }

        return sb.Append("}\n").ToString();
    }

    private static string MethodText(int t, int m, Random random, string suffix = "")
    {
        var other = random.Next(Types);
        var otherMethod = random.Next(Methods);
        return $"    /// <summary>M{m}{suffix}.</summary>\n    /// <param name=\"x\">X.</param>\n    /// <returns>R.</returns>\n" +
               $"    public int M{m}{suffix}(int x) {{ return x + new T{other}().M{otherMethod}(x); }}\n";
    }

    private static (string Kind, string? Path, string? Text) RandomEdit(ValidationHarness h, Dictionary<string, string?> pending, Random random)
    {
        var candidates = Directory.EnumerateFiles(h.Workspace.PathOf("src"), "*.cs")
            .Select(f => "src/" + Path.GetFileName(f))
            .Where(p => !pending.ContainsKey(p))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (candidates.Count == 0)
        {
            return ("none", null, null);
        }

        var path = candidates[random.Next(candidates.Count)];
        var text = h.Read(path);
        var lines = text.Split('\n').ToList();
        var methodLines = lines.Select((l, i) => (l, i)).Where(x => x.l.Contains("    public int M", StringComparison.Ordinal) || x.l.Contains("    private int M", StringComparison.Ordinal)).Select(x => x.i).ToList();
        var kind = random.Next(18);
        if (methodLines.Count == 0 && kind is < 11 or 16 or 17)
        {
            kind = 11;
        }

        var line = methodLines.Count == 0 ? -1 : methodLines[random.Next(methodLines.Count)];
        string Join() => string.Join('\n', lines);
        switch (kind)
        {
            case 0:
                lines[line] = lines[line].Replace("{ return ", "{ return 1 + ", StringComparison.Ordinal);
                return ("body-ok", path, Join());
            case 1:
                lines[line] = lines[line].Replace("{ return ", "{ return \"s\" + ", StringComparison.Ordinal);
                return ("body-type-error", path, Join());
            case 2:
                lines[line] = lines[line].Replace("{ return ", $"{{ return new T{random.Next(Types)}().Nope(x) + ", StringComparison.Ordinal);
                return ("body-bad-call", path, Join());
            case 3:
                lines.RemoveRange(line - 3, 4);
                return ("delete-method", path, Join());
            case 4:
                lines[line] = lines[line].Replace("(int x) {", "Renamed(int x) {", StringComparison.Ordinal);
                return ("rename", path, Join());
            case 5:
                lines[line] = lines[line].Replace("public int", "public string", StringComparison.Ordinal).Replace("{ return ", "{ return \"\" + ", StringComparison.Ordinal);
                return ("return-type", path, Join());
            case 6:
                lines[line] = lines[line].Replace("(int x) {", "(int x, int y) {", StringComparison.Ordinal);
                return ("add-parameter", path, Join());
            case 7:
                lines[line] = lines[line].Replace("public int", "private int", StringComparison.Ordinal);
                return ("make-private", path, Join());
            case 8:
                lines.InsertRange(line + 1, lines.GetRange(line - 3, 4));
                return ("duplicate", path, Join());
            case 9:
                lines[line] = lines[line].Replace("; }", " }", StringComparison.Ordinal);
                return ("syntax-error", path, Join());
            case 10:
                lines[line] = lines[line].Replace("{ return ", "{ return x * 0 + ", StringComparison.Ordinal).Replace("(x); }", "(x) + M0(1); }", StringComparison.Ordinal);
                return ("body-self-call", path, Join());
            case 11:
            {
                var doc = random.Next(2) == 0;
                var insertAt = lines.FindLastIndex(l => l == "}");
                var method = (doc ? "    /// <summary>Added.</summary>\n    /// <param name=\"x\">X.</param>\n    /// <returns>R.</returns>\n" : "") +
                             $"    public int Added{random.Next(3)}(int x) {{ return x; }}";
                lines.Insert(insertAt, method);
                return (doc ? "add-method" : "add-undocumented", path, Join());
            }

            case 12:
                return ("delete-file", path, null);
            case 13:
            {
                var n = random.Next(100);
                var created = $"src/N{n}.cs";
                if (pending.ContainsKey(created) || File.Exists(h.Workspace.PathOf(created)))
                {
                    return ("none", null, null);
                }

                var body = random.Next(3) == 0 ? "new T0().M0(x) + nothing" : $"new T{random.Next(Types)}().M{random.Next(Methods)}(x)";
                return ("create-file", created, $"namespace Gen;\n\n/// <summary>N.</summary>\npublic class N{n}\n{{\n    /// <summary>U.</summary>\n    /// <param name=\"x\">X.</param>\n    /// <returns>R.</returns>\n    public int U(int x) {{ return {body}; }}\n}}\n");
            }

            case 14:
                var fixedText = text.Replace("x + missing", "x", StringComparison.Ordinal).Replace("    public int Undocumented", "    /// <summary>Now documented.</summary>\n    /// <param name=\"x\">X.</param>\n    /// <returns>R.</returns>\n    public int Undocumented", StringComparison.Ordinal);
                return (fixedText == text ? "noop-fix" : "fix-preexisting", path, fixedText);
            case 15:
            {
                // A constructor with parameters takes the implicit default one away: callers break without naming it.
                var type = Path.GetFileNameWithoutExtension(path);
                lines.Insert(lines.FindIndex(l => l == "{") + 1, $"    /// <summary>Ctor.</summary>\n    /// <param name=\"z\">Z.</param>\n    public {type}(int z) {{ }}\n");
                return ("add-ctor", path, Join());
            }

            case 16:
                lines[line] = lines[line].Replace("public int", "public static int", StringComparison.Ordinal);
                return ("make-static", path, Join());
            default:
                lines[line] = lines[line].Replace("(x); }", "(x) + x; }", StringComparison.Ordinal);
                return ("body-ok-2", path, Join());
        }
    }
}
