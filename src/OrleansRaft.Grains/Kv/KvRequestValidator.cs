using System.Text;
using OrleansRaft.Hosting;
using OrleansRaft.Kv;

namespace OrleansRaft.Grains.Kv;

/// <summary>Boundary checks of the KV facade: a bad request is answered InvalidArgument, naming the limit,
/// before anything reaches the log.</summary>
internal static class KvRequestValidator
{
    public static KvResponse? CheckKey(string? key)
    {
        if (string.IsNullOrEmpty(key)) return Invalid("key must not be empty");
        var bytes = Encoding.UTF8.GetByteCount(key);
        if (bytes > KvLimits.MaxKeyBytes)
            return Invalid($"key is {bytes} bytes; the limit is {KvLimits.MaxKeyBytes} ({nameof(KvLimits)}.{nameof(KvLimits.MaxKeyBytes)})");
        return null;
    }

    public static KvResponse? CheckValue(string? value, RaftGroupOptions options, string what = "value")
    {
        if (value is null) return Invalid($"{what} must not be null");
        var bytes = Encoding.UTF8.GetByteCount(value);
        if (bytes > options.MaxValueBytes)
            return Invalid($"{what} is {bytes} bytes; the limit is {options.MaxValueBytes} ({nameof(RaftGroupOptions)}.{nameof(RaftGroupOptions.MaxValueBytes)})");
        return null;
    }

    public static KvResponse? CheckRequestId(RequestId? requestId)
    {
        if (requestId is null) return null;
        if (string.IsNullOrEmpty(requestId.ClientId)) return Invalid("request id must name a client");
        if (Encoding.UTF8.GetByteCount(requestId.ClientId) > 256) return Invalid("request id client name is over 256 bytes");
        if (requestId.Sequence < 0) return Invalid("request sequence must not be negative");
        return null;
    }

    private static KvResponse Invalid(string message) => new(KvStatus.InvalidArgument, Error: message);
}
