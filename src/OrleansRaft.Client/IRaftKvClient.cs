namespace OrleansRaft.Client;

/// <summary>Entry point for applications: one client session, any number of Raft groups.</summary>
public interface IRaftKvClient
{
    /// <summary>The random id of this client's session; every write it makes is tagged with it.</summary>
    string ClientId { get; }

    /// <summary>The store of group <paramref name="group"/> (default <see cref="OrleansRaftDefaults.Group"/>).
    /// Cheap: no call is made until an operation runs.</summary>
    IRaftKv Group(string group = OrleansRaftDefaults.Group);
}
