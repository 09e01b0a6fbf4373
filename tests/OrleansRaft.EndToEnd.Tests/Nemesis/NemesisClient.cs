using OrleansRaft.Testing.Linearizability.Kv;

namespace OrleansRaft.EndToEnd.Tests.Nemesis;

/// <summary>
/// One sequential client: a <c>client shell</c> process (one client session) asked one command at a time. Each
/// command is invoked in the history just before its line is written and completed when its answer line is read.
/// An answer after which the command may or may not have taken effect (<c>ERR timeout</c>, <c>ERR unavailable</c>,
/// ...), or none at all, leaves it pending forever, except that a pending write of this session can no longer take
/// effect once a later write of the same session is acknowledged (the session table refuses late duplicates), so
/// it is expired then. A shell that exits is replaced by a new one: a new session.
/// </summary>
internal sealed class NemesisClient(int id, WorkloadContext run)
{
    private readonly OperationMix _mix = new(id, run.Settings.Seed, run.Keys);
    private readonly List<int> _pendingWrites = [];
    private int _acknowledged;
    private int _shells;

    public int Id => id;

    public int Acknowledged => Volatile.Read(ref _acknowledged);

    public async Task RunAsync(CancellationToken stop)
    {
        ShellProcess? shell = null;
        var answeredByShell = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if (shell is null || shell.HasExited)
                {
                    if (shell is not null)
                    {
                        await shell.DisposeAsync();
                        await Task.Delay(TimeSpan.FromMilliseconds(500), CancellationToken.None);
                    }
                    shell = ShellProcess.Start($"shell{id}.{++_shells}", run.ShellOptions, run.Log);
                    run.Stats.CountShellStart();
                    answeredByShell = 0;
                    _pendingWrites.Clear(); // a new session cannot bound the old session's writes
                }
                if (await AskOneAsync(shell, answeredByShell)) answeredByShell++;
            }
        }
        finally
        {
            if (shell is not null)
            {
                if (!shell.HasExited && await shell.CloseAsync(TimeSpan.FromSeconds(15)) is null)
                    run.Anomaly($"{shell.Name} (pid {shell.Pid}) did not exit within 15 s of the end of its input");
                await shell.DisposeAsync();
            }
        }
    }

    /// <summary>Runs one command; returns whether the shell answered it.</summary>
    private async Task<bool> AskOneAsync(ShellProcess shell, int answeredByShell)
    {
        var input = _mix.Next();
        var command = OperationMix.Command(input);
        if (input.Kind == KvOpKind.Append) run.Appends.Attempted(input.Key, input.Value!);
        var handle = run.History.Invoke(id, input);
        run.Stats.CountInvoked();
        string? line;
        try
        {
            line = await shell.AskAsync(command, NemesisSettings.HangLimit);
        }
        catch (TimeoutException e)
        {
            run.Stats.CountUnknown();
            run.Anomaly($"hang: {e.Message} (the shell's own deadline is {NemesisSettings.CommandTimeout.TotalSeconds:0} s); killed it");
            await shell.KillAsync();
            return false;
        }
        if (line is null)
        {
            run.Stats.CountUnknown();
            await shell.CloseAsync(TimeSpan.FromSeconds(5));
            if (answeredByShell == 0 && shell.ExitCode == 3) run.Stats.CountConnectFailure();
            else run.Anomaly($"{shell.Name} (pid {shell.Pid}) exited with code {shell.ExitCode?.ToString() ?? "?"} without answering '{command}'");
            return false;
        }

        var answer = ShellAnswer.Parse(line);
        if (answer is { Kind: AnswerKind.Error })
        {
            run.Stats.CountError(answer.ErrorCode!);
            run.Stats.CountUnknown();
            if (answer.IsOutcomeUnknown)
            {
                if (input.Kind != KvOpKind.Get) _pendingWrites.Add(handle);
            }
            else
            {
                run.Anomaly($"{shell.Name}: the valid command '{command}' was refused: {line}");
            }
            return true;
        }
        if (answer is null || Output(input, answer) is not { } output)
        {
            run.Stats.CountUnknown();
            run.Anomaly($"{shell.Name}: '{command}' got an answer that does not fit it: {line}");
            return true;
        }

        run.History.Complete(handle, output);
        run.Stats.CountAcknowledged();
        Interlocked.Increment(ref _acknowledged);
        _mix.Observe(input, answer);
        if (input.Kind == KvOpKind.Append) run.Appends.Acknowledged(input.Key, input.Value!);
        if (input.Kind != KvOpKind.Get)
        {
            foreach (var pending in _pendingWrites) run.History.Expire(pending);
            _pendingWrites.Clear();
        }
        return true;
    }

    /// <summary>The history output of an answer, or null if the answer cannot be one to this command.</summary>
    private static KvOutput? Output(KvInput input, ShellAnswer answer) => (input.Kind, answer.Kind) switch
    {
        (KvOpKind.Get, AnswerKind.Value) => KvOutput.Read(answer.Value),
        (KvOpKind.Get, AnswerKind.Nil) => KvOutput.Read(null),
        (KvOpKind.Set or KvOpKind.Append, AnswerKind.Ok) => KvOutput.Done,
        (KvOpKind.Cas, AnswerKind.Swapped) => KvOutput.CasResult(true),
        // Refusing to swap the very value it expected would be a lie, whatever the order of the other operations.
        (KvOpKind.Cas, AnswerKind.NotSwapped) when answer.Value != input.Expected => KvOutput.CasResult(false),
        _ => null,
    };
}
