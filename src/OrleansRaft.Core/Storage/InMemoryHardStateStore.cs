namespace OrleansRaft.Core.Storage;

/// <summary>An in-memory twin of a hard state store, for tests and simulations.</summary>
public sealed class InMemoryHardStateStore : IHardStateStore
{
    private HardState _state = HardState.Empty;

    public ValueTask<HardState> LoadAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(_state);

    public ValueTask SaveAsync(HardState state, CancellationToken cancellationToken = default)
    {
        _state = state;
        return ValueTask.CompletedTask;
    }
}
