using System.ComponentModel;
using AtomicCompose.Indexing;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace AtomicCompose.Cli.Mcp;

/// <summary>The MCP tools. Each returns the same JSON document as the CLI command with <c>--json</c>; a refusal has <c>isError</c>.</summary>
[McpServerToolType]
internal sealed class ComposeTools(EngineHost host)
{
    [McpServerTool(Name = "list_targets", ReadOnly = true, Idempotent = true)]
    [Description("The name paths a C# file offers as targets, with kind and lines.")]
    public Task<CallToolResult> ListTargets(
        [Description("Root-relative path of a C# file, '/'-separated.")] string path,
        CancellationToken cancellationToken) =>
        host.RunAsync((engine, _) => JsonOutput.Targets(path, engine.ListTargets(path)), cancellationToken);

    [McpServerTool(Name = "read_member", ReadOnly = true, Idempotent = true)]
    [Description("One member's current text (attributes and doc comment included), its lines and its doc comment.")]
    public Task<CallToolResult> ReadMember(
        [Description("Root-relative path of a C# file.")] string path,
        [Description("The member's name path, e.g. 'Demo.Greeter.Greet(string)'; a unique suffix will do.")] string target,
        CancellationToken cancellationToken) =>
        host.RunAsync((engine, _) => JsonOutput.Member(engine.ReadMember(path, target)), cancellationToken);

    [McpServerTool(Name = "preview", ReadOnly = true)]
    [Description("Compose and validate a plan: the diffs, changed ranges and validation report. Writes nothing. A plan validation blocks is an error result that still carries the diffs.")]
    public Task<CallToolResult> Preview(
        [Description("The plan: a commit message and operations, applied in order.")] Plan plan,
        CancellationToken cancellationToken) =>
        host.RunAsync((engine, ct) =>
        {
            using var tx = plan.Stage(engine);
            return JsonOutput.Preview(tx.Preview(ct));
        }, cancellationToken);

    [McpServerTool(Name = "apply", Destructive = true)]
    [Description("Validate a plan, apply it and commit it (files, index, git) as one atomic transaction. Returns the transaction id, commit sha, diffs and report. A refused plan changes nothing.")]
    public Task<CallToolResult> Apply(
        [Description("The plan: a commit message and operations, applied in order.")] Plan plan,
        CancellationToken cancellationToken) =>
        host.RunAsync((engine, ct) =>
        {
            using var tx = plan.Stage(engine);
            return JsonOutput.Result(tx.Complete(ct));
        }, cancellationToken);

    [McpServerTool(Name = "undo", Destructive = true)]
    [Description("Take a completed transaction back as a new transaction of its own (its own journal, index update and commit with a 'Compose-Undoes' trailer). Refused, changing nothing, when a file it wrote changed since.")]
    public Task<CallToolResult> Undo(
        [Description("The transactionId an apply (or undo) returned.")] string transactionId,
        CancellationToken cancellationToken) =>
        host.RunAsync((engine, ct) => JsonOutput.Result(engine.Undo(transactionId, ct)), cancellationToken);

    [McpServerTool(Name = "query", ReadOnly = true, Idempotent = true)]
    [Description("Entities (types and members) from the index; every filter is optional.")]
    public Task<CallToolResult> Query(
        [Description("Name path, exact or a prefix ending with '*'.")] string? name = null,
        [Description("Entity kind: class, method, property, ...")] string? kind = null,
        [Description("Root-relative file path.")] string? path = null,
        CancellationToken cancellationToken = default) =>
        host.RunAsync((engine, _) => JsonOutput.Entities(engine.FindEntities(new EntityQuery(name, kind, path))), cancellationToken);

    [McpServerTool(Name = "verify", ReadOnly = true, Idempotent = true)]
    [Description("Prove the index matches the disk: every indexed file's hash and entities, and no C# file left unindexed.")]
    public Task<CallToolResult> Verify(CancellationToken cancellationToken) =>
        host.RunAsync((engine, _) => JsonOutput.Verification(engine.Verify()), cancellationToken);

    [McpServerTool(Name = "recover")]
    [Description("Repair unfinished transactions found in the journal: roll back those before their commit point, finish those after it.")]
    public Task<CallToolResult> Recover(CancellationToken cancellationToken) =>
        host.RunAsync((engine, _) => JsonOutput.Recovery(engine.Recover()), cancellationToken);
}
