using Microsoft.Coyote;
using Microsoft.Coyote.SystematicTesting;
using OrleansRaft.Core;
using OrleansRaft.Core.Messages;
using OrleansRaft.Shell;
using OrleansRaft.Peers;
using Xunit.Abstractions;

namespace OrleansRaft.Shell.Tests;

/// <summary>
/// The grain shell's Ready loop under Coyote's scheduler: ticks, peer messages, proposals and reads interleave with the
/// storage writes the way Orleans interleaves the grain's calls at its awaits, and Coyote explores those orders. The
/// checks are in <see cref="ShellHarness"/>; a request never answered shows up as a deadlock. Iterations are bounded so
/// that the whole class runs in seconds in CI.
/// </summary>
public sealed class ReadyLoopCoyoteTests(ITestOutputHelper output)
{
    private const int Iterations = 50;

    [Fact]
    public void InterleavedCallsKeepTheReadyContractAndAnswerEveryRequestOnce() =>
        AssertNoBug(Explore(() => RunAsync(new ShellHarness { Peer = ReplyTo }, proposals: 3, reads: 2)));

    /// <summary>Storage fails at a write Coyote picks, as an ETag conflict does when another activation took the peer
    /// row: the activation fences itself, sends and applies nothing more, and still answers everyone waiting.</summary>
    [Fact]
    public void AFencedActivationSendsNothingAndAnswersEveryone() =>
        AssertNoBug(Explore(() =>
        {
            var failAt = Microsoft.Coyote.Random.Generator.Create().NextInteger(8) + 1;
            return RunAsync(new ShellHarness(failPersistAt: failAt) { Peer = ReplyTo }, proposals: 3, reads: 1);
        }));

    /// <summary>The planted bug (<see cref="ShellBugs.AnswerBeforeApply"/>): a proposal answered Ok once committed,
    /// while the Ready's write is in flight and before the state machine applied the entry. Coyote must find an
    /// order in which the proposer sees the answer first.</summary>
    [Fact]
    public void PlantedAnswerBeforeApplyIsCaught()
    {
        var report = Explore(() => RunAsync(new ShellHarness(ShellBugs.AnswerBeforeApply) { Peer = ReplyTo }, proposals: 3, reads: 0));
        Assert.True(report.NumOfFoundBugs > 0, "Coyote did not find the planted bug");
        Assert.Contains(report.BugReports, bug => bug.Contains("before it was applied", StringComparison.Ordinal));
    }

    /// <summary>One iteration: a ticker until the peer leads, fake peers that grant every vote and acknowledge every
    /// append, and clients that propose (retrying while there is no leader) and read.</summary>
    private static async Task RunAsync(ShellHarness shell, int proposals, int reads)
    {
        var ticker = Task.Run(async () =>
        {
            for (var i = 0; i < 40 && shell.Node.Role != RaftRole.Leader && !shell.Loop.Fenced; i++)
            {
                await shell.Tick();
                await Task.Yield();
            }
        });
        var proposers = Enumerable.Range(0, proposals).Select(i => Task.Run(() => Retry(() => shell.Propose([(byte)i]), a => a.Outcome)));
        var readers = Enumerable.Range(0, reads).Select(i => Task.Run(() => Retry(() => shell.Query(i + 1), a => a.Outcome)));
        var outcomes = await Task.WhenAll([.. proposers, .. readers]);
        await ticker;
        // The loop answers a request before it forgets it (Fence, a lost leadership): in Orleans both happen in one turn,
        // here the caller may resume in between. The check is for a loop at rest.
        for (var i = 0; i < 1_000 && shell.Loop.Processing; i++) await Task.Yield();
        Microsoft.Coyote.Specifications.Specification.Assert(shell.Loop.Proposals.Count == 0 && shell.Loop.Queries.Count == 0,
            $"{shell.Loop.Proposals.Count} proposal(s) and {shell.Loop.Queries.Count} read(s) still pending after every caller was answered " +
            $"({string.Join(", ", outcomes)}; fenced {shell.Loop.Fenced}, role {shell.Node.Role}, term {shell.Node.Term})");
    }

    /// <summary>A client: asks again while the peer is not (yet) leader, as the facade does.</summary>
    private static async Task<PeerOutcome> Retry<T>(Func<Task<T>> call, Func<T, PeerOutcome> outcome)
    {
        for (var attempt = 0; attempt < 40; attempt++)
        {
            var answer = outcome(await call());
            if (answer != PeerOutcome.NotLeader) return answer;
            await Task.Yield();
        }
        return PeerOutcome.NotLeader;
    }

    /// <summary>What peers 2 and 3 answer: they hold exactly the leader's log, so they grant and acknowledge everything.</summary>
    private static RaftMessage? ReplyTo(RaftMessage message) => message switch
    {
        RequestVote vote => new RequestVoteReply(vote.To, vote.From, vote.Term, Granted: true, vote.PreVote),
        AppendEntries append => new AppendEntriesReply(append.To, append.From, append.Term, Success: true,
            append.PrevLogIndex + append.Entries.Count, 0, 0),
        Heartbeat heartbeat => new HeartbeatReply(heartbeat.To, heartbeat.From, heartbeat.Term, heartbeat.ReadRound),
        _ => null,
    };

    private TestReport Explore(Func<Task> iteration)
    {
        var configuration = Configuration.Create()
            .WithTestingIterations(Iterations)
            .WithMaxSchedulingSteps(3_000)
            .WithRandomGeneratorSeed(14);
        var engine = TestingEngine.Create(configuration, iteration);
        engine.Run();
        output.WriteLine(engine.GetReport());
        return engine.TestReport;
    }

    private static void AssertNoBug(TestReport report) =>
        Assert.True(report.NumOfFoundBugs == 0, string.Join(Environment.NewLine, report.BugReports));
}
