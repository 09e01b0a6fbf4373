using System.Net;
using System.Text;
using System.Text.Json;

namespace OrleansRaft.Cli.Bench;

/// <summary>
/// The few calls of etcd's v3 HTTP/JSON gateway (etcd 3.4: <c>/v3/kv/put</c>, <c>/v3/kv/range</c>,
/// <c>/v3/kv/txn</c>, <c>/v3/maintenance/status</c>) on one endpoint. Keys and values travel base64-encoded;
/// 64-bit numbers come back as JSON strings; fields with default values (false, 0, empty) are left out.
/// </summary>
internal sealed class EtcdGateway(HttpClient http, Uri endpoint)
{
    public Uri Endpoint { get; } = endpoint;

    public async Task PutAsync(string key, string value, CancellationToken cancellationToken)
    {
        using var _ = await PostAsync("/v3/kv/put", $$"""{"key":"{{B64(key)}}","value":"{{B64(value)}}"}""", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A range read of one key. serializable=false (the default) is etcd's linearizable read.</summary>
    public async Task<string?> GetAsync(string key, bool serializable, CancellationToken cancellationToken)
    {
        var body = serializable ? $$"""{"key":"{{B64(key)}}","serializable":true}""" : $$"""{"key":"{{B64(key)}}"}""";
        using var json = await PostAsync("/v3/kv/range", body, cancellationToken).ConfigureAwait(false);
        return FirstValue(json.RootElement);
    }

    /// <summary>A transaction: if the value is <paramref name="expected"/> (null: the key does not exist), put;
    /// otherwise read the key, so the caller learns the value that prevented the swap.</summary>
    public async Task<(bool Swapped, string? Current)> CompareAndSetAsync(string key, string? expected, string value, CancellationToken cancellationToken)
    {
        var k = B64(key);
        var compare = expected is null
            ? $$"""{"key":"{{k}}","target":"CREATE","result":"EQUAL","create_revision":"0"}"""
            : $$"""{"key":"{{k}}","target":"VALUE","result":"EQUAL","value":"{{B64(expected)}}"}""";
        var body = $$$"""{"compare":[{{{compare}}}],"success":[{"request_put":{"key":"{{{k}}}","value":"{{{B64(value)}}}"}}],"failure":[{"request_range":{"key":"{{{k}}}"}}]}""";
        using var json = await PostAsync("/v3/kv/txn", body, cancellationToken).ConfigureAwait(false);
        var root = json.RootElement;
        if (root.TryGetProperty("succeeded", out var succeeded) && succeeded.GetBoolean()) return (true, value);
        string? current = null;
        if (root.TryGetProperty("responses", out var responses))
        {
            foreach (var response in responses.EnumerateArray())
                if (response.TryGetProperty("response_range", out var range)) current = FirstValue(range);
        }
        return (false, current);
    }

    /// <summary>This member's id, the leader's id and the Raft term, as the member reports them.</summary>
    public async Task<(string MemberId, string Leader, long Term)> StatusAsync(CancellationToken cancellationToken)
    {
        using var json = await PostAsync("/v3/maintenance/status", "{}", cancellationToken).ConfigureAwait(false);
        var root = json.RootElement;
        var member = root.GetProperty("header").GetProperty("member_id").GetString() ?? "";
        var leader = root.TryGetProperty("leader", out var l) ? l.GetString() ?? "" : "";
        var term = root.TryGetProperty("raftTerm", out var t) ? long.Parse(t.GetString() ?? "0", System.Globalization.CultureInfo.InvariantCulture) : 0;
        return (member, leader, term);
    }

    private async Task<JsonDocument> PostAsync(string path, string body, CancellationToken cancellationToken)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri(Endpoint, path), content, cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var json = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.OK && !json.RootElement.TryGetProperty("error", out _)) return json;
            using (json) throw EtcdException.From(response.StatusCode, json.RootElement);
        }
    }

    private static string? FirstValue(JsonElement rangeResponse)
    {
        if (!rangeResponse.TryGetProperty("kvs", out var kvs)) return null;
        foreach (var kv in kvs.EnumerateArray())
            return kv.TryGetProperty("value", out var v) ? Encoding.UTF8.GetString(Convert.FromBase64String(v.GetString() ?? "")) : "";
        return null;
    }

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}

/// <summary>etcd answered with an error: the HTTP status, and the gRPC code and message the gateway passes on.</summary>
internal sealed class EtcdException(HttpStatusCode status, int grpcCode, string message) : Exception(message)
{
    public const int GrpcDeadlineExceeded = 4;
    public const int GrpcUnavailable = 14;

    public HttpStatusCode Status { get; } = status;

    public int GrpcCode { get; } = grpcCode;

    public static EtcdException From(HttpStatusCode status, JsonElement error)
    {
        var code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : 0;
        var message = error.TryGetProperty("message", out var m) ? m.GetString() : error.TryGetProperty("error", out var e) ? e.GetString() : null;
        return new EtcdException(status, code, message ?? $"HTTP {(int)status}");
    }
}
