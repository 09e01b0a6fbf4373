using OrleansRaft.Core.Messages;
using OrleansRaft.Core.Tests.Simulation.Infrastructure;

namespace OrleansRaft.Core.Tests.Simulation.Network;

/// <summary>
/// One-way message transport between peers, on virtual time. A message crosses when its link is up both when
/// it is sent and when it arrives: a partition also swallows what was already in flight, as a real one does
/// to packets queued behind it. Links fail per direction, so one-way partitions are expressible.
/// </summary>
internal sealed class SimNetwork(EventQueue queue, Random random, Action<RaftMessage> deliver)
{
    private readonly HashSet<(string From, string To)> _cut = [];
    private readonly HashSet<string> _detached = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _deliveredByType = new(StringComparer.Ordinal);

    /// <summary>Per directed link, when the last in-order message arrives: later ones may not overtake it.</summary>
    private readonly Dictionary<(string From, string To), long> _linkTail = [];

    public NetworkConditions Conditions { get; set; } = NetworkConditions.Reliable;

    public long Sent { get; private set; }

    public long Delivered { get; private set; }

    /// <summary>Requests (votes, appends, heartbeats) delivered: a request and its reply count as one RPC.</summary>
    public long RequestsDelivered { get; private set; }

    public bool CanReach(string from, string to) =>
        !_detached.Contains(from) && !_detached.Contains(to) && !_cut.Contains((from, to));

    public bool HasPartition => _cut.Count > 0;

    public void Send(RaftMessage message)
    {
        Sent++;
        if (!CanReach(message.From, message.To)) return;
        var conditions = Conditions;
        if (conditions.DropRate > 0 && random.NextDouble() < conditions.DropRate) return;
        var copies = conditions.DuplicateRate > 0 && random.NextDouble() < conditions.DuplicateRate ? 2 : 1;
        for (var i = 0; i < copies; i++)
        {
            var at = queue.Now + conditions.DrawDelay(random, message);
            // A duplicate is a retransmission and a straggler took another path: both ignore the link's order.
            var inOrder = i == 0 && at <= queue.Now + conditions.MaxDelay
                && !(conditions.ReorderRate > 0 && random.NextDouble() < conditions.ReorderRate);
            if (inOrder)
            {
                var link = (message.From, message.To);
                at = Math.Max(at, _linkTail.GetValueOrDefault(link));
                _linkTail[link] = at;
            }
            queue.At(at, () => Arrive(message));
        }
    }

    private void Arrive(RaftMessage message)
    {
        if (!CanReach(message.From, message.To)) return;
        Delivered++;
        var type = message.GetType().Name;
        _deliveredByType[type] = _deliveredByType.GetValueOrDefault(type) + 1;
        if (message is RequestVote or AppendEntries or Heartbeat) RequestsDelivered++;
        deliver(message);
    }

    /// <summary>Messages delivered so far, by type.</summary>
    public string DescribeTraffic() =>
        string.Join(", ", _deliveredByType.OrderByDescending(t => t.Value).Select(t => $"{t.Key} {t.Value}"));

    /// <summary>Cuts the link from <paramref name="from"/> to <paramref name="to"/> only (a one-way partition).</summary>
    public void CutOneWay(string from, string to) => _cut.Add((from, to));

    public void Cut(string a, string b)
    {
        _cut.Add((a, b));
        _cut.Add((b, a));
    }

    /// <summary>Splits the peers into groups that reach each other only within a group.</summary>
    public void Partition(IReadOnlyList<IReadOnlyList<string>> groups)
    {
        for (var g = 0; g < groups.Count; g++)
        for (var h = g + 1; h < groups.Count; h++)
            foreach (var a in groups[g])
            foreach (var b in groups[h])
                Cut(a, b);
    }

    /// <summary>Restores every link cut by <see cref="Cut"/>, <see cref="CutOneWay"/> or <see cref="Partition"/>.</summary>
    public void Heal()
    {
        _cut.Clear();
        Heals++;
    }

    /// <summary>How many times the network was healed: a cut kept elsewhere (an activation's silo cut off from some
    /// peers) lasts until the next heal.</summary>
    public int Heals { get; private set; }

    /// <summary>Takes a peer off the network entirely (the lab's disconnect), independently of partitions.</summary>
    public void Detach(string peer) => _detached.Add(peer);

    public void Attach(string peer) => _detached.Remove(peer);

    public bool IsAttached(string peer) => !_detached.Contains(peer);

    public string Describe() => _cut.Count == 0 && _detached.Count == 0
        ? "fully connected"
        : $"cut {string.Join(" ", _cut.OrderBy(c => c.From, StringComparer.Ordinal).ThenBy(c => c.To, StringComparer.Ordinal).Select(c => $"{c.From}->{c.To}"))}" +
          (_detached.Count > 0 ? $"; detached {string.Join(",", _detached.Order(StringComparer.Ordinal))}" : "");
}
