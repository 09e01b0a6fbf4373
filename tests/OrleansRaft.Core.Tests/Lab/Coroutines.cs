using OrleansRaft.Core.Tests.Simulation.Infrastructure;

namespace OrleansRaft.Core.Tests.Lab;

/// <summary>
/// The lab's goroutines on virtual time: a routine is an iterator that yields how long to sleep (in virtual
/// microseconds). Routines run one step at a time from the event queue, on the test's thread, so concurrent
/// clients stay deterministic. An exception in a routine propagates out of the event loop and fails the test,
/// as <c>t.Fatalf</c> in a goroutine does.
/// </summary>
internal sealed class Coroutines(EventQueue queue)
{
    public sealed class Handle
    {
        public bool Done { get; internal set; }
    }

    public Handle Spawn(IEnumerable<long> routine)
    {
        var handle = new Handle();
        Step(routine.GetEnumerator(), handle);
        return handle;
    }

    private void Step(IEnumerator<long> routine, Handle handle)
    {
        if (!routine.MoveNext())
        {
            handle.Done = true;
            routine.Dispose();
            return;
        }
        queue.After(routine.Current, () => Step(routine, handle));
    }
}
