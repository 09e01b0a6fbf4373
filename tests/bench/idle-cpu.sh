#!/usr/bin/env bash
# What idle Raft groups cost: starts three silos (nodes node0..node2 on 127.0.0.51..53 by default, each with its own data
# directory, fresh), hosting 1 and then 100 groups (--groups of `silo run`), waits until every group has elected a
# leader and had time to go quiet, then reads each silo's CPU time (utime+stime in /proc/PID/stat) and context switches
# (voluntary+nonvoluntary over /proc/PID/task/*/status) over an idle window, and prints them per silo and in total.
#
# usage: tests/bench/idle-cpu.sh [--groups "1 100"] [--idle SECONDS] [--settle SECONDS] [--address-base 127.0.0.51]
#                                [--quiesce-ticks N]   (0 keeps every group awake: the cost without quiescence)
# needs: the Release build of silo/ and client/ (dotnet build -c Release OrleansRaft.sln).
set -euo pipefail
cd "$(dirname "$0")/../.."
silo=silo/bin/Release/net10.0/orleansraft-silo
client=client/bin/Release/net10.0/orleansraft-client.dll
[ -x "$silo" ] && [ -f "$client" ] || { echo "idle-cpu.sh: build first: dotnet build -c Release OrleansRaft.sln" >&2; exit 2; }

# settle: the JIT's background thread recompiles hot code for a minute or two after start (a few % of a core per
# silo), which is start-up, not what idle costs; measured after 180 s it has finished.
groups_list="1 100" idle=30 settle=180 base=127.0.0.51 quiesce=
while [ $# -gt 0 ]; do
  case "$1" in
    --groups) groups_list=$2; shift 2 ;;
    --idle) idle=$2; shift 2 ;;
    --settle) settle=$2; shift 2 ;;
    --address-base) base=$2; shift 2 ;;
    --quiesce-ticks) quiesce=$2; shift 2 ;;
    *) echo "idle-cpu.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
for n in $groups_list; do [[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] || { echo "idle-cpu.sh: --groups wants whole numbers >= 1 (was '$n')" >&2; exit 2; }; done
[[ "$idle" =~ ^[0-9]+$ ]] && [ "$idle" -ge 1 ] || { echo "idle-cpu.sh: --idle wants whole seconds >= 1" >&2; exit 2; }
prefix=${base%.*} first=${base##*.}
hz=$(getconf CLK_TCK)
root=$(mktemp -d /tmp/idlecpu-XXXXXX)
pids=()
stop() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done; pids=(); }
trap 'stop; rm -rf "$root"' EXIT

cpu_ticks() { read -r u s < <(cut -d' ' -f14,15 "/proc/$1/stat"); echo $((u + s)); }
switches() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '/^(voluntary|nonvoluntary)_ctxt_switches/ { n += $2 } END { print n + 0 }'; }

# Waits until the groups answer status with a leader through the first silo's gateway.
wait_for_leaders() {
  local n=$1 deadline=$((SECONDS + 120)) g name
  # The first and the last group: a client process per group would take longer than the groups do.
  for g in $(printf '%s\n' 1 "$n" | sort -u); do
    name=kv; [ "$g" -gt 1 ] && name=kv-$g
    until dotnet "$client" --gateway "$prefix.$first:30000" --group "$name" status 2>/dev/null | grep -q -i leader; do
      [ $SECONDS -lt $deadline ] || { echo "idle-cpu.sh: group $name has no leader after 120 s" >&2; return 1; }
      sleep 0.5
    done
  done
}

printf '| groups | silo 0 %% | silo 1 %% | silo 2 %% | total %% of a core | context switches/s (all silos) |\n|---:|---:|---:|---:|---:|---:|\n' > "$root/table"
for n in $groups_list; do
  rm -rf "$root/data"; mkdir -p "$root/data"
  for i in 0 1 2; do
    extra=()
    [ -n "$quiesce" ] && extra=(--quiesce-ticks "$quiesce")
    "$silo" run --index "$i" --node "node$i" --address "$prefix.$((first + i))" --data "$root/data/node$i" \
      --membership "$root/data" --bootstrap --groups "$n" "${extra[@]}" > "$root/silo$i.log" 2>&1 &
    pids+=($!)
  done
  wait_for_leaders "$n"
  sleep "$settle"
  declare -a c0 x0
  for i in 0 1 2; do c0[$i]=$(cpu_ticks "${pids[$i]}"); x0[$i]=$(switches "${pids[$i]}"); done
  s0=$(date +%s.%N)
  sleep "$idle"
  s1=$(date +%s.%N)
  row="| $n"; total=0; sw=0
  for i in 0 1 2; do
    c1=$(cpu_ticks "${pids[$i]}"); x1=$(switches "${pids[$i]}")
    pct=$(awk -v d=$((c1 - c0[i])) -v hz="$hz" -v s0="$s0" -v s1="$s1" 'BEGIN { printf "%.2f", 100 * d / hz / (s1 - s0) }')
    row="$row | $pct"; total=$(awk -v a="$total" -v b="$pct" 'BEGIN { print a + b }'); sw=$((sw + x1 - x0[i]))
  done
  rate=$(awk -v n="$sw" -v s0="$s0" -v s1="$s1" 'BEGIN { printf "%.0f", n / (s1 - s0) }')
  echo "$row | $(printf '%.2f' "$total") | $rate |" >> "$root/table"
  echo "idle-cpu.sh: $n groups: total $(printf '%.2f' "$total") % of a core over ${idle} s idle" >&2
  stop
done
cat "$root/table"
