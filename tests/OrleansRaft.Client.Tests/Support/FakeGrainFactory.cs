using System.Reflection;
using OrleansRaft.Kv;

namespace OrleansRaft.Client.Tests.Support;

/// <summary>An <see cref="IGrainFactory"/> that hands out <see cref="FakeKvGrain"/>s by key and supports nothing
/// else; a proxy, because the interface is large and the client uses one method of it.</summary>
internal static class FakeGrainFactory
{
    public static IGrainFactory Create() => DispatchProxy.Create<IGrainFactory, Proxy>();

    public class Proxy : DispatchProxy
    {
        private readonly Dictionary<string, FakeKvGrain> _grains = [];

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            if (method is { Name: nameof(IGrainFactory.GetGrain), IsGenericMethod: true } && method.GetGenericArguments()[0] == typeof(IKvGrain)
                && args is [string key, ..])
            {
                if (!_grains.TryGetValue(key, out var grain)) _grains[key] = grain = new FakeKvGrain();
                return grain;
            }
            throw new NotSupportedException($"{method?.Name} is not faked");
        }
    }
}
