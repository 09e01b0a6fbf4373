using OrleansRaft.Silo;

if (args.Any(a => a is "-h" or "--help"))
{
    Console.WriteLine(SiloArguments.Usage);
    return 0;
}

SiloArguments arguments;
try
{
    arguments = SiloArguments.Parse(args);
}
catch (FormatException e)
{
    Console.Error.WriteLine($"silo: {e.Message}");
    Console.Error.WriteLine(SiloArguments.Usage);
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true; // stop gracefully instead of dying mid-write
    stop.Cancel();
};
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
    System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
    {
        context.Cancel = true;
        stop.Cancel();
    });

try
{
    return arguments.Command == "cluster"
        ? await LocalCluster.RunAsync(arguments, stop.Token)
        : await SiloHost.RunAsync(arguments, stop.Token);
}
catch (SiloStartupException e)
{
    Console.Error.WriteLine($"silo: {e.Message}");
    return 1;
}
