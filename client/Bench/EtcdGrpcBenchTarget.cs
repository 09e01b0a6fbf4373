using dotnet_etcd;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;

namespace OrleansRaft.Cli.Bench;

/// <summary>
/// etcd through its native gRPC API (dotnet-etcd), as etcd's own Go client talks to it: one HTTP/2 channel per member,
/// shared by every logical client of that member. Logical client i uses member i mod n, as etcd's benchmark tool spreads
/// its clients; followers forward writes and ReadIndex requests to the leader. Reads are linearizable (a range without
/// serializable) unless stale; a request that failed is not retried (its outcome may be unknown), but a logical client
/// whose member is unreachable moves to the next member for its next request, as etcd's client balances away from a
/// dead endpoint (otherwise a third of the clients would fail at full speed until the killed member came back).
/// </summary>
internal sealed class EtcdGrpcBenchTarget : IBenchTarget
{
    private readonly EtcdClient[] _members;

    public EtcdGrpcBenchTarget(IReadOnlyList<Uri> endpoints) =>
        _members = [.. endpoints.Select(e => new EtcdClient(e.GetLeftPart(UriPartial.Authority)))];

    public string Name => "etcd";

    public IBenchClient CreateClient(int index) => new Client(_members, index % _members.Length);

    public async Task<LeaderView?> GetLeaderAsync(CancellationToken cancellationToken)
    {
        var answers = await Task.WhenAll(_members.Select(async m =>
        {
            try
            {
                var status = await m.StatusAsync(new StatusRequest(), cancellationToken: cancellationToken).ConfigureAwait(false);
                return ((ulong Member, ulong Leader, ulong Term)?)(status.Header.MemberId, status.Leader, status.RaftTerm);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return null;
            }
        })).ConfigureAwait(false);
        var best = answers.Where(a => a is { Leader: > 0 }).MaxBy(a => a!.Value.Term);
        if (best is not { } view) return null;
        var index = Array.FindIndex(answers, a => a?.Member == view.Leader);
        return new LeaderView(view.Leader.ToString("x", System.Globalization.CultureInfo.InvariantCulture), (long)view.Term, index >= 0 ? index : null);
    }

    public BenchError Classify(Exception exception) => exception switch
    {
        RpcException e => new($"grpc {e.StatusCode}", e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Cancelled or StatusCode.Unknown),
        OperationCanceledException or TimeoutException => new("Timeout", true),
        _ => new(exception.GetType().Name, false),
    };

    public ValueTask DisposeAsync()
    {
        foreach (var member in _members) member.Dispose();
        return ValueTask.CompletedTask;
    }

    private sealed class Client(EtcdClient[] members, int first) : IBenchClient
    {
        private int _current = first;

        private EtcdClient Member => members[_current];

        /// <summary>Runs one request on this client's member; if the member was unreachable, the next request goes to
        /// the next member.</summary>
        private async Task<T> OnMemberAsync<T>(Func<EtcdClient, Task<T>> request)
        {
            try
            {
                return await request(Member).ConfigureAwait(false);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
            {
                _current = (_current + 1) % members.Length;
                throw;
            }
        }

        public Task SetAsync(string key, string value, CancellationToken cancellationToken) =>
            OnMemberAsync(m => m.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8(key), Value = ByteString.CopyFromUtf8(value) },
                cancellationToken: cancellationToken));

        public async Task<string?> GetAsync(string key, bool stale, CancellationToken cancellationToken)
        {
            var range = await OnMemberAsync(m => m.GetAsync(new RangeRequest { Key = ByteString.CopyFromUtf8(key), Serializable = stale },
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            return range.Kvs.Count == 0 ? null : range.Kvs[0].Value.ToStringUtf8();
        }

        public async Task<(bool Swapped, string? Current)> CompareAndSetAsync(string key, string? expected, string value, CancellationToken cancellationToken)
        {
            var k = ByteString.CopyFromUtf8(key);
            var compare = expected is null
                ? new Compare { Key = k, Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Equal, CreateRevision = 0 }
                : new Compare { Key = k, Target = Compare.Types.CompareTarget.Value, Result = Compare.Types.CompareResult.Equal, Value = ByteString.CopyFromUtf8(expected) };
            var txn = new TxnRequest();
            txn.Compare.Add(compare);
            txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = k, Value = ByteString.CopyFromUtf8(value) } });
            txn.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = k } });
            var response = await OnMemberAsync(m => m.TransactionAsync(txn, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (response.Succeeded) return (true, value);
            var current = response.Responses.Select(r => r.ResponseRange).FirstOrDefault(r => r is not null);
            return (false, current is { Kvs.Count: > 0 } ? current.Kvs[0].Value.ToStringUtf8() : null);
        }
    }
}
