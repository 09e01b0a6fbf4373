#!/usr/bin/env bash
# Storage growth: overwrites KEYS keys again and again through `client shell` on a fresh 3-silo cluster and prints,
# at each checkpoint (total writes acknowledged), the size of each node's data directory and what is in it: the
# database file and its WAL, pages in use and free, and the live rows by kind (log, snapshot, peer row) with their
# payload bytes. Counts and sizes, not times: it says the same on a busy machine.
#
# usage: tests/bench/storage-growth.sh [--keys K] [--checkpoints N1,N2,...] [--value-bytes B] [--shells S]
#   defaults: 50 keys, checkpoints 20000,40000, 100-byte values, 4 shells writing side by side (each its own keys)
#   the issue's second figure: --keys 1000 --checkpoints 100000,1000000
# The silos run on 127.0.0.41-43 (STORAGE_GROWTH_ADDRESS_PREFIX, default 127.0.0.4, gives 127.0.0.X1..X3) with their
# usual ports, so they meet neither a local `silo cluster` (127.0.0.1) nor the end-to-end tests. SILO_DLL and
# CLIENT_DLL run other builds (an older commit's, to compare); the script runs copies of them, so a rebuild meanwhile
# does not disturb it. STORAGE_GROWTH_KEEP=1 keeps the silos' logs and data.
set -euo pipefail
cd "$(dirname "$0")/../.."

keys=50 checkpoints=20000,40000 value_bytes=100 shells=4
while [ $# -gt 0 ]; do
  case "$1" in
    --keys) keys=$2; shift 2 ;;
    --checkpoints) checkpoints=$2; shift 2 ;;
    --value-bytes) value_bytes=$2; shift 2 ;;
    --shells) shells=$2; shift 2 ;;
    *) echo "storage-growth.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ "$keys" -ge "$shells" ] || { echo "storage-growth.sh: --keys must be at least --shells" >&2; exit 2; }

if [ -z "${SILO_DLL:-}" ]; then dotnet build -c Release silo >/dev/null && dotnet build -c Release client >/dev/null; fi
silo_dll=${SILO_DLL:-$PWD/silo/bin/Release/net10.0/orleansraft-silo.dll}
client_dll=${CLIENT_DLL:-$PWD/client/bin/Release/net10.0/orleansraft-client.dll}
prefix=${STORAGE_GROWTH_ADDRESS_PREFIX:-127.0.0.4}
gateways="${prefix}1:30000,${prefix}2:30001,${prefix}3:30002"
work=$(mktemp -d)
data=$work/data
pids="" shell_pids=""

# Private copies of the builds: a rebuild during a long run must not overwrite the assemblies the processes map.
mkdir -p "$work/silo" "$work/client"
cp -r "$(dirname "$silo_dll")/." "$work/silo/"
cp -r "$(dirname "$client_dll")/." "$work/client/"
silo=$work/silo/$(basename "$silo_dll")
client=$work/client/$(basename "$client_dll")

stop_silos() {
  local p
  for p in $shell_pids $pids; do kill -TERM "$p" 2>/dev/null || true; done
  for p in $shell_pids $pids; do while kill -0 "$p" 2>/dev/null; do sleep 0.1; done; done
  pids="" shell_pids=""
}
trap 'stop_silos; if [ -n "${STORAGE_GROWTH_KEEP:-}" ]; then echo "storage-growth.sh: kept $work" >&2; else rm -rf "$work"; fi' EXIT

for i in 0 1 2; do
  (cd "$work" && exec dotnet "$silo" run --index "$i" --node "node$i" --address "${prefix}$((i + 1))" \
    --data "$data/node$i" --membership "$data" --peers 3 --bootstrap) >>"$work/silo$i.log" 2>&1 &
  pids="$pids $!"
done
ready=""
for _ in $(seq 1 300); do
  if [ "$(echo "SET growth-ready 1" | dotnet "$client" --gateway "$gateways" --timeout 30 shell 2>/dev/null)" = OK ]; then ready=1; break; fi
  sleep 0.5
done
[ -n "$ready" ] || { echo "storage-growth.sh: the cluster did not take a write:" >&2; tail -n 20 "$work"/silo*.log >&2; exit 1; }

