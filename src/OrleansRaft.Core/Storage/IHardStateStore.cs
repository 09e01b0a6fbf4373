namespace OrleansRaft.Core.Storage;

/// <summary>Durable home of a node's <see cref="HardState"/>. The node never calls storage: its host does,
/// following the <see cref="Ready"/> contract.</summary>
public interface IHardStateStore
{
    /// <summary>The last saved hard state, or <see cref="HardState.Empty"/> if none was ever saved.</summary>
    ValueTask<HardState> LoadAsync(CancellationToken cancellationToken = default);

    /// <summary>Replaces the saved hard state; durable when the returned task completes.</summary>
    ValueTask SaveAsync(HardState state, CancellationToken cancellationToken = default);
}
