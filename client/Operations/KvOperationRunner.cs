using OrleansRaft.Cli.Errors;
using OrleansRaft.Client;
using OrleansRaft.Kv;

namespace OrleansRaft.Cli.Operations;

/// <summary>Runs a <see cref="KvOperation"/> against any <see cref="IRaftKv"/> (the real client or a test fake)
/// and reports the result as a <see cref="KvOutcome"/>: failures are outcomes here, never exceptions.</summary>
internal static class KvOperationRunner
{
    public static async Task<KvOutcome> RunAsync(IRaftKv kv, KvOperation operation, CancellationToken cancellationToken)
    {
        try
        {
            operation.Validate();
            switch (operation.Verb)
            {
                case KvVerb.Get:
                    var consistency = operation.Stale ? ReadConsistency.Stale : ReadConsistency.Linearizable;
                    var value = await kv.GetAsync(operation.Key, consistency, cancellationToken);
                    return value is null ? KvOutcome.Nil : KvOutcome.Found(value);
                case KvVerb.Set:
                    await kv.SetAsync(operation.Key, operation.Value!, cancellationToken);
                    return KvOutcome.Ok;
                case KvVerb.Delete:
                    return await kv.DeleteAsync(operation.Key, cancellationToken) ? KvOutcome.Ok : KvOutcome.Nil;
                case KvVerb.CompareAndSet:
                    var cas = await kv.CompareAndSetAsync(operation.Key, operation.Expected, operation.Value!, cancellationToken);
                    return cas.Swapped ? KvOutcome.Swapped : KvOutcome.NotSwapped(cas.Current);
                case KvVerb.Append:
                    await kv.AppendAsync(operation.Key, operation.Value!, cancellationToken);
                    return KvOutcome.Ok;
                default:
                    throw new ArgumentOutOfRangeException(nameof(operation), operation.Verb, null);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return KvOutcome.Failed(CliError.From(e));
        }
    }
}
