namespace OrleansRaft.Cli.Bench;

/// <summary>
/// etcd through its v3 JSON gateway, over one keep-alive connection pool. Logical client i starts on endpoint
/// i mod n, as etcd's own benchmark tool spreads its clients; followers forward writes and ReadIndex requests
/// to the leader, as our facade grain does. Like etcd's Go client, a client whose member refuses the
/// connection moves to the next endpoint and retries there (the request was never sent, so that is safe);
/// a request that may have reached a member is not retried.
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

    public IBenchClient CreateClient(int index) => new Client(_members, index % _members.Length);

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
        return new LeaderView(MemberName(view.Leader), view.Term, index >= 0 ? index : null);
    }

    public BenchError Classify(Exception exception) => exception switch
    {
        EtcdException e => new($"HTTP {(int)e.Status} grpc {e.GrpcCode}: {e.Message}",
            (int)e.Status >= 500 || e.GrpcCode is EtcdException.GrpcDeadlineExceeded or EtcdException.GrpcUnavailable),
        OperationCanceledException or TimeoutException => new("Timeout", true),
        HttpRequestException e when IsRefused(e) => new("ConnectionRefused", false),
        HttpRequestException => new(nameof(HttpRequestException), true),
        _ => new(exception.GetType().Name, false),
    };

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Nothing was sent: the member's port refused the connection.</summary>
    internal static bool IsRefused(HttpRequestException e) =>
        e.HttpRequestError == HttpRequestError.ConnectionError && e.InnerException is System.Net.Sockets.SocketException
        {
            SocketErrorCode: System.Net.Sockets.SocketError.ConnectionRefused,
        };

    /// <summary>etcd prints member ids in hex (the gateway sends them in decimal). The id alone names the leader,
    /// so that a poll that cannot reach the leader's own endpoint still sees the same (leader, term).</summary>
    internal static string MemberName(string decimalId) =>
        ulong.TryParse(decimalId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? id.ToString("x", System.Globalization.CultureInfo.InvariantCulture)
            : decimalId;

    private sealed class Client(EtcdGateway[] members, int first) : IBenchClient
    {
        private int _current = first;

        public Task SetAsync(string key, string value, CancellationToken cancellationToken) =>
            OnAnyMemberAsync(m => m.PutAsync(key, value, cancellationToken));

        public Task<string?> GetAsync(string key, bool stale, CancellationToken cancellationToken) =>
            OnAnyMemberAsync(m => m.GetAsync(key, serializable: stale, cancellationToken));

        public Task<(bool Swapped, string? Current)> CompareAndSetAsync(string key, string? expected, string value, CancellationToken cancellationToken) =>
            OnAnyMemberAsync(m => m.CompareAndSetAsync(key, expected, value, cancellationToken));

        private Task OnAnyMemberAsync(Func<EtcdGateway, Task> call) =>
            OnAnyMemberAsync(async m =>
            {
                await call(m).ConfigureAwait(false);
                return true;
            });

        private async Task<T> OnAnyMemberAsync<T>(Func<EtcdGateway, Task<T>> call)
        {
            for (var tried = 1; ; tried++)
            {
                try
                {
                    return await call(members[_current]).ConfigureAwait(false);
                }
                catch (HttpRequestException e) when (IsRefused(e) && tried < members.Length)
                {
                    _current = (_current + 1) % members.Length;
                }
            }
        }
    }
}
