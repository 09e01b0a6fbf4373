namespace OrleansRaft.EndToEnd.Tests.Nemesis;

/// <summary>The one line a nemesis run prints, pass or fail.</summary>
internal static class NemesisSummary
{
    public static string Line(WorkloadContext run, INemesis nemesis, TimeSpan check, TimeSpan wall)
    {
        var s = run.Stats;
        return $"nemesis seed {run.Settings.Seed}, {run.Settings.Duration.TotalSeconds:0} s, {run.Settings.Clients} clients: " +
            $"{run.History.Count} operations checked ({s.Invoked} by the clients, {run.History.Count - s.Invoked} final reads), " +
            $"{s.Acknowledged} acknowledged, {s.Unknown} unknown (errors: {s.Errors}); " +
            $"appends {run.Appends.AttemptedCount} attempted, {run.Appends.AcknowledgedCount} acknowledged; " +
            $"{nemesis.Summary}; " +
            $"{s.ShellStarts} shells started ({s.ConnectFailures} could not connect); " +
            $"check {check.TotalSeconds:0.0} s, wall {wall.TotalSeconds:0} s";
    }
}
