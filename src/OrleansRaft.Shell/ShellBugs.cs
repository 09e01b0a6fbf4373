namespace OrleansRaft.Shell;

/// <summary>Known shell bugs that tests switch on (<see cref="ReadyLoop.Bugs"/>) to prove the shell's systematic tests
/// find them. Never set in production.</summary>
[Flags]
internal enum ShellBugs
{
    None = 0,

    /// <summary>Answer a proposal Ok as soon as its entry is committed, before the state machine applied it.</summary>
    AnswerBeforeApply = 1,
}
