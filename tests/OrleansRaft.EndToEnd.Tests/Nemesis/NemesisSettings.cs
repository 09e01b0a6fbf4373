using System.Globalization;

namespace OrleansRaft.EndToEnd.Tests.Nemesis;

/// <summary>
/// How long and how hard the nemesis run goes. Short by default, so that it fits in CI; the environment makes it
/// a soak (<c>ORLEANSRAFT_NEMESIS_SECONDS=3600</c>) or replays a schedule (<c>ORLEANSRAFT_NEMESIS_SEED=N</c>; the
/// processes' timing still varies from run to run, so a seed reproduces the choices, not the interleaving).
/// </summary>
internal sealed record NemesisSettings(TimeSpan Duration, int Seed, int Clients, int Keys)
{
    public const string SecondsVariable = "ORLEANSRAFT_NEMESIS_SECONDS";
    public const string SeedVariable = "ORLEANSRAFT_NEMESIS_SEED";
    public const string ClientsVariable = "ORLEANSRAFT_NEMESIS_CLIENTS";

    /// <summary>The shells' <c>--timeout</c>, the CLI's default: the deadline to connect, and then per command, retries
    /// included (after it, <c>ERR timeout</c>). Shorter ones made shells starting together on two busy cores give up
    /// connecting to a healthy cluster.</summary>
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(10);

    /// <summary>A shell that has not answered long after its own deadline is hung: that is a finding, not an unknown outcome.</summary>
    public static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(40);

    /// <summary>Keys rotate this often, so that a soak checks many short per-key histories instead of a few huge ones
    /// and appended values stay far below the group's value size limit.</summary>
    public static readonly TimeSpan KeyEpoch = TimeSpan.FromSeconds(15);

    public static NemesisSettings FromEnvironment() => new(
        TimeSpan.FromSeconds(Read(SecondsVariable, 60, min: 5)),
        Read(SeedVariable, Environment.TickCount & 0xFFFF, min: 0),
        Read(ClientsVariable, 4, min: 1),
        Keys: 3);

    private static int Read(string variable, int fallback, int min)
    {
        var text = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min
            ? value
            : throw new InvalidOperationException($"{variable}='{text}' is not a whole number of at least {min}");
    }
}