# What one node's directory holds: file sizes, pages, and live rows by kind (payload bytes of rows not cleared).
measure() {
  python3 - "$data" "$1" <<'EOF'
import os, sqlite3, sys
data, writes = sys.argv[1], int(sys.argv[2])
for node in sorted(d for d in os.listdir(data) if d.startswith("node")):
    folder = os.path.join(data, node)
    total = sum(os.path.getsize(os.path.join(folder, f)) for f in os.listdir(folder))
    db = os.path.join(folder, "raft.db")
    size = lambda f: os.path.getsize(f) if os.path.exists(f) else 0
    c = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    pages, free, page = (c.execute(f"PRAGMA {p}").fetchone()[0] for p in ("page_count", "freelist_count", "page_size"))
    tables = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    rows = ("SELECT StateName, Payload FROM RaftRows" if "RaftRows" in tables and c.execute("SELECT COUNT(*) FROM RaftRows").fetchone()[0]
            else "SELECT GrainTypeString, PayloadBinary FROM OrleansStorage")
    kinds = {}
    for name, payload in c.execute(rows):
        kind = "log" if name.startswith("raft.log.") and name != "raft.log.head" else "snap" if name.startswith("raft.snap.") else "other"
        n, b, cleared = kinds.get(kind, (0, 0, 0))
        kinds[kind] = (n + (payload is not None), b + len(payload or b""), cleared + (payload is None))
    if "RaftTombstones" in tables:
        n, b, cleared = kinds.get("other", (0, 0, 0))
        kinds["other"] = (n, b, cleared + c.execute("SELECT COUNT(*) FROM RaftTombstones").fetchone()[0])
    c.close()
    mb = lambda b: f"{b / 1048576:.2f}"
    k = lambda kind: kinds.get(kind, (0, 0, 0))
    print(f"{writes:>9} {node:>6} {mb(total):>8} {mb(size(db)):>8} {mb(size(db + '-wal')):>8} {mb(free * page):>8}"
          f" {k('log')[0]:>6} {mb(k('log')[1]):>7} {k('snap')[0]:>5} {mb(k('snap')[1]):>7} {k('other')[0]:>5}"
          f" {k('log')[2] + k('snap')[2] + k('other')[2]:>7}")
EOF
}

printf '%9s %6s %8s %8s %8s %8s %6s %7s %5s %7s %5s %7s\n' writes node dir_MB db_MB wal_MB free_MB \
  log_rows log_MB snaps snap_MB other cleared
value=$(head -c "$value_bytes" /dev/zero | tr '\0' v)
done_writes=0
for checkpoint in ${checkpoints//,/ }; do
  batch=$((checkpoint - done_writes))
  [ "$batch" -gt 0 ] || { echo "storage-growth.sh: checkpoints must grow" >&2; exit 2; }
  # Shell s writes keys s, s+S, s+2S, ...: each key has one writer, so every write is an overwrite of its last value.
  for s in $(seq 0 $((shells - 1))); do
    count=$(((batch + shells - 1 - s) / shells))
    awk -v s="$s" -v S="$shells" -v K="$keys" -v n="$count" -v start="$done_writes" -v v="$value" \
      'BEGIN { per = int((K - s + S - 1) / S); for (i = 0; i < n; i++) printf "SET growth-%d %s%d\n", s + S * ((start + i) % per), v, i }' |
      dotnet "$client" --gateway "$gateways" --timeout 120 shell >"$work/shell$s.out" 2>&1 &
    shell_pids="$shell_pids $!"
  done
  for p in $shell_pids; do wait "$p" || true; done
  shell_pids=""
  bad=$(cat "$work"/shell*.out | grep -vc '^OK$' || true)
  [ "$bad" -eq 0 ] || { echo "storage-growth.sh: $bad writes were not acknowledged:" >&2; grep -hv '^OK$' "$work"/shell*.out | head >&2; exit 1; }
  done_writes=$checkpoint
  # Measured at rest: a node's background checkpointer truncates the WAL of a file that saw no write for one of its
  # passes (500 ms). Wait for that, up to 10 s, so the figure is the node's lasting size, not where its WAL happened
  # to be when the writes stopped (anywhere between 0 and the writer's 4 MiB limit).
  for _ in $(seq 1 100); do
    busy=0
    for wal in "$data"/node*/raft.db-wal; do [ -s "$wal" ] && busy=1; done
    [ "$busy" -eq 0 ] && break
    sleep 0.1
  done
  measure "$done_writes"
done

# The node storage logs what its writer did when it closes: transactions (one fsync each) and row writes per set.
stop_silos
echo
printf '%6s %12s %12s %14s %10s %10s %12s %14s\n' node transactions row_writes payload_bytes txn/set rows/set bytes/set rows/txn
for i in 0 1 2; do
  line=$(grep -h 'SQLite node storage closed' "$work/silo$i.log" | tail -n 1)
  [ -n "$line" ] || { echo "  node$i: no storage summary in its log (an older build?)"; continue; }
  read -r txn rows bytes <<<"$(sed -n 's/.*closed: \([0-9]*\) transactions carried \([0-9]*\) row writes (\([0-9]*\) payload bytes.*/\1 \2 \3/p' <<<"$line")"
  awk -v n="node$i" -v t="$txn" -v r="$rows" -v b="$bytes" -v w="$done_writes" \
    'BEGIN { printf "%6s %12d %12d %14d %10.2f %10.2f %12.0f %14.2f\n", n, t, r, b, t / w, r / w, b / w, r / t }'
done
