using System.Net;
using System.Text;
using OrleansRaft.Cli.Bench;

namespace OrleansRaft.Client.Tests.Bench;

/// <summary>The etcd v3 JSON gateway calls against canned answers in the shape etcd 3.4 gives them.</summary>
public class EtcdGatewayTests
{
    private readonly StubHandler _handler = new();
    private readonly EtcdGateway _gateway;

    public EtcdGatewayTests() => _gateway = new EtcdGateway(new HttpClient(_handler), new Uri("http://127.0.0.1:2379"));

    private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    [Fact]
    public async Task Put_posts_base64_key_and_value()
    {
        _handler.Answer = """{"header":{"cluster_id":"1","member_id":"2","revision":"5","raft_term":"2"}}""";
        await _gateway.PutAsync("k", "v", CancellationToken.None);
        Assert.Equal("http://127.0.0.1:2379/v3/kv/put", _handler.LastUri);
        Assert.Equal($$"""{"key":"{{B64("k")}}","value":"{{B64("v")}}"}""", _handler.LastBody);
    }

    [Fact]
    public async Task Range_is_linearizable_unless_serializable_and_decodes_the_value()
    {
        _handler.Answer = $$"""{"header":{},"kvs":[{"key":"{{B64("k")}}","create_revision":"2","mod_revision":"5","version":"3","value":"{{B64("héllo")}}"}],"count":"1"}""";
        Assert.Equal("héllo", await _gateway.GetAsync("k", serializable: false, CancellationToken.None));
        Assert.Equal($$"""{"key":"{{B64("k")}}"}""", _handler.LastBody);

        _handler.Answer = """{"header":{}}""";
        Assert.Null(await _gateway.GetAsync("k", serializable: true, CancellationToken.None));
        Assert.Contains("\"serializable\":true", _handler.LastBody);
    }

    [Fact]
    public async Task Cas_is_a_txn_that_reads_the_current_value_when_the_compare_fails()
    {
        _handler.Answer = """{"header":{},"succeeded":true,"responses":[{"response_put":{"header":{}}}]}""";
        Assert.Equal((true, "new"), await _gateway.CompareAndSetAsync("k", "old", "new", CancellationToken.None));
        Assert.Contains($$"""{"key":"{{B64("k")}}","target":"VALUE","result":"EQUAL","value":"{{B64("old")}}"}""", _handler.LastBody);

        // etcd leaves out false booleans: a failed compare has no "succeeded" at all.
        _handler.Answer = $$$"""{"header":{},"responses":[{"response_range":{"header":{},"kvs":[{"key":"{{{B64("k")}}}","value":"{{{B64("other")}}}"}],"count":"1"}}]}""";
        Assert.Equal((false, "other"), await _gateway.CompareAndSetAsync("k", null, "new", CancellationToken.None));
        Assert.Contains("\"target\":\"CREATE\",\"result\":\"EQUAL\",\"create_revision\":\"0\"", _handler.LastBody);
        Assert.Equal("http://127.0.0.1:2379/v3/kv/txn", _handler.LastUri);
    }

    [Fact]
    public async Task Status_names_the_member_the_leader_and_the_term()
    {
        _handler.Answer = """{"header":{"member_id":"111","raft_term":"4"},"version":"3.4.23","leader":"222","raftIndex":"9","raftTerm":"4"}""";
        Assert.Equal(("111", "222", 4L), await _gateway.StatusAsync(CancellationToken.None));
    }

    [Fact]
    public async Task An_error_answer_is_an_EtcdException_classified_unknown_when_it_may_have_applied()
    {
        _handler.Status = HttpStatusCode.ServiceUnavailable;
        _handler.Answer = """{"error":"etcdserver: request timed out","code":14,"message":"etcdserver: request timed out"}""";
        var e = await Assert.ThrowsAsync<EtcdException>(() => _gateway.PutAsync("k", "v", CancellationToken.None));
        Assert.Equal(14, e.GrpcCode);
        await using var target = new EtcdBenchTarget([new Uri("http://127.0.0.1:2379")], TimeSpan.FromSeconds(1));
        Assert.Equal(new BenchError("HTTP 503 grpc 14: etcdserver: request timed out", true), target.Classify(e));
        Assert.Equal(new BenchError("Timeout", true), target.Classify(new TaskCanceledException()));
    }

    [Fact]
    public async Task A_refused_connection_sent_nothing_so_its_outcome_is_known()
    {
        var refused = new HttpRequestException(HttpRequestError.ConnectionError, "refused",
            new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused));
        await using var target = new EtcdBenchTarget([new Uri("http://127.0.0.1:2379")], TimeSpan.FromSeconds(1));
        Assert.Equal(new BenchError("ConnectionRefused", false), target.Classify(refused));
        Assert.Equal(new BenchError("HttpRequestException", true), target.Classify(new HttpRequestException("reset")));
    }

    [Fact]
    public void Member_ids_are_shown_in_hex_as_etcdctl_shows_them()
    {
        Assert.Equal("8a39768e24992ec2", EtcdBenchTarget.MemberName("9960122403778014914"));
        Assert.Equal("x", EtcdBenchTarget.MemberName("x"));
    }

    private sealed class StubHandler : HttpMessageHandler
    {
        public string Answer { get; set; } = "{}";

        public HttpStatusCode Status { get; set; } = HttpStatusCode.OK;

        public string? LastUri { get; private set; }

        public string? LastBody { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            LastUri = request.RequestUri!.ToString();
            LastBody = await request.Content!.ReadAsStringAsync(cancellationToken);
            return new HttpResponseMessage(Status) { Content = new StringContent(Answer, Encoding.UTF8, "application/json") };
        }
    }
}
