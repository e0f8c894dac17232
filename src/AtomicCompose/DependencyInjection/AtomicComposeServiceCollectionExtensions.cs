using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace AtomicCompose.DependencyInjection;

/// <summary>Opens engines with the options and logging registered in a service container.</summary>
public interface IComposeEngineFactory
{
    /// <summary>Opens the workspace at <paramref name="root"/> with the registered options.</summary>
    /// <param name="root">The workspace root.</param>
    /// <returns>The engine; the caller owns and disposes it.</returns>
    ComposeEngine Open(string root);
}

/// <summary>Registers AtomicCompose in a service container.</summary>
public static class AtomicComposeServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IComposeEngineFactory"/> and the <see cref="ComposeOptions"/> it uses. When an
    /// <see cref="ILoggerFactory"/> is registered and the options name none, engines log through it.
    /// </summary>
    /// <param name="services">The container.</param>
    /// <param name="configure">Configures the options (components, validators, policy).</param>
    /// <returns>The container.</returns>
    public static IServiceCollection AddAtomicCompose(this IServiceCollection services, Action<ComposeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new ComposeOptions();
        configure?.Invoke(options);
        services.TryAddSingleton(options);
        services.TryAddSingleton<IComposeEngineFactory>(sp =>
        {
            var registered = sp.GetRequiredService<ComposeOptions>();
            registered.LoggerFactory ??= sp.GetService<ILoggerFactory>();
            return new ComposeEngineFactory(registered);
        });
        return services;
    }

    private sealed class ComposeEngineFactory(ComposeOptions options) : IComposeEngineFactory
    {
        public ComposeEngine Open(string root) => ComposeEngine.Open(root, options);
    }
}
