namespace OrleansRaft.Cli.Bench;

/// <summary>
/// etcd through its v3 JSON gateway, over one keep-alive connection pool. Logical client i talks to endpoint
/// i mod n, as etcd's own benchmark tool spreads its clients; followers forward writes and ReadIndex requests
/// to the leader, as our facade grain does. No retries: etcd's client does not retry a write whose outcome is
/// unknown either.
/// </summary>
internal sealed class EtcdBenchTarget : IBenchTarget
{
    private readonly HttpClient _http;
    private readonly EtcdGateway[] _members;

    public EtcdBenchTarget(IReadOnlyList<Uri> endpoints, TimeSpan operationTimeout)
    {
        _http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseProxy = false,
            UseCookies = false,
        })
        {
            Timeout = operationTimeout,
        };
        _members = endpoints.Select(e => new EtcdGateway(_http, e)).ToArray();
    }

    public string Name => "etcd";

    public IBenchClient CreateClient(int index) => new Client(_members[index % _members.Length]);

    public async Task<LeaderView?> GetLeaderAsync(CancellationToken cancellationToken)
    {
        var answers = await Task.WhenAll(_members.Select(async m =>
        {
            try
            {
                return await m.StatusAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return ((string MemberId, string Leader, long Term)?)null;
            }
        })).ConfigureAwait(false);
        var best = answers.Where(a => a is { Leader.Length: > 0 } && a.Value.Leader != "0").MaxBy(a => a!.Value.Term);
        if (best is not { } view) return null;
        var index = Array.FindIndex(answers, a => a?.MemberId == view.Leader);
        return new LeaderView(view.Leader, view.Term, index >= 0 ? index : null);
    }

    public BenchError Classify(Exception exception) => exception switch
    {
        EtcdException e => new($"HTTP {(int)e.Status} grpc {e.GrpcCode}: {e.Message}",
            (int)e.Status >= 500 || e.GrpcCode is EtcdException.GrpcDeadlineExceeded or EtcdException.GrpcUnavailable),
        OperationCanceledException or TimeoutException => new("Timeout", true),
        HttpRequestException => new(nameof(HttpRequestException), true),
        _ => new(exception.GetType().Name, false),
    };

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    private sealed class Client(EtcdGateway member) : IBenchClient
    {
        public Task SetAsync(string key, string value, CancellationToken cancellationToken) => member.PutAsync(key, value, cancellationToken);

        public Task<string?> GetAsync(string key, bool stale, CancellationToken cancellationToken) => member.GetAsync(key, serializable: stale, cancellationToken);

        public Task<(bool Swapped, string? Current)> CompareAndSetAsync(string key, string? expected, string value, CancellationToken cancellationToken) =>
            member.CompareAndSetAsync(key, expected, value, cancellationToken);
    }
}
