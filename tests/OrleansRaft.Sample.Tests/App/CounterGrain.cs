using OrleansRaft.Kv;

namespace OrleansRaft.Sample.App;

/// <summary>A counter whose value lives in the Raft group's KV store, so it survives the death of any one silo.</summary>
[Alias("OrleansRaft.Sample.ICounterGrain")]
public interface ICounterGrain : IGrainWithStringKey
{
    /// <summary>Adds one. Each (<paramref name="client"/>, <paramref name="sequence"/>) counts once, however often it is
    /// retried: a caller that saw no answer calls again with the same pair.</summary>
    [Alias("Increment")]
    Task Increment(string client, long sequence);

    /// <summary>The current value, linearizably: it reflects every increment acknowledged before the call.</summary>
    [Alias("Get")]
    Task<long> Get();
}

/// <summary>Reads the value, then compare-and-sets it one higher. The KV write carries the caller's (client, sequence)
/// as its request id, and the group's session table applies one request id at most once: an increment retried after
/// its first attempt was applied (but its answer lost) is answered from that table instead of adding one again.</summary>
public sealed class CounterGrain : Grain, ICounterGrain
{
    /// <summary>The Raft group holding the counters.</summary>
    public const string Group = "kv";

    private IKvGrain Kv => GrainFactory.GetGrain<IKvGrain>(Group);

    private string Key => $"counter/{this.GetPrimaryKeyString()}";

    public async Task Increment(string client, long sequence)
    {
        var current = await Get();
        var swap = await Kv.CompareAndSet(Key, current == 0 ? null : $"{current}", $"{current + 1}", new RequestId(client, sequence));
        switch (swap.Status)
        {
            case KvStatus.Swapped:
                return;
            case KvStatus.Timeout or KvStatus.Unavailable or KvStatus.LimitExceeded:
                // Outcome unknown (Timeout) or nothing applied: either way the caller may retry with the same pair.
                throw new TimeoutException($"increment {client}/{sequence} of {Key}: the KV answered {swap.Status} ({swap.Error})");
            default:
                // NotSwapped: something other than this counter's increments wrote the key between the read and the swap.
                throw new InvalidOperationException($"increment {client}/{sequence} of {Key}: the KV answered {swap.Status} ({swap.Error ?? swap.Value})");
        }
    }

    public async Task<long> Get()
    {
        var read = await Kv.Get(Key);
        return read.Status switch
        {
            KvStatus.Ok => long.Parse(read.Value!, System.Globalization.CultureInfo.InvariantCulture),
            KvStatus.NotFound => 0,
            _ => throw new TimeoutException($"read of {Key}: the KV answered {read.Status} ({read.Error})"),
        };
    }
}
