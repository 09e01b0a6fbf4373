namespace OrleansRaft.Core;

/// <summary>A read that is now safe to serve: the leader confirmed it was leader for <paramref name="Index"/>
/// after the read arrived, and the state machine has applied at least up to <paramref name="Index"/>
/// once the committed entries of the same <see cref="Ready"/> are applied.</summary>
public readonly record struct ReadState(long Context, long Index);
