using System.ComponentModel;
using System.Text.Json;
using AtomicCompose.Composition;

namespace AtomicCompose.Cli;

/// <summary>A JSON plan: a commit message and the operations of one transaction, in order. The CLI reads it from a file, the MCP tools take it as an argument.</summary>
/// <param name="Message">The commit message.</param>
/// <param name="Operations">The operations, applied in order, each to the result of the ones before it.</param>
public sealed record Plan(
    [property: Description("The commit message.")] string? Message,
    [property: Description("The operations, applied in order, each one to the result of those before it.")] IReadOnlyList<PlanOperation>? Operations)
{
    /// <summary>The operation names a plan accepts.</summary>
    public const string OperationNames = "replace, replace-body, insert-before, insert-after, insert-first, insert-last, delete, add-using, create-file, replace-file, delete-file";

    private static readonly JsonSerializerOptions ReadOptions = new() { PropertyNameCaseInsensitive = true };

    /// <summary>Reads a plan file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The plan.</returns>
    /// <exception cref="UsageException">The file is missing or is not a plan.</exception>
    public static Plan Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"The plan file '{path}' does not exist.");
        }

        try
        {
            return JsonSerializer.Deserialize<Plan>(File.ReadAllText(path), ReadOptions) ?? throw new UsageException("The plan is empty (null).");
        }
        catch (JsonException ex)
        {
            throw new UsageException($"The plan '{path}' is not valid JSON: {ex.Message}");
        }
    }

    /// <summary>Begins a transaction on <paramref name="engine"/> and stages every operation; the caller owns (disposes) it.</summary>
    /// <param name="engine">The engine.</param>
    /// <returns>The transaction with everything staged.</returns>
    /// <exception cref="UsageException">An operation lacks its path or names an unknown op.</exception>
    /// <exception cref="ComposeException">The library refused an operation; nothing was staged or written.</exception>
    public ComposeTransaction Stage(ComposeEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        if (Operations is null || Operations.Count == 0)
        {
            throw new UsageException("The plan has no operations.");
        }

        var tx = engine.Begin(string.IsNullOrWhiteSpace(Message) ? "atomic-compose plan" : Message);
        try
        {
            foreach (var op in Operations)
            {
                var path = op.Path ?? throw new UsageException("Every operation needs a path.");
                _ = op.Op switch
                {
                    "create-file" => tx.CreateFile(path, op.Code ?? ""),
                    "replace-file" => tx.ReplaceFile(path, op.Code ?? ""),
                    "delete-file" => tx.DeleteFile(path),
                    _ => tx.Stage(path, new EditOperation(ParseKind(op.Op), op.Target ?? "", op.Code)),
                };
            }

            return tx;
        }
        catch
        {
            tx.Dispose();
            throw;
        }
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
        _ => throw new UsageException($"Unknown op '{op}'; use one of: {OperationNames}."),
    };
}

/// <summary>One operation of a <see cref="Plan"/>.</summary>
/// <param name="Op">The operation name.</param>
/// <param name="Path">Root-relative file path.</param>
/// <param name="Target">The name path of the member (not for create-file, replace-file, delete-file, add-using).</param>
/// <param name="Code">The new code (the file's text for create-file; the namespace for add-using).</param>
public sealed record PlanOperation(
    [property: Description("One of: " + Plan.OperationNames + ".")] string? Op,
    [property: Description("Root-relative file path, '/'-separated.")] string? Path,
    [property: Description("Name path of the member, e.g. 'Demo.Greeter.Greet(string)' (a unique suffix will do); list_targets shows them.")] string? Target,
    [property: Description("The new code: the whole member for replace/insert, the body for replace-body, the file's text for create-file, the namespace for add-using.")] string? Code);

/// <summary>The command line was wrong (exit code 2): a missing argument, an unknown op, an unreadable plan.</summary>
public sealed class UsageException : Exception
{
    /// <summary>Creates the error.</summary>
    /// <param name="message">What was wrong.</param>
    public UsageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error.</summary>
    public UsageException()
    {
    }

    /// <summary>Creates the error.</summary>
    /// <param name="message">What was wrong.</param>
    /// <param name="innerException">The cause.</param>
    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
