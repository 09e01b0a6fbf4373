using Xunit.Abstractions;

namespace OrleansRaft.Core.Tests.Lab;

/// <summary>Base of the lab tests: builds the test's harness, seeded from the test's name, and prints what the
/// run amounted to (virtual time, RPCs, agreement) when the test ends.</summary>
public abstract class LabTest(ITestOutputHelper output) : IDisposable
{
    private LabConfig? _config;

    protected ITestOutputHelper Output => output;

    internal LabConfig Lab(int servers, bool unreliable, bool snapshot = false, [System.Runtime.CompilerServices.CallerMemberName] string test = "") =>
        _config = LabSeed.Config(servers, unreliable, snapshot, test);

    public void Dispose()
    {
        if (_config is not null) output.WriteLine(_config.Summary());
        GC.SuppressFinalize(this);
    }
}
