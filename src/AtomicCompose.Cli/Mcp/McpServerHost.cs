using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;

namespace AtomicCompose.Cli.Mcp;

/// <summary>
/// <c>atomic-compose mcp</c>: the official MCP C# SDK's stdio server with the <see cref="ComposeTools"/>, hosted by the
/// generic host. stdout carries the protocol only, so every log line goes to stderr.
/// </summary>
internal static class McpServerHost
{
    public static async Task<int> RunAsync(string root, bool verbose, bool restoreProjects, CancellationToken cancellationToken)
    {
        // DisableDefaults: no appsettings, no environment configuration, no console logger on stdout.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = root });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Warning);
        builder.Services.AddSingleton(sp => new EngineHost(root, sp.GetRequiredService<ILoggerFactory>(), restoreProjects));
        builder.Services
            .AddMcpServer(o => o.ServerInfo = new Implementation { Name = "atomic-compose", Version = typeof(McpServerHost).Assembly.GetName().Version?.ToString() ?? "0.0.0" })
            .WithStdioServerTransport()
            .WithTools<ComposeTools>();
        using var host = builder.Build();
        // Start opening the workspace now so the first call finds it warm; a failure (the lock is held) is reported
        // by the first tool call, never by crashing the server.
        host.Services.GetRequiredService<EngineHost>().StartOpening();
        await host.RunAsync(cancellationToken).ConfigureAwait(false);
        return CliApp.Done;
    }
}
