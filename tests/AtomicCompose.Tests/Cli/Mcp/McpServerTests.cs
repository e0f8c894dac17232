using System.Diagnostics;
using System.Text.Json;
using AtomicCompose.Tests.TestSupport;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Xunit.Abstractions;

namespace AtomicCompose.Tests.Cli.Mcp;

/// <summary>
/// <c>atomic-compose mcp</c> as an agent meets it: the SDK's own MCP client starts the built CLI as a child process and
/// talks to it over stdio, on a real git repository.
/// </summary>
public sealed class McpServerTests : IDisposable
{
    private const string NewGreet = "public string Greet(string name) => $\"Hello, {name}\";";
    private readonly TempWorkspace _ws = TempWorkspace.Create();
    private readonly ITestOutputHelper _output;

    public McpServerTests(ITestOutputHelper output)
    {
        _output = output;
        SampleProjects.WriteDemo(_ws);
    }

    public void Dispose() => _ws.Dispose();

    [Fact]
    [Trait("Category", "Slow")]
    public async Task A_session_lists_previews_applies_refuses_and_undoes_and_a_second_server_gets_the_lock_error()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = timeout.Token;
        await using var client = await Start(ct);

        var tools = await client.ListToolsAsync(cancellationToken: ct);
        Assert.Equal(["apply", "list_targets", "preview", "query", "read_member", "recover", "undo", "verify"], tools.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.Contains("\"path\"", tools.Single(t => t.Name == "list_targets").JsonSchema.GetRawText());
        Assert.Contains("\"operations\"", tools.Single(t => t.Name == "apply").JsonSchema.GetRawText());

        var targets = await Call(client, "list_targets", new() { ["path"] = "src/Greeter.cs" }, ct);
        Assert.Contains(targets.GetProperty("targets").EnumerateArray(), t => t.GetProperty("namePath").GetString() == "Demo.Greeter.Greet(string)");

        var member = await Call(client, "read_member", new() { ["path"] = "src/Greeter.cs", ["target"] = "Greeter.Greet" }, ct);
        Assert.Equal("/// <summary>Says hello.</summary>\n/// <param name=\"name\">Who to greet.</param>\n/// <returns>The greeting.</returns>", member.GetProperty("docComment").GetString());

        var before = _ws.ReadBytes("src/Greeter.cs");
        var head = _ws.Git("rev-parse", "HEAD");
        var previewMs = new List<double>();
        JsonElement preview = default;
        for (var i = 0; i < 4; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            preview = await Call(client, "preview", new() { ["plan"] = Plan(NewGreet) }, ct);
            previewMs.Add(stopwatch.Elapsed.TotalMilliseconds);
        }

        _output.WriteLine($"preview over MCP, ms: {string.Join(", ", previewMs.Select(m => m.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)))}");
        Assert.Contains("+    " + NewGreet, preview.GetProperty("files")[0].GetProperty("diff").GetString());
        Assert.True(preview.GetProperty("validation").GetProperty("passed").GetBoolean());
        Assert.Equal(before, _ws.ReadBytes("src/Greeter.cs"));
        Assert.Equal(head, _ws.Git("rev-parse", "HEAD"));

        var apply = await Call(client, "apply", new() { ["plan"] = Plan(NewGreet) }, ct);
        var id = apply.GetProperty("transactionId").GetString()!;
        Assert.Equal(_ws.Git("rev-parse", "HEAD"), apply.GetProperty("commitSha").GetString());
        Assert.Equal(head, _ws.Git("rev-parse", "HEAD~1"));
        Assert.Contains(NewGreet, _ws.ReadText("src/Greeter.cs"));

        var applied = _ws.Snapshot();
        var refused = await client.CallToolAsync("apply", new Dictionary<string, object?> { ["plan"] = Plan("public string Greet(string name) => Shout(name);") }, cancellationToken: ct);
        Assert.True(refused.IsError);
        var error = Parse(refused).GetProperty("error");
        Assert.Equal("ValidationFailed", error.GetProperty("code").GetString());
        Assert.Equal("Validate", error.GetProperty("step").GetString());
        Assert.Equal("Active", error.GetProperty("state").GetString());
        var blocking = error.GetProperty("blocking").EnumerateArray().Single();
        Assert.Equal("CS0103", blocking.GetProperty("id").GetString());
        Assert.Equal("src/Greeter.cs", blocking.GetProperty("path").GetString());
        Assert.True(blocking.GetProperty("line").GetInt32() > 0 && blocking.GetProperty("column").GetInt32() > 0);
        Assert.Equal(applied, _ws.Snapshot());
        Assert.Equal(apply.GetProperty("commitSha").GetString(), _ws.Git("rev-parse", "HEAD"));

        // The server lives on after a refusal: a bad target is a typed error, and the next call works.
        var badTarget = await client.CallToolAsync("read_member", new Dictionary<string, object?> { ["path"] = "src/Greeter.cs", ["target"] = "Nope" }, cancellationToken: ct);
        Assert.True(badTarget.IsError);
        Assert.Equal("TargetNotFound", Parse(badTarget).GetProperty("error").GetProperty("code").GetString());

        var undo = await Call(client, "undo", new() { ["transactionId"] = id }, ct);
        Assert.Equal(before, _ws.ReadBytes("src/Greeter.cs"));
        Assert.Equal(_ws.Git("rev-parse", "HEAD"), undo.GetProperty("commitSha").GetString());
        Assert.Contains("Compose-Undoes: " + id, _ws.Git("log", "-1", "--format=%B"));

        // A hand edit between calls: the warm engine reads what is on disk now, and refuses to undo over it.
        var undoId = undo.GetProperty("transactionId").GetString()!;
        _ws.Write("src/Greeter.cs", _ws.ReadText("src/Greeter.cs").Replace("\"Bye, \"", "\"Ciao, \"", StringComparison.Ordinal));
        var farewell = await Call(client, "read_member", new() { ["path"] = "src/Greeter.cs", ["target"] = "Greeter.Farewell" }, ct);
        Assert.Contains("\"Ciao, \"", farewell.GetProperty("text").GetString());
        var handEdited = _ws.Snapshot();
        var overHandEdit = await client.CallToolAsync("undo", new Dictionary<string, object?> { ["transactionId"] = undoId }, cancellationToken: ct);
        Assert.True(overHandEdit.IsError);
        Assert.Equal("ChangedSinceTransaction", Parse(overHandEdit).GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(handEdited, _ws.Snapshot());
        _ws.Git("checkout", "--", "src/Greeter.cs");

        var verify = await Call(client, "verify", [], ct);
        Assert.True(verify.GetProperty("consistent").GetBoolean());
        var query = await Call(client, "query", new() { ["name"] = "Demo.Greeter.Greet(string)" }, ct);
        Assert.Single(query.GetProperty("entities").EnumerateArray());
        var recover = await Call(client, "recover", [], ct);
        Assert.Empty(recover.GetProperty("rolledBack").EnumerateArray());

        await using var second = await Start(ct);
        var locked = await second.CallToolAsync("verify", new Dictionary<string, object?>(), cancellationToken: ct);
        Assert.True(locked.IsError);
        Assert.Equal("WorkspaceLocked", Parse(locked).GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("Open", Parse(locked).GetProperty("error").GetProperty("step").GetString());
        // The first server still serves.
        Assert.True((await Call(client, "verify", [], ct)).GetProperty("consistent").GetBoolean());
    }

    private async Task<McpClient> Start(CancellationToken ct)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "AtomicCompose.Cli.dll");
        Assert.True(File.Exists(cli), cli);
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "atomic-compose",
            Command = "dotnet",
            Arguments = [cli, "mcp", "--root", _ws.Root],
            WorkingDirectory = _ws.Root,
            StandardErrorLines = line => _output.WriteLine("server stderr: " + line),
        });
        return await McpClient.CreateAsync(transport, cancellationToken: ct);
    }

    private static JsonElement Plan(string code) => JsonSerializer.SerializeToElement(new
    {
        message = "Make Greeter.Greet shorter",
        operations = new[] { new { op = "replace", path = "src/Greeter.cs", target = "Demo.Greeter.Greet(string)", code } },
    });

    private static async Task<JsonElement> Call(McpClient client, string tool, Dictionary<string, object?> arguments, CancellationToken ct)
    {
        var result = await client.CallToolAsync(tool, arguments, cancellationToken: ct);
        var document = Parse(result);
        Assert.False(result.IsError == true, $"{tool}: {document}");
        Assert.True(document.GetProperty("ok").GetBoolean());
        return document;
    }

    private static JsonElement Parse(CallToolResult result)
    {
        var text = Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
