using OrleansRaft.Cli.Output;
using OrleansRaft.Kv;
using OrleansRaft.Peers;

namespace OrleansRaft.Client.Tests.Cli;

public class StatusTableTests
{
    [Fact]
    public void Renders_an_aligned_row_per_peer_and_explains_missing_ones()
    {
        var list = new PeerStatusList("kv",
        [
            new PeerStatus("kv/0", "S127.0.0.1:11111:1", "Leader", 3, "kv/0", 42, 42, 1, 42),
            null,
            new PeerStatus("kv/2", "S127.0.0.1:11113:1", "Follower", 3, "kv/0", 40, 39, 11, 41),
        ],
        [null, "timed out\nafter 1s", null]);

        var expected = string.Join(Environment.NewLine,
            "group kv: 2 of 3 peers answered",
            "PEER  SILO                ROLE         TERM  LEADER  COMMIT  APPLIED  LOG",
            "kv/0  S127.0.0.1:11111:1  Leader       3     kv/0    42      42       42",
            "kv/1  -                   unreachable  -     -       -       -        -",
            "kv/2  S127.0.0.1:11113:1  Follower     3     kv/0    40      39       31",
            "kv/1: timed out after 1s",
            "");
        Assert.Equal(expected, StatusTable.Format(list));
    }

    [Fact]
    public void A_peer_without_leader_or_log_shows_dash_and_zero()
    {
        var list = new PeerStatusList("g", [new PeerStatus("g/0", "S", "Candidate", 7, null, 0, 0, 1, 0)], [null]);
        Assert.Contains("g/0   S     Candidate  7     -       0       0        0", StatusTable.Format(list));
    }

    [Fact]
    public void Missing_errors_say_no_answer()
    {
        var text = StatusTable.Format(new PeerStatusList("g", [null], []));
        Assert.Contains("g/0: no answer", text);
        Assert.StartsWith("group g: 0 of 1 peers answered", text);
    }
}
