using OrleansRaft.Core.Storage;

namespace OrleansRaft.Core.Tests.Unit.Storage;

/// <summary>The in-memory twins against the storage conformance suite.</summary>
public sealed class InMemoryStorageConformanceTests : StorageConformanceTests
{
    protected override Task<Stores> CreateAsync() =>
        Task.FromResult(new Stores(new InMemoryLogStore(), new InMemoryHardStateStore(), new InMemorySnapshotStore()));
}
