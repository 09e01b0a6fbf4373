using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrleansRaft.Client.Tests.Support;

namespace OrleansRaft.Client.Tests.Client;

public class ServiceCollectionExtensionsTests
{
    [Fact]
    public void Registers_one_client_and_the_default_group_however_often_it_is_called()
    {
        var services = new ServiceCollection().AddSingleton(FakeGrainFactory.Create());
        services.AddOrleansRaftClient(o => o.OperationTimeout = TimeSpan.FromSeconds(3));
        services.AddOrleansRaftClient(o => o.MaxWritesInFlight = 7);
        Assert.Single(services, d => d.ServiceType == typeof(IRaftKvClient));

        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<RaftKvClientOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(3), options.OperationTimeout);
        Assert.Equal(7, options.MaxWritesInFlight);
        var client = provider.GetRequiredService<IRaftKvClient>();
        Assert.Same(client.Group(), provider.GetRequiredService<IRaftKv>());
    }

    [Fact]
    public void Invalid_options_fail_when_the_client_is_resolved()
    {
        var services = new ServiceCollection().AddSingleton(FakeGrainFactory.Create());
        services.AddOrleansRaftClient(o => o.MaxWritesInFlight = 0);
        using var provider = services.BuildServiceProvider();
        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IRaftKvClient>());
        Assert.Contains(nameof(RaftKvClientOptions.MaxWritesInFlight), e.Message);
    }
}
