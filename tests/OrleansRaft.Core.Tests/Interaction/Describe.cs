using System.Text;
using OrleansRaft.Core.Membership;
using OrleansRaft.Core.Messages;

namespace OrleansRaft.Core.Tests.Interaction;

/// <summary>
/// Text forms of messages, entries and Ready batches for the golden files. Log positions print as
/// <c>term/index</c>, like etcd-io/raft's testdata.
/// </summary>
public static class Describe
{
    private const int MaxDataChars = 16;

    public static string Position(long term, long index) => $"{term}/{index}";

    public static string Entry(Entry entry) => $"{Position(entry.Term, entry.Index)} " + entry.Type switch
    {
        EntryType.NoOp => "noop",
        EntryType.ConfigChange => ConfigChange(entry.Data),
        _ => Data(entry.Data),
    };

    /// <summary>A membership change entry: <c>conf(add learner 4 =&gt; voters [1, 2, 3] learners [4])</c>.</summary>
    public static string ConfigChange(byte[] data)
    {
        var (change, result) = ConfigChangeCodec.Decode(data);
        return $"conf({change} => {Configuration(result)})";
    }

    public static string Configuration(Configuration? configuration) =>
        configuration is null ? "no configuration (bootstrap)" : configuration.ToString();

    public static string Entries(IReadOnlyList<Entry> entries) =>
        "[" + string.Join(", ", entries.Select(Entry)) + "]";

    /// <summary>Short commands print as quoted text; long ones are cut so that flow-control scripts stay readable.</summary>
    public static string Data(byte[] data)
    {
        var text = Encoding.UTF8.GetString(data);
        return text.Length <= MaxDataChars ? $"\"{text}\"" : $"\"{text[..8]}...\"({data.Length}B)";
    }

    /// <summary>The message's kind as scripts name it (<c>deliver-msgs type=...</c>).</summary>
    public static string Kind(RaftMessage message) => message switch
    {
        RequestVote { PreVote: true } => "PreVote",
        RequestVote => "RequestVote",
        RequestVoteReply { PreVote: true } => "PreVoteReply",
        RequestVoteReply => "RequestVoteReply",
        _ => message.GetType().Name,
    };

    public static string Message(RaftMessage message)
    {
        var head = $"{message.From}->{message.To} {Kind(message)} term={message.Term}";
        return message switch
        {
            RequestVote m => $"{head} last={Position(m.LastLogTerm, m.LastLogIndex)}" + (m.LeaderTransfer ? " transfer" : ""),
            RequestVoteReply m => $"{head} {(m.Granted ? "granted" : "rejected")}",
            AppendEntries m =>
                $"{head} prev={Position(m.PrevLogTerm, m.PrevLogIndex)} commit={m.LeaderCommit}"
                + (m.Entries.Count > 0 ? $" entries={Entries(m.Entries)}" : ""),
            AppendEntriesReply { Success: true } m => $"{head} ok index={m.Index}",
            AppendEntriesReply m => $"{head} reject index={m.Index} hint={Position(m.ConflictTerm, m.ConflictIndex)}",
            Heartbeat m => $"{head} commit={m.Commit} round={m.ReadRound}{(m.Quiesce ? " quiesce" : "")}",
            HeartbeatReply m => $"{head} round={m.ReadRound}{(m.Quiesce ? " not-quiesced" : "")}",
            InstallSnapshot m =>
                $"{head} snapshot={Position(m.SnapshotTerm, m.SnapshotIndex)} offset={m.Offset} bytes={m.Data.Length}"
                + (m.Done ? " done" : "") + $" conf={Configuration(m.Configuration)}",
            InstallSnapshotReply m => $"{head} snapshot={m.SnapshotIndex} next={m.NextOffset}",
            _ => head,
        };
    }

    public static string Soft(string id, SoftState soft) =>
        $"{id} is {soft.Role} at term {soft.Term}, leader {soft.Leader ?? "none"}";

    public static string Hard(HardState hard) =>
        $"HardState term={hard.Term} vote={hard.Vote ?? "none"} commit={hard.Commit}";

    /// <summary>Every non-empty part of <paramref name="ready"/>, indented under a header line.</summary>
    public static IEnumerable<string> Ready(Ready ready)
    {
        yield return ready.MessagesMayPrecedePersist ? "Ready (messages may precede persist):" : "Ready:";
        if (ready.Snapshot is { } snapshot)
            yield return $"Snapshot: {Position(snapshot.Term, snapshot.Index)} {Data(snapshot.Data)} {Configuration(snapshot.Configuration)}";
        if (ready.HardState is { } hard) yield return Hard(hard);
        if (ready.Entries.Count > 0)
        {
            yield return "Entries:";
            foreach (var entry in ready.Entries) yield return "  " + Entry(entry);
        }
        if (ready.CommittedEntries.Count > 0)
        {
            yield return "CommittedEntries:";
            foreach (var entry in ready.CommittedEntries) yield return "  " + Entry(entry);
        }
        if (ready.Messages.Count > 0)
        {
            yield return "Messages:";
            foreach (var message in ready.Messages) yield return "  " + Message(message);
        }
        if (ready.ReadStates.Count > 0)
            yield return "ReadStates: " + string.Join(", ", ready.ReadStates.Select(r => $"ctx={r.Context} index={r.Index}"));
        if (ready.AbortedReads.Count > 0)
            yield return "AbortedReads: " + string.Join(", ", ready.AbortedReads.Select(c => $"ctx={c}"));
    }
}
