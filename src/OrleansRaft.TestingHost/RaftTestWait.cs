using System.Diagnostics;

namespace OrleansRaft.TestingHost;

/// <summary>Condition waits for cluster tests: poll until something holds, or fail with a
/// <see cref="RaftTestTimeoutException"/> that says what was awaited and what was seen. Never a fixed sleep.</summary>
public static class RaftTestWait
{
    /// <summary>Time between two polls.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Polls <paramref name="observe"/> until <paramref name="done"/> holds for what it returned, and returns
    /// that. An exception of <paramref name="observe"/> (a silo down, a call timing out) counts as not done yet, except a
    /// test framework's assertion failure (xunit, NUnit, MSTest), which ends the wait at once. On timeout the message
    /// shows the last observation (its <c>ToString()</c>, or <paramref name="describe"/>) or the last exception.</summary>
    /// <exception cref="RaftTestTimeoutException">Nothing observed within <paramref name="deadline"/> satisfied <paramref name="done"/>.</exception>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> observe, Func<T, bool> done, string awaited, TimeSpan deadline,
        Func<T, string>? describe = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(observe);
        ArgumentNullException.ThrowIfNull(done);
        var started = Stopwatch.GetTimestamp();
        var seen = "nothing yet";
        Exception? error = null;
        while (true)
        {
            try
            {
                var value = await observe();
                if (done(value)) return value;
                seen = value is null ? "null" : describe?.Invoke(value) ?? value.ToString() ?? value.GetType().Name;
                error = null;
            }
            catch (Exception e) when (!IsAssertion(e) && e is not OperationCanceledException { CancellationToken.IsCancellationRequested: true })
            {
                seen = $"{e.GetType().Name}: {e.Message}";
                error = e;
            }
            if (Stopwatch.GetElapsedTime(started) >= deadline) throw new RaftTestTimeoutException(awaited, deadline, seen, error);
            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    /// <summary>Polls <paramref name="probe"/> until it returns something other than null, and returns that. Exceptions
    /// are treated as in <see cref="UntilAsync{T}(Func{Task{T}}, Func{T, bool}, string, TimeSpan, Func{T, string}?, CancellationToken)"/>.</summary>
    /// <exception cref="RaftTestTimeoutException">The probe kept returning null (or throwing) for <paramref name="deadline"/>.</exception>
    public static async Task<T> UntilAsync<T>(Func<Task<T?>> probe, string awaited, TimeSpan deadline, CancellationToken cancellationToken = default)
        where T : class =>
        (await UntilAsync(probe, value => value is not null, awaited, deadline, cancellationToken: cancellationToken))!;

    private static bool IsAssertion(Exception e)
    {
        var name = e.GetType().FullName ?? "";
        return name.StartsWith("Xunit.Sdk.", StringComparison.Ordinal)
            || name.StartsWith("NUnit.Framework.", StringComparison.Ordinal)
            || name.StartsWith("Microsoft.VisualStudio.TestTools.UnitTesting.", StringComparison.Ordinal);
    }
}
