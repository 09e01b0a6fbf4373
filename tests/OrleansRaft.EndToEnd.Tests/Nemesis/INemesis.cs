namespace OrleansRaft.EndToEnd.Tests.Nemesis;

/// <summary>What goes wrong during a <see cref="NemesisRun"/> while its clients record their history. When
/// <see cref="RunAsync"/> returns, every silo it means to keep must be up again.</summary>
internal interface INemesis
{
    /// <summary>What it did, for the run's summary line.</summary>
    string Summary { get; }

    Task RunAsync(CancellationToken stop);
}
