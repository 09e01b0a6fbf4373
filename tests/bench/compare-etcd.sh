#!/usr/bin/env bash
# Runs the same workloads against a 3-member etcd cluster and a 3-silo OrleansRaft cluster, both on 127.0.0.1
# and both on this machine's disk, with the same C# bench engine (`orleansraft-client bench`, --target etcd for
# etcd, over etcd's native gRPC API), and prints one table with both columns and their ratios: sets/s, p50/p99, server
# CPU per set (every server process's CPU time over the measured window, divided by the sets done in it) and context
# switches per set (voluntary + nonvoluntary over every thread of every server process) at 1, 16 and 64 clients, and
# what each system costs idle. See tests/bench/README.md.
#
# usage: tests/bench/compare-etcd.sh [--duration S] [--warmup S] [--prewarm S] [--idle S] [--keys N] [--value-size B]
#                                    [--concurrency N] [--kill-leader-after S] [--only ours|etcd] [--no-build] [--keep]
#                                    [--address-base IP]
#   --address-base 127.0.0.51: run both systems on IP, IP+1, IP+2 (silo run per address, etcd members likewise) instead
#   of 127.0.0.1, so that the comparison does not collide with a cluster on 127.0.0.1's ports.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)

duration=10
warmup=2
prewarm=10
keys=1000
value_size=100
concurrency=64
idle=10
address_base=""
kill_after=""
only=""
build=1
keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --prewarm) prewarm=$2; shift 2 ;;
    --keys) keys=$2; shift 2 ;;
    --value-size) value_size=$2; shift 2 ;;
    --concurrency) concurrency=$2; shift 2 ;;
    --idle) idle=$2; shift 2 ;;
    --address-base) address_base=$2; shift 2 ;;
    --kill-leader-after) kill_after=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "compare-etcd.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
