using OrleansRaft.Testing.Linearizability;
using OrleansRaft.Testing.Linearizability.Kv;

namespace OrleansRaft.Core.Tests.Simulation.Checker;

/// <summary>Writes KV histories by hand for checker tests: each op with explicit call and return times.</summary>
internal sealed class HistoryBuilder
{
    private readonly List<Operation<KvInput, KvOutput>> _ops = [];

    public IReadOnlyList<Operation<KvInput, KvOutput>> Ops => _ops;

    public HistoryBuilder Get(int client, string key, string? seen, long call, long ret) =>
        Add(client, KvInput.Get(key), KvOutput.Read(seen), call, ret);

    public HistoryBuilder Set(int client, string key, string value, long call, long ret) =>
        Add(client, KvInput.Set(key, value), KvOutput.Done, call, ret);

    public HistoryBuilder Append(int client, string key, string value, long call, long ret) =>
        Add(client, KvInput.Append(key, value), KvOutput.Done, call, ret);

    public HistoryBuilder Cas(int client, string key, string? expected, string value, bool succeeded, long call, long ret) =>
        Add(client, KvInput.Cas(key, expected, value), KvOutput.CasResult(succeeded), call, ret);

    /// <summary>An operation whose outcome the client never learned.</summary>
    public HistoryBuilder Unknown(int client, KvInput input, long call)
    {
        _ops.Add(Operation<KvInput, KvOutput>.Pending(client, input, call));
        return this;
    }

    /// <summary>An operation whose outcome the client never learned, known dead after <paramref name="expired"/>.</summary>
    public HistoryBuilder Unknown(int client, KvInput input, long call, long expired)
    {
        _ops.Add(Operation<KvInput, KvOutput>.Pending(client, input, call) with { Return = expired });
        return this;
    }

    public CheckResult Check() => LinearizabilityChecker.Check(KvModel.Instance, _ops);

    private HistoryBuilder Add(int client, KvInput input, KvOutput output, long call, long ret)
    {
        _ops.Add(new Operation<KvInput, KvOutput>(client, input, call, output, ret));
        return this;
    }
}
