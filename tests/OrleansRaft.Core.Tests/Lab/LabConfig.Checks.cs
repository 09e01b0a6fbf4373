using OrleansRaft.Core.Tests.Simulation.Infrastructure;

namespace OrleansRaft.Core.Tests.Lab;

/// <summary>The lab's checks, with its failure messages.</summary>
internal sealed partial class LabConfig
{
    /// <summary>Checks that exactly one connected server leads the latest term, retrying for about five seconds.
    /// Returns it.</summary>
    public int CheckOneLeader()
    {
        for (var iters = 0; iters < 10; iters++)
        {
            Sleep(Ms(450 + Random.Next(100)));
            var leaders = new SortedDictionary<long, List<int>>();
            for (var i = 0; i < Servers; i++)
            {
                if (!IsConnected(i) || !IsUp(i)) continue;
                var (term, isLeader) = GetState(i);
                if (!isLeader) continue;
                if (!leaders.TryGetValue(term, out var list)) leaders[term] = list = [];
                list.Add(i);
            }
            foreach (var (term, list) in leaders)
                if (list.Count > 1) throw new LabFailure($"term {term} has {list.Count} (>1) leaders");
            if (leaders.Count > 0) return leaders.Last().Value[0];
        }
        throw new LabFailure("expected one leader, got none");
    }

    /// <summary>Checks that every connected server is in the same term; returns it.</summary>
    public long CheckTerms()
    {
        long term = -1;
        for (var i = 0; i < Servers; i++)
        {
            if (!IsConnected(i) || !IsUp(i)) continue;
            var xterm = GetState(i).Term;
            if (term == -1) term = xterm;
            else if (term != xterm) throw new LabFailure("servers disagree on term");
        }
        return term;
    }

    /// <summary>Checks that no connected server believes it is the leader.</summary>
    public void CheckNoLeader()
    {
        for (var i = 0; i < Servers; i++)
            if (IsConnected(i) && IsUp(i) && GetState(i).IsLeader)
                throw new LabFailure($"expected no leader among connected servers, but {i} claims to be leader");
    }

    /// <summary>How many servers think the entry at <paramref name="index"/> is committed (have applied it), and
    /// its command (null for a no-op; 0 servers: null).</summary>
    public (int Count, long? Command) NCommitted(long index)
    {
        var count = 0;
        long? command = null;
        for (var i = 0; i < _logs.Length; i++)
        {
            if (!_logs[i].TryGetValue(index, out var value)) continue;
            if (count > 0 && command != value)
                throw new LabFailure($"committed values do not match: index {index}, {Show(command)}, {Show(value)}");
            count++;
            command = value;
        }
        return (count, command);
    }

    /// <summary>Waits for at least <paramref name="n"/> servers to commit <paramref name="index"/>, but gives up
    /// (returning <see cref="TermChanged"/>) once the term moves past <paramref name="startTerm"/> (when not -1).</summary>
    public long? Wait(long index, int n, long startTerm)
    {
        var to = Ms(10);
        for (var iters = 0; iters < 30; iters++)
        {
            var (nd, _) = NCommitted(index);
            if (nd >= n) break;
            Sleep(to);
            if (to < VirtualTime.Second) to *= 2;
            if (startTerm > -1)
                for (var i = 0; i < Servers; i++)
                    if (IsUp(i) && GetState(i).Term > startTerm) return TermChanged;
        }
        var (count, command) = NCommitted(index);
        if (count < n) throw new LabFailure($"only {count} decided for index {index}; wanted {n}");
        return command;
    }

    /// <summary>What <see cref="Wait"/> returns when the term changed (the lab's -1).</summary>
    public const long TermChanged = long.MinValue;

    /// <summary>Submits <paramref name="command"/> and waits until <paramref name="expectedServers"/> servers
    /// commit it, retrying with other servers (when <paramref name="retry"/>) for up to ten seconds. Returns
    /// its index.</summary>
    public long One(long command, int expectedServers, bool retry)
    {
        long index = 0;
        Run(OneRoutine(command, expectedServers, retry, i => index = i));
        return index;
    }

    /// <summary><see cref="One"/> as a goroutine, for tests that call it concurrently.</summary>
    public IEnumerable<long> OneRoutine(long command, int expectedServers, bool retry, Action<long>? done = null)
    {
        var t0 = Now;
        var starts = 0;
        while (Now - t0 < 10 * VirtualTime.Second)
        {
            // Try all the servers: maybe one is the leader.
            long index = -1;
            for (var si = 0; si < Servers; si++)
            {
                starts = (starts + 1) % Servers;
                if (!IsConnected(starts) || !IsUp(starts)) continue;
                var (index1, _, ok) = Start(starts, command);
                if (ok)
                {
                    index = index1;
                    break;
                }
            }
            if (index != -1)
            {
                // Somebody claimed to be the leader and submitted the command: wait a while for agreement.
                var t1 = Now;
                while (Now - t1 < 2 * VirtualTime.Second)
                {
                    var (nd, cmd1) = NCommitted(index);
                    if (nd > 0 && nd >= expectedServers && cmd1 == command)
                    {
                        done?.Invoke(index);
                        yield break;
                    }
                    yield return Ms(20);
                }
                if (!retry) throw new LabFailure($"one({command}) failed to reach agreement");
            }
            else
            {
                yield return Ms(50);
            }
        }
        throw new LabFailure($"one({command}) failed to reach agreement");
    }
}
