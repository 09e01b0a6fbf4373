#!/usr/bin/env bash
# Failover distribution: SIGKILLs the Raft leader's silo under a set load, RUNS times, and prints how long writes took
# to resume after each kill (first success of a write started after the kill) and how many writes had an unknown
# outcome, then the distribution (min, p50, p90, max) and the number of runs in which writes never resumed.
#
# usage: tests/bench/failover.sh [--runs N] [--mode fresh|row|crash-all] [--concurrency C] [--duration S] [--kill-after S]
#   fresh      every run on a new local cluster (`silo cluster --silos 3` on empty data)
#   row        one cluster; after each kill the killed silo is restarted (its own data) and the group is whole again
#              before the next run
#   crash-all  one group; each run SIGKILLs the launcher and every silo at once, starts `silo cluster` again on the same
#              data and times, from that moment, the first successful get and then set of one `client shell` started
#              with it
# Runs in a network namespace of its own (unshare -n), so its ports never meet another local cluster's.
set -euo pipefail
cd "$(dirname "$0")/../.."

runs=20 mode=fresh concurrency=16 duration=8 kill_after=3
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --mode) mode=$2; shift 2 ;;
    --concurrency) concurrency=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --kill-after) kill_after=$2; shift 2 ;;
    *) echo "failover.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
case "$mode" in fresh|row|crash-all) ;; *) echo "failover.sh: --mode is fresh, row or crash-all" >&2; exit 2 ;; esac

if [ -z "${FAILOVER_IN_NETNS:-}" ]; then
  dotnet build -c Release silo >/dev/null && dotnet build -c Release client >/dev/null
  exec unshare -n env FAILOVER_IN_NETNS=1 FAILOVER_KEEP_LOGS="${FAILOVER_KEEP_LOGS:-}" bash "$0" --runs "$runs" --mode "$mode" --concurrency "$concurrency" --duration "$duration" --kill-after "$kill_after"
fi
ip link set lo up

silo=$PWD/silo/bin/Release/net10.0/orleansraft-silo.dll
client=$PWD/client/bin/Release/net10.0/orleansraft-client.dll
work=$(mktemp -d)
launcher="" pids="" silo_pids=""
results=$work/results.txt
: >"$results"

