using OrleansRaft.Core.Messages;

namespace OrleansRaft.Core.Tests.Interaction;

/// <summary>
/// Messages sent but not yet delivered, in send order, and the current partition. A message that crosses
/// the partition when it is sent or when it is delivered is lost, as on a real network; healing the
/// partition does not bring it back.
/// </summary>
public sealed class Network
{
    private readonly List<(RaftMessage Message, bool Lost)> _inFlight = [];
    private readonly HashSet<string> _isolated = new(StringComparer.Ordinal);

    public int Count => _inFlight.Count;

    public void Send(IEnumerable<RaftMessage> messages)
    {
        foreach (var message in messages) _inFlight.Add((message, IsCut(message)));
    }

    public void Isolate(string id) => _isolated.Add(id);

    /// <summary>Reconnects <paramref name="id"/>, or everybody when null.</summary>
    public void Recover(string? id = null)
    {
        if (id is null) _isolated.Clear();
        else _isolated.Remove(id);
    }

    private bool IsCut(RaftMessage message) => _isolated.Contains(message.From) || _isolated.Contains(message.To);

    /// <summary>Removes and returns, in send order, the in-flight messages that match <paramref name="filter"/>,
    /// each with whether the partition swallowed it.</summary>
    public List<(RaftMessage Message, bool Lost)> Take(Func<RaftMessage, bool> filter)
    {
        var taken = new List<(RaftMessage, bool)>();
        _inFlight.RemoveAll(item =>
        {
            if (!filter(item.Message)) return false;
            taken.Add((item.Message, item.Lost || IsCut(item.Message)));
            return true;
        });
        return taken;
    }
}
