using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using AtomicCompose.Tests.TestSupport;
using AtomicCompose.Validation;
using Xunit.Abstractions;

namespace AtomicCompose.Tests.Validation.Build;

/// <summary>
/// The oracle is <c>dotnet build</c>: on a repository with the shapes real libraries have (<see cref="OracleRepository"/>),
/// each edit of <see cref="OracleEdits"/> is judged by the engine alone (<c>Preview</c>, nothing written) and by the build,
/// and the engine's new blocking errors, as <c>(framework, id, file)</c>, must be the build's for that edit, for every
/// framework. A build per edit would take hours, so the edits are independent (each its own files and names) and a batch
/// of them is built at once; the build's errors are attributed to an edit by the file they are in. What would make an
/// attribution wrong is avoided by construction: no edit's files name another edit's changed members, and edits whose
/// errors the compiler finds at different stages are built apart (<see cref="OracleBatch"/>).
/// </summary>
[Trait("Category", "Slow")]
public sealed partial class OracleEditTests(OracleRepository repository, ITestOutputHelper output) : IClassFixture<OracleRepository>
{
    /// <summary>The only place the engine's options are made (MSBuild's project model).</summary>
    private static ComposeOptions EngineOptions() => new();

    [Fact]
    public void Every_edits_new_errors_are_the_builds_for_every_framework()
    {
        var ws = repository.Workspace;
        var edits = OracleEdits.All;
        var suite = Stopwatch.StartNew();
        output.WriteLine($"restore (fixture): {repository.RestoreTime.TotalSeconds:0.0} s");

        // The engine judges each edit alone, against the clean baseline.
        var engine = new Dictionary<string, HashSet<(string Framework, string Id, string File)>>();
        var after = new Dictionary<string, Dictionary<string, string?>>();
        var verdictMs = new Dictionary<string, double>();
        var failures = new List<string>();
        var watch = Stopwatch.StartNew();
        using (var composer = ComposeEngine.Open(ws.Root, EngineOptions()))
        {
            output.WriteLine($"engine Open: {watch.ElapsedMilliseconds} ms");
            foreach (var edit in edits)
            {
                using var tx = composer.Begin(edit.Description);
                try
                {
                    edit.Stage(tx);
                    watch.Restart();
                    var preview = tx.Preview();
                    verdictMs[edit.Id] = watch.Elapsed.TotalMilliseconds;
                    engine[edit.Id] = [.. preview.Validation.Blocking.SelectMany(d => FrameworksOf(d).Select(f => (f, d.Id, Path.GetFileName(d.Path))))];
                    after[edit.Id] = preview.Files.ToDictionary(
                        f => f.Path,
                        f => f.Kind == FileChangeKind.Deleted ? null : ApplyDiff(f.Kind == FileChangeKind.Created ? "" : ws.ReadText(f.Path), f.UnifiedDiff));
                }
                catch (ComposeException ex)
                {
                    failures.Add($"{edit}: the engine threw {ex.Code}: {ex.Message}");
                }
            }
        }

        var engineTotal = TimeSpan.FromMilliseconds(verdictMs.Values.Sum());
        output.WriteLine($"engine verdicts: {verdictMs.Count} edits, {engineTotal.TotalSeconds:0.0} s, median {Median(verdictMs.Values):0} ms, max {verdictMs.Values.DefaultIfEmpty().Max():0} ms");

        // Each batch is built, its errors attributed to an edit of the batch by file name. Every file of the repository is
        // some edit's, and each build compiles the unedited files of the other batches' edits too: an error there, owned by no
        // edit of the batch, fails the test. So each build also proves the baseline clean (no build of it alone is needed).

        var build = edits.ToDictionary(e => e.Id, _ => new HashSet<(string Framework, string Id, string File)>());
        var buildSeconds = 0.0;
        foreach (var batch in edits.Where(e => after.ContainsKey(e.Id)).GroupBy(e => e.Batch))
        {
            foreach (var edit in batch)
            {
                foreach (var (path, text) in after[edit.Id])
                {
                    if (text is null)
                    {
                        File.Delete(ws.PathOf(path));
                    }
                    else
                    {
                        ws.Write(path, text);
                    }
                }
            }

            watch.Restart();
            var errors = DotnetCli.BuildErrors(ws.Root, OracleRepository.Solution);
            buildSeconds += watch.Elapsed.TotalSeconds;
            output.WriteLine($"dotnet build of batch {batch.Key} ({batch.Count()} edits): {watch.Elapsed.TotalSeconds:0.0} s, {errors.Count} errors");
            foreach (var error in errors)
            {
                var owner = OwnerOf(error.File) ?? batch.FirstOrDefault(e => e.AlsoOwns.Contains(error.File))?.Id;
                if (owner is not null && batch.Any(e => e.Id == owner))
                {
                    build[owner].Add(error);
                }
                else
                {
                    failures.Add($"batch {batch.Key}: a build error no edit of the batch owns: {error}");
                }
            }

            ws.Git("checkout", "-q", "--", ".");
            ws.Git("clean", "-fdq", "--", "src");
        }

        // Compared per edit and per framework.
        var frameworks = new[] { "netstandard2.0", "net462", "net8.0", "" };
        var matchedEdits = 0;
        var knownDifferences = new List<string>();
        var pairs = new Dictionary<string, (int Judged, int Matched, int WithErrors)>();
        foreach (var edit in edits.Where(e => engine.ContainsKey(e.Id)))
        {
            var mine = engine[edit.Id];
            var theirs = build[edit.Id];
            var judgedBy = edit.Files.Keys.Concat(after[edit.Id].Keys).SelectMany(OracleRepository.FrameworksOf).Distinct().ToList();
            foreach (var framework in judgedBy)
            {
                var a = mine.Where(e => e.Framework == framework).Order().ToList();
                var b = theirs.Where(e => e.Framework == framework).Order().ToList();
                var p = pairs.GetValueOrDefault(framework);
                pairs[framework] = (p.Judged + 1, p.Matched + (a.SequenceEqual(b) ? 1 : 0), p.WithErrors + (b.Count > 0 ? 1 : 0));
            }

            var engineOnly = mine.Except(theirs).Select(e => e.Id).Distinct().Order().ToArray();
            var buildOnly = theirs.Except(mine).Select(e => e.Id).Distinct().Order().ToArray();
            if (mine.SetEquals(theirs) && edit.Known is null)
            {
                matchedEdits++;
            }
            else if (edit.Known is { } known && engineOnly.SequenceEqual(known.EngineOnly.Order()) && buildOnly.SequenceEqual(known.BuildOnly.Order()))
            {
                knownDifferences.Add($"{edit}: {known.Why}\n    engine: {Show(mine)}\n    build:  {Show(theirs)}");
            }
            else
            {
                failures.Add($"{edit}:{(edit.Known is null ? "" : " (the known difference is not the one seen)")}\n    engine: {Show(mine)}\n    build:  {Show(theirs)}");
            }
        }

        var kinds = edits.GroupBy(e => e.Kind).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}");
        output.WriteLine($"edits: {edits.Count} ({string.Join(", ", kinds)})");
        output.WriteLine($"edits the build fails: {build.Count(b => b.Value.Count > 0)}; edits whose errors differ between Lib's frameworks: {edits.Count(e => build[e.Id].Count > 0 && new[] { "netstandard2.0", "net462", "net8.0" }.Select(f => string.Join(",", build[e.Id].Where(x => x.Framework == f).Select(x => x.Id + x.File).Order())).Distinct().Count() > 1)}");
        foreach (var group in edits.Where(e => verdictMs.ContainsKey(e.Id)).GroupBy(e => (e.Batch, e.Kind)))
        {
            output.WriteLine($"engine verdict, {group.Key.Batch}/{group.Key.Kind}: {group.Count()} edits, median {Median(group.Select(e => verdictMs[e.Id])):0} ms, max {group.Max(e => verdictMs[e.Id]):0} ms");
        }

