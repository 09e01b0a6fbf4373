#!/usr/bin/env bash
# Mutation testing of src/OrleansRaft.Core's safety-critical files (election, replication, commit, log, reads,
# snapshots, membership, tracking) with Stryker.NET, pinned in .config/dotnet-tools.json.
# The long simulation sweeps are filtered out (stryker-config.json): each mutant runs the targeted tests and the
# short simulations, which keeps a run bounded; the sweeps are what PlantedBugTests prove, not what Stryker scores.
# Usage: tests/mutation/run-stryker.sh [--report-only REPORT.json] [extra dotnet-stryker options]
#        tests/mutation/run-stryker.sh --compare BEFORE.json AFTER.json [AFTER.json ...]
# Prints the mutation score per file (killed + timeout over all tested mutants) and the surviving mutants.
# --compare prints, per file, the score and the timeout count of BEFORE next to those of the AFTER reports (for a
# file mutated in several of them, the last one): the runs scoped with --mutate "**/File.cs" make one report each.
# Stryker counts a timeout as killed; under CPU contention spurious timeouts appear, so look at T before trusting a score.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${STRYKER_OUTPUT:-$here/StrykerOutput}"

print_scores() {
  local report="$1"
  jq -r '
    def score(ms): (ms | map(select(.status=="Killed" or .status=="Timeout")) | length) as $k
      | (ms | map(select(.status=="Killed" or .status=="Timeout" or .status=="Survived" or .status=="NoCoverage")) | length) as $t
      | [$k, $t, (if $t == 0 then 100 else ($k * 1000 / $t | floor) / 10 end)];
    (.files | to_entries | map(.key |= sub(".*/src/OrleansRaft.Core/"; "")) | sort_by(.key)) as $files
    | "file\tkilled\ttested\tscore%",
      ($files[] | (score(.value.mutants)) as $s | "\(.key)\t\($s[0])\t\($s[1])\t\($s[2])"),
      ([$files[].value.mutants[]] | score(.) | "TOTAL\t\(.[0])\t\(.[1])\t\(.[2])")' "$report" | column -t -s $'\t'
  echo
  echo "surviving mutants (file:line mutator: replacement):"
  jq -r '.files | to_entries[] | .key as $f | .value.mutants[]
    | select(.status=="Survived" or .status=="NoCoverage")
    | "\($f | sub(".*/src/OrleansRaft.Core/"; "")):\(.location.start.line) [\(.status)] \(.mutatorName): \(.replacement | gsub("\n"; " ") | .[0:90])"' "$report" | sort -t: -k1,1 -k2,2n
}

# file<TAB>killed<TAB>tested<TAB>score<TAB>timeouts for every file of a report with at least one tested mutant.
file_stats() {
  jq -r '.files | to_entries[] | (.key | sub(".*/src/OrleansRaft.Core/"; "")) as $f | .value.mutants
    | (map(select(.status=="Killed" or .status=="Timeout")) | length) as $k
    | (map(select(.status=="Killed" or .status=="Timeout" or .status=="Survived" or .status=="NoCoverage")) | length) as $t
    | select($t > 0)
    | "\($f)\t\($k)\t\($t)\t\(($k * 1000 / $t | floor) / 10)\t\(map(select(.status=="Timeout")) | length)"' "$1"
}

if [[ "${1:-}" == "--compare" ]]; then
  before="$2"; shift 2
  declare -A after=() ak=() at=() ato=()
  for report in "$@"; do
    while IFS=$'\t' read -r f k t s to; do after[$f]="$s% ($k/$t) T=$to"; ak[$f]=$k; at[$f]=$t; ato[$f]=$to; done < <(file_stats "$report")
  done
  pct() { echo "$(( $1 * 1000 / $2 / 10 )).$(( $1 * 1000 / $2 % 10 ))% ($1/$2) T=$3"; }
  {
    echo -e "file\tbefore\tafter"
    bk=0 bt=0 bto=0 sk=0 st=0 sto=0
    while IFS=$'\t' read -r f k t s to; do
      echo -e "$f\t$s% ($k/$t) T=$to\t${after[$f]:-not run}"
      bk=$((bk + k)) bt=$((bt + t)) bto=$((bto + to))
      sk=$((sk + ${ak[$f]:-0})) st=$((st + ${at[$f]:-0})) sto=$((sto + ${ato[$f]:-0}))
    done < <(file_stats "$before" | sort)
    echo -e "TOTAL\t$(pct $bk $bt $bto)\t$( ((st > 0)) && pct $sk $st $sto || echo 'not run')"
  } | column -t -s $'\t'
  exit 0
fi

if [[ "${1:-}" == "--report-only" ]]; then
  print_scores "$2"
  exit 0
fi

# Run from the test project: Stryker finds OrleansRaft.Core among its references (at the root it would see the solution).
cd "$here/../OrleansRaft.Core.Tests"
dotnet tool restore >/dev/null
start=$(date +%s)
nice -n 10 dotnet tool run dotnet-stryker -- \
  --config-file "$here/stryker-config.json" --output "$out" --skip-version-check "$@"
echo "stryker took $(( $(date +%s) - start )) s"
print_scores "$out/reports/mutation-report.json"
