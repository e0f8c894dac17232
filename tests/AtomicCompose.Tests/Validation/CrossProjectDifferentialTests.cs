using System.Diagnostics;
using System.Text;
using AtomicCompose.Tests.TestSupport;
using AtomicCompose.Validation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit.Abstractions;

namespace AtomicCompose.Tests.Validation;

/// <summary>
/// Proof of truth for the incremental validator (issue 4): over 1,000 generated edits on two projects (an
/// app with a ProjectReference to a library, several files each, calls across files and projects), the
/// verdict of <see cref="ValidationService.Validate(IReadOnlyList{ValidationDocument}, CancellationToken)"/> — blocked or not, and which errors and documentation
/// findings are new, in which file, at which position — equals that of compiling both projects from scratch
/// before and after the edit and subtracting the before findings from the after ones.
/// </summary>
public sealed class CrossProjectDifferentialTests(ITestOutputHelper output)
{
    private const int CoreTypes = 5;
    private const int AppTypes = 3;
    private const int Methods = 4;

    private static readonly string AppCsproj = SampleProjects.CsprojWith(items: """<ProjectReference Include="../core/Core.csproj" />""");

    /// <summary>
    /// Four seeds of 260 edits: 1,040 edits, each checked against fresh full compiles. About 2 minutes in all on
    /// the shared 2-core box (15–60 s a seed), hence Slow; <see cref="DifferentialTests"/> is the quick one.
    /// </summary>
    [Theory]
    [Trait("Category", "Slow")]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(14)]
    public void Incremental_verdict_equals_a_fresh_full_compile_over_generated_cross_project_edits(int seed) => Run(seed, 260);

    private void Run(int seed, int steps)
    {
        var watch = Stopwatch.StartNew();
        var random = new Random(seed);
        var originals = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["core/Core.csproj"] = SampleProjects.Csproj, ["app/App.csproj"] = AppCsproj };
        for (var t = 0; t < CoreTypes; t++)
        {
            originals[$"core/C{t}.cs"] = CoreType(t, random);
        }

        for (var t = 0; t < AppTypes; t++)
        {
            originals[$"app/A{t}.cs"] = AppType(t, random);
        }

        using var h = ValidationHarness.Create(originals);
        var oracle = new FullCompile(h);
        var blocked = 0;
        var kinds = new Dictionary<string, int>();
        var validateTime = TimeSpan.Zero;
        for (var step = 1; step <= steps;)
        {
            var edits = new Dictionary<string, string?>(StringComparer.Ordinal);
            var names = new List<string>();
            var count = random.Next(4) == 0 ? 2 : 1;
            for (var i = 0; i < count; i++)
            {
                var (kind, path, text) = RandomEdit(h, originals, edits, random);
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

            var docs = edits.Select(e => h.Rewrite(e.Key, e.Value)).ToArray();
            var started = Stopwatch.GetTimestamp();
            var report = h.Validate(docs);
            validateTime += Stopwatch.GetElapsedTime(started);
            var expected = oracle.Verdict(edits);

            var label = $"seed {seed}, step {step} ({string.Join(" + ", names)} on {string.Join(", ", edits.Keys)})";
            Assert.True(expected.Passed == report.Passed, $"{label}: full compile says passed={expected.Passed}, incremental says {report.Summary()}\nexpected new: {string.Join("; ", expected.New)}");
            if (!expected.SyntaxBroken)
            {
                var actual = report.Diagnostics.Where(FullCompileFindings.Counts).ToList();
                var actualNew = actual.Select(d => FullCompileFindings.KeyOf(d.Id, d.Path, d.Message)).Order(StringComparer.Ordinal).ToList();
                Assert.True(expected.New.SequenceEqual(actualNew), $"{label}:\nfull:        {string.Join("; ", expected.New)}\nincremental: {string.Join("; ", actualNew)}");

                // Where: each new finding is one the full compile reports at that very position.
                foreach (var d in actual)
                {
                    Assert.True(expected.After.Contains($"{d.Id} {d.Path}({d.Line},{d.Column}): {d.Message}"), $"{label}: no such finding in the full compile: {d}");
                }
            }

            foreach (var n in names)
            {
                kinds[n] = kinds.GetValueOrDefault(n) + 1;
            }

            blocked += report.Passed ? 0 : 1;
            if (random.Next(2) == 0)
            {
                h.Commit(docs);
                oracle.Invalidate();
            }

            step++;
        }

        output.WriteLine($"seed {seed}: {steps} edits in {watch.Elapsed.TotalSeconds:0.0} s (incremental validation {validateTime.TotalSeconds:0.0} s, {validateTime.TotalMilliseconds / steps:0.0} ms/edit), {blocked} blocked");
        output.WriteLine(string.Join(", ", kinds.OrderBy(k => k.Key).Select(k => $"{k.Key}={k.Value}")));

        // A generator that only produced passing (or only failing) edits would prove nothing.
        Assert.InRange(blocked, steps / 5, steps * 4 / 5);
        Assert.True(kinds.Count >= 20, "too few kinds of edit");
    }

    /// <summary>Both projects compiled from scratch from the files on disk (before) and with the edits (after).</summary>
    private sealed class FullCompile(ValidationHarness h)
    {
        private (CSharpCompilation Core, List<FullCompileFindings.Finding> CoreFindings, List<FullCompileFindings.Finding> AppFindings)? _before;

        public void Invalidate() => _before = null;

        public (List<string> New, bool Passed, bool SyntaxBroken, HashSet<string> After) Verdict(Dictionary<string, string?> edits)
        {
            if (_before is null)
            {
                var core = Compile("core/Core.csproj", [], null);
                _before = (core, FullCompileFindings.Of(core), FullCompileFindings.Of(Compile("app/App.csproj", [], core.ToMetadataReference())));
            }

            var (beforeCore, beforeCoreFindings, beforeAppFindings) = _before.Value;

            // From scratch, but a project the edit cannot reach keeps its before-findings: the same compile again would give the same.
            var coreEdited = edits.Keys.Any(p => p.StartsWith("core/", StringComparison.Ordinal));
            var appEdited = edits.Keys.Any(p => p.StartsWith("app/", StringComparison.Ordinal));
            var afterCore = coreEdited ? Compile("core/Core.csproj", edits, null) : beforeCore;
            var afterCoreFindings = coreEdited ? FullCompileFindings.Of(afterCore) : beforeCoreFindings;
            var afterAppFindings = coreEdited || appEdited ? FullCompileFindings.Of(Compile("app/App.csproj", edits, afterCore.ToMetadataReference())) : beforeAppFindings;
            List<FullCompileFindings.Finding> before = [.. beforeCoreFindings, .. beforeAppFindings];
            List<FullCompileFindings.Finding> after = [.. afterCoreFindings, .. afterAppFindings];

            var (fresh, syntaxBroken) = FullCompileFindings.New(before, after);
            return (fresh, fresh.Count == 0, syntaxBroken, [.. after.Select(d => d.At)]);
        }

        private CSharpCompilation Compile(string project, Dictionary<string, string?> edits, MetadataReference? reference)
        {
            var context = h.Context(project);
            var folder = project[..(project.IndexOf('/') + 1)];
            var files = context.SourcePaths.ToDictionary(p => p, p => (string?)h.Read(p), StringComparer.Ordinal);
            foreach (var (path, text) in edits.Where(e => e.Key.StartsWith(folder, StringComparison.Ordinal)))
            {
                files[path] = text;
            }

            var present = files.Where(f => f.Value is not null).Select(f => KeyValuePair.Create(f.Key, f.Value!));
            return reference is null ? FullCompileFindings.Compile(context, present) : FullCompileFindings.Compile(context, present, reference);
        }
    }

    private static string Doc(string name) => $"    /// <summary>{name}.</summary>\n    /// <param name=\"x\">X.</param>\n    /// <returns>R.</returns>\n";

    private static string CoreType(int t, Random random)
    {
        var sb = new StringBuilder($"namespace Core;\n\n/// <summary>Type {t}.</summary>\npublic class C{t}\n{{\n");
        for (var m = 0; m < Methods; m++)
        {
            sb.Append(Doc($"M{m}")).Append($"    public int M{m}(int x) {{ return x + new C{random.Next(CoreTypes)}().M{random.Next(Methods)}(x); }}\n");
        }

        if (t == 1)
        {
            sb.Append(Doc("Broken")).Append("    public int Broken(int x) { return x + missing; }\n"); // pre-existing error
        }

        return sb.Append("}\n").ToString();
    }

    private static string AppType(int t, Random random)
    {
        var sb = new StringBuilder($"namespace App;\n\n/// <summary>App type {t}.</summary>\npublic class A{t}\n{{\n");
        for (var m = 0; m < Methods; m++)
        {
            sb.Append(Doc($"N{m}")).Append($"    public int N{m}(int x) {{ return x + new Core.C{random.Next(CoreTypes)}().M{random.Next(Methods)}(x) + new A{random.Next(AppTypes)}().N{random.Next(Methods)}(x); }}\n");
        }

        if (t == 1)
        {
            sb.Append("    public int Undocumented(int x) { return new Core.C0().Gone(x); }\n"); // pre-existing CS1591 and CS1061
        }

        return sb.Append("}\n").ToString();
    }

    private static (string Kind, string? Path, string? Text) RandomEdit(ValidationHarness h, SortedDictionary<string, string> originals, Dictionary<string, string?> pending, Random random)
    {
        var project = random.Next(3) == 0 ? "app" : "core";
        var candidates = Directory.EnumerateFiles(h.Workspace.PathOf(project), "*.cs")
            .Select(f => $"{project}/{Path.GetFileName(f)}")
            .Where(p => !pending.ContainsKey(p))
            .Order(StringComparer.Ordinal)
            .ToList();
        var kind = random.Next(30);
        if (kind == 29 || candidates.Count == 0)
        {
            // Bring back a file as it was first (deleted, or changed beyond recognition): keeps the projects alive.
            var back = originals.Keys.Where(p => p.EndsWith(".cs", StringComparison.Ordinal) && !pending.ContainsKey(p)
                && (!File.Exists(h.Workspace.PathOf(p)) || h.Read(p) != originals[p])).ToList();
            if (back.Count == 0)
            {
                return ("none", null, null);
            }

            var restored = back[random.Next(back.Count)];
            return ("restore-file", restored, originals[restored]);
        }

        var path = candidates[random.Next(candidates.Count)];
        var text = h.Read(path);
        var lines = text.Split('\n').ToList();
        var methodLines = lines.Select((l, i) => (l, i)).Where(x => x.l.StartsWith("    public int ", StringComparison.Ordinal) || x.l.StartsWith("    private int ", StringComparison.Ordinal) || x.l.StartsWith("    public string ", StringComparison.Ordinal) || x.l.StartsWith("    public static int ", StringComparison.Ordinal)).Select(x => x.i).ToList();
        if (methodLines.Count == 0 && kind is < 20 or 28)
        {
            kind = 20;
        }

        var line = methodLines.Count == 0 ? -1 : methodLines[random.Next(methodLines.Count)];
        var documented = line >= 3 && lines[line - 3].Contains("<summary>", StringComparison.Ordinal);
        var type = Path.GetFileNameWithoutExtension(path);
        string Join() => string.Join('\n', lines);
        string OtherCall()
        {
            var core = $"new Core.C{random.Next(CoreTypes)}().M{random.Next(Methods)}(x)";
            return project == "core" || random.Next(2) == 0 ? core : $"new A{random.Next(AppTypes)}().N{random.Next(Methods)}(x)";
        }

        switch (kind)
        {
            case 0:
                lines[line] = lines[line].Replace("{ return ", "{ return 1 + ", StringComparison.Ordinal);
                return ("body-ok", path, Join());
            case 1:
                lines[line] = lines[line].Replace("{ return ", "{ return \"s\" + ", StringComparison.Ordinal);
                return ("body-type-error", path, Join());
            case 2:
                lines[line] = lines[line].Replace("{ return ", $"{{ return new Core.C{random.Next(CoreTypes)}().Nope(x) + ", StringComparison.Ordinal);
                return ("body-bad-call", path, Join());
            case 3:
                lines[line] = lines[line].Replace("{ return ", $"{{ return {OtherCall()} + ", StringComparison.Ordinal);
                return ("body-cross-call", path, Join());
            case 4:
                lines.RemoveRange(documented ? line - 3 : line, documented ? 4 : 1);
                return ("delete-method", path, Join());
            case 5:
                lines[line] = ReplaceName(lines[line], n => n + "Renamed");
                return ("rename", path, Join());
            case 6:
                lines[line] = lines[line].Replace(" int M", " string M", StringComparison.Ordinal).Replace(" int N", " string N", StringComparison.Ordinal).Replace("{ return ", "{ return \"\" + ", StringComparison.Ordinal);
                return ("return-type", path, Join());
            case 7:
                lines[line] = lines[line].Replace("(int x) {", "(int x, int y) {", StringComparison.Ordinal);
                return ("add-parameter", path, Join());
            case 8:
                lines[line] = lines[line].Replace("    public ", "    private ", StringComparison.Ordinal);
                return ("make-private", path, Join());
            case 9:
                lines[line] = lines[line].Replace("    public int", "    public static int", StringComparison.Ordinal);
                return ("make-static", path, Join());
            case 10:
                lines.InsertRange(line + 1, documented ? lines.GetRange(line - 3, 4) : [lines[line]]);
                return ("duplicate", path, Join());
            case 11:
                lines[line] = lines[line].Replace("; }", " }", StringComparison.Ordinal);
                return ("syntax-error", path, Join());
            case 12 when documented:
                lines.RemoveRange(line - 3, 3);
                return ("doc-remove", path, Join());
            case 13 when documented:
                lines[line - 3] = lines[line - 3].Replace("</summary>", "", StringComparison.Ordinal);
                return ("doc-malformed", path, Join());
            case 14 when documented:
                lines[line - 2] = lines[line - 2].Replace("name=\"x\"", "name=\"y\"", StringComparison.Ordinal);
                return ("doc-param-wrong", path, Join());
            case 15 when documented:
                lines[line - 3] = lines[line - 3].Replace(".</summary>", $", reworded {random.Next(1000)}.</summary>", StringComparison.Ordinal);
                return ("doc-text", path, Join());
            case 16:
                lines[line] = lines[line].Replace("(x); }", "(x) + x; }", StringComparison.Ordinal);
                return ("body-ok-2", path, Join());
            case 17:
                lines[line] = lines[line].Replace("{ return x + ", "{ return x * 2 + ", StringComparison.Ordinal);
                return ("body-ok-3", path, Join());
            case 18:
                lines[line] = lines[line].Replace("{ return ", "{ int unused = \"no\"; return ", StringComparison.Ordinal);
                return ("body-local-error", path, Join());
            case 19 when documented:
                lines[line - 2] = lines[line - 2] + "\n    /// <param name=\"x\">Twice.</param>";
                return ("doc-duplicate-param", path, Join());
            case 20:
            {
                var doc = random.Next(2) == 0;
                var insertAt = lines.FindLastIndex(l => l == "}");
                var prefix = project == "core" ? "M" : "N";
                var n = random.Next(Methods + 2); // sometimes an existing name: an overload clash
                lines.Insert(insertAt, (doc ? Doc("Added") : "") + $"    public int {prefix}{n}(int x) {{ return x + {OtherCall()}; }}");
                return (doc ? "add-method" : "add-undocumented", path, Join());
            }

            case 21:
                return ("delete-file", path, null);
            case 22:
            {
                var n = random.Next(50);
                var created = $"{project}/X{n}.cs";
                if (pending.ContainsKey(created) || File.Exists(h.Workspace.PathOf(created)))
                {
                    return ("none", null, null);
                }

                var ns = project == "core" ? "Core" : "App";
                var body = random.Next(3) == 0 ? $"{OtherCall()} + nothing" : OtherCall();
                return ("create-file", created, $"namespace {ns};\n\n/// <summary>X.</summary>\npublic class X{n}\n{{\n{Doc("U")}    public int U(int x) {{ return {body}; }}\n}}\n");
            }

            case 23:
            {
                // A constructor with parameters takes the implicit default one away: callers break without naming it.
                var at = lines.FindIndex(l => l == "{");
                if (at < 0)
                {
                    return ("none", null, null);
                }

                lines.Insert(at + 1, $"    /// <summary>Ctor.</summary>\n    /// <param name=\"z\">Z.</param>\n    public {type}(int z) {{ }}\n");
                return ("add-ctor", path, Join());
            }

            case 24:
                return ("make-type-internal", path, text.Replace($"public class {type}", $"internal class {type}", StringComparison.Ordinal));
            case 25:
                return ("rename-type", path, text.Replace($"public class {type}", $"public class {type}Renamed", StringComparison.Ordinal));
            case 26:
                return ("fix-preexisting", path, text.Replace("x + missing", "x", StringComparison.Ordinal).Replace("    public int Undocumented(int x) { return new Core.C0().Gone(x); }", Doc("Now documented") + "    public int Undocumented(int x) { return x; }", StringComparison.Ordinal));
            case 27:
                return ("change-namespace", path, text.Replace("namespace Core;", "namespace Core.Moved;", StringComparison.Ordinal).Replace("namespace App;", "namespace App.Moved;", StringComparison.Ordinal));
            default:
                lines[line] = ReplaceName(lines[line], n => n + "Async");
                lines[line] = lines[line].Replace("{ return ", $"{{ return {OtherCall().Replace("(x)", "Async(x)", StringComparison.Ordinal)} + ", StringComparison.Ordinal);
                return ("rename-and-call-renamed", path, Join());
        }
    }

    private static string ReplaceName(string line, Func<string, string> rename)
    {
        var open = line.IndexOf('(', StringComparison.Ordinal);
        var start = line.LastIndexOf(' ', open) + 1;
        return line[..start] + rename(line[start..open]) + line[open..];
    }
}
