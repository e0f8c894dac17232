using System.Text.Json;
using AtomicCompose.Cli;
using AtomicCompose.Tests.TestSupport;

namespace AtomicCompose.Tests.Cli;

/// <summary>Every command with <c>--json</c> prints exactly one JSON document; the documents are parsed and checked, in a real git repository.</summary>
public sealed class CliJsonTests : IDisposable
{
    private const string NewGreet = "public string Greet(string name) => $\"Hello, {name}\";";
    private readonly TempWorkspace _ws = TempWorkspace.Create();

    public CliJsonTests() => SampleProjects.WriteDemo(_ws);

    public void Dispose() => _ws.Dispose();

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Read_only_commands_print_one_document_each()
    {
        var (code, targets) = await Run("targets", "src/Greeter.cs");
        Assert.Equal(0, code);
        Assert.True(targets.GetProperty("ok").GetBoolean());
        var greet = targets.GetProperty("targets").EnumerateArray().Single(t => t.GetProperty("namePath").GetString() == "Demo.Greeter.Greet(string)");
        Assert.Equal("method", greet.GetProperty("kind").GetString());
        Assert.True(greet.GetProperty("lines").GetProperty("start").GetInt32() > 0);

        (code, var member) = await Run("read", "src/Greeter.cs", "Greeter.Greet");
        Assert.Equal(0, code);
        Assert.Equal("Demo.Greeter.Greet(string)", member.GetProperty("namePath").GetString());
        Assert.Contains("return \"Hello, \" + name + \"!\";", member.GetProperty("text").GetString());
        Assert.Equal("/// <summary>Says hello.</summary>\n/// <param name=\"name\">Who to greet.</param>\n/// <returns>The greeting.</returns>", member.GetProperty("docComment").GetString());
        Assert.Equal(greet.GetProperty("lines").GetProperty("start").GetInt32(), member.GetProperty("lines").GetProperty("start").GetInt32());

        (code, var query) = await Run("query", "--name", "Demo.Greeter.*", "--kind", "method");
        Assert.Equal(0, code);
        Assert.Equal(["Demo.Greeter.Farewell(string)", "Demo.Greeter.Greet(string)"],
            query.GetProperty("entities").EnumerateArray().Select(e => e.GetProperty("namePath").GetString()).Order(StringComparer.Ordinal));

        (code, var verify) = await Run("verify");
        Assert.Equal(0, code);
        Assert.True(verify.GetProperty("consistent").GetBoolean());
        Assert.Empty(verify.GetProperty("problems").EnumerateArray());

        (code, var recover) = await Run("recover");
        Assert.Equal(0, code);
        Assert.Empty(recover.GetProperty("rolledBack").EnumerateArray());
        Assert.Empty(recover.GetProperty("conflicts").EnumerateArray());

        (code, var backups) = await Run("backups");
        Assert.Equal(0, code);
        Assert.Empty(backups.GetProperty("backups").EnumerateArray());

        (code, var missing) = await Run("read", "src/Greeter.cs", "Greeter.Nope");
        Assert.Equal(1, code);
        Assert.Equal("TargetNotFound", missing.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(["src/Greeter.cs"], missing.GetProperty("error").GetProperty("paths").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Preview_apply_and_undo_give_the_same_shapes_and_undo_restores_the_bytes()
    {
        var before = _ws.ReadBytes("src/Greeter.cs");
        var plan = WritePlan(NewGreet);

        var (code, preview) = await Run("preview", plan);
        Assert.Equal(0, code);
        Assert.Equal(JsonValueKind.Null, preview.GetProperty("transactionId").ValueKind);
        Assert.Equal(JsonValueKind.Null, preview.GetProperty("commitSha").ValueKind);
        var file = preview.GetProperty("files").EnumerateArray().Single();
        Assert.Equal("src/Greeter.cs", file.GetProperty("path").GetString());
        Assert.Equal("modified", file.GetProperty("kind").GetString());
        Assert.Contains("+    " + NewGreet, file.GetProperty("diff").GetString());
        Assert.True(preview.GetProperty("validation").GetProperty("passed").GetBoolean());
        Assert.Empty(preview.GetProperty("validation").GetProperty("blocking").EnumerateArray());
        Assert.Equal(before, _ws.ReadBytes("src/Greeter.cs"));

        (code, var apply) = await Run("apply", plan);
        Assert.Equal(0, code);
        var id = apply.GetProperty("transactionId").GetString()!;
        Assert.Equal(_ws.Git("rev-parse", "HEAD"), apply.GetProperty("commitSha").GetString());
        Assert.Equal("modified", apply.GetProperty("files")[0].GetProperty("kind").GetString());
        Assert.True(apply.GetProperty("validation").GetProperty("passed").GetBoolean());
        Assert.Contains(NewGreet, _ws.ReadText("src/Greeter.cs"));

        (code, var undo) = await Run("undo", id);
        Assert.Equal(0, code);
        Assert.Equal(before, _ws.ReadBytes("src/Greeter.cs"));
        Assert.NotEqual(id, undo.GetProperty("transactionId").GetString());
        Assert.Equal(_ws.Git("rev-parse", "HEAD"), undo.GetProperty("commitSha").GetString());
        Assert.Contains("Compose-Undoes: " + id, _ws.Git("log", "-1", "--format=%B"));

        (code, var again) = await Run("undo", id);
        Assert.Equal(1, code);
        Assert.Equal("AlreadyUndone", again.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("Undo", again.GetProperty("error").GetProperty("step").GetString());
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task A_refused_apply_is_one_error_document_with_its_blocking_diagnostics_and_writes_nothing()
    {
        var before = _ws.Snapshot();
        var head = _ws.Git("rev-parse", "HEAD");

        var (code, refused) = await Run("apply", WritePlan("public string Greet(string name) => Shout(name);"));

        Assert.Equal(1, code);
        Assert.False(refused.GetProperty("ok").GetBoolean());
        var error = refused.GetProperty("error");
        Assert.Equal("ValidationFailed", error.GetProperty("code").GetString());
        Assert.Equal("Validate", error.GetProperty("step").GetString());
        Assert.Equal("Active", error.GetProperty("state").GetString());
        var blocking = error.GetProperty("blocking").EnumerateArray().Single();
        Assert.Equal("CS0103", blocking.GetProperty("id").GetString());
        Assert.Equal("error", blocking.GetProperty("severity").GetString());
        Assert.Equal("src/Greeter.cs", blocking.GetProperty("path").GetString());
        Assert.True(blocking.GetProperty("line").GetInt32() > 0);
        Assert.True(blocking.GetProperty("column").GetInt32() > 0);
        Assert.Contains("Shout", blocking.GetProperty("message").GetString());
        Assert.Equal(before, _ws.Snapshot());
        Assert.Equal(head, _ws.Git("rev-parse", "HEAD"));
    }

    [Fact]
    public async Task Usage_errors_are_exit_code_2_and_a_document_too()
    {
        var (code, noArgument) = await Run("undo");
        Assert.Equal(2, code);
        Assert.Equal("Usage", noArgument.GetProperty("error").GetProperty("code").GetString());

        (code, var noPlan) = await Run("apply", Path.Combine(_ws.Root, "missing.json"));
        Assert.Equal(2, code);
        Assert.Contains("missing.json", noPlan.GetProperty("error").GetProperty("message").GetString());

        (code, var unknown) = await Run("undo", "20260101T000000-00000000");
        Assert.Equal(1, code);
        Assert.Equal("UnknownTransaction", unknown.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Every_command_has_help()
    {
        foreach (var command in new[] { "demo", "apply", "preview", "undo", "targets", "read", "query", "verify", "recover", "backups", "mcp" })
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            Assert.Equal(0, await CliApp.RunAsync([command, "--help"], stdout, stderr));
            Assert.Contains("Usage:", stdout.ToString());
            Assert.Contains(command, stdout.ToString());
        }
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Demo_with_json_is_one_document()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliApp.RunAsync(["demo", "--json"], stdout, stderr);

        Assert.Equal(0, code);
        using var document = JsonDocument.Parse(stdout.ToString());
        Assert.True(document.RootElement.GetProperty("ok").GetBoolean());
        Assert.Contains("nothing changed: every file byte-identical", document.RootElement.GetProperty("output").GetString());
    }

    private string WritePlan(string code)
    {
        var plan = JsonSerializer.Serialize(new
        {
            message = "Make Greeter.Greet shorter",
            operations = new[] { new { op = "replace", path = "src/Greeter.cs", target = "Demo.Greeter.Greet(string)", code } },
        });
        var path = Path.Combine(Path.GetTempPath(), "ac-plan-" + Guid.NewGuid().ToString("N")[..8] + ".json");
        File.WriteAllText(path, plan);
        return path;
    }

    /// <summary>Runs a command with <c>--json --root</c>; stdout must be exactly one JSON document.</summary>
    private async Task<(int Code, JsonElement Document)> Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliApp.RunAsync([.. args, "--json", "--root", _ws.Root], stdout, stderr);
        using var document = JsonDocument.Parse(stdout.ToString());
        return (code, document.RootElement.Clone());
    }
}
