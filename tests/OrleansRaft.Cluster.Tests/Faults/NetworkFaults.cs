using OrleansRaft.Core.Messages;
using OrleansRaft.Peers;
using OrleansRaft.Grains.Peers;

namespace OrleansRaft.Cluster.Tests.Faults;

/// <summary>
/// A test-only peer transport shared by every silo of one test cluster: cuts links (partitions, isolation),
/// and when unreliable drops, duplicates and delays messages (random delays reorder them). Delayed sends are
/// continued on the sending grain's scheduler, so they still leave as calls from that grain.
/// </summary>
public sealed class NetworkFaults : IRaftPeerTransport
{
    private readonly Lock _lock = new();
    private readonly HashSet<(string From, string To)> _cut = [];
    private readonly Random _random;

    public NetworkFaults(int seed) => _random = new Random(seed);

    /// <summary>Probability that a batch is lost.</summary>
    public double DropRate { get; set; }

    /// <summary>Probability that a batch is delivered twice.</summary>
    public double DuplicateRate { get; set; }

    /// <summary>Each batch is held for a random time up to this long; 0 for none.</summary>
    public TimeSpan MaxDelay { get; set; }

    public long Dropped { get; private set; }

    public long Delivered { get; private set; }

    /// <summary>The 6.5840 "unreliable network": about 10% loss, some duplicates, delays up to 25 ms that reorder.</summary>
    public void SetUnreliable(bool unreliable)
    {
        lock (_lock)
        {
            DropRate = unreliable ? 0.1 : 0;
            DuplicateRate = unreliable ? 0.05 : 0;
            MaxDelay = unreliable ? TimeSpan.FromMilliseconds(25) : TimeSpan.Zero;
        }
    }

    /// <summary>Cuts every link between peers on different sides; links within a side stay up.</summary>
    public void Partition(params string[][] sides)
    {
        lock (_lock)
        {
            _cut.Clear();
            for (var a = 0; a < sides.Length; a++)
            for (var b = 0; b < sides.Length; b++)
            {
                if (a == b) continue;
                foreach (var from in sides[a])
                foreach (var to in sides[b])
                    _cut.Add((from, to));
            }
        }
    }

    /// <summary>Cuts only the direction <paramref name="from"/> to <paramref name="to"/> (a one-way partition).</summary>
    public void CutOneWay(string from, string to)
    {
        lock (_lock) _cut.Add((from, to));
    }

    public void Heal()
    {
        lock (_lock) _cut.Clear();
    }

    public void Send(IGrainFactory grains, string from, string to, RaftMessage[] batch)
    {
        int copies;
        TimeSpan delay;
        lock (_lock)
        {
            if (_cut.Contains((from, to)) || _random.NextDouble() < DropRate)
            {
                Dropped++;
                return;
            }
            copies = _random.NextDouble() < DuplicateRate ? 2 : 1;
            delay = MaxDelay > TimeSpan.Zero ? MaxDelay * _random.NextDouble() : TimeSpan.Zero;
            Delivered += copies;
        }
        for (var i = 0; i < copies; i++)
        {
            if (delay == TimeSpan.Zero)
            {
                Deliver(grains, to, batch);
            }
            else
            {
                _ = Task.Delay(delay).ContinueWith(
                    _ => Deliver(grains, to, batch),
                    CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Current);
            }
        }
    }

    // Straight one-way grain calls, as the product's transport makes them (messages to a peer that is down are lost).
    private static void Deliver(IGrainFactory grains, string to, RaftMessage[] batch) => _ = grains.GetGrain<IRaftPeerGrain>(to).Deliver(batch);
}
