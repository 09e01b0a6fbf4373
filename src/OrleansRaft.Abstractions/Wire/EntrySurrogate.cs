using OrleansRaft.Core;

namespace OrleansRaft.Wire;

/// <summary>Wire and storage form of <see cref="Entry"/>: OrleansRaft.Core knows nothing of Orleans, so its types
/// travel through surrogates. Never renumber an [Id].</summary>
[GenerateSerializer, Immutable, Alias("raft.Entry")]
public readonly struct EntrySurrogate
{
    [Id(0)] public long Index { get; init; }
    [Id(1)] public long Term { get; init; }
    [Id(2)] public byte Type { get; init; }
    [Id(3)] public byte[] Data { get; init; }
}

[RegisterConverter]
public sealed class EntrySurrogateConverter : IConverter<Entry, EntrySurrogate>
{
    public Entry ConvertFromSurrogate(in EntrySurrogate surrogate) =>
        new(surrogate.Index, surrogate.Term, (EntryType)surrogate.Type, surrogate.Data ?? []);

    public EntrySurrogate ConvertToSurrogate(in Entry value) =>
        new() { Index = value.Index, Term = value.Term, Type = (byte)value.Type, Data = value.Data };
}