stop_cluster() {
  if [ -n "$launcher" ]; then kill -TERM "$launcher" 2>/dev/null || true; wait "$launcher" 2>/dev/null || true; launcher=""; fi
  # Only this script's own silos: never another run's (an end-to-end test's, say) on the same machine.
  local p
  for p in ${pids//,/ } $silo_pids; do kill -TERM "$p" 2>/dev/null || true; done
  for p in ${pids//,/ } $silo_pids; do while kill -0 "$p" 2>/dev/null; do sleep 0.1; done; done
  pids="" silo_pids=""
}
trap 'stop_cluster; rm -rf "$work"' EXIT

# Starts `silo cluster` on $1 and waits for its ready line; sets $launcher and $pids (comma-separated, silo order).
start_cluster() {
  local data=$1 log=$work/cluster.log
  : >"$log"
  (cd "$work" && exec dotnet "$silo" cluster --silos 3 --data "$data") >>"$log" 2>&1 &
  launcher=$!
  for _ in $(seq 1 600); do
    grep -q '^\[cluster\] ready' "$log" && break
    sleep 0.2
  done
  grep -q '^\[cluster\] ready' "$log" || { echo "failover.sh: the cluster did not get ready:" >&2; tail -n 20 "$log" >&2; exit 1; }
  pids=$(sed -n 's/^\[cluster\] started 3 silos (pids \([0-9, ]*\)).*/\1/p' "$log" | head -n 1 | tr -d ' ')
}

# Waits until all three peers answer status with one leader (the group is whole again).
wait_whole() {
  for _ in $(seq 1 300); do
    if dotnet "$client" status 2>/dev/null | awk '/Leader/ { l++ } /Follower/ { f++ } END { exit !(l == 1 && f == 2) }'; then return 0; fi
    sleep 0.2
  done
  echo "failover.sh: the group did not become whole again" >&2
  dotnet "$client" status >&2 || true
  exit 1
}

run_bench() {
  local out=$work/bench.json
  dotnet "$client" bench --mix set=100 --concurrency "$concurrency" --duration "$duration" --warmup 1 \
    --kill-leader-after "$kill_after" --pids "$pids" --json "$out" >"$work/bench.txt" 2>"$work/bench.err" || true
  local resumed unknown killed
  resumed=$(jq -r '.failover.writesResumedAfterMs // "none"' "$out" 2>/dev/null || echo none)
  unknown=$(jq -r '.failover.outcomeUnknownWrites // 0' "$out" 2>/dev/null || echo 0)
  killed=$(jq -r '.failover.killedPid // empty' "$out" 2>/dev/null || true)
  [ -n "$resumed" ] || { echo "failover.sh: the bench printed no failover figures:" >&2; cat "$out" "$work/bench.err" >&2; echo "pids=$pids" >&2; exit 1; }
  echo "$resumed $unknown" >>"$results"
  if [ "$resumed" = none ]; then
    # Keep what the silos said, for whoever looks into it.
    kept=${TMPDIR:-/tmp}/failover-stall-$(date +%s)-run$1
    mkdir -p "$kept" && cp "$work"/*.log "$work"/bench.* "$kept"/ 2>/dev/null || true
    echo "failover.sh: writes never resumed in run $1; logs kept in $kept" >&2
  fi
  printf 'run %2d: writes resumed after %s ms, %s writes of unknown outcome\n' "$1" "$resumed" "$unknown"
  killed_pid=$killed
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# Starts silo $2 of the group in $1 the way the launcher does (same node, data, ports and membership file).
start_silo() {
  (cd "$work" && exec dotnet "$silo" run --index "$2" --node "node$2" --data "$1/node$2" --membership "$1" --peers 3) >>"$work/silos.log" 2>&1 &
  started_pid=$!
}

start_silos() {
  local i
  silo_pids=""
  for i in 0 1 2; do start_silo "$1" "$i"; silo_pids="$silo_pids $started_pid"; done
}

if [ "$mode" = crash-all ]; then
  start_cluster "$work/data"
  dotnet "$client" set crash-all-key v0 >/dev/null
  for run in $(seq 1 "$runs"); do
    # Everything dies at once, launcher included, as in a power loss; then the README's command again.
    kill -KILL "$launcher" ${pids//,/ } 2>/dev/null || true
    wait "$launcher" 2>/dev/null || true
    for p in ${pids//,/ }; do while kill -0 "$p" 2>/dev/null; do sleep 0.05; done; done
    cat "$work/cluster.log" >>"$work/silos.log"
    : >"$work/cluster.log"
    t0=$(now_ms)
    # Marks in the silos' own timeline, for whoever reads the kept log.
    echo "[failover.sh] $(date +%T.%3N) restart" >>"$work/cluster.log"
    (cd "$work" && exec dotnet "$silo" cluster --silos 3 --data "$work/data") >>"$work/cluster.log" 2>&1 &
    launcher=$!
    # One CLI session, started with the silos, reads and then writes: the times are the cluster's, with one CLI
    # start in them (a second CLI process for the write would add its own start, 0.6-1 s, to the write's time).
    answers=$(printf 'get crash-all-key\nset crash-all-key v%s\n' "$run" | dotnet "$client" --timeout 60 shell 2>&1 | {
      IFS= read -r read_answer; t1=$(now_ms); echo "[failover.sh] $(date +%T.%3N) first read: $read_answer" >>"$work/cluster.log"
      IFS= read -r write_answer; t2=$(now_ms); echo "[failover.sh] $(date +%T.%3N) first write: $write_answer" >>"$work/cluster.log"
      cat >/dev/null; echo "$t1 $t2 $read_answer|$write_answer"; })
    read -r t1 t2 outcome <<<"$answers"
    case "$outcome" in
      "VALUE "*"|OK") ;;
      *) echo "failover.sh: no read and write within 60 s after the restart: $outcome" >&2; tail -n 30 "$work/cluster.log" >&2; exit 1 ;;
    esac
    pids=$(sed -n 's/^\[cluster\] started 3 silos (pids \([0-9, ]*\)).*/\1/p' "$work/cluster.log" | head -n 1 | tr -d ' ')
    echo "$((t1 - t0)) $((t2 - t0))" >>"$results"
    printf 'run %2d: first read %d ms, first write %d ms after the restart\n' "$run" $((t1 - t0)) $((t2 - t0))
  done
  cat "$work/cluster.log" >>"$work/silos.log"
  [ -n "${FAILOVER_KEEP_LOGS:-}" ] && cp "$work/silos.log" "$FAILOVER_KEEP_LOGS"
  stats() { sort -n | awk '{ t[n++] = $1 } END { printf "min %d / p50 %d / max %d ms", t[0], t[int((n - 1) / 2)], t[n - 1] }'; }
  echo "crash-all, $runs restarts: first read $(cut -d' ' -f1 "$results" | stats); first write $(cut -d' ' -f2 "$results" | stats)"
  exit 0
fi

if [ "$mode" = fresh ]; then
  for run in $(seq 1 "$runs"); do
    start_cluster "$work/data-$run"
    run_bench "$run"
    stop_cluster
    rm -rf "$work/data-$run"
  done
else
  start_cluster "$work/data"
  for run in $(seq 1 "$runs"); do
    wait_whole
    run_bench "$run"
    # Restart the killed silo as the launcher would (same node, same data, same ports).
    index=$(echo "$pids" | tr ',' '\n' | grep -nx "$killed_pid" | cut -d: -f1 || true)
    [ -n "$index" ] || { echo "failover.sh: the killed process $killed_pid is none of the silos ($pids)" >&2; exit 1; }
    index=$((index - 1))
    start_silo "$work/data" "$index"
    pids=$(echo ",$pids," | sed "s/,$killed_pid,/,$started_pid,/; s/^,//; s/,$//")
  done
  wait_whole
fi

sort -n "$results" | awk -v mode="$mode" '
  { unknown += $2 }
  $1 == "none" { never++; next }
  { t[n++] = $1 }
  END {
    if (n == 0) { printf "%s: writes never resumed in %d runs\n", mode, never; exit 1 }
    printf "%s, %d kills: writes resumed after min %.0f / p50 %.0f / p90 %.0f / max %.0f ms; never resumed: %d; writes of unknown outcome: %d in all\n",
      mode, n + never, t[0], t[int((n - 1) * 0.5)], t[int((n - 1) * 0.9)], t[n - 1], never + 0, unknown
  }'
