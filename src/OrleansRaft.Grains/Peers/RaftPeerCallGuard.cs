using OrleansRaft.Peers;

namespace OrleansRaft.Grains.Peers;

/// <summary>
/// Keeps <see cref="IRaftPeerGrain"/> internal to the cluster: only grains (the peers themselves and the KV
/// facade) may call it. An external Orleans client that calls a peer directly gets an
/// <see cref="UnauthorizedAccessException"/> and changes nothing; a forged one-way Raft message is dropped
/// before the node sees it.
/// </summary>
internal sealed class RaftPeerCallGuard : IIncomingGrainCallFilter
{
    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.InterfaceMethod?.DeclaringType == typeof(IRaftPeerGrain) && !IsGrainOfThisCluster(context.SourceId))
        {
            throw new UnauthorizedAccessException(
                $"{nameof(IRaftPeerGrain)}.{context.MethodName} is internal to the cluster; clients call IKvGrain instead.");
        }
        return context.Invoke();
    }

    // Calls from clients carry a client id (or none); grains of the cluster carry their own grain id.
    private static bool IsGrainOfThisCluster(GrainId? source) =>
        source is { } id && !id.IsDefault && !GrainTypePrefix.IsClient(id);
}
