using System.CommandLine;
using System.Text.Json.Nodes;
using AtomicCompose.Cli.Mcp;
using AtomicCompose.Indexing;
using Microsoft.Extensions.Logging;

namespace AtomicCompose.Cli;

/// <summary>
/// The <c>atomic-compose</c> command line: a thin shell over the library, parsed by System.CommandLine (help for every
/// command with <c>--help</c>). With <c>--json</c> every command prints exactly one JSON document on stdout, errors included.
/// </summary>
/// <remarks>Exit codes: 0 done, 1 refused (validation, a typed error, an inconsistent index), 2 usage, 3 the workspace needs recovery.</remarks>
public static class CliApp
{
    /// <summary>Exit code: the command did what it was asked.</summary>
    public const int Done = 0;

    /// <summary>Exit code: the edit (or check) was refused; nothing was written.</summary>
    public const int Refused = 1;

    /// <summary>Exit code: the command line was wrong.</summary>
    public const int Usage = 2;

    /// <summary>Exit code: a step failed past the point where it could be undone in place; run <c>recover</c>.</summary>
    public const int NeedsRecovery = 3;

    private const string PlanHelp = """
        A plan: {"message": "...", "operations": [{"op": "replace", "path": "src/A.cs", "target": "N.A.M(int)", "code": "..."}]}
        ops: 
        """ + Plan.OperationNames;

    /// <summary>Runs a command.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="stdout">Where results go.</param>
    /// <param name="stderr">Where errors and logs go.</param>
    /// <returns>The process exit code (see the remarks of <see cref="CliApp"/>).</returns>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr) => RunAsync(args, stdout, stderr, CancellationToken.None);

