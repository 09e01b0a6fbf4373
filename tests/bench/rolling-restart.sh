#!/usr/bin/env bash
# Rolling restart under load: three silos (started as `silo run`, the way a deploy runs them), a 16-client set bench,
# and each silo in turn stopped gracefully (SIGTERM: it hands its leaderships over first), started again on its own
# data, and waited for until the group is whole, one after another. Prints the bench's errors, its p50/p99/max set
# latency, the leader changes it saw, and how long each silo took to stop. RUNS repeats the whole roll.
#
# usage: tests/bench/rolling-restart.sh [--runs N] [--concurrency C] [--settle S]
# Runs in a network namespace of its own (unshare -n), so its ports never meet another local cluster's.
set -euo pipefail
cd "$(dirname "$0")/../.."

runs=3 concurrency=16 settle=3
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --concurrency) concurrency=$2; shift 2 ;;
    --settle) settle=$2; shift 2 ;;
    *) echo "rolling-restart.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

if [ -z "${ROLLING_IN_NETNS:-}" ]; then
  dotnet build -c Release silo >/dev/null && dotnet build -c Release client >/dev/null
  exec unshare -n env ROLLING_IN_NETNS=1 ROLLING_KEEP_LOGS="${ROLLING_KEEP_LOGS:-}" bash "$0" --runs "$runs" --concurrency "$concurrency" --settle "$settle"
fi
ip link set lo up

silo=$PWD/silo/bin/Release/net10.0/orleansraft-silo.dll
client=$PWD/client/bin/Release/net10.0/orleansraft-client.dll
work=$(mktemp -d)
declare -a pid
cleanup() {
  local p
  for p in "${pid[@]:-}"; do [ -n "$p" ] && kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pid[@]:-}"; do [ -n "$p" ] && while kill -0 "$p" 2>/dev/null; do sleep 0.1; done; done
  [ -n "${ROLLING_KEEP_LOGS:-}" ] && cp "$work/silos.log" "$ROLLING_KEEP_LOGS" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Starts silo $1 as the launcher would (node$1, its own data, the shared membership file), bootstrapping on first start.
start_silo() {
  local extra=""
  [ -e "$work/data/bootstrapped" ] || extra="--bootstrap"
  (cd "$work" && exec dotnet "$silo" run --index "$1" --data "$work/data/node$1" --membership "$work/data" $extra) >>"$work/silos.log" 2>&1 &
  pid[$1]=$!
}

wait_whole() {
  for _ in $(seq 1 300); do
    if dotnet "$client" status 2>/dev/null | awk '/Leader/ { l++ } /Follower/ { f++ } END { exit !(l == 1 && f == 2) }'; then return 0; fi
    sleep 0.2
  done
  echo "rolling-restart.sh: the group did not become whole again" >&2
  dotnet "$client" status >&2 || true
  tail -n 40 "$work/silos.log" >&2
  exit 1
}

mkdir -p "$work/data"
for i in 0 1 2; do start_silo "$i"; done
wait_whole
touch "$work/data/bootstrapped"

for run in $(seq 1 "$runs"); do
  duration=$((3 * (settle + 6) + 4))
  out=$work/bench-$run.json
  dotnet "$client" bench --mix set=100 --concurrency "$concurrency" --duration "$duration" --warmup 1 --json "$out" >"$work/bench.txt" 2>"$work/bench.err" &
  bench=$!
  sleep $((settle + 1))
  stops=""
  for i in 0 1 2; do
    echo "[rolling-restart.sh] $(date +%T.%3N) SIGTERM node$i (pid ${pid[$i]})" >>"$work/silos.log"
    t0=$(date +%s%N)
    kill -TERM "${pid[$i]}"
    while kill -0 "${pid[$i]}" 2>/dev/null; do sleep 0.05; done
    stops="$stops $(( ($(date +%s%N) - t0) / 1000000 ))"
    start_silo "$i"
    wait_whole
    sleep "$settle"
  done
  wait "$bench" || true
  jq -r --arg run "$run" --arg stops "$stops" '
    "run \($run): \(.total.count) sets, \(.total.errors) errors, set latency p50 \(.total.latencyMs.p50) / p99 \(.total.latencyMs.p99) / max \(.total.latencyMs.max) ms, \(.leaders.changes // "?") leader changes; silos stopped in\($stops) ms"' "$out" \
    || { echo "rolling-restart.sh: the bench printed no figures:" >&2; cat "$work/bench.txt" "$work/bench.err" >&2; exit 1; }
  jq -r '.errors[]? | "  error: \(.operation) \(.kind) x\(.count)\(if .outcomeUnknown then " (outcome unknown)" else "" end)"' "$out"
done
