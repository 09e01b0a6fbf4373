using System.Globalization;
using System.Text.RegularExpressions;
using OrleansRaft.Cli.Connection;
using OrleansRaft.Client;
using OrleansRaft.Kv;

namespace OrleansRaft.Cli.Bench;

/// <summary>Our cluster through the typed client: one Orleans connection, one <see cref="IRaftKv"/> session per logical client.</summary>
internal sealed partial class RaftBenchTarget(IKvConnection connection) : IBenchTarget
{
    /// <summary>The launcher gives silo N the silo port 11111 + N; the status SILO column shows it.</summary>
    public const int BaseSiloPort = 11111;

    public string Name => "orleansraft";

    public IBenchClient CreateClient(int index) => new Client(connection.NewSession());

    public async Task<LeaderView?> GetLeaderAsync(CancellationToken cancellationToken)
    {
        var status = await connection.Kv.StatusAsync(cancellationToken).ConfigureAwait(false);
        var leader = status.Peers.Where(p => p is { Role: "Leader" }).MaxBy(p => p!.Term);
        return leader is null ? null : new LeaderView(leader.Peer, leader.Term, SiloIndex(leader.Silo));
    }

    public BenchError Classify(Exception exception) => exception switch
    {
        RaftKvException e => new(e.Code.ToString(), e.OutcomeUnknown),
        ArgumentException => new(nameof(KvStatus.InvalidArgument), false),
        _ => new(exception.GetType().Name, false),
    };

    /// <summary>The silo index from a silo address such as <c>S127.0.0.1:11112:123456</c> (here 1); null if it has no such port.</summary>
    internal static int? SiloIndex(string silo)
    {
        var match = SiloPort().Match(silo);
        if (!match.Success) return null;
        var index = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) - BaseSiloPort;
        return index >= 0 ? index : null;
    }

    public ValueTask DisposeAsync() => connection.DisposeAsync();

    [GeneratedRegex(@":(\d{1,5}):")]
    private static partial Regex SiloPort();

    private sealed class Client(IRaftKv kv) : IBenchClient
    {
        public Task SetAsync(string key, string value, CancellationToken cancellationToken) => kv.SetAsync(key, value, cancellationToken);

        public Task<string?> GetAsync(string key, bool stale, CancellationToken cancellationToken) =>
            kv.GetAsync(key, stale ? ReadConsistency.Stale : ReadConsistency.Linearizable, cancellationToken);

        public async Task<(bool Swapped, string? Current)> CompareAndSetAsync(string key, string? expected, string value, CancellationToken cancellationToken)
        {
            var result = await kv.CompareAndSetAsync(key, expected, value, cancellationToken).ConfigureAwait(false);
            return (result.Swapped, result.Current);
        }
    }
}