done
case "$only" in ""|ours|etcd) ;; *) echo "compare-etcd.sh: --only takes ours or etcd" >&2; exit 2 ;; esac
[[ "$idle" =~ ^[0-9]+$ ]] || { echo "compare-etcd.sh: --idle takes whole seconds" >&2; exit 2; }
if [ -n "$address_base" ] && ! [[ "$address_base" =~ ^127\.[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "compare-etcd.sh: --address-base takes a loopback address like 127.0.0.51" >&2; exit 2
fi
# The three hosts, one per member: 127.0.0.1 three times (distinct ports), or three loopback addresses (the same ports).
if [ -n "$address_base" ]; then
  hosts=("$address_base" "${address_base%.*}.$((${address_base##*.} + 1))" "${address_base%.*}.$((${address_base##*.} + 2))")
else
  hosts=(127.0.0.1 127.0.0.1 127.0.0.1)
fi
if [ -n "$kill_after" ] && ! awk -v k="$kill_after" -v d="$duration" 'BEGIN { exit !(k >= 0 && k < d) }'; then
  echo "compare-etcd.sh: --kill-leader-after must be at least 0 and less than --duration ($duration)" >&2; exit 2
fi

# Fixed loopback ports. Ours are the launcher's (silo 11111+N, gateway 30000+N); etcd's are its usual ones.
etcd_client_ports=(2379 22379 32379)
etcd_peer_ports=(2380 22380 32380)
our_ports_pattern=':(1111[1-3]|3000[0-2])\b'
etcd_ports_pattern=':(2379|2380|22379|22380|32379|32380)\b'
if [ -n "$address_base" ]; then
  etcd_client_ports=(2379 2379 2379)
  etcd_peer_ports=(2380 2380 2380)
  pattern_hosts=$(printf '%s|' "${hosts[@]}" | sed 's/\./\\./g; s/|$//')
  our_ports_pattern="($pattern_hosts):(1111[1-3]|3000[0-2])\b"
  etcd_ports_pattern="($pattern_hosts):(2379|2380)\b"
fi

work=$(mktemp -d -p /var/tmp orleansraft-bench.XXXXXX)   # on disk (not tmpfs): both systems fsync here
results="$work/results"
mkdir -p "$results"
etcd_pids=()
launcher_pid=""
silo_pids=()

cleanup() {
  local pid
  for pid in "${etcd_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [ -n "$launcher_pid" ]; then
    kill -TERM "$launcher_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$launcher_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$launcher_pid" 2>/dev/null || true
  fi
  for pid in "${silo_pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  for pid in "${etcd_pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  if [ "$keep" = 1 ]; then echo "compare-etcd.sh: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { echo "[compare] $*" >&2; }

print_header() {
  local failover_text=""
  if [ -n "$kill_after" ]; then
    failover_text="; (4) set, 16 clients, the process hosting the leader SIGKILLed $kill_after s into a measurement of $kill_after + 16 s"
  fi
  cat <<EOF
================================================================================================
OrleansRaft vs etcd, same machine, same disk, same workload engine
  etcd:  $(etcd --version 2>/dev/null | head -n 1), 3 members on ${hosts[*]} (ports ${etcd_client_ports[*]}), default durability:
         the WAL is fsynced for every Raft batch before it is acknowledged; heartbeat 100 ms,
         election timeout 1000 ms (defaults). Client: dotnet-etcd over etcd's native gRPC API, one HTTP/2
         channel per member (Put, Range without serializable = linearizable ReadIndex read, Txn);
         logical client i uses member i mod 3 (followers forward to the leader), no retries.
  ours:  3 silo processes ('silo cluster --silos 3', or 'silo run' per --address-base host; silo 11111+N,
         gateway 30000+N), SQLite per node
         in WAL mode with synchronous=FULL (an fsync per durable write), Raft group 'kv' of 3 peers.
         Client: one Orleans client connection, one IRaftKv session per logical client (exactly-once
         writes), linearizable reads (ReadIndex).
  both:  data under $work (ext4, not tmpfs); $keys keys, $value_size-byte values; after start, ${prewarm} s of
         unmeasured mixed load (16 clients, set=50,get=50); then per workload ${warmup} s warmup and
         ${duration} s measured; each logical client runs one operation at a time.
  workloads: (1) sequential set, 1 client; (2) set, 16 and $concurrency clients; (3) linearizable get, $concurrency
         clients (keys written by 1 and 2); (4) idle, ${idle} s$failover_text.
  machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start (shared with other work: numbers are noisy).
================================================================================================
EOF
}

install_tools() {
  local missing=()
  command -v etcd >/dev/null || missing+=(etcd-server etcd-client)
  command -v jq >/dev/null || missing+=(jq)
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]} from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

build_all() {
  if [ "$build" = 1 ]; then
    say "building silo and client (Release)"
    dotnet build silo/OrleansRaft.Silo.csproj -c Release -v q -nologo >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
    dotnet build client/OrleansRaft.Cli.csproj -c Release -v q -nologo >>"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
  fi
  silo_dll="$repo/silo/bin/Release/net10.0/orleansraft-silo.dll"
  client_dll="$repo/client/bin/Release/net10.0/orleansraft-client.dll"
  [ -f "$silo_dll" ] && [ -f "$client_dll" ] || { echo "compare-etcd.sh: build outputs missing (drop --no-build)" >&2; exit 1; }
}

wait_for_free_ports() {
  local pattern=$1 what=$2
  for _ in $(seq 1 60); do
    if ! ss -ltn | grep -Eq "$pattern"; then return 0; fi
    say "ports of $what are in use (another cluster is running); waiting"
    sleep 5
  done
  echo "compare-etcd.sh: ports of $what still in use after 5 minutes:" >&2
  ss -ltnp | grep -E "$pattern" >&2
  exit 1
}

start_etcd() {
  wait_for_free_ports "$etcd_ports_pattern" "etcd"
  local cluster="" i
  for i in 0 1 2; do cluster+="${cluster:+,}m$i=http://${hosts[$i]}:${etcd_peer_ports[$i]}"; done
  for i in 0 1 2; do
    etcd --name "m$i" --data-dir "$work/etcd-m$i" \
      --listen-client-urls "http://${hosts[$i]}:${etcd_client_ports[$i]}" --advertise-client-urls "http://${hosts[$i]}:${etcd_client_ports[$i]}" \
      --listen-peer-urls "http://${hosts[$i]}:${etcd_peer_ports[$i]}" --initial-advertise-peer-urls "http://${hosts[$i]}:${etcd_peer_ports[$i]}" \
      --initial-cluster "$cluster" --initial-cluster-state new --initial-cluster-token orleansraft-bench \
      --log-level warn >"$work/etcd-m$i.log" 2>&1 &
    etcd_pids+=($!)
  done
  etcd_endpoints=""
  for i in 0 1 2; do etcd_endpoints+="${etcd_endpoints:+,}http://${hosts[$i]}:${etcd_client_ports[$i]}"; done
  for _ in $(seq 1 100); do
    if ETCDCTL_API=3 etcdctl --endpoints "$etcd_endpoints" endpoint health >/dev/null 2>&1; then
      say "etcd up: pids ${etcd_pids[*]}"; return 0
    fi
    sleep 0.2
  done
  echo "compare-etcd.sh: etcd did not become healthy; logs in $work" >&2; tail -n 20 "$work"/etcd-m*.log >&2; exit 1
}

stop_etcd() {
  local pid
  for pid in "${etcd_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${etcd_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  etcd_pids=()
}

# --address-base: three 'silo run' processes, node0..node2 on the three hosts, bootstrapped on their first start.
start_ours_on_hosts() {
  local i
  mkdir -p "$work/orleansraft-data"
  for i in 0 1 2; do
    dotnet "$silo_dll" run --index "$i" --node "node$i" --address "${hosts[$i]}" --data "$work/orleansraft-data/node$i" \
      --membership "$work/orleansraft-data" --bootstrap >"$work/silo$i.log" 2>&1 &
    silo_pids+=($!)
  done
  our_gateways="${hosts[0]}:30000,${hosts[1]}:30001,${hosts[2]}:30002"
  for _ in $(seq 1 240); do
    if dotnet "$client_dll" --gateway "$our_gateways" status 2>/dev/null | grep -qi leader; then
      say "OrleansRaft up on ${hosts[*]}: silos ${silo_pids[*]}"; return 0
    fi
    sleep 0.5
  done
  echo "compare-etcd.sh: no leader after 2 minutes; logs in $work" >&2; tail -n 20 "$work"/silo*.log >&2; exit 1
}

start_ours() {
  wait_for_free_ports "$our_ports_pattern" "the OrleansRaft cluster"
  if [ -n "$address_base" ]; then start_ours_on_hosts; return; fi
  our_gateways=127.0.0.1:30000,127.0.0.1:30001,127.0.0.1:30002
  dotnet "$silo_dll" cluster --silos 3 --data "$work/orleansraft-data" >"$work/cluster.log" 2>&1 &
  launcher_pid=$!
  for _ in $(seq 1 600); do
    if grep -q '^\[cluster\] ready:' "$work/cluster.log"; then break; fi
    if ! kill -0 "$launcher_pid" 2>/dev/null; then echo "compare-etcd.sh: the cluster launcher exited:" >&2; cat "$work/cluster.log" >&2; exit 1; fi
    sleep 0.2
  done
  grep -q '^\[cluster\] ready:' "$work/cluster.log" || { echo "compare-etcd.sh: no leader after 2 minutes" >&2; tail -n 30 "$work/cluster.log" >&2; exit 1; }
  # "[cluster] started 3 silos (pids a, b, c); data in ..." gives the silo pids in silo-index order.
  local pids
  pids=$(sed -n 's/^\[cluster\] started [0-9]* silos (pids \([0-9, ]*\)).*/\1/p' "$work/cluster.log" | head -n 1 | tr -d ' ')
  IFS=, read -r -a silo_pids <<<"$pids"
  say "OrleansRaft up: launcher $launcher_pid, silos ${silo_pids[*]}; $(grep '^\[cluster\] ready:' "$work/cluster.log")"
  local foreign
  foreign=$(foreign_listeners | tr '\n' ' ')
  if [ -n "$foreign" ]; then
    say "another cluster (pids $foreign) started on our ports at the same time; backing off"
    stop_ours
    rm -rf "$work/orleansraft-data"
    sleep $((10 + RANDOM % 20))
    start_ours
  fi
}

stop_ours() {
  if [ -z "$launcher_pid" ]; then
    local pid
    for pid in "${silo_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${silo_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    silo_pids=()
    return 0
  fi
  kill -TERM "$launcher_pid" 2>/dev/null || true
  wait "$launcher_pid" 2>/dev/null || true
  launcher_pid=""
  local pid
  for pid in "${silo_pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  silo_pids=()
}

# Orleans listens with SO_REUSEPORT on Linux: a silo of somebody else's cluster started while ours runs can share
# our ports, and then some connections land in the other cluster. Every listener on our ports must be one of ours.
foreign_listeners() {
  local pids
  pids=$(ss -ltnpH 2>/dev/null | grep -E "$our_ports_pattern" | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u)
  local pid mine
  for pid in $pids; do
    mine=0
    for p in "${silo_pids[@]}"; do [ "$pid" = "$p" ] && mine=1; done
    [ "$mine" = 1 ] || echo "$pid"
  done
}

# The server processes of SYSTEM: CPU ticks (utime+stime) and context switches (voluntary+nonvoluntary, all threads).
server_pids() { if [ "$1" = etcd ]; then echo "${etcd_pids[*]}"; else echo "${silo_pids[*]}"; fi; }
server_ticks() {  # prints the CPU ticks summed over the processes given
  local t=0 p u st
  for p in "$@"; do
    read -r u st < <(cut -d' ' -f14,15 "/proc/$p/stat" 2>/dev/null || echo "0 0")
    t=$((t + u + st))
  done
  echo "$t"
}
thread_switches() {  # prints "tid switches" for every thread of the processes given
  local p t
  for p in "$@"; do
    for t in /proc/"$p"/task/*; do
      awk -v tid="${t##*/}" '/^(voluntary|nonvoluntary)_ctxt_switches/ { n += $2 } END { if (NR) print tid, n + 0 }' "$t/status" 2>/dev/null || true
    done
  done
}
# measure_window FILE SECONDS PIDS...: "cpu_seconds window_seconds switches" of the processes over the next SECONDS.
# Switches are counted per thread: a thread born in the window counts from 0, one that ended in it is lost (the
# runtime's pools retire idle threads: a sum over the threads alive at each end could even come out negative).
measure_window() {
  local file=$1 seconds=$2; shift 2
  local a b s0 s1
  a=$(server_ticks "$@"); thread_switches "$@" >"$file.threads0"; s0=$(date +%s.%N)
  sleep "$seconds"
  b=$(server_ticks "$@"); thread_switches "$@" >"$file.threads1"; s1=$(date +%s.%N)
  local switched
  switched=$(awk 'NR == FNR { was[$1] = $2; next } { n += $2 - ($1 in was ? was[$1] : 0) } END { print n + 0 }' "$file.threads0" "$file.threads1")
  rm -f "$file.threads0" "$file.threads1"
  awk -v a="$a" -v b="$b" -v s0="$s0" -v s1="$s1" -v sw="$switched" -v hz="$(getconf CLK_TCK)" 'BEGIN {
    printf "%.4f %.4f %d\n", (b - a) / hz, s1 - s0, sw }' >"$file"
}

# Idle: after the prewarm, a few seconds for the group to go quiet (ours quiesces after 1 s), then the window.
measure_idle() {
  local system=$1
  [ "$idle" -gt 0 ] || return 0
  say "$system: idle for $idle s"
  sleep 3
  # shellcheck disable=SC2046
  measure_window "$results/$system-idle.server" "$idle" $(server_pids "$system")
}

# bench SYSTEM NAME ARGS...: one run of the bench engine, its table shown, its JSON kept as results/SYSTEM-NAME.json,
# and the server processes' CPU time and context switches over its measured window in results/SYSTEM-NAME.server
# (counted from a second after the warmup to a second before the end, as tests/bench/cpu-per-op.sh does).
bench() {
  local system=$1 name=$2; shift 2
  local target=()
  if [ "$system" = etcd ]; then target=(--target etcd --endpoints "$etcd_endpoints"); else target=(--gateway "$our_gateways"); fi
  local run_duration=$duration a
  for ((a = 1; a <= $#; a++)); do [ "${!a}" = --duration ] && { local b=$((a + 1)); run_duration=${!b}; }; done
  say "$system: $name"
  local before=""
  [ "$system" = ours ] && before=$(foreign_listeners)
  dotnet "$client_dll" bench "${target[@]}" --keys "$keys" --value-size "$value_size" --warmup "$warmup" \
    --json "$results/$system-$name.json" "$@" 2>"$results/$system-$name.progress" &
  local client=$!
  if awk -v d="$run_duration" 'BEGIN { exit !(d >= 3) }'; then
    sleep $((warmup + 1))
    # shellcheck disable=SC2046
    measure_window "$results/$system-$name.server" "$(awk -v d="$run_duration" 'BEGIN { print d - 2 }')" $(server_pids "$system")
  fi
  wait "$client" || say "$system $name exited with $?"
  if [ "$system" = ours ]; then
    local foreign
    foreign=$(printf '%s\n%s\n' "$before" "$(foreign_listeners)" | sed '/^$/d' | sort -u | tr '\n' ' ')
    if [ -n "$foreign" ]; then
      say "WARNING: processes $foreign (not ours) listened on our cluster's ports during '$name': its figures are suspect"
      echo "$foreign" >"$results/$system-$name.contaminated"
    fi
  fi
}

run_workloads() {
  local system=$1; shift
  local pids=$1
  # A freshly started .NET process recompiles its hot code with tiered JIT over its first seconds of load; the
  # steady state is what a long-running service shows. Both systems get the same unmeasured run first.
  if awk -v p="$prewarm" 'BEGIN { exit !(p > 0) }'; then
    bench "$system" prewarm --mix set=50,get=50 --concurrency 16 --duration "$prewarm"
  fi
  bench "$system" seq-set --mix set=100 --concurrency 1 --duration "$duration"
  bench "$system" set16 --mix set=100 --concurrency 16 --duration "$duration"
  bench "$system" set --mix set=100 --concurrency "$concurrency" --duration "$duration"
  bench "$system" get --mix get=100 --concurrency "$concurrency" --duration "$duration"
  # Idle after the load, not before: right after start and the prewarm, the JIT's background thread is still
  # recompiling hot code (a few % of a core per silo for a minute or two), which is start-up, not what idle costs.
  measure_idle "$system"
  if [ -n "$kill_after" ]; then
    # Long enough after the kill for writes stuck on the dead process to reach their 10 s deadline and retry.
    local failover_duration
    failover_duration=$(awk -v k="$kill_after" 'BEGIN { print k + 16 }')
    bench "$system" failover --mix set=100 --concurrency 16 --duration "$failover_duration" --kill-leader-after "$kill_after" --pids "$pids"
  fi
}

# figure FILE JQ-PATH: a number from a result, or "-" when the run is missing.
figure() {
  if [ -f "$1" ]; then jq -r "($2) // \"-\"" "$1"; else echo "-"; fi
}

errors_of() {  # the errors of the three throughput runs of one system, "-" if any is missing
  local n total=0 e
  for n in seq-set set get; do
    e=$(figure "$results/$1-$n.json" .total.errors)
    [ "$e" = "-" ] && { echo "-"; return; }
    total=$((total + e))
  done
  echo "$total"
}

print_comparison() {
  local r=$results
  printf '\n%-44s %12s %12s %10s   %s\n' "figure" "OrleansRaft" "etcd" "ours/etcd" "target for ours"
  row() {  # label ours etcd target-text
    local ratio="-"
    if [[ $2 =~ ^[0-9.]+$ && $3 =~ ^[0-9.]+$ ]] && awk -v e="$3" 'BEGIN { exit !(e > 0) }'; then
      ratio=$(awk -v o="$2" -v e="$3" 'BEGIN { printf "%.2f", o / e }')
    fi
    printf '%-44s %12s %12s %10s   %s\n' "$1" "$2" "$3" "$ratio" "$4"
  }
  row "sequential set p50 (ms, 1 client)" "$(figure "$r/ours-seq-set.json" .operations.set.latencyMs.p50)" \
    "$(figure "$r/etcd-seq-set.json" .operations.set.latencyMs.p50)" "<= etcd"
  row "sequential set p99 (ms, 1 client)" "$(figure "$r/ours-seq-set.json" .operations.set.latencyMs.p99)" \
    "$(figure "$r/etcd-seq-set.json" .operations.set.latencyMs.p99)" "<= 10 ms"
  row "sequential set throughput (ops/s)" "$(figure "$r/ours-seq-set.json" .operations.set.opsPerSecond)" \
    "$(figure "$r/etcd-seq-set.json" .operations.set.opsPerSecond)" ""
  row "set throughput, $concurrency clients (ops/s)" "$(figure "$r/ours-set.json" .operations.set.opsPerSecond)" \
    "$(figure "$r/etcd-set.json" .operations.set.opsPerSecond)" ">= 2x etcd"
  row "set p50 / p99, $concurrency clients (ms)" \
    "$(figure "$r/ours-set.json" '"\(.operations.set.latencyMs.p50)/\(.operations.set.latencyMs.p99)"')" \
    "$(figure "$r/etcd-set.json" '"\(.operations.set.latencyMs.p50)/\(.operations.set.latencyMs.p99)"')" ""
  row "linearizable get, $concurrency clients (ops/s)" "$(figure "$r/ours-get.json" .operations.get.opsPerSecond)" \
    "$(figure "$r/etcd-get.json" .operations.get.opsPerSecond)" ">= 20000/s"
  row "get p50 / p99, $concurrency clients (ms)" \
    "$(figure "$r/ours-get.json" '"\(.operations.get.latencyMs.p50)/\(.operations.get.latencyMs.p99)"')" \
    "$(figure "$r/etcd-get.json" '"\(.operations.get.latencyMs.p50)/\(.operations.get.latencyMs.p99)"')" ""
  row "errors in the three runs" "$(errors_of ours)" "$(errors_of etcd)" ""
  if [ -n "$kill_after" ]; then
    row "leader killed: writes resumed after (ms)" "$(figure "$r/ours-failover.json" .failover.writesResumedAfterMs)" \
      "$(figure "$r/etcd-failover.json" .failover.writesResumedAfterMs)" "<= 2000 ms"
    row "leader killed: unknown-outcome writes" "$(figure "$r/ours-failover.json" .failover.outcomeUnknownWrites)" \
      "$(figure "$r/etcd-failover.json" .failover.outcomeUnknownWrites)" ""
    row "leader killed: max set latency (ms)" "$(figure "$r/ours-failover.json" .operations.set.latencyMs.max)" \
      "$(figure "$r/etcd-failover.json" .operations.set.latencyMs.max)" ""
  fi
  echo
  local c
  for c in "$r"/*.contaminated; do
    [ -e "$c" ] && echo "WARNING: $(basename "$c" .contaminated) ran while another cluster shared our ports (pids $(cat "$c")): rerun it."
  done
  echo "ratios are ours/etcd: below 1 is better for latencies, above 1 is better for throughput."
  echo "per-run tables are above; JSON of every run: $r (kept with --keep)"
}

# per_op FILE JSON: server CPU (us) and context switches per set over the measured window: "cpu_us switches".
per_op() {
  local server=$1 json=$2
  if [ ! -f "$server" ] || [ ! -f "$json" ]; then echo "- -"; return; fi
  local rate
  rate=$(jq -r '.operations.set.opsPerSecond // 0' "$json")
  read -r cpu window switches <"$server"
  awk -v c="$cpu" -v w="$window" -v n="$switches" -v r="$rate" 'BEGIN {
    ops = r * w; if (ops <= 0) { print "- -"; exit } printf "%.0f %.1f\n", 1e6 * c / ops, n / ops }'
}

ratio() { if [[ $1 =~ ^[0-9.]+$ && $2 =~ ^[0-9.]+$ ]] && awk -v e="$2" 'BEGIN { exit !(e > 0) }'; then awk -v o="$1" -v e="$2" 'BEGIN { printf "%.2f", o / e }'; else echo "-"; fi; }

# The table of the performance issue, ready for tests/bench/README.md: per client count, both systems and ours/etcd.
print_table() {
  local r=$results n name
  echo
  echo "| clients | etcd sets/s | ours sets/s | ratio | etcd p50 ms | ours p50 ms | etcd p99 ms | ours p99 ms | server CPU per set etcd / ours (us) | ratio | context switches per set etcd / ours | ratio |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for n in 1 16 "$concurrency"; do
    case "$n" in 1) name=seq-set ;; 16) name=set16 ;; *) name=set ;; esac
    [ "$n" = 16 ] && [ "$concurrency" = 16 ] && continue
    local eo oo ep op e9 o9 ec es oc os
    eo=$(figure "$r/etcd-$name.json" .operations.set.opsPerSecond); oo=$(figure "$r/ours-$name.json" .operations.set.opsPerSecond)
    ep=$(figure "$r/etcd-$name.json" .operations.set.latencyMs.p50); op=$(figure "$r/ours-$name.json" .operations.set.latencyMs.p50)
    e9=$(figure "$r/etcd-$name.json" .operations.set.latencyMs.p99); o9=$(figure "$r/ours-$name.json" .operations.set.latencyMs.p99)
    read -r ec es < <(per_op "$r/etcd-$name.server" "$r/etcd-$name.json")
    read -r oc os < <(per_op "$r/ours-$name.server" "$r/ours-$name.json")
    echo "| $n | $eo | $oo | $(ratio "$oo" "$eo") | $ep | $op | $e9 | $o9 | $ec / $oc | $(ratio "$oc" "$ec") | $es / $os | $(ratio "$os" "$es") |"
  done
  local ei oi
  idle_of() { [ -f "$1" ] && awk '{ printf "%.2f %.0f\n", 100 * $1 / $2, $3 / $2 }' "$1" || echo "- -"; }
  read -r ei eis < <(idle_of "$r/etcd-idle.server"); read -r oi ois < <(idle_of "$r/ours-idle.server")
  echo
  echo "| idle, ${idle} s, all server processes | etcd | ours | ratio |"
  echo "|---|---:|---:|---:|"
  echo "| CPU, % of a core | $ei | $oi | $(ratio "$oi" "$ei") |"
  echo "| context switches per second | $eis | $ois | $(ratio "$ois" "$eis") |"
  echo
  echo "server CPU per set: user+system time of every server process (3 etcd members, or 3 silos) over the measured window,"
  echo "divided by the sets done in it; context switches likewise (voluntary+nonvoluntary, every thread)."
}

install_tools
build_all
print_header
if [ "$only" != ours ]; then
  start_etcd
  run_workloads etcd "$(IFS=,; echo "${etcd_pids[*]}")"
  stop_etcd
fi
if [ "$only" != etcd ]; then
  # A run that shared its ports with somebody else's cluster is thrown away and the whole set run again.
  for attempt in 1 2 3; do
    start_ours
    run_workloads ours "$(IFS=,; echo "${silo_pids[*]}")"
    stop_ours
    compgen -G "$results/ours-*.contaminated" >/dev/null || break
    if [ "$attempt" -lt 3 ]; then
      say "attempt $attempt of our cluster was disturbed by another cluster on our ports; starting over"
      mkdir -p "$results/disturbed-$attempt"
      mv "$results"/ours-* "$results/disturbed-$attempt/"
      mv "$work/cluster.log" "$results/disturbed-$attempt/"
      rm -rf "$work/orleansraft-data"
      sleep 20
    fi
  done
fi
print_comparison
print_table
