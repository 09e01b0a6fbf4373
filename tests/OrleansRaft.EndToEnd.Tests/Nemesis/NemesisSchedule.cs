using OrleansRaft.EndToEnd.Tests.Support;

namespace OrleansRaft.EndToEnd.Tests.Nemesis;

/// <summary>
/// The nemesis: after a quiet spell, either SIGKILLs a silo and restarts it a little later, or freezes one with
/// SIGSTOP for longer than an election timeout (20 ticks of 25 ms: 0.5 to 1 s) and thaws it. One action at a time,
/// so at most one silo is ever down or frozen. The victim is the leader's silo half the time; it is always a silo
/// hosting at most one peer of the group, so that a majority of peers stays up. Every action completes once
/// started, so that when <see cref="RunAsync"/> returns every silo is up and running.
/// </summary>
internal sealed class NemesisSchedule(SiloControl silos, int seed, Action<string> note) : INemesis
{
    private readonly Random _random = new(seed);

    public int Kills { get; private set; }

    public int Pauses { get; private set; }

    /// <summary>Actions aimed at the silo of the leader of the moment.</summary>
    public int LeaderHits { get; private set; }

    public string Summary => $"{Kills} kills, {Pauses} pauses ({LeaderHits} of the leader's silo)";

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Between(1.5, 3), stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var (victim, why) = await ChooseVictimAsync();
            if (_random.Next(2) == 0) await KillAndRestartAsync(victim, why);
            else await PauseAsync(victim, why);
        }
    }

    private async Task KillAndRestartAsync(int victim, string why)
    {
        var down = Between(1, 4);
        note($"nemesis: kill node{victim} ({why}), restart after {down.TotalSeconds:0.0} s");
        await silos.KillAsync(victim);
        Kills++;
        await Task.Delay(down);
        await silos.RestartAsync(victim);
        note($"nemesis: node{victim} is up again");
    }

    private async Task PauseAsync(int victim, string why)
    {
        var pause = Between(2, 3);
        note($"nemesis: pause node{victim} ({why}) for {pause.TotalSeconds:0.0} s");
        silos.Pause(victim);
        Pauses++;
        try
        {
            await Task.Delay(pause);
        }
        finally
        {
            silos.Resume(victim);
        }
    }

    /// <summary>Asks <c>client status</c> where the peers and the leader are; picks at random if it cannot tell.</summary>
    private async Task<(int Silo, string Why)> ChooseVictimAsync()
    {
        var all = Enumerable.Range(0, silos.Count).ToArray();
        StatusReport status;
        try
        {
            var result = await CliRunner.RunAsync("--timeout", "10", "status");
            if (!result.Succeeded) return (Pick(all), $"random: status failed with exit {result.ExitCode}");
            status = StatusReport.Parse(result.StdoutLines);
        }
        catch (FormatException e)
        {
            return (Pick(all), $"random: {e.Message}");
        }
        var hosted = new int[silos.Count];
        int? leaderSilo = null;
        foreach (var peer in status.Peers.Where(p => p.Role != "unreachable"))
        {
            if (!peer.TrySiloIndex(out var index) || index < 0 || index >= hosted.Length) continue;
            hosted[index]++;
            if (peer.IsLeader) leaderSilo = index;
        }
        var layout = string.Join(", ", all.Select(i => $"node{i}: {hosted[i]} peer{(hosted[i] == 1 ? "" : "s")}"));
        var safe = all.Where(i => hosted[i] <= 1).ToArray();
        if (leaderSilo is { } leader && safe.Contains(leader) && _random.Next(2) == 0)
        {
            LeaderHits++;
            return (leader, $"the leader's silo; {layout}");
        }
        var victim = Pick(safe.Length > 0 ? safe : all);
        if (victim == leaderSilo) LeaderHits++;
        var role = victim == leaderSilo ? "the leader's silo" : hosted[victim] == 0 ? "a silo without peers" : "a follower's silo";
        return (victim, $"{role}; {layout}");
    }

    private int Pick(int[] choices) => choices[_random.Next(choices.Length)];

    private TimeSpan Between(double minSeconds, double maxSeconds) =>
        TimeSpan.FromSeconds(minSeconds + _random.NextDouble() * (maxSeconds - minSeconds));
}