    /// <summary>Runs a command.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="stdout">Where results go.</param>
    /// <param name="stderr">Where errors and logs go.</param>
    /// <param name="cancellationToken">Stops the command (the MCP server ends its session).</param>
    /// <returns>The process exit code (see the remarks of <see cref="CliApp"/>).</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var root = BuildCommands(stdout, stderr);
        if (args.Length == 0)
        {
            // No command: the overview, as a usage error.
            await root.Parse(["--help"]).InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }, cancellationToken).ConfigureAwait(false);
            return Usage;
        }

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            var message = string.Join(" ", parse.Errors.Select(e => e.Message));
            if (args.Contains("--json", StringComparer.Ordinal))
            {
                await stdout.WriteLineAsync(JsonOutput.Text(JsonOutput.Error(new UsageException(message)))).ConfigureAwait(false);
            }
            else
            {
                await stderr.WriteLineAsync(message + Environment.NewLine + "Run 'atomic-compose --help' (or '<command> --help') for usage.").ConfigureAwait(false);
            }

            return Usage;
        }

        return await parse.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }, cancellationToken).ConfigureAwait(false);
    }

    private static RootCommand BuildCommands(TextWriter stdout, TextWriter stderr)
    {
        var rootOption = new Option<string>("--root") { Description = "The workspace root (default: the current directory).", DefaultValueFactory = _ => "." };
        var json = new Option<bool>("--json") { Description = "Print one JSON document on stdout (errors included) instead of text." };
        var verbose = new Option<bool>("--verbose") { Description = "Log every protocol step to stderr." };
        // Every command that opens the workspace takes it; a restore can reach the network, so it is asked for, never assumed.
        var restore = new Option<bool>("--restore")
        {
            Description = "Run 'dotnet restore' for a project that is not restored before asking MSBuild what it compiles (it can reach the network).",
            Recursive = true,
        };
        var planArgument = new Argument<string>("plan") { Description = "The JSON plan file. " + PlanHelp };
        var root = new RootCommand("atomic-compose: edit C# structurally and land each edit atomically (journal, backups, index, git commit).\n\nExit codes: 0 done, 1 refused, 2 usage, 3 needs recovery.");

        var keep = new Option<bool>("--keep") { Description = "Keep the demo repository instead of deleting it." };
        var demo = new Command("demo", "Run a transaction in a throwaway git repository, then one that fails validation.") { keep, verbose, json };
        demo.SetAction(parse => Run(parse, json, stdout, stderr, () =>
        {
            if (!parse.GetValue(json))
            {
                return new Outcome(null, Demo.Run(stdout, parse.GetValue(keep), parse.GetValue(verbose)));
            }

            using var captured = new StringWriter();
            var code = Demo.Run(captured, parse.GetValue(keep), parse.GetValue(verbose));
            return new Outcome(new JsonObject { ["ok"] = code == Done, ["output"] = captured.ToString() }, code);
        }));

        var apply = new Command("apply", "Stage a JSON plan, validate it and commit it (files, index, git).") { planArgument, rootOption, json, verbose };
        apply.SetAction(parse => Run(parse, json, stdout, stderr, () =>
        {
            var plan = Plan.Read(parse.GetValue(planArgument)!);
            using var engine = Open(parse, rootOption, restore, verbose, stderr);
            using var tx = plan.Stage(engine);
            var result = tx.Complete();
            return new Outcome(JsonOutput.Result(result), Done, o => Report.WriteResult(o, result));
        }));

        var preview = new Command("preview", "Show the diffs and validation report of a JSON plan; writes nothing.") { planArgument, rootOption, json, verbose };
        preview.SetAction(parse => Run(parse, json, stdout, stderr, () =>
        {
            var plan = Plan.Read(parse.GetValue(planArgument)!);
            using var engine = Open(parse, rootOption, restore, verbose, stderr);
            using var tx = plan.Stage(engine);
            var p = tx.Preview();
            return new Outcome(JsonOutput.Preview(p), p.Validation.Passed ? Done : Refused, o =>
            {
                Report.WriteDiffs(o, p.Files);
                Report.WriteValidation(o, p.Validation);
            });
        }));

        var txid = new Argument<string>("transactionId") { Description = "The id of a completed transaction (apply prints it)." };
        var undo = new Command("undo", "Take a completed transaction back as a new transaction of its own (journal, index, commit naming what it undoes). Refused, changing nothing, when a file it wrote changed since.") { txid, rootOption, json, verbose };
        undo.SetAction(parse => Run(parse, json, stdout, stderr, () =>
        {
            using var engine = Open(parse, rootOption, restore, verbose, stderr);
            var result = engine.Undo(parse.GetValue(txid)!);
            return new Outcome(JsonOutput.Result(result), Done, o => Report.WriteResult(o, result));
        }));

        var file = new Argument<string>("file") { Description = "Root-relative path of a C# file." };
        var targets = new Command("targets", "List the name paths a file offers, with kind and lines.") { file, rootOption, json };
        targets.SetAction(parse => Run(parse, json, stdout, stderr, () =>
        {
            using var engine = Open(parse, rootOption, restore, null, stderr);
            var path = parse.GetValue(file)!;
            var list = engine.ListTargets(path);
            return new Outcome(JsonOutput.Targets(path, list), Done, o =>
            {
                foreach (var t in list)
                {
                    o.WriteLine($"{t.Lines,-9} {t.Kind,-18} {t.NamePath}");
                }
            });
        }));

        var target = new Argument<string>("target") { Description = "The member's name path (a unique suffix will do)." };
        var read = new Command("read", "Print one member's current text, its lines and its doc comment.") { file, target, rootOption, json };
        read.SetAction(parse => Run(parse, json, stdout, stderr, () =>
        {
            using var engine = Open(parse, rootOption, restore, null, stderr);
            var member = engine.ReadMember(parse.GetValue(file)!, parse.GetValue(target)!);
            return new Outcome(JsonOutput.Member(member), Done, o =>
            {
                o.WriteLine($"{member.Path}:{member.Lines} {member.Kind} {member.NamePath}");
                o.WriteLine(member.Text);
            });
        }));

        var name = new Option<string?>("--name") { Description = "Name path, exact or a prefix ending with *." };
        var kind = new Option<string?>("--kind") { Description = "Entity kind (class, method, property, ...)." };
        var pathFilter = new Option<string?>("--path") { Description = "Root-relative file path." };
        var query = new Command("query", "Query the index for entities.") { name, kind, pathFilter, rootOption, json };
        query.SetAction(parse => Run(parse, json, stdout, stderr, () =>
        {
            using var engine = Open(parse, rootOption, restore, null, stderr);
            var entities = engine.FindEntities(new EntityQuery(parse.GetValue(name), parse.GetValue(kind), parse.GetValue(pathFilter)));
            return new Outcome(JsonOutput.Entities(entities), Done, o =>
            {
                foreach (var e in entities)
                {
                    o.WriteLine($"{e.Path}:{e.StartLine}-{e.EndLine} {e.Kind,-12} {e.Accessibility,-9} {e.NamePath}{(e.HasDocs ? "" : "  (no docs)")}");
                }
            });
        }));

        var verify = new Command("verify", "Prove the index matches the disk.") { rootOption, json };
        verify.SetAction(parse => Run(parse, json, stdout, stderr, () =>
        {
            using var engine = Open(parse, rootOption, restore, null, stderr);
            var v = engine.Verify();
            return new Outcome(JsonOutput.Verification(v), v.IsConsistent ? Done : Refused, o =>
            {
                o.WriteLine(v.IsConsistent ? "index matches disk" : "index differs from disk:");
                foreach (var p in v.Problems)
                {
                    o.WriteLine("  " + p);
                }
            });
        }));

        var recover = new Command("recover", "Repair unfinished transactions (opening the workspace runs recovery).") { rootOption, json };
        recover.SetAction(parse => Run(parse, json, stdout, stderr, () =>
        {
            using var engine = Open(parse, rootOption, restore, null, stderr);
            var r = engine.LastRecovery;
            return new Outcome(JsonOutput.Recovery(r), r.Conflicts.Count == 0 ? Done : Refused,
                o => o.WriteLine($"rolled back: {r.RolledBack.Count}, rolled forward: {r.RolledForward.Count}, conflicts: {string.Join(", ", r.Conflicts)}"));
        }));

        var backups = new Command("backups", "List the kept backups, per transaction.") { rootOption, json };
        backups.SetAction(parse => Run(parse, json, stdout, stderr, () =>
        {
            var dir = Path.Combine(Path.GetFullPath(parse.GetValue(rootOption)!), ".atomiccompose", "backups");
            var list = (Directory.Exists(dir) ? Directory.GetDirectories(dir).Order(StringComparer.Ordinal).ToArray() : [])
                .Select(d => (Id: Path.GetFileName(d), Files: Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(d, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList()))
                .ToList();
            var document = new JsonObject
            {
                ["ok"] = true,
                ["backups"] = new JsonArray([.. list.Select(b => new JsonObject { ["transactionId"] = b.Id, ["files"] = new JsonArray([.. b.Files.Select(f => (JsonNode?)f)]) })]),
            };
            return new Outcome(document, Done, o =>
            {
                foreach (var b in list)
                {
                    o.WriteLine($"{b.Id}: {string.Join(", ", b.Files)}");
                }
            });
        }));

        var mcp = new Command("mcp", "Serve the Model Context Protocol over stdio with one warm engine for the process's life (tools: list_targets, read_member, preview, apply, undo, query, verify, recover). Logs go to stderr.") { rootOption, verbose };
        mcp.SetAction((parse, cancellationToken) => McpServerHost.RunAsync(Path.GetFullPath(parse.GetValue(rootOption)!), parse.GetValue(verbose), parse.GetValue(restore), cancellationToken));

        foreach (var command in new[] { demo, apply, preview, undo, targets, read, query, verify, recover, backups, mcp })
        {
            root.Subcommands.Add(command);
        }

        root.Options.Add(restore);

        return root;
    }

    private static ComposeEngine Open(ParseResult parse, Option<string> rootOption, Option<bool> restore, Option<bool>? verbose, TextWriter stderr)
    {
        var compose = new ComposeOptions { RestoreProjects = parse.GetValue(restore) };
        if (verbose is not null && parse.GetValue(verbose))
        {
            // stderr, never stdout: with --json, stdout holds exactly one document.
            compose.LoggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true)
                .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Debug));
            _ = stderr;
        }

        return ComposeEngine.Open(Path.GetFullPath(parse.GetValue(rootOption)!), compose);
    }

    /// <summary>Runs a command body and prints its outcome as JSON or text; every refusal becomes exit code and document, never an unhandled exception.</summary>
    private static int Run(ParseResult parse, Option<bool> json, TextWriter stdout, TextWriter stderr, Func<Outcome> body)
    {
        var asJson = parse.GetValue(json);
        Outcome outcome;
        try
        {
            outcome = body();
        }
        catch (Exception ex) when (ex is ComposeException or UsageException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            var code = ExitCodeOf(ex);
            if (asJson)
            {
                stdout.WriteLine(JsonOutput.Text(JsonOutput.Error(ex)));
            }
            else
            {
                stderr.WriteLine(ex is ComposeException ce ? ce.Message : ex.Message);
                foreach (var c in (ex as ComposeException)?.Candidates ?? [])
                {
                    stderr.WriteLine("  candidate: " + c);
                }

                foreach (var d in (ex as ComposeValidationException)?.Report.Blocking ?? [])
                {
                    stderr.WriteLine("  " + d);
                }
            }

            return code;
        }

        if (asJson && outcome.Json is not null)
        {
            stdout.WriteLine(JsonOutput.Text(outcome.Json));
        }
        else
        {
            outcome.Text?.Invoke(stdout);
        }

        return outcome.ExitCode;
    }

    /// <summary>The exit code for a refusal.</summary>
    /// <param name="error">The error.</param>
    /// <returns>2 for usage, 3 when the workspace needs recovery, else 1.</returns>
    internal static int ExitCodeOf(Exception error) => error switch
    {
        UsageException or ArgumentException => Usage,
        ComposeException { State: TransactionState.NeedsRecovery or TransactionState.CommittedNeedsRecovery } => NeedsRecovery,
        _ => Refused,
    };

    private sealed record Outcome(JsonObject? Json, int ExitCode, Action<TextWriter>? Text = null);
}
