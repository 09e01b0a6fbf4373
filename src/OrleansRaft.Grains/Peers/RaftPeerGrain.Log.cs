using Microsoft.Extensions.Logging;

namespace OrleansRaft.Grains.Peers;

// Event ids 1000-1099: the peer grain.
internal sealed partial class RaftPeerGrain
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Raft peer {Peer} activated on {Silo} (node {Node}, fence {Fence}): term {Term}, {Entries} log entries")]
    private partial void LogActivated(string peer, long term, int entries, string silo, string node, long fence);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Raft peer {Peer}: {From} -> {To} in term {Term}")]
    private partial void LogRoleChanged(string peer, string from, string to, long term);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Raft peer {Peer} stops answering and deactivates: a storage write failed, another activation took over, or its Ready loop threw")]
    private partial void LogFenced(Exception error, string peer);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Critical, Message = "Raft peer {Peer} cannot start: its persisted state at {Row} is corrupted")]
    private partial void LogCorrupted(Exception error, string peer, string row);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Raft peer {Peer} took a snapshot at index {Index} ({Bytes} bytes) and compacted its log through {Through}")]
    private partial void LogSnapshotTaken(string peer, long index, int bytes, long through);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Raft peer {Peer} installed the leader's snapshot at index {Index} ({Bytes} bytes)")]
    private partial void LogSnapshotInstalled(string peer, long index, int bytes);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Error, Message = "Raft peer {Peer} on node {Node} refuses to start: {Reason}")]
    private partial void LogRefused(Exception error, string peer, string node, string reason);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Information, Message = "Raft peer {Peer} leaves spare silo {Silo}: it runs on {Host} now (its node is back)")]
    private partial void LogMoved(string peer, string silo, string host);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Information, Message = "Raft peer {Peer} proposes membership change '{Change}' at index {Index} in term {Term}")]
    private partial void LogMembershipProposed(string peer, string change, long index, long term);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Information, Message = "Raft peer {Peer} hands leadership of term {Term} to {Target}")]
    private partial void LogTransferStarted(string peer, string target, long term);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Information, Message = "Raft peer {Peer} joined its group on node {Node}: its storage is created, empty")]
    private partial void LogJoined(string peer, string node);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Information, Message = "Raft peer {Peer} retired: removed by the change at index {Index}; its log and snapshot are deleted")]
    private partial void LogRetired(string peer, long index);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Information, Message = "Raft group {Group}: configuration at index {Index} is {Configuration}")]
    private partial void LogConfiguration(string group, long index, string configuration);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Error, Message = "Raft peer {Peer}: the state machine failed to apply the entry at index {Index}; its proposer gets the error")]
    private partial void LogApplyFailed(Exception error, string peer, long index);
}
