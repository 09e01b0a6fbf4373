using OrleansRaft.Peers;

namespace OrleansRaft.TestingHost;

/// <summary>
/// The network between the Raft peers of one test cluster, shared by all its silos: cuts links (partitions, an
/// isolated peer, one-way cuts) and, when lossy, drops, duplicates and delays messages (random delays reorder them).
/// Only peer-to-peer Raft messages pass through it; client calls, the KV facade and the application's own grains
/// are untouched, so a cut peer is still reachable for its status. Changes take effect on the next message sent.
/// Peers are named by their grain keys (<c>"{group}/{index}"</c>, see <see cref="RaftTestCluster.Peers"/>).
/// </summary>
public sealed class RaftTestNetwork
{
    private readonly Lock _lock = new();
    private readonly HashSet<(string From, string To)> _cut = [];
    private readonly HashSet<string> _isolated = new(StringComparer.Ordinal);
    private readonly Random _random;
    private double _dropRate;
    private double _duplicateRate;
    private TimeSpan _maxDelay;

    /// <param name="seed">Seeds the random choices of a lossy network, so that a failing run can be replayed.</param>
    public RaftTestNetwork(int seed) => _random = new Random(seed);

    /// <summary>Message batches lost so far (cut or dropped).</summary>
    public long Dropped { get; private set; }

    /// <summary>Message batches handed on so far, duplicates counted.</summary>
    public long Delivered { get; private set; }

    /// <summary>Cuts every link between peers on different sides, both ways; links within a side stay up, and a peer
    /// named on no side keeps its links. Replaces the cuts made before (not the lossiness).</summary>
    public void Partition(params string[][] sides)
    {
        ArgumentNullException.ThrowIfNull(sides);
        foreach (var side in sides) CheckPeers(side, nameof(sides));
        lock (_lock)
        {
            _cut.Clear();
            _isolated.Clear();
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

    /// <summary>Cuts every link from and to <paramref name="peer"/>, whoever the other peers are (members added later
    /// included), in addition to the cuts already made.</summary>
    public void Isolate(string peer)
    {
        CheckPeers([peer], nameof(peer));
        lock (_lock) _isolated.Add(peer);
    }

    /// <summary>Cuts only the direction <paramref name="from"/> to <paramref name="to"/> (a one-way partition), in
    /// addition to the cuts already made.</summary>
    public void CutOneWay(string from, string to)
    {
        CheckPeers([from, to], nameof(from));
        lock (_lock) _cut.Add((from, to));
    }

    /// <summary>Restores every link cut by <see cref="Partition"/>, <see cref="Isolate"/> and <see cref="CutOneWay"/>.
    /// Lossiness stays as set.</summary>
    public void Heal()
    {
        lock (_lock)
        {
            _cut.Clear();
            _isolated.Clear();
        }
    }

    /// <summary>Makes every link lossy: each batch is lost with probability <paramref name="dropRate"/>, delivered
    /// twice with probability <paramref name="duplicateRate"/>, and held for a random time up to
    /// <paramref name="maxDelay"/> (which reorders batches). All zero makes the network reliable again.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A rate outside [0, 1], or a negative delay.</exception>
    public void SetLossy(double dropRate, double duplicateRate, TimeSpan maxDelay)
    {
        CheckRate(dropRate, nameof(dropRate));
        CheckRate(duplicateRate, nameof(duplicateRate));
        if (maxDelay < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(maxDelay), maxDelay, "the longest delay of a message cannot be negative");
        lock (_lock)
        {
            _dropRate = dropRate;
            _duplicateRate = duplicateRate;
            _maxDelay = maxDelay;
        }
    }

    /// <summary>The MIT 6.5840 "unreliable network" when <paramref name="unreliable"/>: about 10 % loss, 5 %
    /// duplicates, delays up to 25 ms that reorder; a reliable network otherwise.</summary>
    public void SetUnreliable(bool unreliable)
    {
        if (unreliable) SetLossy(0.1, 0.05, TimeSpan.FromMilliseconds(25));
        else SetLossy(0, 0, TimeSpan.Zero);
    }

    /// <summary>Decides the fate of one batch: how many copies to deliver (0: lost) and after which delay.</summary>
    internal (int Copies, TimeSpan Delay) Route(string from, string to)
    {
        lock (_lock)
        {
            if (_isolated.Contains(from) || _isolated.Contains(to) || _cut.Contains((from, to)) || _random.NextDouble() < _dropRate)
            {
                Dropped++;
                return (0, TimeSpan.Zero);
            }
            var copies = _random.NextDouble() < _duplicateRate ? 2 : 1;
            var delay = _maxDelay > TimeSpan.Zero ? _maxDelay * _random.NextDouble() : TimeSpan.Zero;
            Delivered += copies;
            return (copies, delay);
        }
    }

    private static void CheckPeers(string[] peers, string parameter)
    {
        ArgumentNullException.ThrowIfNull(peers, parameter);
        foreach (var peer in peers)
            if (!PeerKey.TryParse(peer, out _))
                throw new ArgumentException($"'{peer}' is not a peer key of the form '{{group}}/{{index}}' or '{{group}}/{{index}}@{{node}}' (RaftTestCluster.Peers lists them)", parameter);
    }

    private static void CheckRate(double rate, string parameter)
    {
        if (!(rate >= 0 && rate <= 1))
            throw new ArgumentOutOfRangeException(parameter, rate, "a probability must be between 0 and 1");
    }
}
