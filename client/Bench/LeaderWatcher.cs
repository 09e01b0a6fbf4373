namespace OrleansRaft.Cli.Bench;

/// <summary>
/// Polls the target's status once a second for the whole run and keeps the distinct (leader, term) pairs it sees:
/// more than one means the leadership changed during the run. <see cref="Current"/> feeds the progress line.
/// </summary>
internal sealed class LeaderWatcher(IBenchTarget target)
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(1);
    private readonly List<LeaderView> _seen = [];
    private readonly Lock _lock = new();
    private int _polls;
    private int _pollsWithoutLeader;

    public LeaderView? Current { get; private set; }

    public async Task RunAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(Period);
        do
        {
            LeaderView? view;
            try
            {
                view = await PollAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;   // the run ended during a poll
            }
            lock (_lock)
            {
                _polls++;
                if (view is null) _pollsWithoutLeader++;
                else if (!_seen.Any(v => v.Leader == view.Leader && v.Term == view.Term)) _seen.Add(view);
            }
            Current = view;
        }
        while (await Tick(timer, stop).ConfigureAwait(false));
    }

    public LeaderSummary Summary()
    {
        lock (_lock) return new LeaderSummary(_seen.ToArray(), _polls, _pollsWithoutLeader);
    }

    private async Task<LeaderView?> PollAsync(CancellationToken stop)
    {
        // A poll must not outlast its period: a dead member must not stall the count of leaders.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
        deadline.CancelAfter(Period);
        try
        {
            return await target.GetLeaderAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
        {
            return null;
        }
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken stop)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
