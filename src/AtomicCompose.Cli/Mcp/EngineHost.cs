using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;

namespace AtomicCompose.Cli.Mcp;

/// <summary>
/// The one warm <see cref="ComposeEngine"/> of an MCP server process. Calls are serialized (an engine runs one transaction
/// at a time); the engine is opened once, in the background from start-up, and a failed open (another engine holds the
/// workspace lock) is the result of the call that needed it, and is tried again by the next call.
/// </summary>
internal sealed class EngineHost : IAsyncDisposable
{
    private readonly string _root;
    private readonly ILoggerFactory _loggerFactory;
    private readonly bool _restoreProjects;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Task<ComposeEngine>? _opening;
    private ComposeEngine? _engine;

    public EngineHost(string root, ILoggerFactory loggerFactory, bool restoreProjects)
    {
        _root = root;
        _loggerFactory = loggerFactory;
        _restoreProjects = restoreProjects;
    }

    public void StartOpening() => _opening ??= Open();

    /// <summary>Runs <paramref name="call"/> on the engine; a refusal becomes a tool result with <c>isError</c> and the structured error.</summary>
    public async Task<CallToolResult> RunAsync(Func<ComposeEngine, CancellationToken, JsonObject> call, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var engine = await GetEngineAsync().ConfigureAwait(false);
            var document = await Task.Run(() => call(engine, cancellationToken), cancellationToken).ConfigureAwait(false);
            // One rule for CLI and server: a document with ok false (blocked preview, index that differs) is a refusal.
            return ToResult(document, isError: document["ok"]?.GetValue<bool>() == false);
        }
        catch (Exception ex) when (ex is ComposeException or UsageException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            return ToResult(JsonOutput.Error(ex), isError: true);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_engine is not null)
        {
            await _engine.DisposeAsync().ConfigureAwait(false);
        }
        else if (_opening is not null)
        {
            try
            {
                await (await _opening.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Shutting down: an open that failed holds nothing to release, whatever it failed with.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }

        _gate.Dispose();
    }

    private async Task<ComposeEngine> GetEngineAsync()
    {
        if (_engine is not null)
        {
            return _engine;
        }

        var opening = _opening ??= Open();
        try
        {
            _engine = await opening.ConfigureAwait(false);
            return _engine;
        }
        catch (ComposeException)
        {
            _opening = null;
            throw;
        }
    }

    private Task<ComposeEngine> Open() => ComposeEngine.OpenAsync(_root, new ComposeOptions
    {
        LoggerFactory = _loggerFactory,
        RestoreProjects = _restoreProjects,
        // A second server on the same root should hear about the lock in its first call, not after the default wait.
        LockTimeout = TimeSpan.FromSeconds(1),
    });

    private static CallToolResult ToResult(JsonObject document, bool isError)
    {
        var text = JsonOutput.Text(document);
        return new CallToolResult
        {
            IsError = isError,
            Content = [new TextContentBlock { Text = text }],
            StructuredContent = JsonSerializer.Deserialize<JsonElement>(text),
        };
    }
}
