using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using AtomicCompose.Composition;
using AtomicCompose.Tests.TestSupport;
using Xunit.Abstractions;

namespace AtomicCompose.Tests.Robustness;

/// <summary>
/// Deterministic fuzz (fixed seeds): random operation sequences with hostile paths, targets, code and
/// messages on a real git workspace with one engine. Each case either succeeds validly or throws a
/// <see cref="ComposeException"/> (never another type, never a hang), and afterwards the case is all-old or
/// all-new, the index verifies, no temp file or journal entry is left, and git agrees.
/// </summary>
public sealed class HostileInputFuzzTests : IDisposable
{
    private static readonly string[] GoodPaths = ["src/Greeter.cs", "src/Program.cs", "src/Greeter.cs", "src/./Greeter.cs", "src/../src/Program.cs"];

    private static readonly string[] HostilePaths =
    [
        "", " ", "\t", "..", "../x.cs", "../../etc/passwd", "/etc/passwd", "/tmp/abs.cs", ".git/config", ".git/HEAD", ".git/index",
        ".GIT/config", ".atomiccompose/index.db", ".atomiccompose/lock", ".atomiccompose/journal/x.json", "./.atomiccompose/x.cs",
        "src/..", "src/", "src", "src/Greeter.cs/", "src/Greeter.cs/x", "src/a\0b.cs", "\0", "src/Grëëtér.cs", "src/日本語.cs",
        "src/\u202Egnp.cs", "src/Greeter.cs\n", "src/Greeter.cs ", "C:\\x.cs", "src\\Greeter.cs", "~/x.cs", "src/*.cs", "src/a[1].cs",
        "src/" + new string('n', 300) + ".cs", string.Join('/', Enumerable.Repeat("d", 200)) + "/x.cs", "Demo.csproj", "src/.hidden.cs",
        "src/.Greeter.cs.deadbeef.tmp", "-", "--", "src/-rf.cs",
    ];

    private static readonly string[] GoodTargets =
    [
        "Demo.Greeter.Greet(string)", "Demo.Greeter.Farewell(string)", "Demo.Greeter", "Demo.Program.Main()", "Demo.Program", "Demo",
        "lines:1-3", "lines:5",
    ];

    private static readonly string[] HostileTargets =
    [
        "", " ", ".", "..", "Demo..Greeter", "Demo.Greeter.", ".Demo", "Demo.Greeter.Greet(", "Demo.Greeter.Greet(string", "Greet)",
        "Demo.Greeter.Greet(string)(int)", "Demo.Greeter.Greet<", "Demo.Greeter.Greet<T>(", "🙂", "Demo.Grëëter", "*", "Demo.*",
        "Demo.Greeter[0]", "Demo.Greeter.this[]", "lines:0", "lines:-1", "lines:99999999999", "lines:3-1", "lines:1-999999",
        "lines:", "\0", "Demo.Greeter.Greet(\0)", "Demo.Greeter.#if", "global::Demo.Greeter", "Demo.Greeter.Greet(string,)",
        "Demo.Greeter.Greet(,)", "Demo.Greeter.Greet(string name)", "Demo.Greeter.operator +(int)", "Demo.Greeter.~Greeter()",
        "System.Object", new string('A', 5000), "Demo/Greeter", "Demo.Greeter.Greet(string)\n", "Demo.Greeter.Greet(ref string)",
    ];

    private static readonly string[] HostileCode =
    [
        "", " ", "{", "}", "}}}}", "{{{{", "\"unterminated", "@\"unterminated", "\"\"\"raw unterminated", "/* unterminated comment",
        "'x", "#if DEBUG", "#endif", "#endregion", "#region", "#if DEBUG\npublic void M() { }", "class X {", "public void M() {",
        "public void M() { } }", "\0", "public void M\0() { }", "public int \u0000X;", "namespace X;", "namespace X { }", "using System;",
        "global using System;", "extern alias A;", "[assembly: X]", "#!shebang", "#pragma warning disable", "#nullable", "#error boom",
        "#line 1 \"x\"", "// just a comment", "/// <summary>", "<<<<<<< HEAD", "\uFEFFpublic void M() { }", "public void \uD800() { }",
        "public string Greet(string name) => $\"{", "public string Greet(string name) => $\"{name\";", "return;", "x => x", "M();",
        "public class Nested { public class Deeper { } }", "public enum E { A, }", "public delegate void D();", "~Greeter() { }",
        "public static implicit operator int(Greeter g) => 0;", "int this[int i] => i;", "public event System.Action? E;",
        "\r\n\r\n", "\r", "\t\t", "\u2028public void M() { }\u2029", "public void 日本() { }",
    ];

