using OrleansRaft.Cli;
using OrleansRaft.Cli.Connection;

// Ctrl+C cancels the command in progress; a second Ctrl+C ends the process the usual way.
using var interrupted = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (interrupted.IsCancellationRequested) return;
    e.Cancel = true;
    interrupted.Cancel();
};

return await CliApp.RunAsync(args, Console.In, Console.Out, Console.Error, OrleansKvConnector.ConnectAsync, interrupted.Token);
