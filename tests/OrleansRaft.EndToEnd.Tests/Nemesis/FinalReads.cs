using OrleansRaft.Testing.Linearizability.Kv;

namespace OrleansRaft.EndToEnd.Tests.Nemesis;

/// <summary>
/// After the nemesis: one more client reads every key the run used (linearizable reads), retrying until each read
/// is answered. The reads go into the history too, so they also pin down which pending writes took effect.
/// </summary>
internal static class FinalReads
{
    public static async Task<IReadOnlyDictionary<string, string?>> ReadAsync(WorkloadContext run, int clientId, IReadOnlyList<string> keys, TimeSpan limit)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        var until = DateTime.UtcNow + limit;
        var attempt = 0;
        ShellProcess? shell = null;
        try
        {
            foreach (var key in keys)
            {
                while (!values.ContainsKey(key))
                {
                    if (DateTime.UtcNow > until)
                        throw new TimeoutException($"final reads: {key} was not readable within {limit.TotalSeconds:0} s; read {values.Count} of {keys.Count} keys");
                    if (shell is null || shell.HasExited)
                    {
                        if (shell is not null) await shell.DisposeAsync();
                        shell = ShellProcess.Start($"final-reader.{++attempt}", run.ShellOptions, run.Log);
                    }
                    var input = KvInput.Get(key);
                    var handle = run.History.Invoke(clientId, input);
                    var line = await shell.AskAsync(OperationMix.Command(input), NemesisSettings.HangLimit);
                    var answer = line is null ? null : ShellAnswer.Parse(line);
                    if (line is null || answer is { IsOutcomeUnknown: true })
                    {
                        run.Log($"final reads: GET {key} -> {line ?? "(the shell exited)"}; retrying");
                        await Task.Delay(TimeSpan.FromMilliseconds(500));
                        continue;
                    }
                    values[key] = answer switch
                    {
                        { Kind: AnswerKind.Value } => answer.Value,
                        { Kind: AnswerKind.Nil } => null,
                        _ => throw new InvalidOperationException($"final reads: GET {key} answered '{line}'"),
                    };
                    run.History.Complete(handle, KvOutput.Read(values[key]));
                }
            }
        }
        finally
        {
            if (shell is not null)
            {
                await shell.CloseAsync(TimeSpan.FromSeconds(10));
                await shell.DisposeAsync();
            }
        }
        return values;
    }
}
