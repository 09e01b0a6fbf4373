using OrleansRaft.Core;
using OrleansRaft.Core.Messages;

namespace OrleansRaft.Wire;

// Surrogates for the core's message records, one per concrete type. Never renumber an [Id].

[GenerateSerializer, Immutable, Alias("raft.RequestVote")]
public readonly record struct RequestVoteSurrogate(
    [property: Id(0)] string From, [property: Id(1)] string To, [property: Id(2)] long Term,
    [property: Id(3)] long LastLogIndex, [property: Id(4)] long LastLogTerm, [property: Id(5)] bool PreVote,
    [property: Id(6)] bool LeaderTransfer);

[RegisterConverter]
public sealed class RequestVoteConverter : IConverter<RequestVote, RequestVoteSurrogate>
{
    public RequestVote ConvertFromSurrogate(in RequestVoteSurrogate s) => new(s.From, s.To, s.Term, s.LastLogIndex, s.LastLogTerm, s.PreVote, s.LeaderTransfer);
    public RequestVoteSurrogate ConvertToSurrogate(in RequestVote m) => new(m.From, m.To, m.Term, m.LastLogIndex, m.LastLogTerm, m.PreVote, m.LeaderTransfer);
}

[GenerateSerializer, Immutable, Alias("raft.RequestVoteReply")]
public readonly record struct RequestVoteReplySurrogate(
    [property: Id(0)] string From, [property: Id(1)] string To, [property: Id(2)] long Term,
    [property: Id(3)] bool Granted, [property: Id(4)] bool PreVote);

[RegisterConverter]
public sealed class RequestVoteReplyConverter : IConverter<RequestVoteReply, RequestVoteReplySurrogate>
{
    public RequestVoteReply ConvertFromSurrogate(in RequestVoteReplySurrogate s) => new(s.From, s.To, s.Term, s.Granted, s.PreVote);
    public RequestVoteReplySurrogate ConvertToSurrogate(in RequestVoteReply m) => new(m.From, m.To, m.Term, m.Granted, m.PreVote);
}

[GenerateSerializer, Immutable, Alias("raft.AppendEntries")]
public readonly record struct AppendEntriesSurrogate(
    [property: Id(0)] string From, [property: Id(1)] string To, [property: Id(2)] long Term,
    [property: Id(3)] long PrevLogIndex, [property: Id(4)] long PrevLogTerm, [property: Id(5)] Entry[] Entries,
    [property: Id(6)] long LeaderCommit);

[RegisterConverter]
public sealed class AppendEntriesConverter : IConverter<AppendEntries, AppendEntriesSurrogate>
{
    public AppendEntries ConvertFromSurrogate(in AppendEntriesSurrogate s) =>
        new(s.From, s.To, s.Term, s.PrevLogIndex, s.PrevLogTerm, s.Entries ?? [], s.LeaderCommit);

    public AppendEntriesSurrogate ConvertToSurrogate(in AppendEntries m) =>
        new(m.From, m.To, m.Term, m.PrevLogIndex, m.PrevLogTerm, m.Entries as Entry[] ?? [.. m.Entries], m.LeaderCommit);
}

[GenerateSerializer, Immutable, Alias("raft.AppendEntriesReply")]
public readonly record struct AppendEntriesReplySurrogate(
    [property: Id(0)] string From, [property: Id(1)] string To, [property: Id(2)] long Term,
    [property: Id(3)] bool Success, [property: Id(4)] long Index, [property: Id(5)] long ConflictTerm,
    [property: Id(6)] long ConflictIndex);

[RegisterConverter]
public sealed class AppendEntriesReplyConverter : IConverter<AppendEntriesReply, AppendEntriesReplySurrogate>
{
    public AppendEntriesReply ConvertFromSurrogate(in AppendEntriesReplySurrogate s) =>
        new(s.From, s.To, s.Term, s.Success, s.Index, s.ConflictTerm, s.ConflictIndex);

    public AppendEntriesReplySurrogate ConvertToSurrogate(in AppendEntriesReply m) =>
        new(m.From, m.To, m.Term, m.Success, m.Index, m.ConflictTerm, m.ConflictIndex);
}

