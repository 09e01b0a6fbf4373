using OrleansRaft.Cli.Arguments;
using OrleansRaft.Cli.Connection;
using OrleansRaft.Kv;
using OrleansRaft.Peers;

namespace OrleansRaft.Client.Tests.Support;

/// <summary>
/// An <see cref="IRaftKv"/> on a dictionary, with the same argument checks as the real client, for driving the
/// CLI without a cluster. <see cref="FailWith"/> makes every later call throw, as a failing cluster would.
/// Membership lives in <c>InMemoryRaftKv.Membership.cs</c>.
/// </summary>
internal sealed partial class InMemoryRaftKv : IRaftKv
{
    private readonly Dictionary<string, string> _data = new(StringComparer.Ordinal);

    public string Group { get; init; } = "kv";

    public Exception? FailWith { get; set; }

    public List<ReadConsistency> Reads { get; } = [];

    public PeerStatusList Status { get; set; } = new("kv", [], []);

    public IReadOnlyDictionary<string, string> Data => _data;

    public Task<string?> GetAsync(string key, ReadConsistency consistency = ReadConsistency.Linearizable, CancellationToken cancellationToken = default)
    {
        Check(key);
        Reads.Add(consistency);
        return Task.FromResult(_data.TryGetValue(key, out var value) ? value : null);
    }

    public Task SetAsync(string key, string value, CancellationToken cancellationToken = default)
    {
        Check(key);
        _data[key] = value;
        return Task.CompletedTask;
    }

    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        Check(key);
        return Task.FromResult(_data.Remove(key));
    }

    public Task<CasResult> CompareAndSetAsync(string key, string? expected, string value, CancellationToken cancellationToken = default)
    {
        Check(key);
        var exists = _data.TryGetValue(key, out var current);
        if (expected is null ? exists : !exists || current != expected) return Task.FromResult(new CasResult(false, current));
        _data[key] = value;
        return Task.FromResult(new CasResult(true, value));
    }

    public Task AppendAsync(string key, string value, CancellationToken cancellationToken = default)
    {
        Check(key);
        _data[key] = (_data.TryGetValue(key, out var old) ? old : "") + value;
        return Task.CompletedTask;
    }

    public Task<PeerStatusList> StatusAsync(CancellationToken cancellationToken = default)
    {
        if (FailWith is not null) throw FailWith;
        return Task.FromResult(Status);
    }

    private void Check(string key)
    {
        KvArguments.ValidateKey(key);
        if (FailWith is not null) throw FailWith;
    }

    /// <summary>A connector handing out this store, counting connections (a usage error must make none).</summary>
    public FakeConnector Connector() => new(this);
}

internal sealed class FakeConnector(IRaftKv kv)
{
    public int Connections { get; private set; }

    public CliSettings? LastSettings { get; private set; }

    public Exception? Refuse { get; set; }

    public Task<IKvConnection> ConnectAsync(CliSettings settings, CancellationToken cancellationToken)
    {
        Connections++;
        LastSettings = settings;
        if (Refuse is not null) throw Refuse;
        return Task.FromResult<IKvConnection>(new Connection(kv, this));
    }

    public int Sessions { get; private set; }

    private sealed class Connection(IRaftKv kv, FakeConnector owner) : IKvConnection
    {
        public IRaftKv Kv { get; } = kv;

        // Every session shares the one in-memory store; the count shows each logical client asked for its own.
        public IRaftKv NewSession()
        {
            owner.Sessions++;
            return Kv;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
