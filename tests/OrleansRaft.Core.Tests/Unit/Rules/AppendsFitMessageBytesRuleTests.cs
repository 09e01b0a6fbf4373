using OrleansRaft.Core.Membership;
using OrleansRaft.Core.Tests.Paper;

namespace OrleansRaft.Core.Tests.Unit.Rules;

/// <summary>
/// Flow control on appends (etcd's <c>MaxSizePerMsg</c>): one append carries as many entries as fit in
/// <see cref="RaftConfig.MaxMessageBytes"/>, counted by <see cref="Entry.Size"/>, and always at least one, so that an
/// entry larger than the limit still goes out.
/// </summary>
public sealed class AppendsFitMessageBytesRuleTests
{
    public static TheoryData<long, long, long, int> Slices => new()
    {
        // first and last index asked for of a log of three entries of 34 bytes each, the byte limit, entries returned
        { 1, 3, 34, 1 },
        { 1, 3, 67, 1 },
        { 1, 3, 68, 2 },    // exactly two entries' worth: both
        { 1, 3, 101, 2 },
        { 1, 3, 102, 3 },
        { 1, 3, 1, 1 },     // below one entry: that one entry anyway
        { 2, 3, 68, 2 },
        { 1, 3, long.MaxValue, 3 },
        { 3, 2, 68, 0 },    // an empty range
    };

    [Theory]
    [MemberData(nameof(Slices))]
    public void AnAppendCarriesWhatFitsAndAtLeastOneEntry(long from, long to, long maxBytes, int count)
    {
        var entries = Enumerable.Range(1, 3).Select(i => new Entry(i, 1, EntryType.Normal, new byte[10])).ToList();
        var log = new RaftLog(entries, 0, new Configuration(Nodes.Peers(3), []));

        var slice = log.Slice(from, to, maxBytes);

        Assert.Equal(Enumerable.Range((int)from, count).Select(i => (long)i), slice.Select(e => e.Index));
    }
}