[GenerateSerializer, Immutable, Alias("raft.Heartbeat")]
public readonly record struct HeartbeatSurrogate(
    [property: Id(0)] string From, [property: Id(1)] string To, [property: Id(2)] long Term,
    [property: Id(3)] long Commit, [property: Id(4)] long ReadRound, [property: Id(5)] bool Quiesce);

[RegisterConverter]
public sealed class HeartbeatConverter : IConverter<Heartbeat, HeartbeatSurrogate>
{
    public Heartbeat ConvertFromSurrogate(in HeartbeatSurrogate s) => new(s.From, s.To, s.Term, s.Commit, s.ReadRound, s.Quiesce);
    public HeartbeatSurrogate ConvertToSurrogate(in Heartbeat m) => new(m.From, m.To, m.Term, m.Commit, m.ReadRound, m.Quiesce);
}

[GenerateSerializer, Immutable, Alias("raft.HeartbeatReply")]
public readonly record struct HeartbeatReplySurrogate(
    [property: Id(0)] string From, [property: Id(1)] string To, [property: Id(2)] long Term, [property: Id(3)] long ReadRound,
    [property: Id(4)] bool Quiesce);

[RegisterConverter]
public sealed class HeartbeatReplyConverter : IConverter<HeartbeatReply, HeartbeatReplySurrogate>
{
    public HeartbeatReply ConvertFromSurrogate(in HeartbeatReplySurrogate s) => new(s.From, s.To, s.Term, s.ReadRound, s.Quiesce);
    public HeartbeatReplySurrogate ConvertToSurrogate(in HeartbeatReply m) => new(m.From, m.To, m.Term, m.ReadRound, m.Quiesce);
}

[GenerateSerializer, Immutable, Alias("raft.InstallSnapshot")]
public readonly record struct InstallSnapshotSurrogate(
    [property: Id(0)] string From, [property: Id(1)] string To, [property: Id(2)] long Term,
    [property: Id(3)] long SnapshotIndex, [property: Id(4)] long SnapshotTerm, [property: Id(5)] long Offset,
    [property: Id(6)] byte[] Data, [property: Id(7)] bool Done, [property: Id(8)] ConfigurationSurrogate? Configuration);

[RegisterConverter]
public sealed class InstallSnapshotConverter : IConverter<InstallSnapshot, InstallSnapshotSurrogate>
{
    public InstallSnapshot ConvertFromSurrogate(in InstallSnapshotSurrogate s) =>
        new(s.From, s.To, s.Term, s.SnapshotIndex, s.SnapshotTerm, s.Offset, s.Data ?? [], s.Done, s.Configuration?.ToConfiguration());

    public InstallSnapshotSurrogate ConvertToSurrogate(in InstallSnapshot m) =>
        new(m.From, m.To, m.Term, m.SnapshotIndex, m.SnapshotTerm, m.Offset, m.Data, m.Done, ConfigurationSurrogate.From(m.Configuration));
}

[GenerateSerializer, Immutable, Alias("raft.InstallSnapshotReply")]
public readonly record struct InstallSnapshotReplySurrogate(
    [property: Id(0)] string From, [property: Id(1)] string To, [property: Id(2)] long Term,
    [property: Id(3)] long SnapshotIndex, [property: Id(4)] long NextOffset);

[RegisterConverter]
public sealed class InstallSnapshotReplyConverter : IConverter<InstallSnapshotReply, InstallSnapshotReplySurrogate>
{
    public InstallSnapshotReply ConvertFromSurrogate(in InstallSnapshotReplySurrogate s) => new(s.From, s.To, s.Term, s.SnapshotIndex, s.NextOffset);
    public InstallSnapshotReplySurrogate ConvertToSurrogate(in InstallSnapshotReply m) => new(m.From, m.To, m.Term, m.SnapshotIndex, m.NextOffset);
}

[GenerateSerializer, Immutable, Alias("raft.TimeoutNow")]
public readonly record struct TimeoutNowSurrogate([property: Id(0)] string From, [property: Id(1)] string To, [property: Id(2)] long Term);

[RegisterConverter]
public sealed class TimeoutNowConverter : IConverter<TimeoutNow, TimeoutNowSurrogate>
{
    public TimeoutNow ConvertFromSurrogate(in TimeoutNowSurrogate s) => new(s.From, s.To, s.Term);
    public TimeoutNowSurrogate ConvertToSurrogate(in TimeoutNow m) => new(m.From, m.To, m.Term);
}