    private readonly TempWorkspace _ws = TempWorkspace.Create();
    private readonly ITestOutputHelper _output;

    public HostileInputFuzzTests(ITestOutputHelper output)
    {
        _output = output;
        SampleProjects.WriteDemo(_ws);
    }

    public void Dispose() => _ws.Dispose();

    /// <summary>600 cases (about 15 s); the compilation and docs validators are off (syntax still runs) so the commit path stays fast.</summary>
    [Fact]
    public void Hostile_operation_sequences_succeed_validly_or_fail_with_ComposeException_and_keep_the_invariant() =>
        Fuzz(cases: 600, seedBase: 17, fullValidation: false);

    /// <summary>2,000 cases of the same generator (other seeds): about 50 s on two shared cores, because a third of the cases commit.</summary>
    [Fact]
    [Trait("Category", "Slow")]
    public void Two_thousand_hostile_operation_sequences_keep_the_invariant() =>
        Fuzz(cases: 2000, seedBase: 5_000_011, fullValidation: false);

    /// <summary>The same generator through the full validation pipeline (compilation, docs), fewer cases.</summary>
    [Fact]
    [Trait("Category", "Slow")]
    public void Hostile_operation_sequences_through_full_validation_keep_the_invariant() =>
        Fuzz(cases: 400, seedBase: 100_003, fullValidation: true);

