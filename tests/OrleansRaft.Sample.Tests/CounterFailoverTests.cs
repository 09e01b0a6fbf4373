using System.Diagnostics;
using Orleans.TestingHost;
using OrleansRaft.Sample.App;
using OrleansRaft.TestingHost;
using Xunit.Abstractions;

namespace OrleansRaft.Sample;

/// <summary>The README's sample: an application grain tested on a 3-silo TestingHost cluster running OrleansRaft.</summary>
public sealed class CounterFailoverTests(ITestOutputHelper output)
{
    private const int Increments = 20;

    /// <summary>How long one attempt may take before the caller gives up on it and retries. A call through the killed
    /// silo's gateway would otherwise wait for Orleans' 30 s response timeout.</summary>
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task NoAcknowledgedIncrementIsLostWhenTheLeadersSiloIsKilled()
    {
        var started = Stopwatch.GetTimestamp();
        var builder = new InProcessTestClusterBuilder(3);
        // The application's own silo configuration goes here as usual (builder.ConfigureSilo(...)); the counter grain
        // needs none.
        await using var raft = await builder.AddOrleansRaft(options => options.Group = CounterGrain.Group).DeployAsync();
        var counter = raft.Client.GetGrain<ICounterGrain>("visits");

        output.WriteLine($"deployed in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s");
        for (var sequence = 1; sequence <= Increments; sequence++)
        {
            if (sequence != Increments / 2)
            {
                await IncrementUntilAcknowledgedAsync(counter, sequence);
                continue;
            }
            // Mid-way, with an increment in flight: kill the silo that hosts the group's leader.
            var leaderSilo = await raft.WaitForLeaderSiloAsync();
            var inFlight = IncrementUntilAcknowledgedAsync(counter, sequence);
            await raft.KillAsync(leaderSilo);
            output.WriteLine($"killed {leaderSilo.Name} (the leader's) with increment {sequence} in flight");
            await inFlight;
        }

        // Exact, not "at least": every increment was retried until acknowledged, always with its own (client,
        // sequence), and the group applies a request id once. So an attempt whose answer was lost when the silo died,
        // but which was applied, makes its retry a no-op instead of a second increment, and an attempt that was never
        // applied is applied by its retry. Anything but Increments is a lost or a doubled increment.
        Assert.Equal(Increments, await counter.Get());
        output.WriteLine($"{Increments} increments with a leader kill: {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s");
    }

    /// <summary>Retries one increment until it is acknowledged, with the same (client, sequence) every time: the retry
    /// of an attempt whose outcome is unknown must not count twice.</summary>
    private static Task IncrementUntilAcknowledgedAsync(ICounterGrain counter, long sequence) =>
        RaftTestWait.UntilAsync(async () =>
        {
            await counter.Increment("sample-test", sequence).WaitAsync(AttemptTimeout);
            return "acknowledged";
        }, $"increment {sequence} to be acknowledged", RaftTestOptions.DefaultDeadline);
}
