using System.Collections.Concurrent;

namespace OrleansRaft.Grains.Diagnostics;

/// <summary>
/// What the peers on this silo last reported about themselves (<see cref="PeerSnapshot"/>, published once a tick),
/// plus, per group, the recent elections and leader changes they saw and their commit index once a second over the
/// last minutes. Gauges and the live view read only this: nothing here reaches into an activation.
/// </summary>
public sealed class PeerActivity(TimeProvider clock)
{
    /// <summary>Events kept per group: enough for a page, bounded however often leaders change.</summary>
    public const int EventsKept = 50;

    /// <summary>Commit samples kept per group, one a second: five minutes.</summary>
    public const int SamplesKept = 300;

    private static readonly TimeSpan SamplePeriod = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, PeerSnapshot> _peers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, GroupHistory> _groups = new(StringComparer.Ordinal);

    public TimeProvider Clock => clock;

    /// <summary>The latest snapshot of every peer active on this silo, in peer order.</summary>
    public IReadOnlyList<PeerSnapshot> Peers => [.. _peers.Values.OrderBy(p => p.Peer, StringComparer.Ordinal)];

    public void Publish(PeerSnapshot snapshot)
    {
        _peers[snapshot.Peer] = snapshot;
        History(snapshot.Group).Sample(snapshot.Taken, snapshot.CommitIndex);
    }

    /// <summary>The peer left this silo (deactivated, refused, moved): its gauges stop reporting.</summary>
    public void Forget(string peer) => _peers.TryRemove(peer, out _);

    public void Record(string group, GroupEventKind kind, string peer, long term, string? leader) =>
        History(group).Add(new GroupEvent(clock.GetUtcNow(), kind, peer, term, leader));

    /// <summary>The group's recent events, newest first.</summary>
    public IReadOnlyList<GroupEvent> Events(string group) => _groups.TryGetValue(group, out var history) ? history.Events() : [];

    /// <summary>The group's commit samples, oldest first.</summary>
    public IReadOnlyList<CommitSample> Commits(string group) => _groups.TryGetValue(group, out var history) ? history.Samples() : [];

    private GroupHistory History(string group) => _groups.GetOrAdd(group, _ => new GroupHistory());

    private sealed class GroupHistory
    {
        private readonly List<GroupEvent> _events = [];
        private readonly List<CommitSample> _samples = [];

        public void Add(GroupEvent e)
        {
            lock (_events)
            {
                _events.Add(e);
                if (_events.Count > EventsKept) _events.RemoveAt(0);
            }
        }

        /// <summary>At most one sample a second; with several peers of the group here, the furthest commit counts.</summary>
        public void Sample(DateTimeOffset at, long commit)
        {
            lock (_samples)
            {
                if (_samples.Count > 0 && at - _samples[^1].At < SamplePeriod)
                {
                    if (commit > _samples[^1].CommitIndex) _samples[^1] = _samples[^1] with { CommitIndex = commit };
                    return;
                }
                _samples.Add(new CommitSample(at, commit));
                if (_samples.Count > SamplesKept) _samples.RemoveAt(0);
            }
        }

        public IReadOnlyList<GroupEvent> Events()
        {
            lock (_events) return [.. Enumerable.Reverse(_events)];
        }

        public IReadOnlyList<CommitSample> Samples()
        {
            lock (_samples) return [.. _samples];
        }
    }
}