    private void Fuzz(int cases, int seedBase, bool fullValidation)
    {
        var stopwatch = Stopwatch.StartNew();
        var baseHead = _ws.Git("rev-parse", "HEAD");
        var violations = new List<string>();
        var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var firstMessages = new SortedDictionary<string, string>(StringComparer.Ordinal);
        int succeeded = 0, huge = 0, gitStatusChecks = 0;
        using var engine = ComposeEngine.Open(_ws.Root, new ComposeOptions { LockTimeout = TimeSpan.FromSeconds(1), DisableBuiltInValidators = !fullValidation });

        for (var i = 0; i < cases; i++)
        {
            var rng = new Random(unchecked(i * 7919 + seedBase));
            var before = Ws.Snapshot(_ws.Root);
            var headBefore = Head();
            var gitIndexBefore = GitIndexHash();
            var plan = new StringBuilder();
            ComposeResult? result = null;
            Exception? error = null;
            var isHuge = false;

            var task = Task.Run(() =>
            {
                var message = RandomMessage(rng, i);
                if (message.Contains('\0', StringComparison.Ordinal))
                {
                    // Documented: Begin refuses a message git cannot store (before anything is staged or written).
                    var refused = Assert.Throws<ArgumentException>(() => engine.Begin(message));
                    Assert.Equal("message", refused.ParamName);
                    message = message.Replace("\0", "", StringComparison.Ordinal);
                    plan.Append("(NUL message refused) ");
                }

                using var tx = engine.Begin(message);
                var ops = rng.Next(1, 4);
                var staged = 0;
                for (var k = 0; k < ops; k++)
                {
                    var code = RandomCode(rng, i, ref isHuge);
                    try
                    {
                        StageRandom(tx, rng, i, k, code, plan);
                        staged++;
                    }
                    catch (ComposeException) when (rng.Next(3) > 0)
                    {
                        // The transaction stays usable after a refused staging call; usually carry on.
                    }
                }

                switch (rng.Next(20))
                {
                    case < 13:
                        result = tx.Complete();
                        break;
                    case < 16:
                        tx.Preview();
                        break;
                    case < 18:
                        tx.Apply();
                        break;
                    default:
                        break;
                }

                _ = staged;
            });

            try
            {
                if (!task.Wait(TimeSpan.FromSeconds(90)))
                {
                    violations.Add($"case {i}: hang ({plan})");
                    break;
                }
            }
            catch (AggregateException ae)
            {
                error = ae.InnerException;
            }

            huge += isHuge ? 1 : 0;
            var key = error switch
            {
                null => result is null ? "no-complete" : "committed",
                ComposeValidationException => "ComposeException:ValidationFailed(report)",
                ComposeException ce => "ComposeException:" + ce.Code,
                _ => "OTHER:" + error.GetType().Name,
            };
            outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
            if (error is not null && !firstMessages.ContainsKey(key))
            {
                firstMessages[key] = $"case {i}: {error.Message}";
            }

            if (error is not null and not ComposeException)
            {
                violations.Add($"case {i}: {error.GetType().Name}: {error.Message} ({plan})");
            }

            // The invariant for this case.
            var after = Ws.Snapshot(_ws.Root);
            if (result is not null && error is null)
            {
                succeeded++;
                var touched = new HashSet<string>(StringComparer.Ordinal);
                foreach (var f in result.Files)
                {
                    touched.Add(f.Path);
                    var disk = after.TryGetValue(f.Path, out var bytes) ? Convert.ToHexStringLower(SHA256.HashData(bytes)) : null;
                    if (disk != f.NewHash)
                    {
                        violations.Add($"case {i}: {f.Path} is not the post-image ({plan})");
                    }
                }

                foreach (var k in before.Keys.Union(after.Keys).Where(k => !touched.Contains(k)))
                {
                    if (!before.TryGetValue(k, out var b) || !after.TryGetValue(k, out var a) || !b.AsSpan().SequenceEqual(a))
                    {
                        violations.Add($"case {i}: untouched file {k} changed ({plan})");
                    }
                }

                if (Head() != result.CommitSha)
                {
                    violations.Add($"case {i}: HEAD is not the result's commit ({plan})");
                }

                if (i % 10 == 0 || result.Files.Any(f => !f.Path.EndsWith(".cs", StringComparison.Ordinal)))
                {
                    gitStatusChecks++;
                    var status = _ws.Git("status", "--porcelain");
                    var parent = _ws.Git("rev-parse", "HEAD~1");
                    if (status.Length > 0 || parent != headBefore)
                    {
                        violations.Add($"case {i}: git status '{status}', parent {parent} vs {headBefore} ({plan})");
                    }
                }
            }
            else
            {
                if (!Ws.Same(before, after))
                {
                    violations.Add($"case {i}: not all-old after {key}: {Ws.Describe(before, after)} ({plan})");
                }

                if (Head() != headBefore || GitIndexHash() != gitIndexBefore)
                {
                    violations.Add($"case {i}: git changed after {key} ({plan})");
                }
            }

            var verification = engine.Verify();
            if (!verification.IsConsistent)
            {
                violations.Add($"case {i}: index inconsistent: {string.Join("; ", verification.Problems)} ({plan})");
            }

            // A file the caller created and committed under a temp-like name (a hostile path of the pool) is theirs, not a leftover.
            var leftovers = Ws.Leftovers(_ws.Root)
                .Where(l => l.Contains("/.atomiccompose/journal/", StringComparison.Ordinal) || _ws.Git("ls-files", "--", Path.GetRelativePath(_ws.Root, l)).Length == 0)
                .ToList();
            if (leftovers.Count > 0)
            {
                violations.Add($"case {i}: leftovers {string.Join(", ", leftovers)} ({plan})");
            }

            if (violations.Count > 20)
            {
                break;
            }

            // Keep the workspace small and varied: back to the base every 100 cases or when a file got big.
            if (i % 100 == 99 || after.Values.Any(v => v.Length > 64 * 1024))
            {
                _ws.Git("reset", "-q", "--hard", baseHead);
                _ws.Git("clean", "-q", "-fdx", "src");
                engine.Reindex();
            }
        }

        gitStatusChecks++;
        Assert.Equal("", _ws.Git("status", "--porcelain"));
        _output.WriteLine($"{cases} cases (full validation: {fullValidation}) in {stopwatch.Elapsed.TotalSeconds:0.0} s: {succeeded} committed, {huge} with ~1 MB code, {gitStatusChecks} git status checks; outcomes: {string.Join(", ", outcomes.Select(kv => kv.Key + "=" + kv.Value))}");
        foreach (var (k, m) in firstMessages)
        {
            _output.WriteLine($"first {k}: {m}");
        }

        _output.WriteLine($"violations: {violations.Count}");
        Assert.True(violations.Count == 0, string.Join("\n", violations.Take(20)));
        Assert.True(succeeded > cases / 40, $"only {succeeded} cases committed; the generator is too hostile to test the success path");
    }

