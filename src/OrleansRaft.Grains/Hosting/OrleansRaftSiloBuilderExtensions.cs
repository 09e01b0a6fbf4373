using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OrleansRaft.Grains.Kv;
using OrleansRaft.Grains.Peers;
using OrleansRaft.Grains.Placement;
using Orleans.Configuration;
using OrleansRaft.Hosting.Nodes;
using OrleansRaft.Grains.Directory;
using Orleans.Runtime.Hosting;

namespace OrleansRaft.Hosting;

/// <summary>Silo setup for OrleansRaft. Both methods are safe to call more than once.</summary>
public static class OrleansRaftSiloBuilderExtensions
{
    /// <summary>Registers the services every Raft group needs (placement of peers, the guard that keeps peer calls internal, facade caches, option validation).
    /// Grain storage is the caller's: register the provider named by <see cref="RaftGroupOptions.StorageProvider"/>.</summary>
    public static ISiloBuilder AddOrleansRaft(this ISiloBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(RaftGroupRegistry))) return builder;
        services.AddSingleton<RaftGroupRegistry>();
        services.AddSingleton<LeaderHintCache>();
        services.AddSingleton<PeerLocator>();
        services.AddSingleton<Grains.Membership.GroupConfigurationCache>();
        services.AddSingleton<LocalPeers>();
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<Grains.Diagnostics.PeerActivity>();
        services.AddSingleton<Grains.Diagnostics.RaftMetrics>();
        services.AddSingleton(sp => new Grains.Diagnostics.GroupReadiness(sp.GetRequiredService<RaftGroupRegistry>(),
            sp.GetRequiredService<Grains.Diagnostics.PeerActivity>(), sp.GetRequiredService<PeerLocator>(), sp.GetRequiredService<ILocalSiloDetails>()));
        services.AddSingleton<MembershipWakeUps>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<MembershipWakeUps>());
        services.TryAddSingleton<IRaftPeerTransport, GrainCallTransport>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RaftGroupOptions>, RaftGroupOptionsValidator>());
        services.AddPlacementDirector<RaftPeerPlacement, RaftPeerPlacementDirector>();
        builder.AddIncomingGrainCallFilter<RaftPeerCallGuard>();
        builder.AddGrainDirectory(NodePinnedGrainDirectory.Name, (sp, _) => ActivatorUtilities.CreateInstance<NodePinnedGrainDirectory>(sp));
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, NodeNameGuard>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, LocalPeerStarter>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, LeadershipHandoff>();
        return builder;
    }

    /// <summary>Names this silo's node: its <c>SiloOptions.SiloName</c>, which the membership table shows every other
    /// silo. Peers are placed by it (<see cref="RaftGroupOptions.Nodes"/>), so it must stay the same across restarts
    /// and differ between silos.</summary>
    public static ISiloBuilder UseOrleansRaftNode(this ISiloBuilder builder, string node)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!RaftNodeNames.IsValid(node))
            throw new ArgumentException($"Node name '{node}' is invalid: {RaftNodeNames.Rule}.", nameof(node));
        builder.Services.PostConfigure<SiloOptions>(options => options.SiloName = node);
        return builder;
    }

    /// <summary>Declares the Raft group <paramref name="name"/> (its KV facade is <c>IKvGrain</c> with that key).</summary>
    public static ISiloBuilder AddRaftGroup(this ISiloBuilder builder, string name, Action<OptionsBuilder<RaftGroupOptions>>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!RaftGroupNames.IsValid(name))
            throw new ArgumentException($"Raft group name '{name}' is invalid: {RaftGroupNames.Rule}.", nameof(name));
        builder.AddOrleansRaft();
        builder.Services.Configure<RaftGroupsOptions>(groups => groups.Names.Add(name));
        var options = builder.Services.AddOptions<RaftGroupOptions>(name);
        configure?.Invoke(options);
        options.ValidateOnStart();
        return builder;
    }
}
