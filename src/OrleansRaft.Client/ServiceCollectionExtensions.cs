using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace OrleansRaft.Client;

public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IRaftKvClient"/> (one session for the application) and <see cref="IRaftKv"/> for the
    /// default group, on top of an Orleans client the application configures itself (<c>UseOrleansClient</c>,
    /// for instance with <see cref="ClientBuilderExtensions.UseOrleansRaftLocalCluster"/>). Safe to call twice:
    /// registrations are added once, configuration actions accumulate.
    /// </summary>
    public static IServiceCollection AddOrleansRaftClient(this IServiceCollection services, Action<RaftKvClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<RaftKvClientOptions>();
        if (configure is not null) options.Configure(configure);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RaftKvClientOptions>, RaftKvClientOptionsValidator>());
        GatewayLossSignal.Register(services);
        services.TryAddSingleton<IRaftKvClient>(sp =>
            new RaftKvClient(sp.GetRequiredService<IGrainFactory>(), sp.GetRequiredService<IOptions<RaftKvClientOptions>>().Value));
        services.TryAddSingleton(sp => sp.GetRequiredService<IRaftKvClient>().Group());
        return services;
    }
}