    private static void StageRandom(ComposeTransaction tx, Random rng, int i, int k, string code, StringBuilder plan)
    {
        var path = rng.Next(10) < 7 ? GoodPaths[rng.Next(GoodPaths.Length)] : HostilePaths[rng.Next(HostilePaths.Length)];
        var target = rng.Next(10) < 6 ? GoodTargets[rng.Next(GoodTargets.Length)] : HostileTargets[rng.Next(HostileTargets.Length)];
        var kind = rng.Next(11);
        plan.Append($"[{kind} {Show(path)} {Show(target)} {Show(code)}] ");
        switch (kind)
        {
            case 0 or 1:
                tx.Replace(path, target, code);
                break;
            case 2:
                tx.ReplaceBody(path, target, code);
                break;
            case 3:
                tx.InsertBefore(path, target, code);
                break;
            case 4:
                tx.InsertAfter(path, target, code);
                break;
            case 5:
                tx.Delete(path, target);
                break;
            case 6:
                tx.Stage(path, new EditOperation((EditKind)rng.Next(8), target, code));
                break;
            case 7:
                var created = rng.Next(4) switch
                {
                    0 => $"src/Gen/F{i}_{k}.cs",
                    1 => $"src/Ünï/日本{i}_{k}.cs",
                    2 => $"notes/{i}_{k}.txt",
                    _ => path,
                };
                plan.Append($"(create {Show(created)}) ");
                tx.CreateFile(created, rng.Next(2) == 0 ? $"namespace Demo;\n\n/// <summary>F.</summary>\npublic static class F{i}_{k}\n{{\n}}\n" : code);
                break;
            case 8:
                tx.DeleteFile(path);
                break;
            default:
                tx.Stage(path, new EditOperation(EditKind.AddUsing, "", rng.Next(2) == 0 ? "System.Text" : code));
                break;
        }
    }

    private static string RandomCode(Random rng, int i, ref bool isHuge)
    {
        if (rng.Next(100) == 0)
        {
            isHuge = true;
            var mb = new string('x', 1 << 20);
            return rng.Next(4) switch
            {
                0 => $"/// <summary>Huge.</summary>\npublic string Huge{i}() => \"{mb}\";",
                1 => "// " + mb,
                2 => new string('{', 1 << 20),
                _ => $"/// <summary>Huge.</summary>\npublic int Huge{i}() {{ return 0; /* {mb} */ }}",
            };
        }

        return rng.Next(10) switch
        {
            < 3 => $"public string Greet(string name) => \"v{i}\";",
            3 => $"/// <summary>P{i}.</summary>\npublic int P{i} => {i};",
            4 => $"{{ return \"b{i}\"; }}",
            5 => $"\"b{i}\"",
            _ => HostileCode[rng.Next(HostileCode.Length)],
        };
    }

    private static string RandomMessage(Random rng, int i) => rng.Next(8) switch
    {
        0 => $"fuzz {i}\nsecond line\r\nthird",
        1 => $"fuzz {i} ünïcödé 日本語 🙂",
        2 => $"fuzz {i} \0 nul",
        3 => $"fuzz {i}\n\nCompose-Transaction: not-a-real-id",
        4 => new string('m', 10_000),
        _ => $"fuzz {i}",
    };

    private static string Show(string s) =>
        s.Length > 40 ? $"<{s.Length} chars>" : s.Replace("\0", "\\0", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal);

    private string Head()
    {
        var head = File.ReadAllText(_ws.PathOf(".git/HEAD")).Trim();
        return head.StartsWith("ref: ", StringComparison.Ordinal) ? File.ReadAllText(_ws.PathOf(".git/" + head[5..])).Trim() : head;
    }

    private string GitIndexHash() => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(_ws.PathOf(".git/index"))));
}
