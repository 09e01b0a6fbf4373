using OrleansRaft.Core.Tests.Simulation.Kv;

namespace OrleansRaft.Core.Tests.Simulation.Clients;

/// <summary>How a simulated client reaches the servers. A request to a peer that is down, or that crashes
/// before answering, is never answered: the client finds out by timing out.</summary>
internal interface IKvTransport
{
    IReadOnlyList<string> Peers { get; }

    void SendWrite(string peer, KvCommand command, Action<KvReply> onReply);

    void SendRead(string peer, string key, long context, Action<KvReply> onReply);
}

/// <summary>Knobs of the simulated clients' behaviour, in virtual microseconds.</summary>
internal sealed record ClientSettings
{
    public required IReadOnlyList<string> Keys { get; init; }

    /// <summary>Wait this long for an answer from one server before trying another.</summary>
    public long AttemptTimeout { get; init; }

    /// <summary>Stop retrying an operation after this long: its outcome stays unknown.</summary>
    public long GiveUpAfter { get; init; }

    public long MaxThinkTime { get; init; }

    public long RetryBackoff { get; init; }

    /// <summary>Given the time a client wants to issue its next operation, when it may (later within a lull, so that
    /// the group can go quiet); null issues at once.</summary>
    public Func<long, long>? HoldUntil { get; init; }
}
