namespace OrleansRaft.Core;

/// <summary>A <see cref="RaftConfig"/> that cannot work. <see cref="Option"/> names the offending setting.</summary>
public sealed class RaftConfigException(string option, string message) : ArgumentException($"{option}: {message}", option)
{
    public string Option { get; } = option;
}
