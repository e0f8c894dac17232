using System.Text.Json;
using System.Text.Json.Nodes;
using AtomicCompose.Composition;
using AtomicCompose.Indexing;
using AtomicCompose.Journal;
using AtomicCompose.Validation;

namespace AtomicCompose.Cli;

/// <summary>
/// The JSON documents of the CLI's <c>--json</c> and of the MCP tools: one shape per result, built here only, so both
/// speak alike. Every document has <c>ok</c>; a refusal has <c>ok: false</c> and <c>error</c>.
/// </summary>
public static class JsonOutput
{
    /// <summary>How documents are written: compact, camelCase.</summary>
    /// <remarks>Relaxed escaping: diffs are full of <c>&lt;</c>, <c>&gt;</c> and quotes, and the documents are never embedded in HTML.</remarks>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = false,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>A preview: <c>transactionId</c> and <c>commitSha</c> are null (nothing was written); a blocked one has <c>ok: false</c> and the <c>error</c> an apply would give.</summary>
    /// <param name="preview">The preview.</param>
    /// <returns>The document.</returns>
    public static JsonObject Preview(ComposePreview preview)
    {
        ArgumentNullException.ThrowIfNull(preview);
        var document = new JsonObject
        {
            ["ok"] = preview.Validation.Passed,
            ["transactionId"] = null,
            ["commitSha"] = null,
            ["files"] = Array(preview.Files.Select(File)),
            ["validation"] = Validation(preview.Validation),
            ["entityChanges"] = Array(preview.EntityChanges.Select(Entity)),
        };
        if (!preview.Validation.Passed)
        {
            // The same error an apply of the plan would give, beside the diffs it would have written.
            document["error"] = Error(new ComposeValidationException(preview.Validation, preview.Files.Select(f => f.Path).ToList()))["error"]!.DeepClone();
        }

        return document;
    }

    /// <summary>A completed transaction (apply or undo).</summary>
    /// <param name="result">The result.</param>
    /// <returns>The document.</returns>
    public static JsonObject Result(ComposeResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new JsonObject
        {
            ["ok"] = true,
            ["transactionId"] = result.TransactionId,
            ["commitSha"] = result.CommitSha,
            ["files"] = Array(result.Files.Select(File)),
            ["validation"] = Validation(result.Validation),
            ["entityChanges"] = Array(result.EntityChanges.Select(Entity)),
            ["timingsMs"] = new JsonObject(result.Timings.Select(t => KeyValuePair.Create(Camel(t.Step.ToString()), (JsonNode?)Math.Round(t.Elapsed.TotalMilliseconds, 3)))),
        };
    }

    /// <summary>The targets of a file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="targets">Its targets.</param>
    /// <returns>The document.</returns>
    public static JsonObject Targets(string path, IReadOnlyList<MemberTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        return new JsonObject
        {
            ["ok"] = true,
            ["path"] = path,
            ["targets"] = Array(targets.Select(t => new JsonObject { ["namePath"] = t.NamePath, ["kind"] = t.Kind, ["lines"] = Lines(t.Lines) })),
        };
    }

    /// <summary>One member's text.</summary>
    /// <param name="member">The member.</param>
    /// <returns>The document.</returns>
    public static JsonObject Member(MemberText member)
    {
        ArgumentNullException.ThrowIfNull(member);
        return new JsonObject
        {
            ["ok"] = true,
            ["path"] = member.Path,
            ["namePath"] = member.NamePath,
            ["kind"] = member.Kind,
            ["lines"] = Lines(member.Lines),
            ["text"] = member.Text,
            ["docComment"] = member.DocComment,
        };
    }

    /// <summary>Index entities.</summary>
    /// <param name="entities">The entities.</param>
    /// <returns>The document.</returns>
    public static JsonObject Entities(IReadOnlyList<EntityRecord> entities)
    {
        ArgumentNullException.ThrowIfNull(entities);
        return new JsonObject
        {
            ["ok"] = true,
            ["entities"] = Array(entities.Select(e => new JsonObject
            {
                ["namePath"] = e.NamePath,
                ["kind"] = e.Kind,
                ["path"] = e.Path,
                ["lines"] = new JsonObject { ["start"] = e.StartLine, ["end"] = e.EndLine },
                ["accessibility"] = e.Accessibility,
                ["signature"] = e.Signature,
                ["hasDocs"] = e.HasDocs,
            })),
        };
    }

    /// <summary>The index verdict.</summary>
    /// <param name="verification">The verdict.</param>
    /// <returns>The document.</returns>
    public static JsonObject Verification(IndexVerification verification)
    {
        ArgumentNullException.ThrowIfNull(verification);
        return new JsonObject { ["ok"] = verification.IsConsistent, ["consistent"] = verification.IsConsistent, ["problems"] = Array(verification.Problems.Select(p => (JsonNode?)p)) };
    }

