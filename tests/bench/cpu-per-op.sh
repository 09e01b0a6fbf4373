#!/usr/bin/env bash
# CPU the silos of a running local cluster spend per operation: runs `client bench` with the given options and reads
# the silo processes' user+system time from /proc over the measured window (warmup excluded).
#
# usage: tests/bench/cpu-per-op.sh [BENCH OPTIONS]     e.g. --mix set=100 --concurrency 64 --duration 15
# needs: a cluster started with `silo cluster` on this machine, and the Release build of client/ (dotnet build -c Release client).
set -euo pipefail
cd "$(dirname "$0")/../.."
client=client/bin/Release/net10.0/orleansraft-client.dll
[ -f "$client" ] || { echo "cpu-per-op.sh: build the client first: dotnet build -c Release client" >&2; exit 2; }
pids=$(pgrep -f 'orleansraft-silo.dll run --index' || true)
[ -n "$pids" ] || { echo "cpu-per-op.sh: no silo process ('silo run --index N') is running" >&2; exit 2; }

warmup=2 duration=10 args=("$@")   # the bench defaults, unless given
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in
    --warmup) warmup=${args[$((i + 1))]} ;;
    --duration) duration=${args[$((i + 1))]} ;;
  esac
done

ticks() { local t=0 p; for p in $pids; do read -r u s < <(cut -d' ' -f14,15 "/proc/$p/stat"); t=$((t + u + s)); done; echo "$t"; }
out=$(mktemp)
dotnet "$client" bench "$@" >"$out" 2>/dev/null &
bench=$!
# The client connects in about a second; start counting after its warmup, stop a second before its end.
sleep $((warmup + 1)); t0=$(ticks); s0=$(date +%s.%N)
sleep $((duration - 1)); t1=$(ticks); s1=$(date +%s.%N)
wait "$bench"
cat "$out"
awk -v t0="$t0" -v t1="$t1" -v s0="$s0" -v s1="$s1" -v hz="$(getconf CLK_TCK)" '
  $1 == "total" { ops = $3 }
  END {
    cores = (t1 - t0) / hz / (s1 - s0)
    printf "silos: %.2f cores busy, %.0f us of silo CPU per operation (at %.0f ops/s)\n", cores, 1e6 * cores / ops, ops
  }' "$out"
rm -f "$out"
