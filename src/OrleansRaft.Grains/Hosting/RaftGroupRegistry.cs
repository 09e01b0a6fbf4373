using Microsoft.Extensions.Options;

namespace OrleansRaft.Hosting;

/// <summary>The groups this silo was configured with (<c>AddRaftGroup</c>) and their validated options.</summary>
public sealed class RaftGroupRegistry(IOptions<RaftGroupsOptions> groups, IOptionsMonitor<RaftGroupOptions> options)
{
    public IReadOnlyCollection<string> Names => groups.Value.Names;

    public bool TryGet(string group, out RaftGroupOptions groupOptions)
    {
        groupOptions = null!;
        if (!groups.Value.Names.Contains(group)) return false;
        groupOptions = options.Get(group);
        return true;
    }
}

/// <summary>The set of configured group names.</summary>
public sealed class RaftGroupsOptions
{
    public HashSet<string> Names { get; } = new(StringComparer.Ordinal);
}
