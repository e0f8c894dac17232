using System.Text.Json;
using AtomicCompose.Composition;
using AtomicCompose.Indexing;
using Microsoft.Extensions.Logging;

namespace AtomicCompose.Cli;

/// <summary>The <c>atomic-compose</c> command line: a thin shell over the library.</summary>
public static class CliApp
{
    private const string Usage = """
        atomic-compose <command> [options]

          demo [--keep] [--verbose]        run a transaction in a throwaway git repository, then one that fails validation
          apply <plan.json> [--root DIR]   stage a JSON plan, validate and commit it
          preview <plan.json> [--root DIR] show the diffs and validation report of a plan; writes nothing
          targets <file.cs> [--root DIR]   list the name paths a file offers
          query [--name P] [--kind K] [--path F] [--root DIR]   query the index (P may end with *)
          verify [--root DIR]              prove the index matches the disk
          recover [--root DIR]             repair unfinished transactions
          backups [--root DIR]             list kept backups

        A plan: {"message": "...", "operations": [{"op": "replace", "path": "src/A.cs", "target": "N.A.M(int)", "code": "..."}]}
        ops: replace, replace-body, insert-before, insert-after, insert-first, insert-last, delete, add-using, create-file, delete-file
        """;

    /// <summary>Runs a command.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="stdout">Where results go.</param>
    /// <param name="stderr">Where errors go.</param>
    /// <returns>The process exit code: 0 success, 1 the edit was refused (validation or error), 2 usage.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            await stdout.WriteLineAsync(Usage).ConfigureAwait(false);
            return args.Length == 0 ? 2 : 0;
        }

        var options = CliOptions.Parse(args.Skip(1).ToArray());
        try
        {
            switch (args[0])
            {
                case "demo":
                    return Demo.Run(stdout, options.Has("--keep"), options.Has("--verbose"));
                case "apply":
                case "preview":
                    return RunPlan(args[0] == "apply", options, stdout);
                case "targets":
                    using (var engine = Open(options))
                    {
                        foreach (var t in engine.ListTargets(options.Positional(0) ?? throw new ArgumentException("targets needs a file path")))
                        {
                            await stdout.WriteLineAsync($"{t.Lines,-9} {t.Kind,-18} {t.NamePath}").ConfigureAwait(false);
                        }
                    }

                    return 0;
                case "query":
                    using (var engine = Open(options))
                    {
                        foreach (var e in engine.FindEntities(new EntityQuery(options.Value("--name"), options.Value("--kind"), options.Value("--path"))))
                        {
                            await stdout.WriteLineAsync($"{e.Path}:{e.StartLine}-{e.EndLine} {e.Kind,-12} {e.Accessibility,-9} {e.NamePath}{(e.HasDocs ? "" : "  (no docs)")}").ConfigureAwait(false);
                        }
                    }

                    return 0;
                case "verify":
                    using (var engine = Open(options))
                    {
                        var v = engine.Verify();
                        await stdout.WriteLineAsync(v.IsConsistent ? "index matches disk" : "index differs from disk:").ConfigureAwait(false);
                        foreach (var p in v.Problems)
                        {
                            await stdout.WriteLineAsync("  " + p).ConfigureAwait(false);
                        }

                        return v.IsConsistent ? 0 : 1;
                    }

                case "recover":
                    using (var engine = Open(options))
                    {
                        var r = engine.LastRecovery;
                        await stdout.WriteLineAsync($"rolled back: {r.RolledBack.Count}, rolled forward: {r.RolledForward.Count}, conflicts: {string.Join(", ", r.Conflicts)}").ConfigureAwait(false);
                        return r.Conflicts.Count == 0 ? 0 : 1;
                    }

                case "backups":
                    var backups = Path.Combine(Path.GetFullPath(options.Value("--root") ?? "."), ".atomiccompose", "backups");
                    foreach (var dir in Directory.Exists(backups) ? Directory.GetDirectories(backups).Order(StringComparer.Ordinal).ToArray() : [])
                    {
                        await stdout.WriteLineAsync($"{Path.GetFileName(dir)}: {string.Join(", ", Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir, f)))}").ConfigureAwait(false);
                    }

                    return 0;
                default:
                    await stderr.WriteLineAsync($"unknown command '{args[0]}'\n\n{Usage}").ConfigureAwait(false);
                    return 2;
            }
        }
        catch (ComposeValidationException ex)
        {
            await stderr.WriteLineAsync(ex.Message).ConfigureAwait(false);
            foreach (var d in ex.Report.Blocking)
            {
                await stderr.WriteLineAsync("  " + d).ConfigureAwait(false);
            }

            return 1;
        }
        catch (ComposeException ex)
        {
            await stderr.WriteLineAsync(ex.Message).ConfigureAwait(false);
            foreach (var c in ex.Candidates)
            {
                await stderr.WriteLineAsync("  candidate: " + c).ConfigureAwait(false);
            }

            return 1;
        }
        catch (Exception ex) when (ex is ArgumentException or JsonException or FileNotFoundException)
        {
            await stderr.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return 2;
        }
    }

    private static ComposeEngine Open(CliOptions options)
    {
        var compose = new ComposeOptions();
        if (options.Has("--verbose"))
        {
            compose.LoggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Debug));
        }

        return ComposeEngine.Open(Path.GetFullPath(options.Value("--root") ?? "."), compose);
    }

    private static int RunPlan(bool apply, CliOptions options, TextWriter stdout)
    {
        var planPath = options.Positional(0) ?? throw new ArgumentException("a plan file is required");
        var plan = JsonSerializer.Deserialize<Plan>(File.ReadAllText(planPath), new JsonSerializerOptions { PropertyNameCaseInsensitive = true })
            ?? throw new ArgumentException("the plan is empty");
        using var engine = Open(options);
        using var tx = engine.Begin(plan.Message ?? "atomic-compose plan");
        foreach (var op in plan.Operations ?? [])
        {
            var path = op.Path ?? throw new ArgumentException("every operation needs a path");
            _ = op.Op switch
            {
                "create-file" => tx.CreateFile(path, op.Code ?? ""),
                "delete-file" => tx.DeleteFile(path),
                _ => tx.Stage(path, new EditOperation(ParseKind(op.Op), op.Target ?? "", op.Code)),
            };
        }

        if (!apply)
        {
            var preview = tx.Preview();
            Report.WriteDiffs(stdout, preview.Files);
            Report.WriteValidation(stdout, preview.Validation);
            return preview.Validation.Passed ? 0 : 1;
        }

        var result = tx.Complete();
        Report.WriteResult(stdout, result);
        return 0;
    }

    private static EditKind ParseKind(string? op) => op switch
    {
        "replace" => EditKind.Replace,
        "replace-body" => EditKind.ReplaceBody,
        "insert-before" => EditKind.InsertBefore,
        "insert-after" => EditKind.InsertAfter,
        "insert-first" => EditKind.InsertFirst,
        "insert-last" => EditKind.InsertLast,
        "delete" => EditKind.Delete,
        "add-using" => EditKind.AddUsing,
        _ => throw new ArgumentException($"unknown op '{op}'"),
    };

    private sealed record Plan(string? Message, List<PlanOperation>? Operations);

    private sealed record PlanOperation(string? Op, string? Path, string? Target, string? Code);
}
