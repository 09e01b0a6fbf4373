namespace OrleansRaft.Cli.Arguments;

/// <summary>The help text: the contract of the command line, quoting rule and exit codes included.</summary>
internal static class UsageText
{
    public const string Text = """
        usage: orleansraft-client [options] COMMAND [ARGS]

        commands:
          set KEY VALUE              set KEY to VALUE; prints OK
          get KEY [--stale]          print the value of KEY as is; exit 1 if it is absent
          del KEY                    delete KEY; prints OK, or NIL if it was already absent
          cas KEY EXPECTED NEW       set KEY to NEW only if its value is EXPECTED (NIL: only if KEY is absent);
                                     prints SWAPPED, or NOT-SWAPPED and the current value (NIL: absent), exit 1
          append KEY VALUE           append VALUE to the value of KEY (absent counts as empty); prints OK
          status                     print every peer of the group: role, term, leader, indexes; then each
                                     peer's node, voter or learner, match index and lag (from the leader)
          member list                print the group's members: peer, node, voter or learner, leader (*),
                                     match index, lag behind the leader, responsive (the leader heard from it)
          member add NODE [--learner]  add a member on NODE (the node name of a running silo): it catches up as
                                     a learner, then becomes a voter unless --learner is given
          member promote NODE        make the learner on NODE a voter (refused while it lags: learner-behind)
          member remove NODE         remove the member on NODE, the leader's too (it hands over first)
          leader transfer [NODE]     move leadership to the voter on NODE (default: the voter furthest along)
          shell                      read commands from standard input, one per line, one answer line each
          bench [BENCH OPTIONS]      run a workload, print throughput and latency percentiles (see below)
          help                       print this text

        options (before or after the command):
          --gateway HOST:PORT,...    the cluster's gateways, comma-separated, like 127.0.0.2:30000,127.0.0.3:30000
                                     (default 127.0.0.1:30000,127.0.0.1:30001,127.0.0.1:30002: silo cluster's;
                                     IPv6 as [::1]:30000; --gateways is the same option)
          --group NAME               Raft group to use (default kv)
          --timeout SECONDS          connect and per-command deadline, retries included (default 10)
          --stale                    serve reads from any peer's applied state: faster, may miss recent writes
          -h, --help                 print this text
          --                         everything after it is an argument, even if it starts with --

        membership (member, leader): NODE is a node name (a silo's --node). A change prints what changed, then the
          members after it. One change at a time; a change is never retried once sent. A refusal changed nothing and
          is one line, error: CODE: message: not-a-member, already-member, last-voter, invalid-target (exit 1);
          change-pending, learner-behind, would-lose-quorum (exit 3: retry later); invalid-argument, unknown-group
          (exit 2). After timeout (exit 3) the change may or may not have taken effect: run member list to see.
          An add answers once the new member caught up (and was promoted): a large log may need a longer --timeout.

        bench options (progress on stderr about once a second, the table on stdout):
          --mix set=W,get=W,cas=W    relative weights of the operations (default set=50,get=50,cas=0)
          --keys N                   keys bench/00000000.. picked uniformly (default 1000)
          --value-size BYTES         size of the values written (default 100)
          --concurrency N            logical clients, each with its own session, one operation at a time (default 16)
          --duration SECONDS         measure this long (default 10), or
          --ops N                    measure this many operations (all clients together)
          --warmup SECONDS           run unmeasured first (default 2)
          --json FILE                also write the figures as JSON
          --stale                    stale reads instead of linearizable ones
          --target orleansraft|etcd|etcd-gateway  what to drive (default orleansraft); etcd over its native gRPC
                                     API, etcd-gateway through its v3 JSON gateway
          --endpoints URLS           etcd client URLs, comma-separated, like http://127.0.0.1:2379
          --kill-leader-after SECONDS  SIGKILL the process hosting the leader this far into the measurement and
                                     report when writes resumed; needs --pids PID,PID,.. (silo N first for ours,
                                     endpoint order for etcd)

        shell protocol: commands SET KEY VALUE | GET KEY [--stale] | DEL KEY | CAS KEY EXPECTED NEW | APPEND KEY VALUE
          (verbs in any case; blank lines and lines starting with # are skipped). Each command gets one line:
          OK | VALUE <v> | NIL | SWAPPED | NOT-SWAPPED <v or NIL> | ERR <code> <message>
          codes: usage, invalid-argument, timeout (a write may or may not have been applied), unavailable,
          unknown-group, limit, internal.
          quoting: words are separated by spaces; a word in double quotes may contain spaces and the escapes
          \" \\ \n \r \t \uXXXX; "" is the empty string. A bare NIL as EXPECTED means absent, "NIL" is the
          string NIL. Values in answers are quoted the same way whenever they need it, so they can be typed back.
          On the command line, a bare NIL as EXPECTED also means absent (compare with the string NIL in the shell).

        keys: 1 to 1024 UTF-8 bytes. exit codes: 0 success, 1 not found (get), not swapped (cas) or membership change
          refused, 2 usage error, invalid argument or unknown group, 3 cluster unavailable, timeout, over capacity or
          membership change refused for now, 4 internal error.
        """;
}
