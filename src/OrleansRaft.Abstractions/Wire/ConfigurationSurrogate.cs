using OrleansRaft.Core.Membership;

namespace OrleansRaft.Wire;

/// <summary>Wire and storage form of a group's <see cref="Configuration"/>. Never renumber an [Id].</summary>
[GenerateSerializer, Immutable, Alias("raft.Configuration")]
public sealed record ConfigurationSurrogate([property: Id(0)] string[] Voters, [property: Id(1)] string[] Learners)
{
    public static ConfigurationSurrogate? From(Configuration? configuration) =>
        configuration is null ? null : new([.. configuration.Voters], [.. configuration.Learners]);

    public Configuration ToConfiguration() => new(Voters ?? [], Learners ?? []);
}
