using System.Globalization;
using OrleansRaft.Cli.Arguments;

namespace OrleansRaft.Cli.Bench;

/// <summary>
/// Relative weights of set, get and cas, as in <c>--mix set=50,get=50,cas=0</c>. Weights are whole numbers and
/// need not add up to 100: <c>set=1,get=3</c> is a quarter sets. Kinds left out weigh 0.
/// </summary>
internal sealed record WorkloadMix(int Set, int Get, int Cas)
{
    public static WorkloadMix Default { get; } = new(50, 50, 0);

    public int Total => Set + Get + Cas;

    public int Weight(OpKind kind) => kind switch
    {
        OpKind.Set => Set,
        OpKind.Get => Get,
        _ => Cas,
    };

    public bool HasWrites => Set + Cas > 0;

    /// <summary>The kind for a uniform draw <paramref name="draw"/> in [0, <see cref="Total"/>).</summary>
    public OpKind Pick(int draw) => draw < Set ? OpKind.Set : draw < Set + Get ? OpKind.Get : OpKind.Cas;

    public override string ToString() => $"set={Set},get={Get},cas={Cas}";

    public static WorkloadMix Parse(string text)
    {
        var weights = new int?[OpKinds.Count];
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=');
            var name = equals < 0 ? part : part[..equals].Trim();
            var kind = OpKinds.All.Cast<OpKind?>().FirstOrDefault(k => string.Equals(OpKinds.Name(k!.Value), name, StringComparison.OrdinalIgnoreCase));
            if (kind is null || equals < 0)
                throw new UsageException($"invalid --mix '{text}': expected KIND=WEIGHT pairs of set, get and cas, like set=50,get=50,cas=0");
            if (!int.TryParse(part[(equals + 1)..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var weight) || weight > 1_000_000)
                throw new UsageException($"invalid --mix weight '{part}': expected a whole number from 0 to 1000000");
            if (weights[(int)kind.Value] is not null) throw new UsageException($"invalid --mix '{text}': {name} is given twice");
            weights[(int)kind.Value] = weight;
        }
        var mix = new WorkloadMix(weights[0] ?? 0, weights[1] ?? 0, weights[2] ?? 0);
        if (mix.Total == 0) throw new UsageException($"invalid --mix '{text}': at least one weight must be above 0");
        return mix;
    }
}