    /// <summary>What recovery did.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The document.</returns>
    public static JsonObject Recovery(RecoveryReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new JsonObject
        {
            ["ok"] = report.Conflicts.Count == 0,
            ["rolledBack"] = Array(report.RolledBack.Select(p => (JsonNode?)p)),
            ["rolledForward"] = Array(report.RolledForward.Select(p => (JsonNode?)p)),
            ["conflicts"] = Array(report.Conflicts.Select(p => (JsonNode?)p)),
        };
    }

    /// <summary>A refusal: the library's typed error (code, step, state, paths, candidates, blocking diagnostics), a usage error (code <c>Usage</c>) or a file the CLI itself could not read (code <c>IO</c>).</summary>
    /// <param name="error">The error.</param>
    /// <returns>The document.</returns>
    public static JsonObject Error(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var body = error switch
        {
            ComposeException ce => new JsonObject
            {
                ["code"] = ce.Code.ToString(),
                ["step"] = ce.Step.ToString(),
                ["state"] = ce.State.ToString(),
                ["message"] = ce.Reason,
                ["paths"] = Array(ce.Paths.Select(p => (JsonNode?)p)),
                ["candidates"] = Array(ce.Candidates.Select(p => (JsonNode?)p)),
                ["blocking"] = Array((ce as ComposeValidationException)?.Report.Blocking.Select(Diagnostic) ?? []),
            },
            _ => new JsonObject
            {
                ["code"] = error is UsageException or ArgumentException ? "Usage" : "IO",
                ["step"] = null,
                ["state"] = null,
                ["message"] = error.Message,
                ["paths"] = new JsonArray(),
                ["candidates"] = new JsonArray(),
                ["blocking"] = new JsonArray(),
            },
        };
        var document = new JsonObject { ["ok"] = false, ["error"] = body };
        if (error is ComposeValidationException validation)
        {
            document["validation"] = Validation(validation.Report);
        }

        return document;
    }

    /// <summary>Writes <paramref name="document"/> as one line.</summary>
    /// <param name="document">The document.</param>
    /// <returns>The JSON text.</returns>
    public static string Text(JsonNode document) => document.ToJsonString(Options);

    private static JsonObject File(FileChange f) => new()
    {
        ["path"] = f.Path,
        ["kind"] = Camel(f.Kind.ToString()),
        ["diff"] = f.UnifiedDiff,
        ["changedRanges"] = Array(f.Operations.Select(o => new JsonObject
        {
            ["operation"] = Camel(o.Operation.Kind.ToString()),
            ["target"] = o.Operation.Target,
            ["oldLines"] = Lines(o.OldLines),
            ["newLines"] = Lines(o.NewLines),
        })),
        ["oldHash"] = f.OldHash,
        ["newHash"] = f.NewHash,
        ["backupPath"] = f.BackupPath,
    };

    private static JsonObject Validation(ValidationReport report) => new()
    {
        ["passed"] = report.Passed,
        ["summary"] = report.Summary(),
        ["blocking"] = Array(report.Blocking.Select(Diagnostic)),
        ["newDiagnostics"] = Array(report.Diagnostics.Where(d => d.IsNew).Select(Diagnostic)),
        ["validators"] = Array(report.Verdicts.Select(v => new JsonObject
        {
            ["name"] = v.Validator,
            ["passed"] = v.Passed,
            ["skipped"] = v.Skipped,
            ["elapsedMs"] = Math.Round(v.Elapsed.TotalMilliseconds, 3),
            ["diagnostics"] = v.Diagnostics.Count,
        })),
    };

    private static JsonObject Diagnostic(ValidationDiagnostic d) => new()
    {
        ["id"] = d.Id,
        ["severity"] = Camel(d.Severity.ToString()),
        ["message"] = d.Message,
        ["path"] = d.Path,
        ["line"] = d.Line,
        ["column"] = d.Column,
        ["validator"] = d.Validator,
        ["isNew"] = d.IsNew,
        ["targetFramework"] = d.TargetFramework,
    };

    private static JsonObject Entity(EntityChange e) => new()
    {
        ["path"] = e.Path,
        ["namePath"] = e.NamePath,
        ["kind"] = e.Kind,
        ["change"] = Camel(e.Change.ToString()),
        ["lines"] = Lines(e.Lines),
    };

    private static JsonObject Lines(LineRange lines) => new() { ["start"] = lines.Start, ["end"] = lines.End };

    private static JsonArray Array(IEnumerable<JsonNode?> items) => new([.. items]);

    private static string Camel(string name) => JsonNamingPolicy.CamelCase.ConvertName(name);
}