        output.WriteLine("engine verdicts in order (ms): " + string.Join(" ", edits.Where(e => verdictMs.ContainsKey(e.Id)).Select(e => $"{e.Id}:{verdictMs[e.Id]:0}")));
        foreach (var framework in frameworks.Where(pairs.ContainsKey))
        {
            var (judged, matched, withErrors) = pairs[framework];
            output.WriteLine($"framework {(framework.Length == 0 ? "net8.0 (App)" : framework)}: {matched}/{judged} edits agree ({withErrors} with build errors)");
        }

        foreach (var known in knownDifferences)
        {
            output.WriteLine("known difference: " + known);
        }

        output.WriteLine($"agreement: {matchedEdits}/{edits.Count} edits, {knownDifferences.Count} known differences; build {buildSeconds:0.0} s for {after.Count} edits ({buildSeconds * 1000 / Math.Max(1, after.Count):0} ms per edit in batches), engine {engineTotal.TotalMilliseconds / Math.Max(1, verdictMs.Count):0} ms per edit (mean)");
        output.WriteLine($"suite: {suite.Elapsed.TotalSeconds:0.0} s");
        foreach (var failure in failures)
        {
            output.WriteLine(failure);
        }

        Assert.True(edits.Count >= 150, $"only {edits.Count} edits");
        Assert.True(failures.Count == 0, $"{failures.Count} disagreements:\n" + string.Join("\n", failures));
    }

    [Fact]
    public void A_project_that_is_not_restored_is_said_never_guessed()
    {
        var ws = repository.Workspace;
        ws.Write("bench/Bench.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net8.0</TargetFramework>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="../src/Lib/Lib.csproj" />
              </ItemGroup>
            </Project>
            """);
        ws.Write("bench/Measure.cs", """
            namespace Bench;

            internal static class Measure
            {
                internal static int Run()
                {
                    return Lib.Edits.E001.Run("x", 1);
                }
            }

            """);
        try
        {
            using var composer = ComposeEngine.Open(ws.Root, EngineOptions());

            // An edit of the project that is not restored.
            using (var tx = composer.Begin("an edit in a project that is not restored"))
            {
                tx.ReplaceBody("bench/Measure.cs", "Measure.Run()", "return 2;");
                var error = Assert.Throws<ComposeException>(() => tx.Preview());
                Assert.Equal(ComposeErrorCode.ProjectNotRestored, error.Code);
                Assert.Equal(["bench/Bench.csproj"], error.Paths);
            }

            // A body edit of the library it references: no dependent is judged, the verdict is the library's.
            using (var tx = composer.Begin("a body edit of a library an unrestored project references"))
            {
                tx.ReplaceBody("src/Lib/Edits/E001.cs", "E001.Run(string, int)", "return count + 1;");
                Assert.Empty(tx.Preview().Validation.Blocking);
            }

            // A declaration edit that reaches it: said, never guessed (no error of it labelled new).
            using (var tx = composer.Begin("a declaration edit of a library an unrestored project references"))
            {
                tx.Replace("src/Lib/Edits/E001.cs", "E001.Run(string, int)", "internal static int Run(string text, int count, int more) => count + more;");
                var error = Assert.Throws<ComposeException>(() => tx.Preview());
                Assert.Equal(ComposeErrorCode.ProjectNotRestored, error.Code);
                Assert.Equal(["bench/Bench.csproj"], error.Paths);
            }

            // The build says the same: it does not compile a project that is not restored.
            var (code, text) = DotnetCli.Run(ws.Root, "build", "bench/Bench.csproj", "--no-restore", "-nr:false", "-v:q");
            Assert.NotEqual(0, code);
            Assert.Contains("NETSDK1004", text, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(ws.PathOf("bench"), recursive: true);
        }
    }

    /// <summary>The frameworks a diagnostic is reported for: those named, else every framework of its file's project.</summary>
    private static IEnumerable<string> FrameworksOf(ValidationDiagnostic d) =>
        d.TargetFramework is { Length: > 0 } named ? named.Split(';') : OracleRepository.FrameworksOf(d.Path);

    private static string? OwnerOf(string file) => EditFile().Match(file) is { Success: true } m ? m.Value : null;

    private static string Show(IEnumerable<(string Framework, string Id, string File)> errors) =>
        errors.Any() ? string.Join(", ", errors.Order().Select(e => $"({(e.Framework.Length == 0 ? "App" : e.Framework)}, {e.Id}, {e.File})")) : "(none)";

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[sorted.Count / 2];
    }

    /// <summary>The new text: the old one with the preview's unified diff applied.</summary>
    private static string ApplyDiff(string old, string diff)
    {
        var lines = old.Length == 0 ? [] : old.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
        var result = new StringBuilder();
        var next = 0;
        var inHunks = false;
        foreach (var line in diff.Split('\n'))
        {
            if (!inHunks && !line.StartsWith("@@", StringComparison.Ordinal))
            {
                continue; // the --- and +++ headers
            }

            inHunks = true;
            if (line.StartsWith("@@", StringComparison.Ordinal))
            {
                var range = Hunk().Match(line);
                var start = int.Parse(range.Groups["start"].Value, CultureInfo.InvariantCulture);
                var empty = range.Groups["count"].Success && range.Groups["count"].Value == "0";
                var index = empty ? start : start - 1;
                for (; next < index; next++)
                {
                    result.Append(lines[next]).Append('\n');
                }

                continue;
            }

            if (line.Length == 0 || line[0] == '\\')
            {
                continue;
            }

            switch (line[0])
            {
                case ' ':
                    result.Append(lines[next++]).Append('\n');
                    break;
                case '-':
                    next++;
                    break;
                case '+':
                    result.Append(line, 1, line.Length - 1).Append('\n');
                    break;
            }
        }

        for (; next < lines.Length; next++)
        {
            result.Append(lines[next]).Append('\n');
        }

        return result.ToString();
    }

    [GeneratedRegex(@"^@@ -(?<start>\d+)(,(?<count>\d+))? ")]
    private static partial Regex Hunk();

    [GeneratedRegex(@"^E\d{3}")]
    private static partial Regex EditFile();
}
